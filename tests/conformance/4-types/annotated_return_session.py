"""A return annotation types the call's result: `outbound() -> requests.Session` makes `.get`
on what it returns a request sink, though its body returns an untyped value."""

import requests
from flask import Flask, g, jsonify, request

app = Flask(__name__)
STATUS_URL = "https://status.example.com/api/v2/summary.json"


def outbound() -> requests.Session:
    return g.outbound_session


@app.before_request
def open_session():
    g.outbound_session = requests.Session()


@app.route("/webhooks/test", methods=["POST"])
def test_webhook():
    http = outbound()
    reply = http.post(request.json["callback_url"], json={"event": "ping"}, timeout=5)  # expect: ssrf
    return jsonify(status=reply.status_code)


@app.route("/status")
def status():
    http = outbound()
    reply = http.get(STATUS_URL, params={"component": request.args.get("component")}, timeout=5)  # ok: ssrf
    return jsonify(reply.json())
