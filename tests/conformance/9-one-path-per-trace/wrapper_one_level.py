"""A wrapper calls a helper with a sink on behalf of two callers that disagree (request
data and a constant): the summary is context-sensitive one call level deep, and the trace
goes through the tainted caller and the wrapper only."""

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
STATUS_PAGE = "https://status.example.com/api/v2/summary.json"


def fetch(url):
    return requests.get(url, timeout=5)  # expect: ssrf


def fetch_json(url):
    answer = fetch(url)  # step: ssrf
    return answer.json()


@app.route("/preview")
def preview():
    return jsonify(fetch_json(request.args["url"]))  # step: ssrf


@app.route("/status")
def status():
    return jsonify(fetch_json(STATUS_PAGE))  # not-step: ssrf


@app.route("/status/raw")
def status_raw():
    return requests.get(STATUS_PAGE, timeout=5).text  # ok: ssrf
