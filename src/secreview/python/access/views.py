"""Phase 1 of the access-control rules: a module's views, hooks, wrappers and settings.

A Flask view is a function routed by `@<blueprint or app>.route(...)` (or `.get`, `.post`…),
or a `MethodView` class; a Django view is a function of a `views` module taking `request`
first, or a class of one whose bases are views (Django's, DRF's, or the module's own).
Everything here reads the module alone; `project.py` decides with every module's facts.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from secreview import lazyre
from secreview.model import Finding, Location
from secreview.python.access import names
from secreview.python.access.facts import AccessFacts, Cover, View, Wrapped
from secreview.python.access.openstack import handlers
from secreview.python.access.passwords import hashing_classes, model_classes, plaintext_stores
from secreview.python.access.policies import module_constants, policy_defaults
from secreview.python.context import ModuleContext, last_name
from secreview.rules import RuleMeta, get_rule
from secreview.rules.support.bindings import producers
from secreview.rules.support.names import words
from secreview.rules.support.webconfig import class_bases

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_ROUTES = frozenset({"route", "get", "post", "put", "patch", "delete"})
# Flask hooks that run before the views of a blueprint (or, `before_app_request`, every view)
_HOOKS = frozenset({"before_request", "before_app_request", "url_value_preprocessor"})
_IDENTITY_WORDS = frozenset(
    {"session", "login", "logged", "auth", "authenticated", "token", "user", "password"}
)
_BLUEPRINTS = frozenset({"flask.Blueprint", "flask.blueprints.Blueprint", "quart.Blueprint"})
_FLASK_VIEWS = lazyre.compile(r"^(flask|quart)\.views\.(MethodView|View)$")
# a middleware that requires a login or a permission for every request (not Django's
# `AuthenticationMiddleware`, which only says who the user is)
_LOGIN_MIDDLEWARE = lazyre.compile(
    r"(LoginRequired|RequireLogin|Login\w*Middleware|AuthRequired|AuthenticationRequired|"
    r"RequireAuth|Permission\w*Middleware|Access\w*Middleware)\w*$"
)
_DENIALS = lazyre.compile(r"^(PermissionDenied|Forbidden|HTTPForbidden|HTTPUnauthorized|"
                          r"Unauthorized|NotAuthenticated|NotAuthorized)$")  # fmt: skip
RULE = "missing-authorization"
_CALLS = frozenset({ast.Call})
# text without which a module has nothing to say here
_MENTIONS = ("route", "request", "View", "before_request", "before_app_request", "MIDDLEWARE",
             "REST_FRAMEWORK", "RuleDefault", "_required", "policy", "imit", "hrottl",
             "ockout", "ttempts", "AXES", "axes", "brute", "fail", "password",
             "passwd", "context", "CSRF", "SAMESITE", "SeaSurf")  # fmt: skip


def module_facts(ctx: ModuleContext) -> AccessFacts | None:
    """The module's access-control facts, or None when it has none."""
    text = ctx.source.text
    if not any(word in text for word in _MENTIONS):
        return None
    module = ctx.symbols.module
    facts = AccessFacts(
        module=module,
        views=tuple(_views(ctx)),
        covers=tuple(_covers(ctx)),
        wrapped=tuple(_wrapped(ctx)),
        routed=tuple(_routed(ctx)),
        policies=tuple(policy_defaults(ctx)),
        constants=tuple(module_constants(ctx)),
        limits=_limits(ctx),
        imports=tuple(sorted(ctx.symbols.imported_modules)),
        hashing_classes=tuple(hashing_classes(ctx)),
        model_classes=tuple(model_classes(ctx)),
        password_stores=tuple(plaintext_stores(ctx)),
        handlers=tuple(handlers(ctx)),
        csrf=_csrf_setup(ctx),
        samesite=_samesite(ctx),
    )
    if any((facts.views, facts.covers, facts.wrapped, facts.routed, facts.policies)):
        return facts
    if facts.constants or facts.limits or facts.hashing_classes or facts.password_stores:
        return facts
    if facts.model_classes or facts.handlers or facts.csrf or facts.samesite:
        return facts
    return None


