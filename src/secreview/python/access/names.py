"""The names that say who may call a view, as data: guards, public marks, state changes.

A project protects its views in its own words (`@login_required`, `@user_login_required`,
`@admin_required`, `LoginRequiredMixin`, `permission_classes = [IsAuthenticated]`); the
patterns here are deliberately generous, since a guard taken for none would make a finding
and a name taken for a guard only loses one. A public mark is the opposite promise, made on
purpose: a decorator named for it, DRF's `AllowAny`, or a `# secreview: public` comment.
"""

from __future__ import annotations

import re

from secreview import lazyre

# the last name of a decorator, mixin, base class or urlconf wrapper that checks the caller
GUARD = lazyre.compile(
    r"(login|logged_in|auth|authenticated|permission|perm|perms|role|roles|admin|staff|"
    r"superuser|user|token|jwt|scope|scopes|access|owner|member|moderator|group|account|api_key)"
    r"s?_?(required|only|needed)"
    r"|^requires?(_\w+)?$|_auth$"
    r"|^authenticated$|^(check|has|must_have|enforce)_?(perm|permission|role|access|auth|policy)"
    r"|authoriz|^protected$|^restricted$",
    re.I,
)
# base classes and mixins of class-based views that check the caller
GUARD_BASE = lazyre.compile(
    r"(LoginRequired|PermissionRequired|UserPassesTest|Access|Staff\w*|Superuser\w*|Admin\w*|"
    r"Permission\w*|Auth\w*|Owner\w*|Member\w*|Role\w*|Protected)(Mixin|View)$"
)
# Django's own method restrictions, which look like guards by name and are not
NOT_GUARDS = frozenset(
    {"require_POST", "require_GET", "require_safe", "require_http_methods", "requires_csrf_token"}
)
# the last name of a decorator that declares a view open to anyone
PUBLIC = lazyre.compile(
    r"^(public|public_view|public_endpoint|allow_anonymous|anonymous|anonymous_allowed|"
    r"login_not_required|login_exempt|auth_exempt|no_auth|no_login|no_login_required|"
    r"skip_auth|unauthenticated|allow_any|allow_unauthenticated)$"
)
PUBLIC_COMMENT = lazyre.compile(r"#\s*secreview\s*:\s*public\b")
# class attributes of a view that declare the permission it needs (`permission = "x"`)
PERMISSION_ATTRIBUTE = lazyre.compile(
    r"^(permission|permissions|permission_required|permissions_required|required_permissions?|"
    r"required_scopes?|required_roles?|allowed_roles?|login_required|requires_login)$"
)
# classes of a views module that are bases for views, not views
NOT_VIEW_CLASS = lazyre.compile(r"^(Base|Abstract)|Mixin$|Base$")
# decorators, bases and permission classes for administrators, staff or a permission's
# holders: such a view may act on any object
PRIVILEGED = lazyre.compile(r"admin|staff|superuser|permission|perm|moderator|owner|manager", re.I)
# permission classes that admit anyone
OPEN_PERMISSIONS = frozenset({"AllowAny"})
# Names that mention the caller's identity: a view that reads them decides for itself
# who it acts for (and a check on them is the view's own guard).
IDENTITY = lazyre.compile(
    r"^(current_user|is_authenticated|is_anonymous|has_perm|has_perms|has_permission|"
    r"check_permission|check_permissions|check_object_permissions|is_superuser|is_staff|"
    r"is_admin|get_current_user|authorize|enforce|can)$"
)
# `request.user`, `g.user`, `self.request.user`: the attribute `user` of these receivers
USER_HOLDERS = frozenset({"request", "g", "flask.g", "context", "ctx"})
# Views that serve the way in or out, or a link sent by mail: they cannot ask for a login.
AUTH_FLOW = lazyre.compile(
    r"login|logout|log_in|log_out|signin|signout|sign_in|sign_out|signup|sign_up|register|"
    r"registration|forgot|recover|activat|confirm|verif|callback|oauth|openid|saml|sso|"
    r"webhook|health|unsubscribe|invit|captcha|csrf|set_?lang|i18n|locale|password|passwd|"
    r"token|otp|two_factor|2fa|mfa|authenticate",
    re.I,
)
# Calls whose method name alone says the view changes stored state
WRITE_METHODS = frozenset(
    {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)
# Methods that write when called on a query or a database session (`Order.objects.create`,
# `Order.objects.filter(...).update`, `db.session.add`)
QUERY_WRITES = frozenset({"create", "update", "add", "add_all", "merge", "commit", "remove"})
QUERY_HOLDERS = lazyre.compile(r"^(objects|query|session|db_session|dbsession|Session|_session)$")
# file system writes
FILE_WRITES = frozenset(
    {"os.remove", "os.unlink", "os.rmdir", "os.rename", "shutil.rmtree", "shutil.move"}
)
# Base classes whose inherited methods create, change or delete objects
WRITING_BASES = lazyre.compile(
    r"(^|\.)(ModelViewSet|CreateAPIView|UpdateAPIView|DestroyAPIView|ListCreateAPIView|"
    r"RetrieveUpdateAPIView|RetrieveDestroyAPIView|RetrieveUpdateDestroyAPIView|CreateView|"
    r"UpdateView|DeleteView|CreateModelMixin|UpdateModelMixin|DestroyModelMixin|DeletionMixin)$"
)
# Base classes that make a class a view
VIEW_BASE = lazyre.compile(r"(View|ViewSet|APIView|Viewset|Mixin)$")
# calls that check a password or a one-time code the client sends
PASSWORD_CHECKS = frozenset(
    {
        "check_password", "check_password_hash", "authenticate", "verify_password", "checkpw",
        "verify_totp", "verify_otp", "check_otp", "verify_token_otp",
    }
)  # fmt: skip
# text that shows a project limits attempts somewhere (Flask-Limiter, django-ratelimit,
# django-axes, DRF throttling, a lockout counter of its own)
ATTEMPT_LIMITS = lazyre.compile(
    r"limiter|ratelimit|rate_limit|RateLimit|throttl|Throttl|lockout|LockOut|login_attempts|"
    r"failed_attempts|failed_logins|failed_login_count|max_attempts|MAX_ATTEMPTS|AXES_|"
    r"\baxes\b|brute|fail_counter|failcount|login_failures"
)
# the text each alternative above needs (the pattern is literals, one with `\b`s): a module
# holding none of them has no match, and looking for them costs less than the search
ATTEMPT_LIMIT_WORDS = tuple(part.replace(r"\b", "") for part in ATTEMPT_LIMITS.pattern.split("|"))
