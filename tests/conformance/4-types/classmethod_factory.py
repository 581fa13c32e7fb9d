"""An alternate constructor (`@classmethod` returning `cls(...)`) gives its result the class:
`fetcher.fetch(url)` resolves to that class's method, not another class's `fetch`."""

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
SETTINGS = {"timeout": 5, "user_agent": "unfurl/1.0"}
MIRROR = "https://mirror.example.com/robots.txt"


class PageFetcher:
    def __init__(self, timeout, user_agent):
        self.timeout = timeout
        self.headers = {"User-Agent": user_agent}

    @classmethod
    def from_settings(cls, settings):
        return cls(settings["timeout"], settings["user_agent"])

    def fetch(self, url):
        return requests.get(url, headers=self.headers, timeout=self.timeout).text  # expect: ssrf


class MirrorFetcher:
    def fetch(self, url):
        return requests.get(url, timeout=30).text  # ok: ssrf

    def robots(self):
        return self.fetch(MIRROR)


@app.route("/unfurl")
def unfurl():
    fetcher = PageFetcher.from_settings(SETTINGS)
    html = fetcher.fetch(request.args["url"])
    return jsonify(title=html[:200], robots=MirrorFetcher().robots()[:200])