def _limits(ctx: ModuleContext) -> str:
    if not any(word in ctx.source.text for word in names.ATTEMPT_LIMIT_WORDS):
        return ""
    found = names.ATTEMPT_LIMITS.search(ctx.source.text)
    return f"`{found.group(0)}` in {ctx.source.path}" if found else ""


def scope_of(module: str) -> str:
    """The top package a project-wide setting of `module` covers ("" for a lone module)."""
    return module.split(".", 1)[0] if "." in module else ""


# --- views ---------------------------------------------------------------------------------
def _views(ctx: ModuleContext) -> Iterator[View]:
    module = ctx.symbols.module
    django = _is_views_module(module) and (
        ctx.symbols.imports("django") or ctx.symbols.imports("rest_framework")
    )
    for statement in ctx.tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            router = _flask_router(statement)
            if router is not None:
                group = ctx.resolve(router) or f"{module}.{ast.unparse(router)}"
                label = f"blueprint or app `{ast.unparse(router)}` ({module})"
                yield _view(statement, group, label, "flask", ctx)
            elif django and _takes_request(statement) and not statement.name.startswith("_"):
                yield _view(statement, _django_app(module), _app_label(module), "django", ctx)
        elif isinstance(statement, ast.ClassDef):
            if names.NOT_VIEW_CLASS.search(statement.name):
                continue
            bases = class_bases(statement, ctx)
            if any(_FLASK_VIEWS.match(b) for b in bases):
                yield _view(statement, module, f"module `{module}`", "flask", ctx)
            elif django and any(names.VIEW_BASE.search(b) for b in bases if b):
                yield _view(statement, _django_app(module), _app_label(module), "django", ctx)


def _app_label(module: str) -> str:
    return f"Django app `{_django_app(module)}`"


def _is_views_module(module: str) -> bool:
    return any(part.startswith("views") or part.endswith("views") for part in module.split("."))


def _django_app(module: str) -> str:
    parts = module.split(".")
    for index, part in enumerate(parts):
        if part.startswith("views") or part.endswith("views"):
            return ".".join(parts[:index]) or module
    return module


def _takes_request(fn: FunctionNode) -> bool:
    args = fn.args.posonlyargs + fn.args.args
    return bool(args) and args[0].arg in ("request", "req")


def _flask_router(fn: FunctionNode) -> ast.expr | None:
    for decorator in fn.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr in _ROUTES
            and isinstance(decorator.func.value, (ast.Name, ast.Attribute))
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
            and isinstance(decorator.args[0].value, str)
            and decorator.args[0].value.startswith("/")
        ):
            return decorator.func.value
    return None


def _view(
    node: FunctionNode | ast.ClassDef, group: str, label: str, framework: str, ctx: ModuleContext
) -> View:
    guard, public, drf_default = _protection(node, ctx)
    return View(
        name=node.name,
        group=group,
        group_label=label,
        line=node.lineno,
        guard=guard,
        public=public or _public_comment(node, ctx),
        writes=_writes(node, ctx),
        auth_flow=bool(names.AUTH_FLOW.search(node.name)),
        drf_default=drf_default,
        framework=framework,
        bases=tuple(last_name(b) for b in node.bases) if isinstance(node, ast.ClassDef) else (),
        finding=_candidate(node, ctx),
        fetches=tuple(_fetches(node)),
        owner_check=any(_reads_user(statement) for statement in node.body),
        privileged=_privileged(node),
        password_check=_password_check(node),
        json_any=_json_any(node) if framework == "flask" else "",
        cookie_user=_cookie_user(node, guard, ctx) if framework == "flask" else "",
        csrf_exempt=_csrf_exempt(node),
    )


