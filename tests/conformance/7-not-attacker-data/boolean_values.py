"""Booleans computed from request data (comparisons, membership, `any`) are not attacker
data in a shell command; the compared text itself is."""

import subprocess

from flask import Flask, request

app = Flask(__name__)
KNOWN_TARGETS = ("db", "media", "config")


@app.route("/backup", methods=["POST"])
def backup():
    form = request.form
    verbose = form.get("verbose", "") == "yes"
    incremental = "incremental" in form.getlist("options")
    remote = any(opt.startswith("remote") for opt in form.getlist("options"))
    flags = f"--verbose={verbose} --incremental={incremental} --remote={remote}"
    subprocess.run(f"/opt/backup/run.sh {flags}", shell=True)  # ok: command-injection
    known = form["target"] in KNOWN_TARGETS
    subprocess.run(f"/opt/backup/check.sh --known={known}", shell=True)  # ok: command-injection
    subprocess.run(f"/opt/backup/run.sh --target={form['target']}", shell=True)  # expect: command-injection
    return "", 202


@app.route("/restore", methods=["POST"])
def restore():
    dry_run = request.args.get("dry_run") != "0"
    label = request.args.get("label", "latest")
    subprocess.run(f"/opt/backup/restore.sh --dry-run={dry_run}", shell=True)  # ok: command-injection
    subprocess.run(f"/opt/backup/restore.sh --label={label}", shell=True)  # expect: command-injection
    return "", 202
