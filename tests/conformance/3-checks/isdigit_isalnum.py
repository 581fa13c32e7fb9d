"""`x.isdigit()` and `x.isalnum()` are checks (no quote, space or separator passes them);
`isprintable()` and `isascii()` look alike but let shell metacharacters through."""

import subprocess

from flask import Flask, abort, request

app = Flask(__name__)


@app.get("/processes")
def process_info():
    pid = request.args.get("pid", "")
    if not pid.isdigit():
        abort(400)
    return subprocess.check_output(f"ps -o pid,etime,cmd -p {pid}", shell=True)  # ok: command-injection


@app.get("/users/groups")
def user_groups():
    user = request.args.get("user", "")
    if user.isalnum():
        return subprocess.check_output(f"id -Gn {user}", shell=True)  # ok: command-injection
    abort(400)


@app.get("/users/home")
def user_home():
    user = request.args.get("user", "")
    if not user.isprintable() or not user.isascii():
        abort(400)
    return subprocess.check_output(f"getent passwd {user} | cut -d: -f6", shell=True)  # expect: command-injection
