"""cors-wildcard-with-credentials: any origin may read responses made with the user's cookies."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values, call_name, scope_nodes
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import module_settings, settings_class

_FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin"})
_STARLETTE_CORS = frozenset(
    {"starlette.middleware.cors.CORSMiddleware", "fastapi.middleware.cors.CORSMiddleware"}
)
_STARLETTE_MIDDLEWARE = frozenset(
    {"starlette.middleware.Middleware", "fastapi.middleware.Middleware"}
)
_AIOHTTP_OPTIONS = frozenset({"aiohttp_cors.ResourceOptions"})
_ALLOW_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")  # django-cors-headers, old name
_ANY_ORIGIN_REGEXES = frozenset({".*", "^.*$", ".+", "^.+$", "^.*", "(.*)", "https?://.*"})
_ACAO = "access-control-allow-origin"
_ACAC = "access-control-allow-credentials"
# Where a handler reads the request's Origin header from.
_ORIGIN_KEYS = frozenset({"origin", "http_origin"})


@register
class CorsWildcardWithCredentials(Rule):
    meta = RuleMeta(
        id="cors-wildcard-with-credentials",
        cwe=942,
        severity="high",
        confidence="high",
        title="CORS allows any origin to make credentialed requests",
        why=(
            "Allowing every origin together with credentials makes the server echo the "
            "caller's Origin and Access-Control-Allow-Credentials: true, so any web page the "
            "victim opens can call the API with the victim's cookies and read the answers: "
            "account data, CSRF tokens, API keys."
        ),
        example='CORS(app, origins="*", supports_credentials=True)',
        fix=(
            "List the trusted origins explicitly when credentials are allowed; if any origin must "
            "call the API, drop credentials and authenticate with a token header instead of "
            "cookies."
        ),
        fix_by_api=(
            FixText(
                ("flask_cors",),
                (
                    "List the trusted origins: `CORS(app, origins=['https://app.example.com'], "
                    "supports_credentials=True)`; if any origin must call the API, drop "
                    "`supports_credentials` and authenticate with a token header instead of "
                    "cookies."
                ),
            ),
            FixText(
                ("starlette", "fastapi"),
                (
                    "List the trusted origins: `CORSMiddleware(app, "
                    "allow_origins=['https://app.example.com'], allow_credentials=True)`, never "
                    "`['*']` or an `allow_origin_regex` matching everything with credentials."
                ),
            ),
            FixText(
                ("aiohttp_cors",),
                (
                    "Give `aiohttp_cors.setup(app, defaults={...})` the trusted origins as keys "
                    "instead of `'*'` when `allow_credentials=True`."
                ),
            ),
            FixText(
                ("django", "rest_framework"),
                (
                    "List the trusted origins in `CORS_ALLOWED_ORIGINS` (django-cors-headers) "
                    "instead of `CORS_ALLOW_ALL_ORIGINS = True` when `CORS_ALLOW_CREDENTIALS` is "
                    "on."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/942.html",
            "https://portswigger.net/web-security/cors",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials",
        ),
    )
    calls = _FLASK_CORS | _STARLETTE_CORS | _STARLETTE_MIDDLEWARE | _AIOHTTP_OPTIONS
    nodes = (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.Call)
    methods = frozenset({"add_middleware"})
    # supports_credentials=, allow_credentials=, CORS_ALLOW_CREDENTIALS, or the
    # Access-Control-Allow-Credentials header (any case): no report without credentials
    triggers = frozenset({"credentials"})
    triggers_ignore_case = True

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _FLASK_CORS:
            yield from _flask_cors(call, name, ctx)
        elif name in _STARLETTE_CORS:
            yield from _starlette(call, call, ctx)
        elif name in _STARLETTE_MIDDLEWARE and call.args:
            if ctx.resolve(call.args[0]) in _STARLETTE_CORS:
                yield from _starlette(call, call, ctx)
        elif name in _AIOHTTP_OPTIONS:
            yield from _aiohttp_cors(call, ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Module):
            yield from _django_cors_headers(ctx)
            yield from _reflected_origin(ctx.tree, ctx)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield from _reflected_origin(node, ctx)
        elif isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "add_middleware"
                and node.args
                and ctx.resolve(node.args[0]) in _STARLETTE_CORS
            ):
                yield from _starlette(node, node, ctx)


def _flask_cors(call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
    """flask-cors defaults to origins='*' and reflects the Origin when credentials are on."""
    top_origins = _value_or_default(keyword(call, "origins"), ctx)
    top_credentials = ctx.constant_value(keyword(call, "supports_credentials"))
    resources = keyword(call, "resources")
    label = f"{name.rsplit('.', 1)[-1]}(...)"
    if isinstance(resources, ast.Dict):
        # per-resource options override the top-level ones
        for options in resources.values:
            if not isinstance(options, ast.Dict):
                continue
            given: dict[str, ast.expr] = {}  # option -> value; `**opts` and odd keys skipped
            for key, value in zip(options.keys, options.values, strict=True):
                option = ctx.constant_value(key)
                if isinstance(option, str):
                    given[option] = value
            origins = ctx.constant_value(given["origins"]) if "origins" in given else top_origins
            credentials = (
                ctx.constant_value(given["supports_credentials"])
                if "supports_credentials" in given
                else top_credentials
            )
            if credentials is True and _any_origin(origins):
                yield Hit(call, _message(label))
                return
        return
    if top_credentials is True and _any_origin(top_origins):
        yield Hit(call, _message(label))


def _starlette(call: ast.Call, report: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
    """Starlette/FastAPI CORSMiddleware echoes the Origin when allow_origins=['*'] and
    allow_credentials=True (and for any origin matching allow_origin_regex)."""
    if not _is_true(keyword(call, "allow_credentials"), ctx):
        return
    origins = ctx.constant_value(keyword(call, "allow_origins"))
    regex = ctx.constant_value(keyword(call, "allow_origin_regex"))
    if _any_origin(origins) or (isinstance(regex, str) and regex in _ANY_ORIGIN_REGEXES):
        yield Hit(report, _message("CORSMiddleware"))


def _aiohttp_cors(call: ast.Call, ctx: ModuleContext) -> Iterable[Hit]:
    """aiohttp_cors.setup(app, defaults={"*": ResourceOptions(allow_credentials=True)})."""
    if not _is_true(keyword(call, "allow_credentials"), ctx):
        return
    parent = ctx.parent(call)
    if isinstance(parent, ast.Dict):
        for key, value in zip(parent.keys, parent.values, strict=True):
            if value is call and ctx.constant_value(key) == "*":
                yield Hit(call, _message("aiohttp_cors"))


def _django_cors_headers(ctx: ModuleContext) -> Iterable[Hit]:
    found = module_settings(ctx)
    credentials = [s for s in found.get("CORS_ALLOW_CREDENTIALS", ()) if not s.development]
    if not any(ctx.constant_value(s.value) is True for s in credentials):
        return
    for key in (*_ALLOW_ALL, "CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST"):
        for setting in found.get(key, ()):
            if setting.development:
                continue
            if setting.style == "class" and settings_class(setting.node, ctx) != "django":
                continue
            value = ctx.constant_value(setting.value)
            if key in _ALLOW_ALL and value is True:
                yield Hit(setting.node, _message(f"{key} = True with CORS_ALLOW_CREDENTIALS"))
            elif isinstance(value, (list, tuple)) and _ANY_ORIGIN_REGEXES & set(map(str, value)):
                yield Hit(setting.node, _message(f"{key} matching any origin"))


def _reflected_origin(scope: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
    """A handler that copies the request's Origin into Access-Control-Allow-Origin, with
    Access-Control-Allow-Credentials: true, without checking it against a list."""
    if "access-control-allow-credentials" not in ctx.memo.setdefault(
        "lower-text", ctx.source.text.lower()
    ):
        return  # the header is never named in this module
    headers = list(_header_writes(scope, ctx))
    if not any(name == _ACAC and _is_true_text(value, ctx) for name, value, _ in headers):
        return
    for name, value, node in headers:
        if name != _ACAO:
            continue
        origin_var = _origin_variable(value, ctx)
        if origin_var is None:
            continue
        if origin_var and _is_checked(origin_var, scope):
            continue
        yield Hit(
            node,
            "Access-Control-Allow-Origin copies the request's Origin header, with "
            "Access-Control-Allow-Credentials: true and no allow-list check: any web page "
            "the victim opens can call this endpoint with the victim's cookies and read "
            "the response.",
        )


def _header_writes(scope: ast.AST, ctx: ModuleContext) -> Iterable[tuple[str, ast.expr, ast.AST]]:
    """(lower-case header name, value, node) for `h["X"] = v`, `set_header("X", v)`,
    `headers.add("X", v)`, `{"X": v}` and `("X", v)` within one function (or module)."""
    nodes = scope_nodes(scope)
    for node in nodes:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript):
                    key = ctx.constant_value(target.slice)
                    if isinstance(key, str):
                        yield key.lower(), node.value, node
        elif isinstance(node, ast.Call) and len(node.args) >= 2:
            key = ctx.constant_value(node.args[0])
            if isinstance(key, str) and isinstance(node.func, ast.Attribute):
                yield key.lower(), node.args[1], node
        elif isinstance(node, ast.Dict):
            for key_node, value in zip(node.keys, node.values, strict=True):
                key = ctx.constant_value(key_node)
                if isinstance(key, str):
                    yield key.lower(), value, value
        elif isinstance(node, ast.Tuple) and len(node.elts) == 2:
            key = ctx.constant_value(node.elts[0])
            if isinstance(key, str):
                yield key.lower(), node.elts[1], node


def _origin_variable(value: ast.expr, ctx: ModuleContext, depth: int = 0) -> str | None:
    """'' when `value` reads the request's Origin header directly, the variable's name when
    it is a variable holding it, None when it is not the Origin."""
    if _reads_origin(value, ctx):
        return ""
    if isinstance(value, ast.Name) and depth < 3:
        for bound in assigned_values(value.id, value, ctx):
            if _origin_variable(bound, ctx, depth + 1) is not None:
                return value.id
    return None


def _reads_origin(node: ast.expr, ctx: ModuleContext) -> bool:
    """`request.headers.get("Origin")`, `request.META["HTTP_ORIGIN"]`, `headers["origin"]`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("get", "getheader", "get_header")
        and node.args
    ):
        key = ctx.constant_value(node.args[0])
        return isinstance(key, str) and key.lower() in _ORIGIN_KEYS
    if isinstance(node, ast.Subscript):
        key = ctx.constant_value(node.slice)
        return isinstance(key, str) and key.lower() in _ORIGIN_KEYS
    if isinstance(node, ast.BoolOp):
        return any(_reads_origin(v, ctx) for v in node.values)
    return False


