"""`break` leaves the loop, not the function: the code after the loop runs, and there the
loop variable may be the value that failed the check."""

import os

from flask import Flask, request, send_file

app = Flask(__name__)
REPORT_DIR = "/srv/reports"
REPORTS = {"daily.csv", "weekly.csv", "monthly.csv"}


@app.post("/reports/bundle")
def bundle():
    names = request.form.getlist("report")
    sizes = {}
    for name in names:
        if name not in REPORTS:
            break
        with open(os.path.join(REPORT_DIR, name), "rb") as report:  # ok: path-traversal
            sizes[name] = len(report.read())
    return send_file(os.path.join(REPORT_DIR, name))  # expect: path-traversal
