"""Redirects written by hand, in every framework: a `Location` (or `Refresh`) header set
on a response, HTML that sends the browser on by itself (a meta refresh, a script's
`location = …`), and a template of the tree rendered with a URL in its context that it
puts in such a place or in a link's `href`. The redirect calls themselves (`redirect`,
`HttpResponseRedirect`, `self.redirect`, `HTTPFound`) are in each framework's module.

`response.headers["Location"] = url` and Django's `response["Location"] = url` are
header writes the engine sees as such (`objects.assign_item`); a handler's returned
HTML text is read where it returns (`exits.ret`). Conditions: `conditions.html_redirect`,
`header_value_redirect`, `headers_redirect`, `template_redirect` (which parts start the
URL, and which context variables a template puts there: `refresh.py`).
"""

from secreview.python.taint.spec import Sink
from secreview.python.taint.specs.templates import RENDERS

_RULE = "open-redirect"

# responses built with a headers mapping
_HEADERS = (
    ("flask.Response", ("headers",)),
    ("flask.make_response", (1, 2)),  # make_response(body, status, headers)
    ("werkzeug.wrappers.Response", ("headers",)),
    ("django.http.HttpResponse", ("headers",)),
    ("aiohttp.web.Response", ("headers",)),
    ("aiohttp.web.StreamResponse", ("headers",)),
    ("starlette.responses.Response", ("headers",)),
    ("starlette.responses.HTMLResponse", ("headers",)),
    ("starlette.responses.PlainTextResponse", ("headers",)),
    ("fastapi.responses.Response", ("headers",)),
    ("fastapi.responses.HTMLResponse", ("headers",)),
    ("fastapi.Response", ("headers",)),
    ("webob.Response", ("headers", "headerlist")),
)

# responses whose body is HTML text the browser runs
_HTML_BODIES = (
    ("flask.make_response", (0,)),
    ("flask.Response", (0, "response")),
    ("werkzeug.wrappers.Response", (0, "response")),
    ("django.http.HttpResponse", (0, "content")),
    ("tornado.web.RequestHandler.write", (0, "chunk")),
    ("tornado.web.RequestHandler.finish", (0, "chunk")),
    ("aiohttp.web.Response", ("text", "body")),
    ("starlette.responses.HTMLResponse", (0, "content")),
    ("fastapi.responses.HTMLResponse", (0, "content")),
    ("webob.Response", ("body", "text")),
)


SINKS = (
    *(Sink(name, _RULE, args, "headers_redirect") for name, args in _HEADERS),
    *(Sink(name, _RULE, args, "html_redirect") for name, args in _HTML_BODIES),
    # a URL in a template's context that the template sends the browser to or links to
    *(Sink(name, _RULE, ("*",), "template_redirect") for name in RENDERS),
    Sink(".TemplateResponse", _RULE, ("*",), "template_redirect"),
    Sink("tornado.web.RequestHandler.set_header", _RULE, (1, "value"), "header_value_redirect"),
    Sink("tornado.web.RequestHandler.add_header", _RULE, (1, "value"), "header_value_redirect"),
)
