"""`for … else`: the `else` block runs only when the loop did not `break`. When it aborts,
the code after the loop is reached only through the `break` taken on an equal constant."""

import requests
from flask import Flask, abort, request

app = Flask(__name__)
PARTNER_HOSTS = ("api.partner-one.example", "hooks.partner-two.example")


@app.post("/webhooks/ping")
def ping_partner():
    host = request.form.get("host", "")
    for partner in PARTNER_HOSTS:
        if host == partner:
            break
    else:
        abort(400)
    return requests.get(f"https://{host}/ping", timeout=5).text  # ok: ssrf


@app.post("/webhooks/probe")
def probe_partner():
    host = request.form.get("host", "")
    for partner in PARTNER_HOSTS:
        if host == partner:
            break
    else:
        app.logger.info("probing a host that is not a partner")
    return requests.get(f"https://{host}/ping", timeout=5).text  # expect: ssrf
