"""Tornado request handlers, and its HTTP clients (server-side request forgery)."""

from secreview.python.taint.spec import ALL, Handler, Sanitizer, Sink, Source

_F = frozenset

# a handler's methods that read the request's arguments
_ARGUMENTS = (
    "get_argument",
    "get_arguments",
    "get_query_argument",
    "get_query_arguments",
    "get_body_argument",
    "get_body_arguments",
)
SOURCES = tuple(
    Source(f"tornado.web.RequestHandler.{m}", "http", "Tornado request argument", call=True)
    for m in (*_ARGUMENTS, "get_cookie", "get_secure_cookie")
)

# the same methods on a handler object another function was given (`helpers.page(self)`,
# then `handler.get_argument("page")`): names no other common API uses
SOURCES += tuple(Source(f".{m}", "http", "Tornado request argument", call=True) for m in _ARGUMENTS)

HANDLERS = (
    Handler(
        framework="tornado",
        imports=("tornado",),
        description="Tornado URL argument",
        bases=_F({"RequestHandler"}),
        methods=_F({"get", "post", "put", "delete", "patch", "head", "options"}),
        self_sources=_F({"request", "path_args", "path_kwargs"}),
        every_method=True,
        self_calls=_F(
            {
                "get_argument",
                "get_arguments",
                "get_query_argument",
                "get_query_arguments",
                "get_body_argument",
                "get_body_arguments",
                "get_cookie",
                "get_secure_cookie",
            }
        ),
    ),
)

SINKS = (
    Sink("tornado.template.Template", "template-injection", (0, "template_string")),
    Sink("tornado.web.RequestHandler.redirect", "open-redirect", (0, "url")),
    # a str chunk is sent as text/html unless the handler set another Content-Type
    Sink("tornado.web.RequestHandler.write", "xss", (0, "chunk"), "handler_body"),
    Sink("tornado.web.RequestHandler.finish", "xss", (0, "chunk"), "handler_body"),
    # fetch(request): a URL or an HTTPRequest, which is reported where its URL goes in
    *(
        Sink(f"tornado.httpclient.{client}.fetch", "ssrf", (0, "request"))
        for client in ("AsyncHTTPClient", "HTTPClient")
    ),
    Sink("tornado.httpclient.HTTPRequest", "ssrf", (0, "url")),
)

_F_ALL = _F({ALL})
SANITIZERS = (
    # a response holds what the server sent back, not the URL it was asked for
    *(
        Sanitizer(f"tornado.httpclient.{client}.fetch", _F_ALL)
        for client in ("AsyncHTTPClient", "HTTPClient")
    ),
    Sanitizer("tornado.httpclient.HTTPRequest", _F({"ssrf"})),
)
