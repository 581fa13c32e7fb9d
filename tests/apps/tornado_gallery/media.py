"""Photo files: originals, thumbnails and imports."""

import os
import subprocess
import urllib.request

ORIGINALS = "/srv/gallery/originals"
THUMBS = "/srv/gallery/thumbs"


def original(name):
    with open(os.path.join(ORIGINALS, name), "rb") as handle:
        return handle.read()


def thumbnail(handler, size):
    name = handler.get_argument("photo")
    source = os.path.join(ORIGINALS, os.path.basename(name))
    target = os.path.join(THUMBS, size + "-" + os.path.basename(name))
    subprocess.run("convert " + source + " -resize " + size + " " + target, shell=True)
    with open(target, "rb") as handle:
        return handle.read()


def import_url(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        data = response.read()
    with open(os.path.join(ORIGINALS, "import.jpg"), "wb") as out:
        out.write(data)
    return 1
