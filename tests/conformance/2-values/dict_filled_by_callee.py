"""A dict filled by a callee under constant keys (`ctx["user"] = ...`) holds each value under
its own key at the caller, next to the constants the caller put there itself."""

import subprocess

from flask import Flask, request

app = Flask(__name__)


def add_request_fields(ctx, req):
    ctx["user"] = req.form.get("user", "")
    ctx["retries"] = 3


@app.post("/mailboxes")
def create_mailbox():
    ctx = {"tool": "/usr/sbin/postmap", "table": "/etc/postfix/virtual"}
    add_request_fields(ctx, request)
    subprocess.run(f"{ctx['tool']} {ctx['table']}", shell=True)  # ok: command-injection
    subprocess.run(f"logger -t mailbox retries={ctx['retries']}", shell=True)  # ok: command-injection
    subprocess.run(f"/usr/local/bin/add-mailbox {ctx['user']}", shell=True)  # expect: command-injection
    return "", 201
