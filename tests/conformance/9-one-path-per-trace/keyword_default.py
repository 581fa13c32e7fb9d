"""`api_url` has a default base; one caller overrides it with request data (reported where
the URL is fetched, through that call), the other keeps the default (not reported)."""

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
API_BASE = "https://api.internal.example.com"


def api_url(path, base=API_BASE):
    return base.rstrip("/") + path


@app.route("/mirror/users")
def mirror_users():
    url = api_url("/users", base=request.args["mirror"])  # step: ssrf
    return jsonify(requests.get(url, timeout=5).json())  # expect: ssrf


@app.route("/users")
def users():
    url = api_url("/users")  # not-step: ssrf
    return jsonify(requests.get(url, timeout=5).json())  # ok: ssrf
