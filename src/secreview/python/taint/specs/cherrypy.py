"""CherryPy: exposed page handlers, whose parameters are the query and form fields."""

from secreview.python.taint.spec import Handler, Source

_F = frozenset

SOURCES = (
    Source(
        "cherrypy.request",
        "http",
        "CherryPy request data",
        # the app, its config and the dispatcher's choices are the server's
        safe_attrs=_F(
            {"app", "config", "toolmaps", "method", "scheme", "dispatch", "handler", "login"}
        ),
        line_free_attrs=_F({"query_string", "remote"}),
    ),
)

HANDLERS = (
    Handler(
        framework="cherrypy",
        imports=("cherrypy",),
        description="CherryPy request parameter",
        decorators=_F({"cherrypy.expose", "cherrypy.tools.json_in"}),
        decorator_attrs=_F({"expose"}),
    ),
)
