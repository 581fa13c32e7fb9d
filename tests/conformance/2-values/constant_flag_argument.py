"""A helper that does something dangerous only under a flag: a caller that passes the flag
as a constant that rules the branch out (or leaves it at a default that does) does not
reach it; a caller passing the value that takes the branch, or a flag from the request,
does. The same for `None` tests and for a test that returns early. (A finding is one per
sink: each helper below has its own callers.)"""

import os
import shutil
import subprocess

from flask import Flask, request

app = Flask(__name__)
EXPORTS = "/srv/reports/exports"


def sync_report(name, remote=False):
    if remote:
        subprocess.run(f"rsync -a {EXPORTS}/{name} backup:/reports/", shell=True)  # ok: command-injection
    return name


def mirror_report(name, remote=False):
    if remote:
        subprocess.run(f"rsync -a {EXPORTS}/{name} mirror:/reports/", shell=True)  # expect: command-injection
    return name


@app.route("/reports/<name>/sync")
def sync(name):
    sync_report(name)
    return sync_report(name, remote=False)


@app.route("/reports/<name>/mirror")
def mirror(name):
    mirror_report(name)
    return mirror_report(name, remote=True)


def discard_upload(path, dry_run=True):
    if dry_run:
        return False
    os.remove(path)  # ok: path-traversal
    return True


def discard_export(path, dry_run=True):
    if dry_run:
        return False
    os.remove(path)  # expect: path-traversal
    return True


@app.route("/uploads/preview-discard")
def preview_discard():
    discard_upload(request.args["path"])
    return discard_upload(request.args["path"], True) and "ok"


@app.route("/exports/discard")
def discard():
    return discard_export(request.args["path"], request.args.get("dry") == "1") and "ok"


def archive_daily(name, target=None):
    if target is not None:
        shutil.copy(os.path.join(EXPORTS, name), target)  # ok: path-traversal
    return name


def archive_weekly(name, target=None):
    if target is None:
        return None
    shutil.copy(os.path.join(EXPORTS, name), target)  # expect: path-traversal
    return name


@app.route("/reports/<name>/archive-daily")
def archive_daily_view(name):
    return archive_daily(request.args["label"]) or archive_daily(request.args["label"], None)


@app.route("/reports/<name>/archive-weekly")
def archive_weekly_view(name):
    return archive_weekly(request.args["label"], "/srv/backup/weekly")


def run_export(name, shell):
    if not shell:
        return subprocess.run(["export-report", name], check=True)
    return subprocess.run("export-report " + name, shell=True)  # ok: command-injection


def export_checked(name, enabled):
    if enabled:
        run_export(name, False)  # the caller's own flag: the call is made only when it is set


@app.route("/reports/<name>/export")
def export(name):
    export_checked(name, True)
    return run_export(name, shell=False) and "ok"
