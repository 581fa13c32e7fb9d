"""A project helper that keeps only an allow-listed set of characters clears shell and path
sinks; one whose allow-list keeps `.` and `/` does not clear path-traversal."""

import os
import re
import string
import subprocess

from flask import Flask, request, send_file

app = Flask(__name__)
SLUG_CHARS = frozenset(string.ascii_lowercase + string.digits + "-_")
REPORTS = "/srv/reports"


def slugify(value):
    return "".join(ch for ch in value.lower() if ch in SLUG_CHARS)


def only_word_chars(value):
    return re.sub(r"[^A-Za-z0-9_]", "", value)


def tidy_path(value):
    return re.sub(r"[^A-Za-z0-9_./-]", "", value)


@app.route("/reports/<name>/build", methods=["POST"])
def build(name):
    slug = slugify(name)
    subprocess.run(f"make -C /srv/reports/src out/{slug}.pdf", shell=True)  # ok: command-injection
    return send_file(os.path.join(REPORTS, slug + ".pdf"))  # ok: path-traversal


@app.route("/reports/archive", methods=["POST"])
def archive():
    label = only_word_chars(request.form["label"])
    subprocess.run(f"tar czf /srv/archive/{label}.tgz -C {REPORTS} .", shell=True)  # ok: command-injection
    return "", 202


@app.route("/reports/file")
def report_file():
    return send_file(os.path.join(REPORTS, tidy_path(request.args["path"])))  # expect: path-traversal


@app.route("/reports/raw-build", methods=["POST"])
def raw_build():
    subprocess.run(f"make -C /srv/reports/src out/{request.form['target']}", shell=True)  # expect: command-injection
    return "", 202