# --- cookie-authenticated JSON without CSRF protection ---------------------------------------
_CSRF_SETUP = lazyre.compile(r"\b(CSRFProtect|SeaSurf)\(|\bcsrf\.init_app\(")
_CSRF_WORDS = ("CSRFProtect(", "SeaSurf(", "csrf.init_app(")  # what `_CSRF_SETUP` needs
_SAMESITE = lazyre.compile(r"SESSION_COOKIE_SAMESITE['\"]?\]?\s*[=:]\s*([^\s,)}]+)")
_RAW_BODY = frozenset({"data", "body", "get_data", "stream"})
_HEADER_AUTH = ("flask_httpauth", "flask_jwt_extended", "flask_jwt", "authlib")


def _csrf_setup(ctx: ModuleContext) -> str:
    if not any(word in ctx.source.text for word in _CSRF_WORDS):
        return ""  # cheaper than the search, which finds none
    found = _CSRF_SETUP.search(ctx.source.text)
    if not found:
        return ""
    line = ctx.source.text.count("\n", 0, found.start()) + 1
    return f"`{found.group(0)}...)` at {ctx.source.path}:{line}"


def _samesite(ctx: ModuleContext) -> tuple[str, str] | tuple[()]:
    """`SESSION_COOKIE_SAMESITE = "Lax"`, `app.config["SESSION_COOKIE_SAMESITE"] = None`,
    `config.update(SESSION_COOKIE_SAMESITE=...)`: the value as written, and where."""
    found = _SAMESITE.search(ctx.source.text)
    if not found:
        return ()
    line = ctx.source.text.count("\n", 0, found.start()) + 1
    return found.group(1), f"{ctx.source.path}:{line}"


def _json_any(node: FunctionNode | ast.ClassDef) -> str:
    """A JSON body parsed whatever its content type: `request.get_json(force=True)`,
    `json.loads(request.get_data())`; what a form of another site can send (`text/plain`)."""
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        name = last_name(sub)
        if name == "get_json" and any(
            k.arg == "force" and isinstance(k.value, ast.Constant) and k.value.value
            for k in sub.keywords
        ):
            return f"`{ast.unparse(sub)}` at line {sub.lineno}"
        if name == "loads" and sub.args and _reads_raw_body(sub.args[0]):
            return f"`{ast.unparse(sub)[:60]}` at line {sub.lineno}"
    return ""


def _reads_raw_body(node: ast.AST) -> bool:
    return any(
        isinstance(sub, ast.Attribute)
        and sub.attr in _RAW_BODY
        and last_name(sub.value) == "request"
        for sub in ast.walk(node)
    )


def _cookie_user(node: FunctionNode | ast.ClassDef, guard: str, ctx: ModuleContext) -> str:
    """How a Flask view knows its user by the session cookie (Flask-Login's `login_required`
    or `current_user`, or a project's own login decorator), or "" when it reads credentials
    from a header (`request.headers`, Flask-HTTPAuth, a JWT extension)."""
    if any(ctx.symbols.imports(m) for m in _HEADER_AUTH):
        return ""
    if any(
        isinstance(sub, ast.Attribute)
        and sub.attr in ("headers", "authorization")
        and last_name(sub.value) == "request"
        for sub in ast.walk(node)
    ):
        return ""
    if guard.endswith("login_required"):  # Flask-Login's, or a project's own of its kind
        return f"`{guard}`"
    if any(isinstance(sub, ast.Name) and sub.id == "current_user" for sub in ast.walk(node)):
        return "`current_user`"
    return ""


def _csrf_exempt(node: FunctionNode | ast.ClassDef) -> str:
    for decorator in node.decorator_list:
        written = ast.unparse(decorator)
        if "csrf" in written.lower() and "exempt" in written.lower():
            return f"`@{written}`"
    return ""


def _password_check(node: FunctionNode | ast.ClassDef) -> str:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and last_name(sub) in names.PASSWORD_CHECKS:
            return f"`{ast.unparse(sub.func)}(...)` at line {sub.lineno}"
    return ""


# --- objects fetched by an id ----------------------------------------------------------------
_BY_ID = lazyre.compile(r"^(pk|id|uuid|slug|\w+_id|\w+_pk)$")


