"""The branch where a check failed keeps the taint: the `else` of `re.fullmatch`, of
`isdigit()` and of an equality, and the code after an `if` whose passing branch does not leave."""

import re
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.get("/certs")
def cert_info():
    domain = request.args.get("domain", "")
    if re.fullmatch(r"[a-z0-9.-]+", domain):
        out = subprocess.check_output(f"certbot certificates -d {domain}", shell=True)  # ok: command-injection
    else:
        out = subprocess.check_output(f"certbot certificates -d '{domain}'", shell=True)  # expect: command-injection
    return out


@app.get("/certs/renew")
def renew():
    days = request.args.get("days", "30")
    if days.isdigit():
        subprocess.run(f"certbot renew --days {days}", shell=True)  # ok: command-injection
    subprocess.run(f"logger -t certs renew requested for {days} days", shell=True)  # expect: command-injection
    return "", 202


@app.get("/certs/revoke")
def revoke():
    reason = request.args.get("reason", "unspecified")
    if reason == "keycompromise":
        subprocess.run(f"certbot revoke --reason {reason}", shell=True)  # ok: command-injection
    else:
        subprocess.run(f"certbot revoke --reason {reason} --non-interactive", shell=True)  # expect: command-injection
    return "", 202
