"""Falcon: responders (`on_get(self, req, resp, **route_fields)`), hooks, and their request."""

from secreview.python.taint.spec import Handler, RequestObject

_F = frozenset

HANDLERS = (
    # a responder, a hook (`before(req, resp, resource, params)`) or a middleware's
    # `process_request(self, req, resp)`: the route's fields after `resp` are the client's
    Handler(
        framework="falcon",
        imports=("falcon",),
        description="Falcon route field",
        signature=("req", "resp"),
        skip_params=_F({"self", "cls", "resp", "resource"}),
    ),
)

REQUEST_OBJECTS = (
    RequestObject(
        framework="falcon",
        imports=("falcon",),
        param_names=_F({"req"}),
        # set by the server, a middleware or the app's own hooks
        safe_attrs=_F(
            {"context", "method", "scheme", "options", "env", "uri_template", "app", "is_websocket"}
        ),
        description="Falcon request data",
        annotation_names=_F({"Request"}),
        line_free_attrs=_F({"url", "uri", "relative_uri", "query_string", "remote_addr"}),
    ),
)