def _fetches(node: FunctionNode | ast.ClassDef) -> Iterator[tuple[str, int, bool, str]]:
    """`get_object_or_404(Invoice, pk=pk)`, `Invoice.objects.get(pk=pk)`,
    `Note.query.get_or_404(note_id)`, `db.session.get(Note, note_id)`, with whether the query
    itself is scoped to the signed-in user (`customer=request.user`)."""
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        func, name = sub.func, last_name(sub)
        model = ""
        keywords = [k for k in sub.keywords if k.arg]
        if name == "get_object_or_404" and sub.args:
            model = last_name(sub.args[0])
        elif name in ("get", "filter", "filter_by", "get_or_404", "first_or_404"):
            holder = func.value if isinstance(func, ast.Attribute) else None
            if isinstance(holder, ast.Attribute) and holder.attr in ("objects", "query"):
                model = last_name(holder.value)
            elif name == "get" and isinstance(holder, ast.Attribute) and holder.attr == "session":
                model = last_name(sub.args[0]) if len(sub.args) == 2 else ""
            if name in ("get", "get_or_404") and holder is not None and sub.args:
                keywords = keywords or [ast.keyword("id", sub.args[-1])]
        if not model or not model[:1].isupper():
            continue
        by_id = [k for k in keywords if k.arg and _BY_ID.match(k.arg)]
        if not by_id or any(isinstance(k.value, ast.Constant) for k in by_id):
            continue
        scoped = any(_reads_user(k.value) for k in keywords)
        yield model, sub.lineno, scoped, f"`{ast.unparse(func)[:50]}(...)`"


