"""FastAPI and Starlette: endpoint parameters, Request objects, responses, redirects."""

from secreview.python.taint.spec import Handler, RequestObject, Sink

_F = frozenset

HANDLERS = (
    Handler(
        framework="fastapi",
        imports=("fastapi", "starlette"),
        description="endpoint parameter",
        decorator_attrs=_F(
            {
                "get",
                "post",
                "put",
                "delete",
                "patch",
                "api_route",
                "websocket",
                "route",
                "head",
                "options",
            }
        ),
        # pydantic converts and validates these before the endpoint runs
        safe_annotations=_F(
            {"int", "float", "bool", "UUID", "datetime", "date", "time", "timedelta", "Decimal"}
        ),
    ),
)

REQUEST_OBJECTS = (
    RequestObject(
        framework="starlette",
        imports=("fastapi", "starlette"),
        # Starlette's endpoints take `request` unannotated (`Route("/a", endpoint)`)
        param_names=_F({"request"}),
        safe_attrs=_F({"app", "state", "user", "auth", "scope", "method", "session", "url_for"}),
        description="Starlette request data",
        annotation_names=_F({"Request", "WebSocket"}),
        session_attr="session",  # SessionMiddleware's signed-cookie session
    ),
)

SINKS = (
    Sink("fastapi.responses.RedirectResponse", "open-redirect", (0, "url")),
    Sink("starlette.responses.RedirectResponse", "open-redirect", (0, "url")),
    Sink("fastapi.responses.HTMLResponse", "xss", (0, "content")),
    Sink("starlette.responses.HTMLResponse", "xss", (0, "content")),
    # a plain Response is HTML when its media type says so
    Sink("fastapi.Response", "xss", (0, "content"), "html_content_type"),
    Sink("fastapi.responses.Response", "xss", (0, "content"), "html_content_type"),
    Sink("starlette.responses.Response", "xss", (0, "content"), "html_content_type"),
    Sink("fastapi.responses.FileResponse", "path-traversal", (0, "path")),
    Sink("starlette.responses.FileResponse", "path-traversal", (0, "path")),
)
