"""A tree method that appends its argument to a field (`batch.add(x)`) makes the items read
back from that object attacker data; a batch of the same class filled with constants is clean."""

import os

from django.http import JsonResponse

UPLOADS = "/srv/uploads"


class DeletionBatch:
    def __init__(self):
        self._paths = []

    def add(self, name):
        self._paths.append(os.path.join(UPLOADS, name))

    def paths(self):
        return list(self._paths)


def purge_uploads(request):
    chosen = DeletionBatch()
    for name in request.POST.getlist("files"):
        chosen.add(name)
    housekeeping = DeletionBatch()
    housekeeping.add(".thumbnail-cache")
    for path in housekeeping.paths():
        os.remove(path)  # ok: path-traversal
    for path in chosen.paths():
        os.remove(path)  # expect: path-traversal
    return JsonResponse({"removed": len(chosen.paths())})