def _is_checked(variable: str, scope: ast.AST) -> bool:
    """The origin is compared, looked up or matched before use (`if origin in ALLOWED`)."""
    for node in scope_nodes(scope):
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            sides = [node.left, node.comparators[0]]
            if not any(isinstance(n, ast.Name) and n.id == variable for n in sides):
                continue
            other = (
                sides[1] if isinstance(sides[0], ast.Name) and sides[0].id == variable else sides[0]
            )
            op = node.ops[0]
            if isinstance(op, (ast.In, ast.NotIn)):
                return True
            if isinstance(op, (ast.Eq, ast.NotEq)) and not (
                isinstance(other, ast.Constant) and other.value in (None, "", "null")
            ):
                return True
        elif isinstance(node, ast.Call) and any(
            isinstance(a, ast.Name) and a.id == variable for a in node.args
        ):
            name = call_name(node)
            lowered = name.lower()
            if name in ("match", "fullmatch", "search", "endswith", "startswith") or any(
                w in lowered for w in ("allow", "valid", "trust")
            ):
                return True
    return False


def _value_or_default(node: ast.expr | None, ctx: ModuleContext) -> object:
    return "*" if node is None else ctx.constant_value(node)


def _any_origin(origins: object) -> bool:
    if isinstance(origins, str):
        return origins in ("*", *_ANY_ORIGIN_REGEXES)
    if isinstance(origins, (list, tuple, set)):
        return any(_any_origin(o) for o in origins)
    return False


def _is_true(node: ast.expr | None, ctx: ModuleContext) -> bool:
    return ctx.constant_value(node) is True


def _is_true_text(node: ast.expr, ctx: ModuleContext) -> bool:
    value = ctx.constant_value(node)
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def _message(what: str) -> str:
    return (
        f"{what} allows every origin together with credentials: the server echoes any "
        "Origin with Access-Control-Allow-Credentials: true, so any web page the victim "
        "opens can call it with the victim's cookies and read the answers."
    )
