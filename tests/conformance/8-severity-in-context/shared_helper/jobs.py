"""Media jobs run by the views in app.py."""

import subprocess


def reindex(collection):
    subprocess.run(f"/opt/media/reindex {collection}", shell=True)  # expect: command-injection  # severity: high


def make_thumbnail(name):
    subprocess.run(f"convert /srv/media/{name} -resize 200x200 /srv/thumbs/{name}", shell=True)  # expect: command-injection  # severity: critical


def collection_stats(collection):
    return subprocess.run(["/opt/media/stats", collection], capture_output=True).stdout  # ok: command-injection
