"""What one module says about access control, kept for the whole-program pass.

Phase 1 (per file, in a worker) records the module's views: which group they belong to (a
Flask blueprint or app, a Django app), what protects each (a decorator, a mixin, permission
classes, a check of the caller in its body), whether it is marked public, and the first
thing it does that changes stored state; the hooks that cover a blueprint or an app
(`before_request`), the urlconf wrappers (`login_required(views.refund)`), the settings that
cover a whole project (a login-requiring middleware, DRF's `DEFAULT_PERMISSION_CLASSES`, the
CSRF protection it sets up, the session cookie's SameSite), and the oslo.policy defaults with
the module's constants they may name. The decision needs every
module (`access/project.py`); these facts are small and picklable.
"""

from __future__ import annotations

from dataclasses import dataclass

from secreview.model import Finding


@dataclass(frozen=True, slots=True)
class View:
    """A request handler and what protects it."""

    name: str  # the function's or class's name
    group: str  # the blueprint or app object (Flask), the app package (Django)
    group_label: str  # how a message names the group: "blueprint `posts`"
    line: int
    guard: str  # what protects it, as written ("@login_required"), or ""
    public: str  # the mark that says anyone may call it, or ""
    writes: str  # the first state change ("db.session.delete(...)" at line 12), or ""
    auth_flow: bool  # a view of the way in (login, sign-up, reset): cannot require a login
    drf_default: bool  # a DRF view without permission classes of its own
    framework: str  # "flask" or "django"
    bases: tuple[str, ...]  # a class's bases' last names (a class others extend is no view)
    finding: Finding  # the finding it would be, worded by the whole-program pass
    # objects it fetches by an id from the request: (model, line, scoped to the user, call)
    fetches: tuple[tuple[str, int, bool, str], ...] = ()
    owner_check: bool = False  # its body reads the signed-in user (`current_user`, ...)
    privileged: bool = False  # for administrators or holders of a permission only
    password_check: str = ""  # the first check of a password or one-time code, as written
    # a JSON body read whatever its content type (`request.get_json(force=True)`), as written
    json_any: str = ""
    cookie_user: str = ""  # how it knows the user by the session cookie (`@login_required`)
    csrf_exempt: str = ""  # the decorator that exempts it from CSRF protection, as written


@dataclass(frozen=True, slots=True)
class Cover:
    """A protection of many views at once: a hook, a middleware, a project default."""

    kind: str  # "hook" (a blueprint's or app's before_request), "middleware", "drf-default"
    target: str  # the blueprint hooked; "" for the whole project `scope`
    scope: str  # the top package it covers ("" for every module)
    evidence: str  # as written: "@moderation.before_request moderators_only"
    path: str
    line: int
    privileged: bool = False  # it admits administrators (or a permission's holders) only


@dataclass(frozen=True, slots=True)
class Wrapped:
    """A view wrapped where it is routed: `path("refund/", login_required(views.refund))`."""

    view: str  # the view's last name
    guard: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class PolicyDefault:
    """An oslo.policy `RuleDefault`/`DocumentedRuleDefault` declared in code."""

    name: str  # the rule's name as far as the source says it ("" if it does not)
    check: str  # the check string, when it is a literal
    check_ref: str  # the qualified name the check string is, when it is a name
    methods: tuple[str, ...] | None  # the documented operations' HTTP methods
    finding: Finding


@dataclass(frozen=True, slots=True)
class PolicyUse:
    """A policy check in an API handler: `context.can(ROOT % "delete", target=...)`."""

    name: str  # the policy's name when the source says it here ("" if it does not)
    ref: str  # the qualified constant the name is built from (`ROOT % suffix`), or ""
    suffix: str  # what `%` puts into that constant, or ""
    shown: str  # as written
    line: int


@dataclass(frozen=True, slots=True)
class Lookup:
    """A fetch or list of objects by client data in an API handler."""

    call: str  # as written, shortened
    line: int
    how: str  # "scoped" (the caller's context or project), "elevated", or "bare" (no context)
    context: str  # the context passed, as written ("" for a bare query)


@dataclass(frozen=True, slots=True)
class Handler:
    """A method of an OpenStack-style API controller (`index`, `show`, `delete`, an action)."""

    name: str
    resource: str  # the controller class, qualified
    line: int
    lookups: tuple[Lookup, ...]
    object_check: bool  # a policy check whose target is the object or names its project
    policies: tuple[PolicyUse, ...]
    admin_check: bool  # it tests `context.is_admin` or requires an admin context itself
    finding: Finding


@dataclass(frozen=True, slots=True)
class AccessFacts:
    module: str
    views: tuple[View, ...] = ()
    covers: tuple[Cover, ...] = ()
    wrapped: tuple[Wrapped, ...] = ()
    # the last names of the views a urlconf or router routes (`path("x/", views.x)`)
    routed: tuple[str, ...] = ()
    limits: str = ""  # what shows the module limits login attempts (`limiter`), or ""
    imports: tuple[str, ...] = ()  # the modules it imports: a finding's fix is worded for them
    # classes that hash a password assigned to them, and the stores of a typed password:
    # (the class built, "" for `obj.password = ...`; the finding, its message the store)
    hashing_classes: tuple[str, ...] = ()
    model_classes: tuple[str, ...] = ()  # classes that are stored models
    password_stores: tuple[tuple[str, Finding], ...] = ()
    policies: tuple[PolicyDefault, ...] = ()
    # module-level string constants a check string may name (qualified name -> value)
    constants: tuple[tuple[str, str], ...] = ()
    handlers: tuple[Handler, ...] = ()  # OpenStack-style API handlers
    csrf: str = ""  # where the module sets up CSRF protection (`CSRFProtect(app)`), or ""
    # the session cookie's SameSite setting: (the value as written, "path:line"), or ()
    samesite: tuple[str, str] | tuple[()] = ()
