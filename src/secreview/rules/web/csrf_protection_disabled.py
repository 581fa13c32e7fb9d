"""csrf-protection-disabled: views, forms or whole sites taken out of CSRF protection."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import call_name, producers, scope_nodes
from secreview.rules.support.names import is_security_check, words
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import (
    class_bases,
    flask_app,
    is_development_code,
    is_development_file,
    is_django_settings,
    settings,
)

_CSRF_EXEMPT = frozenset({"django.views.decorators.csrf.csrf_exempt"})
_METHOD_DECORATOR = frozenset({"django.utils.decorators.method_decorator"})
_FLASK_WTF_CSRF = frozenset(
    {"flask_wtf.csrf.CSRFProtect", "flask_wtf.CSRFProtect", "flask_wtf.csrf.CsrfProtect"}
)
_FLASK_FORMS = frozenset({"flask_wtf.FlaskForm", "flask_wtf.Form", "flask_wtf.form.FlaskForm"})
_DRF_SESSION_AUTH = frozenset(
    {"rest_framework.authentication.SessionAuthentication", "rest_framework.SessionAuthentication"}
)
_PYRAMID_CSRF = frozenset({"pyramid.view.view_config", "pyramid.view.view_defaults"})
# Decorators that keep a view to GET/HEAD/OPTIONS, which CSRF protection never checks.
_SAFE_ONLY = frozenset(
    {"django.views.decorators.http.require_GET", "django.views.decorators.http.require_safe"}
)
_REQUIRE_METHODS = "django.views.decorators.http.require_http_methods"
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Calls that show a view authenticates the request itself (webhook signatures, API tokens).
_OWN_CHECKS = frozenset(
    {
        "hmac.compare_digest",
        "secrets.compare_digest",
        "django.utils.crypto.constant_time_compare",
        "stripe.Webhook.construct_event",
        "stripe.WebhookSignature.verify_header",
    }
)
_CSRF_MIDDLEWARE = "django.middleware.csrf.CsrfViewMiddleware"
_COOKIE_AUTH_MIDDLEWARE = frozenset(
    {
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
    }
)


@register
class CsrfProtectionDisabled(Rule):
    meta = RuleMeta(
        id="csrf-protection-disabled",
        cwe=352,
        severity="medium",
        confidence="high",
        title="CSRF protection disabled",
        why=(
            "Browsers attach the session cookie to requests that other sites trigger; without "
            "a CSRF token check a page the victim visits can submit forms and API calls as the "
            "victim: change the e-mail address, transfer money, delete data."
        ),
        example=(
            '@csrf_exempt\ndef transfer(request):\n    ...\napp.config["WTF_CSRF_ENABLED"] = False'
        ),
        fix=(
            "Keep the framework's CSRF protection on and send the token from forms and JavaScript; "
            "exempt only endpoints that authenticate each request without cookies (webhook "
            "signatures, API tokens), and check that authentication inside the view."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Keep `CsrfViewMiddleware` on and send the token from forms (`{% csrf_token "
                    "%}`) and JavaScript (X-CSRFToken header); use `csrf_exempt` only for "
                    "endpoints that authenticate each request without cookies (webhook signatures, "
                    "API tokens), and check that authentication inside the view."
                ),
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended"),
                (
                    "Keep Flask-WTF's `CSRFProtect(app)` on (and `WTF_CSRF_ENABLED = True`) and "
                    "send the token from forms (`form.csrf_token`) and JavaScript (X-CSRFToken "
                    "header); use `csrf.exempt` only for endpoints that authenticate each request "
                    "without cookies, and check that authentication inside the view."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/352.html",
            "https://docs.djangoproject.com/en/stable/ref/csrf/",
            "https://flask-wtf.readthedocs.io/en/stable/csrf/",
        ),
    )
    calls = _CSRF_EXEMPT | _PYRAMID_CSRF
    nodes = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Call)
    # csrf_exempt, require_csrf=, enforce_csrf, csrf = False, meta={"csrf": ...},
    # WTF_CSRF_ENABLED, `.exempt`, or the session middleware of a settings module
    triggers = frozenset(
        {"csrf", "CSRF", "exempt", "SessionMiddleware", "AuthenticationMiddleware"}
    )

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _CSRF_EXEMPT:
            parent = ctx.parent(call)
            if _is_decorator_of(call, parent):
                return  # `@csrf_exempt(...)` is not how it is used; the decorator path reports
            if isinstance(parent, ast.Call) and ctx.resolve(parent.func) in _METHOD_DECORATOR:
                return  # method_decorator(csrf_exempt) is a name, not a call
            view = call.args[0] if call.args else None
            function = _local_function(view, ctx)
            if function is not None and _view_is_safe(function, ctx):
                return
            yield Hit(
                call,
                "csrf_exempt() takes this view out of Django's CSRF check: any site the "
                "victim visits can make it act with the victim's session.",
                confidence="medium",
            )
        elif name in _PYRAMID_CSRF and ctx.constant_value(keyword(call, "require_csrf")) is False:
            yield Hit(
                call,
                "require_csrf=False turns off Pyramid's CSRF check for these views: any site "
                "the victim visits can submit to them with the victim's session.",
            )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Module):
            yield from _settings(ctx)
            if not is_development_file(ctx) and is_django_settings(ctx):
                yield from _middleware(ctx)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _exempt_view(node, ctx)
        elif isinstance(node, ast.ClassDef):
            yield from _exempt_class(node, ctx)
        elif isinstance(node, ast.Call):
            yield from _other_calls(node, ctx)


def _exempt_view(
    function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext
) -> Iterable[Hit]:
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ctx.resolve(target)
        if name in _CSRF_EXEMPT or _is_method_decorator_of_exempt(decorator, ctx):
            if _view_is_safe(function, ctx) or is_development_code(function, ctx):
                return
            if _uses_no_identity(function, ctx):
                return
            yield Hit(
                decorator,
                f"@csrf_exempt takes {function.name}() out of Django's CSRF check: any site the "
                "victim visits can make it act with the victim's session.",
            )
        elif _is_flask_wtf_exempt(target, ctx):
            if _view_is_safe(function, ctx):
                return
            yield Hit(
                decorator,
                f"@csrf.exempt takes {function.name}() out of Flask-WTF's CSRF check: any site "
                "the victim visits can make it act with the victim's session.",
            )


def _exempt_class(cls: ast.ClassDef, ctx: ModuleContext) -> Iterable[Hit]:
    """`@method_decorator(csrf_exempt, name="dispatch")`, FlaskForm `Meta.csrf = False`,
    DRF SessionAuthentication with `enforce_csrf` emptied."""
    for decorator in cls.decorator_list:
        if _is_method_decorator_of_exempt(decorator, ctx):
            yield Hit(
                decorator,
                f"method_decorator(csrf_exempt) takes every method of {cls.name} out of "
                "Django's CSRF check.",
            )
    bases = class_bases(cls, ctx)
    if bases & _FLASK_FORMS:
        for statement in cls.body:
            if isinstance(statement, ast.ClassDef) and statement.name == "Meta":
                for item in statement.body:
                    if (
                        isinstance(item, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "csrf" for t in item.targets)
                        and ctx.constant_value(item.value) is False
                    ):
                        yield Hit(
                            item,
                            f"Meta.csrf = False turns off the CSRF token of form {cls.name}: "
                            "another site can submit it with the victim's session.",
                        )
    if bases & _DRF_SESSION_AUTH:
        for statement in cls.body:
            if (
                isinstance(statement, ast.FunctionDef)
                and statement.name == "enforce_csrf"
                and not _does_something(statement)
            ):
                yield Hit(
                    statement,
                    f"{cls.name}.enforce_csrf() does nothing: views using this session "
                    "authentication accept cross-site requests made with the victim's cookie.",
                )


def _other_calls(call: ast.Call, ctx: ModuleContext) -> Iterable[Hit]:
    """`csrf.exempt(blueprint)`, `config.add_view(require_csrf=False)`,
    `config.set_default_csrf_options(require_csrf=False)`, `Form(meta={"csrf": False})`."""
    meta = ctx.constant_value(keyword(call, "meta"))
    if isinstance(meta, dict) and meta.get("csrf") is False and ctx.symbols.imports("flask_wtf"):
        yield Hit(
            call,
            "meta={'csrf': False} builds this form without its CSRF token: another site can "
            "submit it with the victim's session.",
        )
    func = call.func
    if not isinstance(func, ast.Attribute):
        return
    if func.attr == "exempt" and _is_flask_wtf_exempt(func, ctx):
        if isinstance(ctx.parent(call), ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            return
        yield Hit(
            call,
            "csrf.exempt() takes these views out of Flask-WTF's CSRF check: any site the "
            "victim visits can make them act with the victim's session.",
            confidence="medium",
        )
    elif (
        func.attr in ("add_view", "set_default_csrf_options")
        and ctx.symbols.imports("pyramid")
        and ctx.constant_value(keyword(call, "require_csrf")) is False
    ):
        yield Hit(
            call,
            f"{func.attr}(require_csrf=False) turns off Pyramid's CSRF check: any site the "
            "victim visits can submit with the victim's session.",
        )


def _settings(ctx: ModuleContext) -> Iterable[Hit]:
    for setting in settings(ctx):
        if setting.key != "WTF_CSRF_ENABLED" or setting.development:
            continue
        if setting.style == "app-config" and flask_app(setting.receiver, ctx) is None:
            continue
        if ctx.constant_value(setting.value) is False:
            yield Hit(
                setting.node,
                "WTF_CSRF_ENABLED = False turns off Flask-WTF's CSRF tokens for every form: "
                "any site the victim visits can submit them with the victim's session.",
            )


def _middleware(ctx: ModuleContext) -> Iterable[Hit]:
    """A cookie-authenticated Django site whose MIDDLEWARE lacks CsrfViewMiddleware."""
    for setting in settings(ctx):
        if setting.key not in ("MIDDLEWARE", "MIDDLEWARE_CLASSES") or setting.style != "module":
            continue
        if setting.development or not isinstance(ctx.parent(setting.node), ast.Assign):
            continue
        entries = ctx.constant_value(setting.value)
        if not isinstance(entries, (list, tuple)):
            continue
        if _CSRF_MIDDLEWARE in entries or not _COOKIE_AUTH_MIDDLEWARE & set(entries):
            continue
        statement = ctx.statement(setting.node)
        text = "\n".join(
            ctx.line_text(n) for n in range(statement.lineno, (statement.end_lineno or 0) + 1)
        )
        how = "is commented out of" if "CsrfViewMiddleware" in text else "is missing from"
        yield Hit(
            setting.node,
            f"CsrfViewMiddleware {how} {setting.key} while sessions authenticate users: no "
            "view checks CSRF tokens, so any site can submit forms with the victim's session.",
        )


def _is_method_decorator_of_exempt(decorator: ast.expr, ctx: ModuleContext) -> bool:
    return (
        isinstance(decorator, ast.Call)
        and ctx.resolve(decorator.func) in _METHOD_DECORATOR
        and bool(decorator.args)
        and ctx.resolve(decorator.args[0]) in _CSRF_EXEMPT
    )


def _is_flask_wtf_exempt(target: ast.expr, ctx: ModuleContext) -> bool:
    return (
        isinstance(target, ast.Attribute)
        and target.attr == "exempt"
        and bool(producers(target.value, ctx) & _FLASK_WTF_CSRF)
    )


def _is_decorator_of(call: ast.Call, parent: ast.AST | None) -> bool:
    return isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and (
        call in parent.decorator_list
    )


def _local_function(
    node: ast.expr | None, ctx: ModuleContext
) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    if not isinstance(node, ast.Name):
        return None
    for statement in ctx.tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            statement.name == node.id
        ):
            return statement
    return None


def _view_is_safe(function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> bool:
    """GET/HEAD-only views, and views that authenticate the request themselves."""
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ctx.resolve(target)
        if name in _SAFE_ONLY or _flask_route_is_safe(decorator, ctx):
            return True
        if name == _REQUIRE_METHODS and isinstance(decorator, ast.Call) and decorator.args:
            methods = ctx.constant_value(decorator.args[0])
            if isinstance(methods, (list, tuple)) and {str(m).upper() for m in methods} <= (
                _SAFE_METHODS
            ):
                return True
    for node in scope_nodes(function):
        if not isinstance(node, ast.Call):
            continue
        if ctx.resolve(node.func) in _OWN_CHECKS or is_security_check(call_name(node)):
            return True
    return False


# What a request carries of its sender's identity: a forged request acts with these.
_IDENTITY = frozenset({"user", "session", "COOKIES", "auth", "_cached_user"})
# Calls a request may be handed to without its identity being read.
_IDENTITY_FREE = frozenset({"hasattr", "getattr", "isinstance", "type"})
# Decorators that authenticate the request (`@login_required`, `@permission_required`).
_AUTH_WORDS = frozenset({"login", "auth", "permission", "user", "staff", "superuser"})


def _uses_no_identity(function: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> bool:
    """A function view that never reads who sent the request: its request (the first
    parameter) is read only for its body, headers, parameters or the objects a middleware
    put on it (`request.body`, `request.POST`, `request.event`), never for `.user`,
    `.session` or cookies, and handed to no call but hasattr()/getattr() or one that reads
    the client's address (`get_client_ip(request)`); nor does a decorator authenticate it
    (`@login_required`). A forged request then acts with no one's session: a CSP report
    endpoint, a payment provider's webhook. CSRF is no risk there."""
    params = [*function.args.posonlyargs, *function.args.args]
    if not params or ctx.enclosing(function, (ast.ClassDef,)) is not None:
        return False
    request = params[0].arg
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if _AUTH_WORDS & set(words(call_name(target))):
            return False
    for node in ast.walk(function):
        if not (isinstance(node, ast.Name) and node.id == request):
            continue
        parent = ctx.parent(node)
        if isinstance(parent, ast.Attribute):
            if parent.attr in _IDENTITY:
                return False
            continue
        if isinstance(parent, ast.Call) and node in parent.args:
            callee = call_name(parent)
            if callee in _IDENTITY_FREE or (words(callee) and words(callee)[-1] == "ip"):
                continue
        return False  # handed on, stored, or rebound: it may be read elsewhere
    return True


def _flask_route_is_safe(decorator: ast.expr, ctx: ModuleContext) -> bool:
    """`@app.route(path)` without methods= answers GET/HEAD/OPTIONS only; `@bp.get(path)`."""
    if not (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)):
        return False
    if not ctx.symbols.imports("flask") or decorator.func.attr not in ("route", "get"):
        return False
    if decorator.func.attr == "get":
        return True
    methods = keyword(decorator, "methods")
    if methods is None:
        return True
    value = ctx.constant_value(methods)
    return isinstance(value, (list, tuple, set)) and {str(m).upper() for m in value} <= (
        _SAFE_METHODS
    )


def _does_something(function: ast.FunctionDef) -> bool:
    """Anything but `pass`, `return`, `return None` and a docstring."""
    for statement in function.body:
        if isinstance(statement, ast.Pass):
            continue
        if isinstance(statement, ast.Return) and (
            statement.value is None
            or (isinstance(statement.value, ast.Constant) and statement.value.value is None)
        ):
            continue
        if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
            continue
        return True
    return False
