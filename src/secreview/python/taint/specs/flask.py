"""Flask, Quart and Werkzeug: request data, route parameters, responses, redirects, session."""

from secreview.python.taint.spec import ALL, Handler, Sanitizer, Sink, Source

_F = frozenset
_SAFE_REQUEST = _F(
    {
        "method",
        "endpoint",
        "blueprint",
        "blueprints",
        "url_rule",
        "is_json",
        "is_secure",
        "scheme",
        "content_length",
        "max_content_length",
        "authorization",
        "routing_exception",
        "environ_base",
    }
)

# percent-encoded (`request.full_path` and `request.path` are decoded, and not listed); the
# client's address is the socket's, or ProxyFix's from a header (one line)
_LINE_FREE = _F(
    {"url", "base_url", "root_url", "url_root", "host_url", "query_string", "remote_addr"}
)

SOURCES = tuple(
    Source(
        f"{pkg}.request",
        "http",
        f"{name} request data",
        safe_attrs=_SAFE_REQUEST,
        line_free_attrs=_LINE_FREE,
    )
    for pkg, name in (("flask", "Flask"), ("quart", "Quart"), ("werkzeug.local", "Werkzeug"))
)

HANDLERS = (
    Handler(
        framework="flask",
        imports=("flask", "quart"),
        description="route parameter",
        decorator_attrs=_F({"route", "get", "post", "put", "delete", "patch", "websocket"}),
        returns_html=True,
    ),
    Handler(
        framework="flask-views",
        imports=("flask.views",),
        description="view parameter",
        bases=_F({"MethodView", "View"}),
        methods=_F({"get", "post", "put", "delete", "patch", "dispatch_request"}),
        returns_html=True,
    ),
)

SINKS = (
    Sink("flask.send_file", "path-traversal", (0, "path_or_file")),
    Sink("flask.redirect", "open-redirect", (0, "location")),
    Sink("quart.redirect", "open-redirect", (0, "location")),
    Sink("werkzeug.utils.redirect", "open-redirect", (0, "location")),
    Sink("flask.make_response", "xss", (0,), "handler_body"),
    Sink("flask.Response", "xss", (0, "response"), "handler_body"),
    Sink("werkzeug.wrappers.Response", "xss", (0, "response"), "handler_body"),
    Sink("flask.Markup", "xss", (0,), "markup_kept"),
    Sink("markupsafe.Markup", "xss", (0,), "markup_kept"),
    Sink("jinja2.Markup", "xss", (0,), "markup_kept"),  # Jinja2 before 3.1
    Sink("flask.render_template_string", "template-injection", (0, "source")),
    # values a template written in the code marks `|safe` (`{{ sig|safe }}`)
    Sink("flask.render_template_string", "xss", ("*",), "safe_filtered"),
    Sink("quart.render_template_string", "xss", ("*",), "safe_filtered"),
    Sink(".render", "xss", ("*",), "safe_filtered", receiver="any"),
    Sink("quart.render_template_string", "template-injection", (0, "source")),
    # `resp.headers.add("X-Name", value)` on Werkzeug/Starlette/aiohttp response headers
    *(
        Sink(f".{m}", "header-injection", (1, "_value", "value"), receiver="response_headers")
        for m in ("add", "set", "setdefault", "add_header")
    ),
)

SANITIZERS = (
    Sanitizer("flask.escape", _F({"xss"})),
    Sanitizer("markupsafe.escape", _F({"xss"})),
    Sanitizer("markupsafe.Markup.escape", _F({"xss"})),
    Sanitizer("werkzeug.utils.escape", _F({"xss"})),
    Sanitizer("werkzeug.utils.secure_filename", _F({"path-traversal", "command-injection"})),
    Sanitizer("werkzeug.security.safe_join", _F({"path-traversal"})),
    Sanitizer("werkzeug.utils.safe_join", _F({"path-traversal"})),
    Sanitizer("flask.safe_join", _F({"path-traversal"})),
    Sanitizer("flask.url_for", _F({ALL})),
    Sanitizer("flask.jsonify", _F({"xss"})),
    Sanitizer("flask.render_template", _F({"xss"})),
)

SESSION_OBJECTS = ("flask.session", "quart.session")
RESPONSE_TYPES = ("flask.Response", "flask.make_response", "werkzeug.wrappers.Response")
