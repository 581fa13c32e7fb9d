"""A Django view under `@user_passes_test(lambda u: u.is_superuser)` is reached only by
superusers: its flow drops one severity step; under `@login_required` it keeps it."""

from django.contrib.auth.decorators import login_required, user_passes_test
from django.db import connection
from django.http import JsonResponse


@user_passes_test(lambda u: u.is_superuser)
def table_stats(request):
    table = request.GET["table"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # expect: sql-injection  # severity: medium
        count = cursor.fetchone()[0]
    return JsonResponse({"table": table, "rows": count})


@user_passes_test(lambda u: u.is_superuser)
def user_stats(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM auth_user WHERE is_active = %s", [request.GET["active"]])  # ok: sql-injection
        count = cursor.fetchone()[0]
    return JsonResponse({"rows": count})


@login_required
def my_orders(request):
    order_by = request.GET.get("order_by", "created")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM shop_order WHERE owner_id = %s ORDER BY {order_by}", [request.user.pk])  # expect: sql-injection  # severity: high
        rows = cursor.fetchall()
    return JsonResponse({"orders": [r[0] for r in rows]})