def _reads_user(node: ast.AST) -> bool:
    """The signed-in user: `current_user`, `request.user`, `g.user`, `self.request.user`,
    `has_perm(...)`, a session's user id."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute):
            if sub.attr == "user" and last_name(sub.value) in names.USER_HOLDERS:
                return True
            if sub.attr in ("current_user", "has_perm", "has_object_permission"):
                return True
        elif isinstance(sub, ast.Name) and sub.id in ("current_user", "get_current_user"):
            return True
        elif isinstance(sub, ast.Subscript) and last_name(sub.value) == "session":
            key = sub.slice
            if isinstance(key, ast.Constant) and "user" in str(key.value):
                return True
    return False


def _privileged(node: FunctionNode | ast.ClassDef) -> bool:
    """Only administrators, staff or holders of a permission reach it: any object is theirs."""
    marks = [last_name(d) for d in node.decorator_list]
    for decorator in node.decorator_list:
        if isinstance(decorator, ast.Call):
            marks.extend(last_name(a) for a in decorator.args)
    if isinstance(node, ast.ClassDef):
        marks.extend(last_name(b) for b in node.bases)
        for statement in node.body:
            assigned = _class_assignment(statement)
            if assigned is None:
                continue
            if assigned[0] == "permission_classes":
                marks.append(ast.unparse(assigned[1]))
            elif names.PERMISSION_ATTRIBUTE.match(assigned[0]) and not _empty(assigned[1]):
                marks.append("permission")
    return any(names.PRIVILEGED.search(mark) for mark in marks)


def _protection(node: FunctionNode | ast.ClassDef, ctx: ModuleContext) -> tuple[str, str, bool]:
    """(guard, public mark, DRF view relying on the project's default permissions)."""
    decorators = list(node.decorator_list)
    drf = False
    if isinstance(node, ast.ClassDef):
        bases = class_bases(node, ctx)
        drf = any(b.startswith("rest_framework.") for b in bases)
        for base in node.bases:
            if names.GUARD_BASE.search(last_name(base)):
                return f"base `{last_name(base)}`", "", False
        for statement in node.body:
            assigned = _class_assignment(statement)
            if assigned is None:
                continue
            target, value = assigned
            if target == "permission_classes":
                return _permission_classes(value)
            if target == "decorators" and isinstance(value, (ast.List, ast.Tuple)):
                decorators.extend(value.elts)
            if names.PERMISSION_ATTRIBUTE.match(target) and not _empty(value):
                return f"`{target} = {ast.unparse(value)[:60]}`", "", False
            if target == "test_func" or (
                isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
                and statement.name in ("test_func", "has_permission", "dispatch")
                and _checks_caller(statement)
            ):
                return f"`{target}`", "", False
        for method in node.body:
            if isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                decorators.extend(method.decorator_list if method.name == "dispatch" else ())
    for decorator in decorators:
        for name, call in _decorator_names(decorator):
            if name in names.NOT_GUARDS:
                continue
            if names.PUBLIC.match(name):
                return "", f"@{name}", False
            if name == "api_view":
                drf = True
            if name == "permission_classes" and call is not None and call.args:
                return _permission_classes(call.args[0])
            if names.GUARD.search(name):
                return f"@{name}", "", False
    if _checks_caller(node):
        return "a check of the caller in its body", "", False
    return "", "", drf


def _class_assignment(statement: ast.stmt) -> tuple[str, ast.expr] | None:
    if isinstance(statement, ast.AnnAssign) and statement.value is not None:
        statement = ast.Assign(targets=[statement.target], value=statement.value)
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return statement.targets[0].id, statement.value
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return statement.name, ast.Constant(None)
    return None


def _empty(value: ast.expr) -> bool:
    return (isinstance(value, ast.Constant) and not value.value) or (
        isinstance(value, (ast.List, ast.Tuple, ast.Set)) and not value.elts
    )


def _permission_classes(value: ast.expr) -> tuple[str, str, bool]:
    classes = value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
    shown = ast.unparse(value)[:80]
    if all(last_name(c) in names.OPEN_PERMISSIONS for c in classes):
        return "", f"`permission_classes = {shown}`", False
    return f"`permission_classes = {shown}`", "", False


def _decorator_names(decorator: ast.expr) -> Iterator[tuple[str, ast.Call | None]]:
    """The names a decorator applies: its own, and those `method_decorator(...)` wraps."""
    call = decorator if isinstance(decorator, ast.Call) else None
    name = last_name(decorator)
    if name == "method_decorator" and call is not None and call.args:
        wrapped = call.args[0]
        items = wrapped.elts if isinstance(wrapped, (ast.List, ast.Tuple)) else [wrapped]
        for item in items:
            yield last_name(item), item if isinstance(item, ast.Call) else None
        return
    if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Call):
        yield last_name(decorator.func), decorator.func  # `@permission_required("x")(...)`
    yield name, call


