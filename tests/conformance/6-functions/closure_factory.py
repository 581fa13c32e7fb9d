"""A closure returned by a factory binds the factory's argument: the fetcher made from a
request URL reaches `requests.get`; the loader made from a constant root does not."""

import os

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
TEMPLATE_DIR = "/srv/app/email-templates"


def make_fetcher(base_url):
    def fetch(path):
        return requests.get(base_url + path, timeout=5)  # expect: ssrf

    return fetch


def make_loader(root):
    def load(name):
        with open(os.path.join(root, name)) as handle:  # ok: path-traversal
            return handle.read()

    return load


@app.route("/partners/check", methods=["POST"])
def check_partner():
    fetch = make_fetcher(request.json["base_url"])
    load = make_loader(TEMPLATE_DIR)
    return jsonify(status=fetch("/health").status_code, template=load("partner-ok.txt"))
