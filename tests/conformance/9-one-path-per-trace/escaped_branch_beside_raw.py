"""A WSGI application whose body comes from one of two branches: the preview branch writes the
client's text raw, the not-found branch escapes the path. Both read the same environ, so the
body holds the environ's data safe for HTML on one path only: the finding's trace is the raw
path, never the escaped one."""

import html
from urllib.parse import parse_qs


def preview(text):
    return "<p>{}</p>".format(text)  # step: xss


def application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    query = parse_qs(environ.get("QUERY_STRING", ""))  # step: xss
    if path == "/preview":
        body = preview(query.get("text", [""])[0])  # step: xss
    else:
        body = "<p>Not found: " + html.escape(path) + "</p>"  # not-step: xss
    start_response("200 OK", [("Content-Type", "text/html")])
    return [body.encode()]  # expect: xss


def not_found_application(environ, start_response):
    path = environ.get("PATH_INFO", "/")
    if path.startswith("/static/"):
        body = "<p>Moved: " + html.escape(path[8:]) + "</p>"
    else:
        body = "<p>Not found: " + html.escape(path) + "</p>"
    start_response("404 Not Found", [("Content-Type", "text/html")])
    return [body.encode()]  # ok: xss
