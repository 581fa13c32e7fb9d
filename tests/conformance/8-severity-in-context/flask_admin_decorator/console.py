"""A flow on an endpoint behind the project's `@admin_required` (a check of
`current_user.is_admin`) drops one severity step; the same flow behind `@login_required`
keeps its full severity."""

import subprocess

from auth import admin_required
from flask import Flask, request
from flask_login import login_required

app = Flask(__name__)


@app.route("/admin/db/dump", methods=["POST"])
@admin_required
def dump_database():
    name = request.form["database"]
    subprocess.run(f"pg_dump {name} > /var/backups/{name}.sql", shell=True)  # expect: command-injection  # severity: high
    return "", 202


@app.route("/admin/db/vacuum", methods=["POST"])
@admin_required
def vacuum_database():
    subprocess.run(["vacuumdb", "--dbname", request.form["database"]], check=True)  # ok: command-injection
    return "", 202


@app.route("/account/export", methods=["POST"])
@login_required
def export_account():
    fmt = request.form["format"]
    subprocess.run(f"/opt/app/export-account --format {fmt}", shell=True)  # expect: command-injection  # severity: critical
    return "", 202
