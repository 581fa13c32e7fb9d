"""A dict a call made, then filled by the view: what `update` and `setdefault` put in it is
in it, under the keys they name or, for a mapping of unknown keys, under every key."""

import subprocess

from flask import Flask, request

app = Flask(__name__)


def default_options():
    return {"format": "tar", "level": "6"}


@app.route("/backup/custom", methods=["POST"])
def custom_backup():
    options = default_options()
    options["target"] = "/srv/backup"
    options.update(request.form)
    subprocess.run(f"tar -c /srv/data -f {options['target']}.{options['format']}", shell=True)  # expect: command-injection
    return "", 202


@app.route("/backup/level", methods=["POST"])
def level_backup():
    options = default_options()
    options["target"] = "/srv/backup"
    options.setdefault("level", request.form["level"])
    subprocess.run(f"gzip -{options['level']} {options['target']}.tar", shell=True)  # expect: command-injection
    return "", 202


@app.route("/backup/nightly", methods=["POST"])
def nightly_backup():
    options = default_options()
    options["target"] = "/srv/backup"
    options.setdefault("comment", request.form.get("comment", ""))
    subprocess.run(f"tar -c /srv/data -f {options['target']}.{options['format']}", shell=True)  # ok: command-injection
    return "", 202
