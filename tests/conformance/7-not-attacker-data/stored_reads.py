"""A database row or a cache entry looked up with request data is what the server stored,
not the request data: opening the path it holds is not path-traversal; opening the
client's own path is."""

from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def export_download(request):
    token = request.GET["token"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT storage_path FROM exports WHERE token = %s", [token])
        row = cursor.fetchone()
    if row is None:
        raise Http404("no such export")
    return FileResponse(open(row[0], "rb"))  # ok: path-traversal


@require_GET
def cached_report(request):
    key = request.GET["report"]
    location = cache.get(f"report-file:{key}")
    if location is None:
        raise Http404("report expired")
    return FileResponse(open(location, "rb"))  # ok: path-traversal


@require_GET
def recent_exports(request):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT storage_path FROM exports WHERE owner = %s LIMIT 1", [request.GET["owner"]]
        )
        paths = [r[0] for r in cursor.fetchall()]
    with open(paths[0], "rb") as latest:  # ok: path-traversal
        head = latest.read(64)
    return JsonResponse({"head": head.hex()})


@require_GET
def export_by_path(request):
    return FileResponse(open(request.GET["path"], "rb"))  # expect: path-traversal
