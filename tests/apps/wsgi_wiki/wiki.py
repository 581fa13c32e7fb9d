"""A plain WSGI wiki: the application dispatches on the path."""

import html
from urllib.parse import parse_qs

import markup
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
    elif path == "/history":
        body = markup.history_link(query.get("title", ["Home"])[0])
    elif path == "/rename":
        body = markup.rename_form(query.get("title", ["Home"])[0])
    elif path == "/hook":
        body = webhooks.deliver(Request(environ))
    else:
        body = "<p>Not found: " + html.escape(path) + "</p>"
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body.encode()]


def preview_app(environ, start_response):
    """The editor's live preview, mounted at /preview next to the wiki."""
    query = parse_qs(environ.get("QUERY_STRING", ""))
    body = markup.preview(query.get("text", [""])[0])
    start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
    return [body.encode()]
