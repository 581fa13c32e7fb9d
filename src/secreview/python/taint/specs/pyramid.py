"""Pyramid: views configured with `@view_config`, their request, and view classes."""

from secreview.python.taint.spec import Handler, RequestObject

_F = frozenset

HANDLERS = (
    Handler(
        framework="pyramid",
        imports=("pyramid",),
        description="Pyramid view",
        decorators=_F({"pyramid.view.view_config"}),
        decorator_attrs=_F({"view_config"}),
        params=("request",),
    ),
)

REQUEST_OBJECTS = (
    RequestObject(
        framework="pyramid",
        imports=("pyramid",),
        param_names=_F({"request"}),
        # the registry, the route matched, the authenticated identity, the database session
        # and the URL builders (from route names and the server's host) are the server's
        safe_attrs=_F(
            {
                "registry",
                "context",
                "root",
                "matched_route",
                "method",
                "scheme",
                "user",
                "identity",
                "authenticated_userid",
                "unauthenticated_userid",
                "effective_principals",
                "is_authenticated",
                "has_permission",
                "localizer",
                "translate",
                "locale_name",
                "tm",
                "dbsession",
                "db",
                "route_url",
                "route_path",
                "static_url",
                "static_path",
                "resource_url",
                "resource_path",
                "current_route_url",
                "current_route_path",
                "response",
            }
        ),
        description="Pyramid request data",
        annotation_names=_F({"Request"}),
        session_attr="session",
        line_free_attrs=_F({"url", "path_url", "path_qs", "query_string", "remote_addr"}),
        # a view class keeps the request it is built with (`def __init__(self, request)`)
        self_attr="request",
        view_decorators=_F({"view_config", "view_defaults"}),
    ),
)
