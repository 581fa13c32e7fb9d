"""Django: view requests and URL kwargs, raw SQL, responses, redirects, templates, session."""

from secreview.python.taint.spec import Guard, Handler, RequestObject, Sanitizer, Sink

_F = frozenset
# HTTP-method handlers of class-based views and viewsets: every argument after `request`
# comes from the URL (`def get(self, request, username)`)
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
        "list",
        "retrieve",
        "create",
        "update",
        "partial_update",
        "destroy",
    }
)
# hooks the generic views call: only the URL kwargs they are handed are attacker data
_VIEW_HOOKS = _F({"form_valid", "get_queryset", "get_object", "get_context_data"})
_CBV_BASES = _F(
    {
        "View",
        "TemplateView",
        "APIView",
        "GenericAPIView",
        "ViewSet",
        "ModelViewSet",
        "GenericViewSet",
        "ReadOnlyModelViewSet",
        "ListView",
        "DetailView",
        "FormView",
        "CreateView",
        "UpdateView",
        "DeleteView",
        "RedirectView",
    }
)
# decorators that only ever wrap function views
_VIEW_DECORATORS = _F(
    {
        "django.contrib.auth.decorators.login_required",
        "django.contrib.auth.decorators.permission_required",
        "django.contrib.auth.decorators.user_passes_test",
        "django.contrib.admin.views.decorators.staff_member_required",
        "django.views.decorators.http.require_http_methods",
        "django.views.decorators.http.require_GET",
        "django.views.decorators.http.require_POST",
        "django.views.decorators.http.require_safe",
        "django.views.decorators.csrf.csrf_exempt",
        "django.views.decorators.csrf.csrf_protect",
        "django.views.decorators.cache.cache_page",
        "django.views.decorators.cache.never_cache",
        "rest_framework.decorators.api_view",
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
                "get_host",  # validated against ALLOWED_HOSTS
                "get_port",
            }
        ),
        description="Django request data",
        annotation_names=_F({"HttpRequest", "Request", "WSGIRequest", "ASGIRequest"}),
        session_attr="session",
        # what the client sent; anything else on the request (`request.event`,
        # `request.tenant`) is put there by the framework or a middleware
        source_attrs=_F(
            {"GET", "POST", "COOKIES", "META", "FILES", "body", "headers", "path", "path_info"}
            | {"get_full_path", "get_full_path_info", "build_absolute_uri", "get_raw_uri"}
            | {"read", "readline", "readlines", "__iter__", "raw_post_data", "content_params"}
            | {"accepted_types", "data", "query_params", "stream"}  # and Django REST framework's
        ),
        # percent-encoded by `escape_uri_path`/`iri_to_uri` (`request.path` is decoded)
        line_free_attrs=_F(
            {"get_full_path", "get_full_path_info", "build_absolute_uri", "get_raw_uri"}
        ),
        self_attr="request",
        view_bases=_CBV_BASES,
        # `get_host()` accepts only a host of ALLOWED_HOSTS, of letters, digits, `.-:[]`
        host_urls=_F({"build_absolute_uri"}),
    ),
)

HANDLERS = (
    Handler(
        framework="django-cbv",
        imports=("django", "rest_framework"),
        description="URL parameter",
        bases=_CBV_BASES,
        methods=_VIEW_METHODS,
        self_sources=_F({"kwargs", "args"}),
    ),
    Handler(
        framework="django-cbv",
        imports=("django", "rest_framework"),
        description="URL parameter",
        bases=_CBV_BASES,
        methods=_VIEW_HOOKS,
        params=("request", "args", "kwargs", "pk", "slug"),
        self_sources=_F({"kwargs", "args"}),
    ),
    # function views: `def detail(request, slug)` in a views module (urls.py passes the
    # URL kwargs), or any function under a view-only decorator
    Handler(
        framework="django",
        imports=("django", "rest_framework"),
        description="URL parameter",
        signature=("request",),
        view_modules=("views", "viewsets", "api"),
        decorators=_VIEW_DECORATORS,
        decorator_attrs=_F({"api_view"}),
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
    Sink("django.http.HttpResponse", "xss", (0, "content"), "django_body"),
    Sink("django.utils.safestring.mark_safe", "xss", (0, "s")),
    Sink("django.utils.safestring.SafeString", "xss", (0,)),
    Sink("django.utils.html.format_html", "xss", (0, "format_string")),
    Sink("django.template.Template", "template-injection", (0, "template_string")),
    Sink("django.template.engines.from_string", "template-injection", (0,)),
    Sink("django.http.FileResponse", "path-traversal", (0,), "path_string"),
)

SANITIZERS = (
    Sanitizer("django.utils.html.escape", _F({"xss"})),
    Sanitizer("django.utils.html.conditional_escape", _F({"xss"})),
    Sanitizer("django.utils.html.strip_tags", _F({"xss"})),
    # escapes its arguments (the format string itself is a sink)
    Sanitizer("django.utils.html.format_html", _F({"xss"})),
    Sanitizer("django.utils.text.get_valid_filename", _F({"path-traversal"})),
    Sanitizer("django.utils._os.safe_join", _F({"path-traversal"})),
    Sanitizer("django.shortcuts.render", _F({"xss"})),
    Sanitizer("django.http.JsonResponse", _F({"xss"})),
    Sanitizer("django.urls.reverse", _F({"*"})),
    # the row a key picks: what it holds comes from the database, not from the request
    Sanitizer("django.shortcuts.get_object_or_404"),
    Sanitizer("django.shortcuts.get_list_or_404"),
    # ... and what a manager or queryset fetches (`Invoice.objects.get(id=pk)`); not
    # get_or_create/update_or_create, whose row may be made from the request's values
    *(Sanitizer(f".{m}", condition="django_row") for m in ("get", "last", "earliest", "latest")),
    # a model's own page on this site, built by the application
    Sanitizer(".get_absolute_url", _F({"open-redirect"})),
)

GUARDS = (
    Guard(
        "django.utils.http.url_has_allowed_host_and_scheme",
        _F({"open-redirect", "ssrf"}),
        keyword="url",
    ),
    Guard("django.utils.http.is_safe_url", _F({"open-redirect", "ssrf"}), keyword="url"),
)

RESPONSE_TYPES = ("django.http.HttpResponse", "django.http.response.HttpResponse")
