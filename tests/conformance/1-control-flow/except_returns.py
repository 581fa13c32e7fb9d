"""A check made inside `try`, whose `except` returns: the handler does not carry the
unchecked value past itself."""

import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
ALLOWED = {"status", "uptime"}


@app.route("/probe")
def probe():
    name = request.args.get("name", "")
    try:
        if name not in ALLOWED:
            raise ValueError(name)
    except ValueError:
        abort(400)
    return subprocess.check_output(f"/usr/local/bin/{name}", shell=True)  # ok: command-injection


@app.route("/probe-unchecked")
def probe_unchecked():
    name = request.args.get("name", "")
    try:
        int(name)
    except ValueError:
        pass
    return subprocess.check_output(f"/usr/local/bin/{name}", shell=True)  # expect: command-injection
