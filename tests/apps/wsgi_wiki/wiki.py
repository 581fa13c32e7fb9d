"""A plain WSGI wiki: the application dispatches on the path."""

import html
from urllib.parse import parse_qs

import pages
import webhooks
from request import Request

SECTIONS = ("help", "news", "team")


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    query = parse_qs(environ.get("QUERY_STRING", ""))
    if path == "/page":
        body = pages.load(query.get("title", ["Home"])[0])
    elif path == "/search":
        body = pages.search(query.get("q", [""])[0])
    elif path == "/section":
        section = query.get("name", ["help"])[0]
        body = pages.section(section if section in SECTIONS else "help")
    elif path == "/hook":
        body = webhooks.deliver(Request(environ))
    else:
        body = "<p>Not found: " + html.escape(path) + "</p>"
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body.encode()]
