"""Equality with a constant is a check: `==` protects the value inside the branch, `!=` with
an exit protects what follows. Ruling out one value (`== ""` then leave) is not a check."""

import os

from flask import Flask, abort, request

app = Flask(__name__)


@app.post("/cache/clear")
def clear_cache():
    scope = request.form.get("scope", "")
    if scope == "all":
        os.system(f"redis-cli -n 2 FLUSHDB && logger cleared {scope}")  # ok: command-injection
    return "", 204


@app.post("/cache/warm")
def warm_cache():
    scope = request.form.get("scope", "")
    if scope != "pages" and scope != "assets":
        abort(400)
    os.system(f"/opt/app/bin/warm --{scope}")  # ok: command-injection
    return "", 204


@app.post("/cache/inspect")
def inspect_cache():
    scope = request.form.get("scope", "")
    if scope == "":
        abort(400)
    os.system(f"/opt/app/bin/inspect --{scope}")  # expect: command-injection
    return "", 204
