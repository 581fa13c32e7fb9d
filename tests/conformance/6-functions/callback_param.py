"""A function passed as a callback is called by the tree function that receives it:
`for_each(names, delete_upload)` with request names taints `delete_upload`; a constant list does not."""

import os

from django.http import JsonResponse

UPLOADS = "/srv/uploads"
PREVIEWS = "/srv/previews"
EXPIRED_PREVIEWS = ["week-1.png", "week-2.png"]


def for_each(items, callback):
    done = []
    for item in items:
        callback(item)
        done.append(item)
    return done


def delete_upload(name):
    os.unlink(os.path.join(UPLOADS, name))  # expect: path-traversal


def delete_preview(name):
    os.unlink(os.path.join(PREVIEWS, name))  # ok: path-traversal


def bulk_delete(request):
    removed = for_each(request.POST.getlist("name"), delete_upload)
    expired = for_each(EXPIRED_PREVIEWS, delete_preview)
    return JsonResponse({"removed": removed, "expired": expired})
