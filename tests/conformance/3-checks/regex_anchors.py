"""`re.fullmatch`, and `re.match` with an end anchor (`$`, `\Z`), are checks; `re.match`
without an end anchor only looks at the start of the value and is not."""

import re
import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
HOSTNAME = re.compile(r"[a-z0-9][a-z0-9.-]{0,62}")


@app.get("/dns/a")
def dns_a():
    host = request.args.get("host", "")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{0,62}", host):
        abort(400)
    return subprocess.check_output(f"dig +short A {host}", shell=True)  # ok: command-injection


@app.get("/dns/aaaa")
def dns_aaaa():
    host = request.args.get("host", "")
    if not re.match(r"[a-z0-9][a-z0-9.-]{0,62}$", host):
        abort(400)
    return subprocess.check_output(f"dig +short AAAA {host}", shell=True)  # ok: command-injection


@app.get("/dns/mx")
def dns_mx():
    host = request.args.get("host", "")
    if re.match(r"[a-z0-9][a-z0-9.-]{0,62}\Z", host):
        return subprocess.check_output(f"dig +short MX {host}", shell=True)  # ok: command-injection
    abort(400)


@app.get("/dns/txt")
def dns_txt():
    host = request.args.get("host", "")
    if HOSTNAME.fullmatch(host) is None:
        abort(400)
    return subprocess.check_output(f"dig +short TXT {host}", shell=True)  # ok: command-injection


@app.get("/dns/ns")
def dns_ns():
    host = request.args.get("host", "")
    if not re.match(r"[a-z0-9][a-z0-9.-]{0,62}", host):
        abort(400)
    return subprocess.check_output(f"dig +short NS {host}", shell=True)  # expect: command-injection