def _checks_caller(node: ast.AST) -> bool:
    """The body reads the caller's identity or denies access itself."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute):
            if names.IDENTITY.match(sub.attr):
                return True
            if sub.attr == "user" and last_name(sub.value) in names.USER_HOLDERS:
                return True
        elif isinstance(sub, ast.Name) and names.IDENTITY.match(sub.id):
            return True
        elif isinstance(sub, ast.Raise) and sub.exc is not None:
            if _DENIALS.match(last_name(sub.exc)):
                return True
        elif isinstance(sub, ast.Call) and last_name(sub) == "abort" and sub.args:
            first = sub.args[0]
            if isinstance(first, ast.Constant) and first.value in (401, 403):
                return True
    return False


def _public_comment(node: FunctionNode | ast.ClassDef, ctx: ModuleContext) -> str:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    for line in range(max(1, first - 2), node.lineno + 1):
        if names.PUBLIC_COMMENT.search(ctx.line_text(line)):
            return "`# secreview: public`"
    return ""


def _writes(node: FunctionNode | ast.ClassDef, ctx: ModuleContext) -> str:
    """The first state change of the view, as written, with its line; "" if none."""
    if isinstance(node, ast.ClassDef):
        for base in class_bases(node, ctx):
            if names.WRITING_BASES.search(base):
                return f"inherits `{base.rsplit('.', 1)[-1]}`"
    for sub in ast.walk(node):
        if not isinstance(sub, ast.Call):
            continue
        func = sub.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            if method in names.WRITE_METHODS or (
                method in names.QUERY_WRITES and on_query(func.value)
            ):
                return f"`{ast.unparse(func)[:60]}(...)` at line {sub.lineno}"
        if (ctx.resolve(func) or "") in names.FILE_WRITES:
            return f"`{ast.unparse(func)}(...)` at line {sub.lineno}"
    return ""


def on_query(receiver: ast.expr) -> bool:
    """A query or a database session: `Order.objects.filter(...)`, `db.session`."""
    node: ast.AST = receiver
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            if names.QUERY_HOLDERS.match(node.attr):
                return True
            node = node.value
        elif isinstance(node, ast.Name):
            return bool(names.QUERY_HOLDERS.match(node.id))
        else:
            return False


def _candidate(node: FunctionNode | ast.ClassDef, ctx: ModuleContext) -> Finding:
    meta = get_rule(RULE)
    assert isinstance(meta, RuleMeta)
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    column = node.col_offset + 1
    location = Location(ctx.source.path, node.lineno, column, node.lineno)
    snippet = ctx.line_text(node.lineno).strip()
    return Finding(
        rule_id=meta.id,
        cwe=meta.cwe,
        title=meta.title,
        message="",
        severity=meta.severity,
        confidence=meta.confidence,
        location=location,
        snippet=snippet,
        fix=meta.fix,
        scope=f"{ctx.symbols.module}.{node.name}",
        region=(first, node.lineno),
    )


# --- what covers many views ----------------------------------------------------------------
def _covers(ctx: ModuleContext) -> Iterator[Cover]:
    for statement in ctx.tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in statement.decorator_list:
                hooked = _hooked(decorator)
                if hooked is not None and _checks_caller_or_leaves(statement):
                    privileged = bool(names.PRIVILEGED.search(ast.unparse(statement)))
                    yield _hook(hooked, decorator, statement.name, privileged, ctx)
        elif isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
            call = statement.value
            hooked = _hooked(call.func)
            if hooked is not None and call.args and _hook_function_checks(call.args[0], ctx):
                yield _hook(hooked, call.func, ast.unparse(call.args[0]), False, ctx)
        assigned = _module_assignment(statement)
        if assigned is not None:
            yield from _settings_covers(*assigned, ctx)


def _settings_covers(target: str, value: ast.expr, ctx: ModuleContext) -> Iterator[Cover]:
    """A login-requiring middleware, or DRF default permission classes that are not open."""
    scope, path = scope_of(ctx.symbols.module), ctx.source.path
    if target in ("MIDDLEWARE", "MIDDLEWARE_CLASSES"):
        for item in ast.walk(value):
            text = item.value if isinstance(item, ast.Constant) else None
            if isinstance(text, str) and _LOGIN_MIDDLEWARE.search(text):
                evidence = f"`{text}` in {target}"
                yield Cover("middleware", "", scope, evidence, path, item.lineno)
    elif target == "REST_FRAMEWORK" and isinstance(value, ast.Dict):
        for key, classes in zip(value.keys, value.values, strict=True):
            if not (isinstance(key, ast.Constant) and key.value == "DEFAULT_PERMISSION_CLASSES"):
                continue
            items = classes.elts if isinstance(classes, (ast.List, ast.Tuple)) else []
            strings = [str(i.value) for i in items if isinstance(i, ast.Constant)]
            if any(s.rsplit(".", 1)[-1] not in names.OPEN_PERMISSIONS for s in strings):
                evidence = f"DEFAULT_PERMISSION_CLASSES = [{', '.join(strings)}]"
                yield Cover("drf-default", "", scope, evidence, path, key.lineno)


def _module_assignment(statement: ast.stmt) -> tuple[str, ast.expr] | None:
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return statement.targets[0].id, statement.value
    if isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        return statement.target.id, statement.value
    return None


def _hooked(node: ast.expr) -> tuple[ast.expr, str] | None:
    """(the object hooked, the hook) of `@bp.before_request` / `app.before_request`."""
    if isinstance(node, ast.Attribute) and node.attr in _HOOKS:
        return node.value, node.attr
    return None


def _hook(
    hooked: tuple[ast.expr, str], at: ast.expr, function: str, privileged: bool, ctx: ModuleContext
) -> Cover:
    obj, hook = hooked
    module = ctx.symbols.module
    blueprint = hook != "before_app_request" and bool(producers(obj, ctx) & _BLUEPRINTS)
    target = (ctx.resolve(obj) or f"{module}.{ast.unparse(obj)}") if blueprint else ""
    evidence = f"`{ast.unparse(obj)}.{hook}` hook `{function}`"
    path = ctx.source.path
    return Cover("hook", target, scope_of(module), evidence, path, at.lineno, privileged)


def _checks_caller_or_leaves(fn: FunctionNode) -> bool:
    """A hook that checks who calls: it reads the caller (`current_user`, `request.user`), or
    it reads a session, login or token and can end the request. A hook that only sets up
    the request (`g.locale = ...`, a redirect to a setup page) covers nothing."""
    if _checks_caller(fn):
        return True
    identity = leaves = False
    for sub in ast.walk(fn):
        if isinstance(sub, ast.Raise) or (
            isinstance(sub, ast.Call) and last_name(sub) in ("abort", "redirect")
        ):
            leaves = True
        name = sub.id if isinstance(sub, ast.Name) else getattr(sub, "attr", "")
        if isinstance(name, str) and _IDENTITY_WORDS.intersection(words(name)):
            identity = True
    return identity and leaves


def _hook_function_checks(arg: ast.expr, ctx: ModuleContext) -> bool:
    """`app.before_request(check_login)`: the hook function of the module checks."""
    if isinstance(arg, ast.Name):
        for statement in ctx.tree.body:
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
                statement.name == arg.id
            ):
                return _checks_caller_or_leaves(statement)
    return bool(names.GUARD.search(last_name(arg)))


# --- views wrapped where they are routed ---------------------------------------------------
@lru_cache(maxsize=4096)
def _is_guard(name: str) -> bool:
    """A call of this name may wrap a view in a check (`login_required(view)`): asked of
    every call with arguments, whose names repeat."""
    return name not in names.NOT_GUARDS and names.GUARD.search(name) is not None


def _wrapped(ctx: ModuleContext) -> Iterator[Wrapped]:
    for node in ctx.nodes_of(_CALLS):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        guard = last_name(node.func)
        if isinstance(node.func, ast.Call):  # `permission_required("x")(views.f)`
            guard = last_name(node.func.func)
        if not guard or not _is_guard(guard):
            continue
        view = node.args[0]
        if isinstance(view, ast.Call) and last_name(view) == "as_view":
            view = view.func.value if isinstance(view.func, ast.Attribute) else view
        if isinstance(view, (ast.Name, ast.Attribute)):
            yield Wrapped(last_name(view), guard, ctx.source.path, node.lineno)


# --- views routed by a urlconf or a router -------------------------------------------------
_ROUTERS = frozenset({"path", "re_path", "url", "register", "add_url_rule", "route"})


def _routed(ctx: ModuleContext) -> Iterator[str]:
    """`path("x/", views.x)`, `re_path(r"^x$", X.as_view())`, `router.register("x", XViewSet)`:
    Django views must be routed to be reachable (a function taking `request` may be a helper)."""
    for node in ctx.nodes_of(_CALLS):
        if not isinstance(node, ast.Call) or last_name(node.func) not in _ROUTERS:
            continue
        for arg in (*node.args[1:3], *(k.value for k in node.keywords if k.arg)):
            while isinstance(arg, ast.Call):  # `login_required(views.x)`, `X.as_view()`
                if last_name(arg) == "as_view" and isinstance(arg.func, ast.Attribute):
                    arg = arg.func.value
                elif arg.args:
                    arg = arg.args[0]
                else:
                    break
            if isinstance(arg, (ast.Name, ast.Attribute)):
                yield last_name(arg)
