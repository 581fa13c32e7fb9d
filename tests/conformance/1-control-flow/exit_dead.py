"""Code after `sys.exit()` or `os._exit()` is dead. After a conditional exit (the child
branch of a fork), the rest of the function still runs in the parent."""

import os
import subprocess
import sys

from flask import Flask, request

app = Flask(__name__)


def _run_child(name):
    status = subprocess.call(["/usr/bin/convert", name, "/tmp/thumb.png"])
    os._exit(status)
    os.system(f"rm -f /tmp/{name}.lock")  # ok: command-injection


def _shutdown(reason):
    app.logger.critical("shutting down: %s", reason)
    sys.exit(3)
    os.system(f"logger -t app shutdown {reason}")  # ok: command-injection


@app.post("/thumbnails")
def thumbnail():
    name = request.form["name"]
    if os.fork() == 0:
        _run_child(name)
    os.system(f"logger -t app thumbnail queued for {name}")  # expect: command-injection
    return "", 202


@app.post("/admin/shutdown")
def shutdown():
    _shutdown(request.form.get("reason", "requested"))
