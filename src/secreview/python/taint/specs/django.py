"""Django: view requests and URL kwargs, raw SQL, responses, redirects, templates, session."""

from secreview.python.taint.spec import Guard, Handler, RequestObject, Sanitizer, Sink

_F = frozenset
_VIEW_METHODS = _F(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "dispatch",
        "form_valid",
        "get_queryset",
        "get_object",
        "get_context_data",
    }
)

REQUEST_OBJECTS = (
    RequestObject(
        framework="django",
        imports=("django", "rest_framework"),
        param_names=_F({"request"}),
        safe_attrs=_F(
            {
                "user",
                "method",
                "session",
                "resolver_match",
                "site",
                "auth",
                "csrf_processing_done",
                "LANGUAGE_CODE",
                "urlconf",
                "content_type",
                "is_secure",
                "is_ajax",
                "accepted_renderer",
                "version",
                "_request",
            }
        ),
        description="Django request data",
        annotation_names=_F({"HttpRequest", "Request", "WSGIRequest", "ASGIRequest"}),
        session_attr="session",
    ),
)

HANDLERS = (
    Handler(
        framework="django-cbv",
        imports=("django", "rest_framework"),
        description="URL parameter",
        bases=_F(
            {
                "View",
                "TemplateView",
                "APIView",
                "GenericAPIView",
                "ViewSet",
                "ModelViewSet",
                "GenericViewSet",
                "ListView",
                "DetailView",
                "FormView",
                "RedirectView",
            }
        ),
        methods=_VIEW_METHODS,
        params=("request", "args", "kwargs", "pk", "slug"),
        self_sources=_F({"kwargs", "args"}),
    ),
)

SINKS = (
    Sink(".raw", "sql-injection", (0, "raw_query"), receiver="django_manager"),
    Sink(
        ".extra",
        "sql-injection",
        ("select", "where", "tables", "order_by"),
        receiver="django_manager",
    ),
    Sink("django.db.models.expressions.RawSQL", "sql-injection", (0, "sql")),
    Sink("django.db.models.RawSQL", "sql-injection", (0, "sql")),
    Sink("django.shortcuts.redirect", "open-redirect", (0, "to")),
    Sink("django.http.HttpResponseRedirect", "open-redirect", (0, "redirect_to")),
    Sink("django.http.HttpResponsePermanentRedirect", "open-redirect", (0, "redirect_to")),
    Sink("django.http.HttpResponse", "xss", (0, "content"), "html_body"),
    Sink("django.utils.safestring.mark_safe", "xss", (0, "s")),
    Sink("django.utils.safestring.SafeString", "xss", (0,)),
    Sink("django.utils.html.format_html", "xss", (0, "format_string")),
    Sink("django.template.Template", "template-injection", (0, "template_string")),
    Sink("django.template.engines.from_string", "template-injection", (0,)),
    Sink("django.http.FileResponse", "path-traversal", (0,), "path_string"),
)

SANITIZERS = (
    Sanitizer("django.utils.html.escape", _F({"xss", "log-injection", "header-injection"})),
    Sanitizer("django.utils.html.conditional_escape", _F({"xss"})),
    Sanitizer("django.utils.html.strip_tags", _F({"xss"})),
    Sanitizer("django.utils.text.get_valid_filename", _F({"path-traversal"})),
    Sanitizer("django.utils._os.safe_join", _F({"path-traversal"})),
    Sanitizer("django.shortcuts.render", _F({"xss"})),
    Sanitizer("django.http.JsonResponse", _F({"xss"})),
    Sanitizer("django.urls.reverse", _F({"*"})),
)

GUARDS = (
    Guard("django.utils.http.url_has_allowed_host_and_scheme", _F({"open-redirect", "ssrf"})),
    Guard("django.utils.http.is_safe_url", _F({"open-redirect", "ssrf"})),
)

RESPONSE_TYPES = ("django.http.HttpResponse", "django.http.response.HttpResponse")
