"""Functions stored as values in a dict and called through it: `ACTIONS[key](host)` calls the
stored functions with the request's host; the table's function that ignores it is clean."""

import subprocess

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


def traceroute(host):
    return subprocess.check_output(f"traceroute -m 10 {host}", shell=True, text=True)  # expect: command-injection


def ping(host):
    return subprocess.check_output(f"ping -c 3 {host}", shell=True, text=True)  # expect: command-injection


def load(_host):
    return subprocess.check_output("cat /proc/loadavg", shell=True, text=True)  # ok: command-injection


ACTIONS = {"trace": traceroute, "ping": ping, "load": load}


@app.route("/netdiag/<action>")
def netdiag(action):
    if action not in ACTIONS:
        abort(404)
    return jsonify(output=ACTIONS[action](request.args["host"]))
