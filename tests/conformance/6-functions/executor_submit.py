"""Functions handed to an executor are called with the arguments given alongside them:
`pool.submit(f, x)` and `pool.map(f, xs)` with request data reach `f`; constants do not."""

from concurrent.futures import ThreadPoolExecutor

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
pool = ThreadPoolExecutor(max_workers=8)
MIRRORS = ("https://mirror-a.example.com/ping", "https://mirror-b.example.com/ping")


def fetch_size(url):
    return len(requests.get(url, timeout=5).content)  # expect: ssrf


def check_mirror(url):
    return requests.head(url, timeout=2).status_code  # ok: ssrf


def resolve_icon(url):
    return requests.get(url, timeout=5).headers.get("Content-Type")  # expect: ssrf


@app.route("/bookmarks/import", methods=["POST"])
def import_bookmarks():
    urls = request.json["urls"]
    sizes = list(pool.map(fetch_size, urls))
    mirrors = list(pool.map(check_mirror, MIRRORS))
    icon = pool.submit(resolve_icon, request.json["icon"]).result()
    return jsonify(sizes=sizes, mirrors=mirrors, icon=icon)
