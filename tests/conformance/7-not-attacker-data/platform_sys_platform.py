"""A flow reachable only on Windows (`sys.platform == "win32"`) is reported at lower
confidence; the branch every other platform takes keeps the full confidence."""

import os
import sys

from flask import Flask, request, send_file

app = Flask(__name__)
LOG_ROOTS = {"win32": r"C:\ProgramData\agent\logs", "linux": "/var/log/agent"}


@app.route("/logs/download")
def download_log():
    name = request.args["name"]
    if sys.platform == "win32":
        path = os.path.join(LOG_ROOTS["win32"], name)
        return send_file(path)  # expect: path-traversal  # confidence: medium
    return send_file(os.path.join(LOG_ROOTS["linux"], name))  # expect: path-traversal  # confidence: high


@app.route("/logs/latest")
def latest_log():
    if sys.platform == "win32":
        return send_file(os.path.join(LOG_ROOTS["win32"], "agent.log"))  # ok: path-traversal
    return send_file(os.path.join(LOG_ROOTS["linux"], os.path.basename(request.args["name"])))  # ok: path-traversal
