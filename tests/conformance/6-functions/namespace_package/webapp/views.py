"""Namespace packages (no `__init__.py` in `services/` or `services/reports/`) resolve like
regular packages: the views' calls reach the functions defined there."""

from flask import Flask, jsonify, request
from services.reports import archive
from services.reports.render import render_chart

app = Flask(__name__)


@app.route("/reports/<name>/download")
def download(name):
    return jsonify(size=len(archive.read_report(name)))


@app.route("/reports/chart")
def chart():
    return jsonify(path=render_chart(request.args["series"]), legend=archive.read_legend("default"))
