"""aiohttp web handlers."""

from secreview.python.taint.spec import RequestObject, Sink

_F = frozenset

REQUEST_OBJECTS = (
    RequestObject(
        framework="aiohttp",
        imports=("aiohttp",),
        param_names=_F({"request", "req"}),
        safe_attrs=_F({"app", "config_dict", "method", "transport", "loop", "secure", "scheme"}),
        description="aiohttp request data",
        annotation_names=_F({"Request", "BaseRequest"}),
        # class-based views (`web.View`) hold the request in `self.request`
        self_attr="request",
        view_bases=_F({"View"}),
    ),
)

SINKS = (
    Sink("aiohttp.web.HTTPFound", "open-redirect", (0, "location")),
    Sink("aiohttp.web.HTTPSeeOther", "open-redirect", (0, "location")),
    Sink("aiohttp.web.FileResponse", "path-traversal", (0, "path")),
    # `text=` is sent as text/plain unless the content type says HTML
    Sink("aiohttp.web.Response", "xss", ("text", "body"), "html_content_type"),
)

# aiohttp_session: `session = await get_session(request)`
SESSION_OBJECTS = ("aiohttp_session.get_session", "aiohttp_session.new_session")
