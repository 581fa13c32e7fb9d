"""`_run` has the shell sink; `restart` calls it with its caller's data, `reload_proxy` with
a constant. The finding's trace goes through the view that passes request data and
`restart`'s call, not through `reload_proxy`."""

import subprocess

from flask import Flask, request

app = Flask(__name__)


def _run(command):
    return subprocess.run(command, shell=True, capture_output=True)  # expect: command-injection


def restart(service):
    return _run(f"systemctl restart {service}")  # step: command-injection


def reload_proxy():
    return _run("systemctl reload nginx")  # not-step: command-injection


@app.route("/services/restart", methods=["POST"])
def restart_service():
    restart(request.form["service"])  # step: command-injection
    return "", 202


@app.route("/proxy/reload", methods=["POST"])
def reload():
    reload_proxy()  # not-step: command-injection
    subprocess.run("nginx -t", shell=True)  # ok: command-injection
    return "", 202
