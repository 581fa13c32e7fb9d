"""A tree class whose `update(values)` stores into the object: `cfg.get(...)` after
`cfg.update(request data)` is attacker data; another instance updated with constants is not."""

import subprocess

from django.http import JsonResponse

DEFAULTS = {"compressor": "gzip", "level": "6"}


class BackupConfig:
    def __init__(self):
        self._values = dict(DEFAULTS)

    def update(self, values):
        self._values.update(values)

    def get(self, key):
        return self._values[key]


def start_backup(request):
    custom = BackupConfig()
    custom.update(request.POST.dict())
    nightly = BackupConfig()
    nightly.update({"compressor": "zstd", "level": "19"})
    subprocess.run(f"tar -c /srv/data | {nightly.get('compressor')} -{nightly.get('level')} > /backup/nightly.tar", shell=True)  # ok: command-injection
    subprocess.run(f"tar -c /srv/data | {custom.get('compressor')} -{custom.get('level')} > /backup/custom.tar", shell=True)  # expect: command-injection
    return JsonResponse({"started": True})
