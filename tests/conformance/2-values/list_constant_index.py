"""Elements of lists and tuples under constant indexes and slices are tracked one by one:
`argv[0]` is not `argv[-1]`, `argv[:3]` holds only the first three elements."""

import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.post("/archives")
def archive():
    argv = ["tar", "czf", "/srv/exports/export.tgz", request.form["folder"]]
    subprocess.run(" ".join(argv[:3]) + " /srv/exports/empty", shell=True)  # ok: command-injection
    subprocess.run(f"which {argv[0]}", shell=True)  # ok: command-injection
    subprocess.run(f"du -sh {argv[-1]}", shell=True)  # expect: command-injection
    subprocess.run(" ".join(argv[1:]), shell=True)  # expect: command-injection
    return "", 202


@app.post("/labels")
def label():
    pair = ("nightly", request.form["label"])
    subprocess.run(f"/opt/backup/run --schedule {pair[0]}", shell=True)  # ok: command-injection
    subprocess.run(f"/opt/backup/run --label {pair[1]}", shell=True)  # expect: command-injection
    return "", 202
