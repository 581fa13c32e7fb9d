"""`normalize` returns its argument: caller A passes request data and logs the result,
caller B passes a constant and runs the result in a shell. B's sink is not reported, and
A's trace does not pass through B's lines."""

import logging
import subprocess

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("search")
DISK_REPORT = "df -h /srv"


def normalize(text):
    return text.strip().lower()


@app.route("/search")
def search():
    term = normalize(request.args.get("q", ""))  # step: log-injection
    log.info("search: " + term)  # expect: log-injection
    return "", 204


@app.route("/health/disk")
def disk():
    command = normalize(DISK_REPORT)  # not-step: log-injection, command-injection
    return subprocess.check_output(command, shell=True)  # ok: command-injection
