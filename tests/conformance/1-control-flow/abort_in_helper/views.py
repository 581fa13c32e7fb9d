"""A helper that always aborts (`deny`) ends the path that calls it, as `abort()` itself
does; a helper that returns (`note`) does not."""

import subprocess

from flask import Flask, request

from errors import deny, note

app = Flask(__name__)
CHANNELS = {"stable", "beta"}


@app.post("/update")
def update():
    channel = request.form.get("channel", "stable")
    if channel not in CHANNELS:
        deny("unknown channel")
    subprocess.run(f"/opt/app/update --channel {channel}", shell=True)  # ok: command-injection
    return "", 202


@app.post("/update/check")
def check():
    channel = request.form.get("channel", "stable")
    if channel not in CHANNELS:
        note("unknown channel")
    subprocess.run(f"/opt/app/update --check --channel {channel}", shell=True)  # expect: command-injection
    return "", 200
