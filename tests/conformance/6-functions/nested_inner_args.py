"""A nested function binds its own arguments: `run(request data)` inside one handler flows
into that `run`'s parameter; another handler's nested `run`, called with a constant, is clean."""

import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/tools/dig")
def dig():
    def run(name):
        out = subprocess.run(f"dig +short {name}", shell=True, capture_output=True, text=True)  # expect: command-injection
        return out.stdout.splitlines()

    return jsonify(run(request.args["domain"]))


@app.route("/tools/resolvers")
def resolvers():
    def run(name):
        out = subprocess.run(f"dig +short {name}", shell=True, capture_output=True, text=True)  # ok: command-injection
        return out.stdout.splitlines()

    verbose = request.args.get("verbose") == "1"
    return jsonify(run("resolver.example.com") if verbose else run("ns1.example.com"))
