"""WebOb, Pecan, Routes and OpenStack WSGI controllers (nova, neutron, keystone, glance)."""

from secreview.python.taint.spec import Handler, RequestObject, Sink, Source

_F = frozenset
_CONTROLLER_METHODS = _F(
    {
        "index",
        "show",
        "create",
        "update",
        "delete",
        "detail",
        "action",
        "get",
        "post",
        "put",
        "patch",
        "get_all",
        "get_one",
        "_action",
        "update_all",
        "delete_all",
        "__call__",
    }
)

# request attributes set by the server, hooks or middleware rather than by the client
_SAFE_REQUEST = _F(
    {
        "context",
        "method",
        "environ_base",
        "best_match_content_type",  # chosen from the server's own list
        "best_match_language",
        "get_content_type",
        "charset",
        "user",
        "registry",
        "api_version_request",
        "is_secure",
        "scheme",
        "host_url",
        "application_url",
        # the response of the application the request is handed to, made by the server
        "get_response",
        "call_application",
        "send",
    }
)

# percent-encoded: `req.path` is `/a%0Ab` where `req.path_info` is "/a\nb"; the client's
# address is the socket's, or a proxy header's value (one line)
_LINE_FREE = _F(
    {"url", "path_url", "path", "path_qs", "query_string", "relative_url", "remote_addr"}
)

# Pecan's thread-local request (`pecan.request.params`), used outside controller arguments
SOURCES = (
    Source(
        "pecan.request",
        "http",
        "Pecan request data",
        safe_attrs=_SAFE_REQUEST,
        line_free_attrs=_LINE_FREE,
    ),
)

REQUEST_OBJECTS = (
    RequestObject(
        framework="webob",
        imports=(
            "webob",
            "pecan",
            "routes",
            "nova",
            "neutron",
            "keystone",
            "glance",
            "cinder",
            "oslo_middleware",
            "ironic",
            "manila",
            "octavia",
            "heat",
            "barbican",
        ),
        param_names=_F({"req", "request"}),
        safe_attrs=_SAFE_REQUEST,
        description="WebOb request data",
        annotation_names=_F({"Request", "BaseRequest"}),
        line_free_attrs=_LINE_FREE,
        direct_imports=3,  # webob, pecan, routes; then the OpenStack projects
    ),
)

HANDLERS = (
    Handler(
        framework="webob",
        imports=("webob",),
        description="WebOb request",
        decorators=_F({"webob.dec.wsgify"}),
        decorator_attrs=_F({"wsgify"}),
        params=("req", "request"),
    ),
    Handler(
        framework="pecan",
        imports=("pecan", "wsmeext", "wsme"),
        description="Pecan controller argument",
        decorator_attrs=_F({"expose", "wsexpose", "when"}),
        decorators=_F({"pecan.expose", "wsmeext.pecan.wsexpose"}),
    ),
    Handler(
        framework="openstack",
        imports=(),
        description="API controller argument",
        bases=_F(
            {
                "Controller",
                "ControllerBase",
                "RestController",
                "Resource",
                "V3Controller",
                "ExtensionController",
                "SecureController",
            }
        ),
        methods=_CONTROLLER_METHODS,
        params=(
            "req",
            "request",
            "body",
            "id",
            "server_id",
            "image_id",
            "project_id",
            "tenant_id",
            "user_id",
            "network_id",
            "port_id",
            "name",
            "key",
            "kwargs",
        ),
    ),
)

SINKS = (
    Sink("webob.exc.HTTPFound", "open-redirect", ("location",)),
    Sink("webob.exc.HTTPSeeOther", "open-redirect", ("location",)),
    Sink("webob.exc.HTTPMovedPermanently", "open-redirect", ("location",)),
    Sink("webob.exc.HTTPTemporaryRedirect", "open-redirect", ("location",)),
    Sink("pecan.redirect", "open-redirect", (0, "location")),
    Sink("webob.Response", "xss", ("body", "text"), "handler_body"),
)
