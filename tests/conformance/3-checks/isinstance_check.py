"""`isinstance(x, int)` and `isinstance(x, (int, uuid.UUID))` are checks on JSON values: the
value is a number or a UUID where they hold; `isinstance(x, str)` checks nothing."""

import json
import uuid

from django.db import connection
from django.http import HttpResponseBadRequest, JsonResponse


def reserve(request):
    body = json.loads(request.body)
    quantity = body.get("quantity")
    if not isinstance(quantity, int):
        return HttpResponseBadRequest("quantity must be an integer")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE stock SET reserved = reserved + {quantity} WHERE sku = %s", [body.get("sku")])  # ok: sql-injection
    return JsonResponse({"reserved": quantity})


def item_lookup(item_id):
    if isinstance(item_id, (int, uuid.UUID)):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT name FROM items WHERE id = '{item_id}'")  # ok: sql-injection
            return cursor.fetchone()
    return None


def rename(request):
    body = json.loads(request.body)
    name = body.get("name")
    if not isinstance(name, str):
        return HttpResponseBadRequest("name must be a string")
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE items SET name = '{name}' WHERE id = %s", [body.get("id")])  # expect: sql-injection
    return JsonResponse({"name": name, "item": item_lookup(body.get("id"))})
