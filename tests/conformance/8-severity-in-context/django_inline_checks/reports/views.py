"""A view that starts with `if not request.user.is_superuser: raise PermissionDenied` (or an
`is_staff` check that answers 403) is admin-only: its flows drop one severity step; a view
that checks only `is_authenticated` keeps the full severity."""

import subprocess

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseForbidden


def rebuild_index(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    index = request.POST["index"]
    subprocess.run(f"/opt/search/rebuild {index}", shell=True)  # expect: command-injection  # severity: high
    return HttpResponse(status=202)


def purge_cache(request):
    if not request.user.is_staff:
        return HttpResponseForbidden()
    prefix = request.POST["prefix"]
    subprocess.run(f"/opt/cache/purge --prefix {prefix}", shell=True)  # expect: command-injection  # severity: high
    subprocess.run(["/opt/cache/purge", "--prefix", prefix], check=True)  # ok: command-injection
    return HttpResponse(status=202)


def export_profile(request):
    if not request.user.is_authenticated:
        raise PermissionDenied
    fmt = request.POST["format"]
    subprocess.run(f"/opt/app/export --user {request.user.pk} --format {fmt}", shell=True)  # expect: command-injection  # severity: critical
    return HttpResponse(status=202)
