"""Two `Target` objects in one view, one from request data and one from a constant: each
keeps its own field, so the constant one's shell command is not reported and the trace of
the logged one goes through its own constructor call only."""

import logging
import subprocess

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("netcheck")
GATEWAY = "10.0.0.1"


class Target:
    def __init__(self, host):
        self.host = host

    def ping_command(self):
        return f"ping -c 1 -W 2 {self.host}"


@app.route("/netcheck")
def netcheck():
    wanted = Target(request.args["host"])  # step: log-injection
    gateway = Target(GATEWAY)  # not-step: log-injection
    log.info("netcheck for " + wanted.host)  # expect: log-injection
    reachable = subprocess.run(gateway.ping_command(), shell=True).returncode == 0  # ok: command-injection
    return {"gateway": reachable}
