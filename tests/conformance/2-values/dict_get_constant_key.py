"""Dict reads under constant keys with `.get()` and `[...]`, on a dict a Django helper builds
with `dict(...)` and `setdefault`: each key keeps its own value at the caller."""

from django.db import connection
from django.http import JsonResponse


def listing_params(request):
    params = dict(order="created_at", direction="DESC")
    params.setdefault("search", request.GET.get("q", ""))
    return params


def products(request):
    params = listing_params(request)
    with connection.cursor() as cursor:
        cursor.execute(  # ok: sql-injection
            f"SELECT id, name FROM products ORDER BY {params.get('order')} {params['direction']}"
        )
        listed = cursor.fetchall()
        cursor.execute(f"SELECT id FROM products WHERE name LIKE '%{params.get('search', '')}%'")  # expect: sql-injection
        found = cursor.fetchall()
    return JsonResponse({"listed": listed, "found": found})
