"""The protection follows the checked value through assignments (a copy, a string built from
it); a variable re-read from the request after the check is not protected."""

import subprocess

from flask import Flask, abort, request

app = Flask(__name__)
INTERFACES = ("eth0", "eth1", "wg0")


@app.get("/net/stats")
def net_stats():
    iface = request.args.get("iface", "eth0")
    if iface not in INTERFACES:
        abort(400)
    device = iface
    path = f"/sys/class/net/{device}/statistics"
    return subprocess.check_output(f"cat {path}/rx_bytes {path}/tx_bytes", shell=True)  # ok: command-injection


@app.get("/net/addr")
def net_addr():
    iface = request.args.get("iface", "eth0")
    if iface not in INTERFACES:
        abort(400)
    device = iface
    if request.args.get("peer"):
        device = request.args["peer"]
    return subprocess.check_output(f"ip -brief addr show {device}", shell=True)  # expect: command-injection
