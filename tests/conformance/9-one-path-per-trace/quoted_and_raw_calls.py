"""A view calls a shell helper twice with the same request value, once quoted with
`shlex.quote` and once raw: the finding's trace is the raw call's path, never the quoted
call's (which is not a path to the vulnerability)."""

import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)


def grep_logs(pattern, log_file):
    cmd = f"grep -c {pattern} /var/log/app/{log_file}"
    return subprocess.run(cmd, shell=True, capture_output=True).stdout  # expect: command-injection


@app.route("/logs/count")
def count():
    pattern = request.args["pattern"]
    quoted = grep_logs(shlex.quote(pattern), "app.log")  # not-step: command-injection
    rotated = grep_logs("-e ERROR", request.args["file"])  # step: command-injection
    return {"current": quoted.decode(), "rotated": rotated.decode()}


@app.route("/logs/errors")
def errors():
    return subprocess.run("grep -c ERROR /var/log/app/app.log", shell=True).stdout  # ok: command-injection
