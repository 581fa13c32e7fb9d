"""Checks on FastAPI parameters: a path parameter in an allow-list, a query parameter matched
with `re.fullmatch`; a query parameter tested only for its length is not checked."""

import os
import re

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

app = FastAPI()
MEDIA_ROOT = "/srv/media"
KINDS = {"avatars", "covers", "banners"}


@app.get("/media/{kind}/{name}")
def media(kind: str, name: str):
    if kind not in KINDS:
        raise HTTPException(status_code=404)
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}\.(png|jpg|webp)", name):
        raise HTTPException(status_code=404)
    return FileResponse(os.path.join(MEDIA_ROOT, kind, name))  # ok: path-traversal


@app.get("/media/{kind}")
def media_thumbnail(kind: str, name: str):
    if kind not in KINDS or len(name) > 64:
        raise HTTPException(status_code=404)
    return FileResponse(os.path.join(MEDIA_ROOT, kind, "thumbs", name))  # expect: path-traversal
