"""`object.__setattr__(self, "url", v)` in a frozen dataclass's `__post_init__` stores into
that instance's field: a download built from the request reaches `requests.get`, a mirror's does not."""

from dataclasses import dataclass

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
MIRROR = "https://mirror.example.com/releases/latest.tar.gz"


@dataclass(frozen=True)
class Download:
    url: str
    label: str = ""

    def __post_init__(self):
        object.__setattr__(self, "url", self.url.strip())
        object.__setattr__(self, "label", self.label or "download")


@app.route("/fetch", methods=["POST"])
def fetch():
    wanted = Download(request.form["url"], request.form.get("label", ""))
    mirror = Download(MIRROR, wanted.label)
    body = requests.get(wanted.url, timeout=10).content  # expect: ssrf
    fallback = requests.head(mirror.url, timeout=10).status_code  # ok: ssrf
    return jsonify(size=len(body), mirror=fallback)
