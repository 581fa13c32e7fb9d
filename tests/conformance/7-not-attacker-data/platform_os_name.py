"""A flow reachable only under `if os.name == "nt":` is reported at lower confidence than the
same flow on every platform."""

import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/workspace/open", methods=["POST"])
def open_workspace():
    folder = request.form["folder"]
    if os.name == "nt":
        subprocess.run(f'explorer "{folder}"', shell=True)  # expect: command-injection  # confidence: medium
    else:
        subprocess.run(["xdg-open", folder], check=False)  # ok: command-injection
    return "", 204


@app.route("/workspace/archive", methods=["POST"])
def archive_workspace():
    folder = request.form["folder"]
    if os.name != "nt":
        return "", 404
    return subprocess.check_output(f'tar -a -cf ws.zip "{folder}"', shell=True)  # expect: command-injection  # confidence: medium


@app.route("/workspace/size", methods=["POST"])
def workspace_size():
    folder = request.form["folder"]
    out = subprocess.check_output(f"du -sh {folder}", shell=True)  # expect: command-injection  # confidence: high
    return out
