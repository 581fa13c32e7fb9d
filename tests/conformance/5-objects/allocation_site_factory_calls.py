"""Two objects built by the same factory for different callers are not mixed: the client
whose base URL came from the request reaches `requests.get`, the one built from config does not."""

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
BILLING_API = "https://billing.internal.example.com"


class ApiClient:
    def __init__(self, base_url, timeout):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def url(self, path):
        return f"{self.base_url}/{path.lstrip('/')}"


def make_client(base_url):
    return ApiClient(base_url, timeout=5)


@app.route("/integrations/verify", methods=["POST"])
def verify_integration():
    partner = make_client(request.json["endpoint"])
    billing = make_client(BILLING_API)
    ping = requests.get(partner.url("/ping"), timeout=partner.timeout)  # expect: ssrf
    plan = requests.get(billing.url("/plans/current"), timeout=billing.timeout)  # ok: ssrf
    return jsonify(partner=ping.status_code, plan=plan.json())
