"""`setattr(obj, name, value)` stores into the object: after a form is bound field by field
with setattr, `obj.<field>` holds request data; a fresh object of the class does not."""

import os

from django.http import FileResponse

EXPORT_ROOT = "/srv/exports"


class ExportJob:
    FIELDS = ("filename", "fmt", "title")

    def __init__(self):
        self.filename = "export"
        self.fmt = "csv"
        self.title = "Untitled"


def bind(obj, data):
    for name in obj.FIELDS:
        if name in data:
            setattr(obj, name, data[name])
    return obj


def download_export(request):
    job = bind(ExportJob(), request.GET)
    template = ExportJob()
    if request.GET.get("template"):
        return FileResponse(open(os.path.join(EXPORT_ROOT, template.filename + ".csv"), "rb"))  # ok: path-traversal
    return FileResponse(open(os.path.join(EXPORT_ROOT, f"{job.filename}.{job.fmt}"), "rb"))  # expect: path-traversal
