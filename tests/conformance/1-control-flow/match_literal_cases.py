"""`match`/`case` on a request value: inside a case of literal patterns the subject is one of
those literals; in the wildcard or capture case it is still attacker data."""

import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/export")
def export():
    fmt = request.args.get("format", "csv")
    match fmt:
        case "csv" | "tsv":
            out = subprocess.check_output(f"/opt/export/run --format {fmt}", shell=True)  # ok: command-injection
        case "xlsx":
            out = subprocess.check_output(f"/opt/export/run --format {fmt} --binary", shell=True)  # ok: command-injection
        case other:
            out = subprocess.check_output(f"/opt/export/convert --to {other}", shell=True)  # expect: command-injection
    return out


@app.get("/export/legacy")
def export_legacy():
    fmt = request.args.get("format", "csv")
    match fmt:
        case "csv" | "tsv" | "xlsx":
            pass
        case _:
            return "unsupported format", 400
    return subprocess.check_output(f"/opt/export/run --format {fmt}", shell=True)  # ok: command-injection
