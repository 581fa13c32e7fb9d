"""Outbound HTTP: one shared session with the service's User-Agent."""

import requests

USER_AGENT = "feedreader/2.3 (+https://feeds.example.com/bot)"


def build_session():
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    return session
