"""A file built in memory (`io.BytesIO`, `io.StringIO`) names no file: sending it is no
path-traversal, whatever the request chose of its content or its download name; sending
a path the request chose is."""

import csv
import io
import json
import os

from flask import Flask, request, send_file

app = Flask(__name__)
EXPORTS = "/srv/exports"


def rows_as_json(rows):
    return io.BytesIO(json.dumps(rows).encode("utf-8"))


@app.route("/projects/<project>/export.<fmt>")
def export(project, fmt):
    rows = [{"project": project, "format": fmt}]
    return send_file(rows_as_json(rows), download_name=f"{project}.{fmt}")  # ok: path-traversal


@app.route("/projects/<project>/export.csv")
def export_csv(project):
    buffer = io.StringIO()
    csv.writer(buffer).writerow([project, request.args.get("note", "")])
    payload = io.BytesIO(buffer.getvalue().encode())
    return send_file(payload, mimetype="text/csv")  # ok: path-traversal


@app.route("/projects/<project>/archive")
def archive(project):
    return send_file(os.path.join(EXPORTS, request.args["name"]))  # expect: path-traversal
