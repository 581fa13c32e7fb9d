"""An exception raised with upload data in another module, three calls deep, is caught here
and its message written into a query; the constant-message exception is not attacker data."""

from django.db import connection
from django.http import JsonResponse
from importer import EmptyUpload, RowError, parse_upload


def import_prices(request):
    with connection.cursor() as cursor:
        try:
            rows = parse_upload(request.POST["csv"])
        except RowError as err:
            cursor.execute(f"INSERT INTO import_log (level, message) VALUES ('error', '{err}')")  # expect: sql-injection
            cursor.execute("INSERT INTO import_log (level, message) VALUES ('error', %s)", [str(err)])  # ok: sql-injection
            return JsonResponse({"error": "rejected"}, status=400)
        except EmptyUpload as err:
            cursor.execute(f"INSERT INTO import_log (level, message) VALUES ('warning', '{err}')")  # ok: sql-injection
            return JsonResponse({"error": "empty"}, status=400)
        return JsonResponse({"imported": len(rows)})
