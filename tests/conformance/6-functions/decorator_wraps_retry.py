"""A `functools.wraps` decorator returns a wrapper that calls the decorated function with the
caller's arguments: request data given to `fetch_avatar` reaches its body through the wrapper."""

import functools
import time

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
RATES_URL = "https://rates.example.com/v1/latest"


def retry(times):
    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for attempt in range(times):
                try:
                    return fn(*args, **kwargs)
                except requests.ConnectionError:
                    time.sleep(2**attempt)
            raise RuntimeError(f"{fn.__name__} failed after {times} attempts")

        return wrapper

    return decorate


@retry(3)
def fetch_avatar(url, size=128):
    return requests.get(url, params={"s": size}, timeout=5).content  # expect: ssrf


@retry(5)
def fetch_rates(currency):
    return requests.get(RATES_URL, params={"base": currency}, timeout=5).json()  # ok: ssrf


@app.route("/profile/avatar", methods=["POST"])
def set_avatar():
    image = fetch_avatar(request.json["avatar_url"], size=256)
    rates = fetch_rates(request.json.get("currency", "EUR"))
    return jsonify(bytes=len(image), rates=rates)
