"""This blueprint's hook checks nothing: its flows keep their full severity."""

import subprocess

from flask import Blueprint, request

reports_bp = Blueprint("reports", __name__)


@reports_bp.route("/reports/render", methods=["POST"])
def render():
    name = request.form["name"]
    subprocess.run(f"render-report {name}", shell=True)  # expect: command-injection  # severity: critical
    subprocess.run(["render-report", name], check=True)  # ok: command-injection
    return "", 202
