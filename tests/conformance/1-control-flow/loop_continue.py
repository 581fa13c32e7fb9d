"""`continue` ends one iteration only: what the loop collects after the check is checked,
what it collects before the `continue` is not."""

import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)
PACKAGES = {"nginx", "redis-server", "postgresql-16"}


@app.post("/packages/upgrade")
def upgrade():
    accepted, rejected = [], []
    for package in request.json.get("packages", []):
        if package not in PACKAGES:
            rejected.append(package)
            continue
        accepted.append(package)
    subprocess.run("apt-get install -y " + " ".join(accepted), shell=True)  # ok: command-injection
    subprocess.run("logger rejected: " + " ".join(rejected), shell=True)  # expect: command-injection
    return jsonify(accepted=accepted)
