"""`while … else`: the `else` block runs when the condition turns false without a `break`;
if it leaves the function, only the `break` path (where the check held) goes on."""

import os

from flask import Flask, abort, request, send_file

app = Flask(__name__)
LOG_DIR = "/var/log/myapp"
LOG_FILES = ("access.log", "error.log", "worker.log")


@app.get("/logs")
def download_log():
    name = request.args.get("file", "")
    index = 0
    while index < len(LOG_FILES):
        if LOG_FILES[index] == name:
            break
        index += 1
    else:
        abort(404)
    return send_file(os.path.join(LOG_DIR, name))  # ok: path-traversal


@app.get("/logs/tail")
def tail_log():
    name = request.args.get("file", "")
    index = 0
    while index < len(LOG_FILES):
        if LOG_FILES[index] == name:
            break
        index += 1
    else:
        app.logger.warning("tail of an unlisted log file")
    return send_file(os.path.join(LOG_DIR, name))  # expect: path-traversal
