"""`@staff_member_required` (Django admin's) marks a staff-only view: its flow drops one
severity step; the same flow in a public view keeps its severity."""

import os

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.views.decorators.http import require_GET


@staff_member_required
def download_import_log(request):
    name = request.GET["log"]
    return FileResponse(open(os.path.join(settings.IMPORT_LOG_DIR, name), "rb"))  # expect: path-traversal  # severity: medium


@staff_member_required
def download_import_file(request):
    name = get_valid_filename(request.GET["file"])
    return FileResponse(open(os.path.join(settings.IMPORT_DIR, name), "rb"))  # ok: path-traversal


@require_GET
def download_invoice(request):
    name = request.GET["invoice"]
    return FileResponse(open(os.path.join(settings.INVOICE_DIR, name), "rb"))  # expect: path-traversal  # severity: high
