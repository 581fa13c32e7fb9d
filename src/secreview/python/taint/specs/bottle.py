"""Bottle: the module-level request, route callbacks' URL wildcards, and a route's returned str
as its HTML body."""

from secreview.python.taint.spec import Handler, Sanitizer, Sink, Source

_F = frozenset
_ROUTES = ("route", "get", "post", "put", "delete", "patch")

SOURCES = (
    Source(
        "bottle.request",
        "http",
        "Bottle request data",
        # the app, route and the server's environ entries are the server's
        safe_attrs=_F({"method", "is_xhr", "is_ajax", "content_length", "app", "route"}),
        line_free_attrs=_F({"url", "fullpath", "query_string", "remote_addr"}),
    ),
)

HANDLERS = (
    Handler(
        framework="bottle",
        imports=("bottle",),
        description="Bottle URL wildcard",
        decorator_attrs=_F(_ROUTES),
        decorators=_F(f"bottle.{name}" for name in _ROUTES),
        returns_html=True,  # a returned str is sent as text/html unless the route says otherwise
    ),
)

SINKS = (Sink("bottle.redirect", "open-redirect", (0, "url")),)

SANITIZERS = (
    Sanitizer("bottle.html_escape", _F({"xss"})),
    Sanitizer("bottle.template", _F({"xss"})),  # SimpleTemplate escapes {{ }} values
    Sanitizer("bottle.jinja2_template", _F({"xss"})),
)
