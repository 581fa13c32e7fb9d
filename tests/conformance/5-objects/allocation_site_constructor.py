"""Two instances of one class built in the same handler keep their own fields: the probe
built from the request pings attacker input, the gateway built from a constant does not."""

import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)
DEFAULT_GATEWAY = "10.0.0.1"


class PingTarget:
    def __init__(self, host, count=3):
        self.host = host
        self.count = count

    def command(self):
        return f"ping -c {self.count} {self.host}"


@app.route("/diagnostics/ping")
def ping():
    probe = PingTarget(request.args["host"])
    gateway = PingTarget(DEFAULT_GATEWAY, count=1)  # not-step: command-injection
    first = subprocess.run(gateway.command(), shell=True, capture_output=True)  # ok: command-injection
    second = subprocess.run(probe.command(), shell=True, capture_output=True)  # expect: command-injection
    return jsonify(gateway=first.returncode, target=second.stdout.decode())
