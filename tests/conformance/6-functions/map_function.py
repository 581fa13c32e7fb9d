"""`map(f, xs)` calls `f` on each element: names from the request flow into `purge_upload`'s
parameter; `map(purge_cache_entry, STALE)` over constants does not taint that function."""

import os

from flask import Flask, jsonify, request

app = Flask(__name__)
UPLOADS = "/srv/uploads"
CACHE = "/var/cache/app"
STALE = ("thumbnails.idx", "previews.idx")


def purge_upload(name):
    os.remove(os.path.join(UPLOADS, name))  # expect: path-traversal
    return name


def purge_cache_entry(name):
    os.remove(os.path.join(CACHE, name))  # ok: path-traversal
    return name


@app.route("/uploads/purge", methods=["POST"])
def purge():
    removed = list(map(purge_upload, request.json["names"]))
    cleared = list(map(purge_cache_entry, STALE))
    return jsonify(removed=removed, cleared=cleared)
