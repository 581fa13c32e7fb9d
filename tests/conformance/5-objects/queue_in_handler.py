"""`queue.put(v)` then `queue.get()`: what comes out of a queue is what went in, so a crawl
seeded from the request reaches `requests.get`; a queue seeded with constants does not."""

import queue

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
HEALTH_ENDPOINTS = ("https://api.example.com/healthz", "https://cdn.example.com/healthz")


@app.route("/crawl", methods=["POST"])
def crawl():
    pending = queue.Queue()
    pending.put(request.json["start_url"])
    sizes = {}
    while not pending.empty() and len(sizes) < 20:
        url = pending.get()
        sizes[url] = len(requests.get(url, timeout=5).content)  # expect: ssrf
    return jsonify(sizes)


@app.route("/health")
def health():
    checks = queue.Queue()
    for endpoint in HEALTH_ENDPOINTS:
        checks.put(endpoint)
    status = {}
    while not checks.empty():
        endpoint = checks.get()
        status[endpoint] = requests.get(endpoint, timeout=2).status_code  # ok: ssrf
    return jsonify(status)
