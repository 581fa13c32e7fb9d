"""`split_address` returns a (host, port) pair: one caller passes request data and logs the
host, the other passes a configured address and runs a shell command with it."""

import logging
import subprocess

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("relay")
UPSTREAM = "mail.internal:25"


def split_address(address):
    host, _, port = address.partition(":")
    return host, port or "25"


@app.route("/relay/test", methods=["POST"])
def relay_test():
    host, port = split_address(request.form["address"])  # step: log-injection
    log.warning("relay test against " + host + " port " + port)  # expect: log-injection
    return "", 202


@app.route("/relay/upstream")
def relay_upstream():
    host, port = split_address(UPSTREAM)  # not-step: log-injection
    return subprocess.check_output(f"nc -z -w 2 {host} {port}", shell=True)  # ok: command-injection
