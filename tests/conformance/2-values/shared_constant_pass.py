"""The taint rules and the pattern rules share one constant pass: a command whose value is a
constant on every path (the request only picks which one) is reported by neither."""

import subprocess

from flask import Flask, request

app = Flask(__name__)
BASE = "/usr/bin/uptime"


@app.get("/uptime")
def uptime():
    cmd = BASE
    if request.args.get("pretty"):
        cmd += " --pretty"
    elif request.args.get("since"):
        cmd = BASE + " --since"
    return subprocess.check_output(cmd, shell=True)  # ok: command-injection, shell-true-non-constant


@app.get("/uptime/format")
def uptime_format():
    cmd = BASE
    if request.args.get("flag"):
        cmd += " " + request.args["flag"]
    return subprocess.check_output(cmd, shell=True)  # expect: command-injection
