"""Types returned by factories of other modules: a requests.Session and a tree class,
whose methods resolve where the factories are called."""

import clients
import storage
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/feeds/fetch")
def fetch_feed():
    http = clients.build_session()
    body = http.get(request.args["url"], timeout=10).text  # expect: ssrf
    return jsonify(size=len(body))


@app.route("/feeds/cached")
def cached_feed():
    store = storage.default_store()
    body = store.read(request.args["key"])
    preview = storage.preview_store()
    return jsonify(body=body, sample=preview.read("sample.xml"))
