"""Bottle: the module-level request, and route callbacks' URL wildcards."""

from secreview.python.taint.spec import Handler, Source

_F = frozenset

SOURCES = (
    Source(
        "bottle.request",
        "http",
        "Bottle request data",
        # the app, route and the server's environ entries are the server's
        safe_attrs=_F({"app", "route", "method", "is_xhr", "is_ajax", "content_length"}),
        line_free_attrs=_F({"url", "fullpath", "query_string", "remote_addr"}),
    ),
)

HANDLERS = (
    Handler(
        framework="bottle",
        imports=("bottle",),
        description="Bottle URL wildcard",
        decorator_attrs=_F({"route", "get", "post", "put", "delete", "patch"}),
        decorators=_F({"bottle.route", "bottle.get", "bottle.post", "bottle.put", "bottle.delete"}),
    ),
)
