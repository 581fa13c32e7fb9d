"""A factory returns an `httpx.Client`: `.get(url)` on its result is a request sink; `.get`
on an instance of a tree class returned by another factory is not."""

import httpx
from flask import Flask, jsonify, request

app = Flask(__name__)


class RateTable:
    """Exchange rates loaded once at start-up."""

    def __init__(self, rates):
        self._rates = dict(rates)

    def get(self, currency):
        return self._rates.get(currency.upper(), 1.0)


_rates = RateTable({"EUR": 1.0, "USD": 1.08, "GBP": 0.85})


def http_client():
    return httpx.Client(timeout=5.0, follow_redirects=False)


def rate_table():
    return _rates


@app.route("/preview")
def link_preview():
    client = http_client()
    page = client.get(request.args["url"])  # expect: ssrf
    return jsonify(status=page.status_code, length=len(page.content))


@app.route("/convert")
def convert():
    table = rate_table()
    rate = table.get(request.args["currency"])  # ok: ssrf
    return jsonify(rate=rate)
