"""A closure that captures a handler's local reads what that local holds: the callback over
the request's branch name runs attacker input; the one over a constant remote does not."""

import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)
REPO = "/srv/git/site"


@app.route("/deploy", methods=["POST"])
def deploy():
    branch = request.form["branch"]
    remote = "origin"

    def fetch():
        return subprocess.run(f"git -C {REPO} fetch {remote}", shell=True, check=True)  # ok: command-injection

    def checkout():
        return subprocess.run(f"git -C {REPO} checkout {branch}", shell=True, check=True)  # expect: command-injection

    steps = [fetch, checkout]
    for step in steps:
        step()
    return jsonify(deployed=True)
