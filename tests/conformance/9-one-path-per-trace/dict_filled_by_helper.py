"""A helper fills the dict its caller passes in: one caller's dict gets request data (and
is logged), the other's gets constants (and goes into a shell command)."""

import logging
import subprocess

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("backup")


def apply_label(options, label):
    options["label"] = label.strip()


@app.route("/backup/label", methods=["POST"])
def label_backup():
    options = {}
    apply_label(options, request.form["label"])  # step: log-injection
    log.info("label set to " + options["label"])  # expect: log-injection
    return "", 204


@app.route("/backup/nightly", methods=["POST"])
def nightly_backup():
    options = {}
    apply_label(options, "nightly")  # not-step: log-injection
    subprocess.run(f"/opt/backup/run --label {options['label']}", shell=True)  # ok: command-injection
    return "", 202
