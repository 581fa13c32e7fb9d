"""Phase 1 of `query-not-scoped-to-project`: the handlers of OpenStack-style API controllers.

A WSGI controller is a class with a method named `index`, `show`, `detail`, `create`,
`update` or `delete` taking the request (`req`, `request`) first; its handlers are its
methods taking the request, public (`update_all`) or decorated (`@wsgi.action(...)`). A Pecan
controller's handlers are its exposed `get_one`, `get_all`, `get`, `post`, `put`, `patch`
and `delete` (`@pecan.expose`, `@wsme_pecan.wsexpose`). In a handler, the request context
is a parameter named so, or a local taken from `req.environ["….context"]`,
`request.context` or `pecan.request.context["…_context"]`; an elevated context is
`context.elevated()` or `get_admin_context()`. Client data are the handler's parameters
(the id in the URL, the body, `**kwargs`) and `req.GET`/`req.params`, followed through
assignments; an object a scoped lookup returned is the caller's, not client data.

A lookup is a call with client data among its arguments that reads the data layer:
"scoped" when it takes the caller's own context (nova's and cinder's DB layer scopes by it:
`model_query(context, ..., project_only=True)`) or the caller's project, "elevated" when it
takes an elevated context only, "bare" when a database session or query takes no context.
Whether a handler that does not scope is a defect needs its siblings and its policy's
default check string, both decided in `project.py`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secreview import lazyre
from secreview.model import Finding, Location
from secreview.python.access.facts import Handler, Lookup, PolicyUse
from secreview.python.context import ModuleContext, last_name
from secreview.rules import get_rule

RULE = "query-not-scoped-to-project"
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
HANDLER_NAMES = frozenset({"index", "show", "detail", "create", "update", "delete"})
# a Pecan RestController's methods: the id is an argument, the request a global
PECAN_NAMES = HANDLER_NAMES | {"get", "get_all", "get_one", "post", "put", "patch"}
_EXPOSE = frozenset({"expose", "wsexpose", "when"})
_REQUESTS = frozenset({"req", "request"})
_CONTEXT_PARAMS = frozenset({"context", "ctxt", "ctx"})
_NOT_CLIENT = _REQUESTS | _CONTEXT_PARAMS | {"self"}
# calls that read (or change) stored objects by what they are given
_FETCH = lazyre.compile(
    r"^_?(get|list|show|find|fetch|lookup|query|destroy|delete|update|filter|filter_by)"
    r"|_(get|get_all|list|show|destroy|delete|update|lookup)(_|$)|^get$"
)
# the roots of a raw database query, which takes no context to scope by
_RAW_QUERY = lazyre.compile(
    r"(^|\.)(session|get_session\(\)|query|model_query|db|objects)(\.|\(|$)"
)
# policy checks: `context.can(...)`, `context.authorize(...)`, `policy.enforce(ctx, ...)`
_CONTEXT_CHECKS = frozenset({"can", "authorize"})
_POLICY_CHECKS = frozenset({"enforce", "authorize", "check"})
# what holds them: `policy.enforce(...)`, `self.enforcer.authorize(...)`
_POLICY_HOLDERS = ("policy", "policies", "enforcer")
# calls that make a context from a context, keeping its project (`target_cell(ctx, cell)`)
_DERIVING = frozenset({"target_cell", "set_target_cell", "copy", "deepcopy", "to_policy_values"})
_ADMIN_TESTS = frozenset(
    {"is_admin", "require_admin_context", "check_is_admin", "is_admin_context"}
)  # fmt: skip


def handlers(ctx: ModuleContext) -> Iterator[Handler]:
    """The module's API handlers, each with its lookups and policy checks."""
    text = ctx.source.text
    if "context" not in text or not any(word in text for word in ("req", "request")):
        return
    for statement in ctx.tree.body:
        if not isinstance(statement, ast.ClassDef):
            continue
        methods = [
            m
            for m in statement.body
            if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))
            and (_takes_request(m) or _exposed(m))
        ]
        if not any(m.name in HANDLER_NAMES or _exposed(m) for m in methods):
            continue
        if not _reads_context(statement):
            continue  # a view class of another framework (DRF's `update(self, request)`)
        resource = f"{ctx.symbols.module}.{statement.name}"
        helpers = _helpers(statement, ctx)
        for method in methods:
            if not method.name.startswith("_") or method.decorator_list:
                yield _handler(method, resource, ctx, helpers)


def _reads_context(cls: ast.ClassDef) -> bool:
    """The class works with a request context: a name or attribute `context` (or `ctxt`)."""
    for node in ast.walk(cls):
        if isinstance(node, ast.Name) and node.id in _CONTEXT_PARAMS:
            return True
        if isinstance(node, ast.arg) and node.arg in _CONTEXT_PARAMS:
            return True
        if isinstance(node, ast.Attribute) and node.attr == "context":
            return True
    return False


def _exposed(fn: FunctionNode) -> bool:
    """A Pecan controller's method: `@pecan.expose(...)`, `@wsme_pecan.wsexpose(...)`."""
    return fn.name in PECAN_NAMES and any(last_name(d) in _EXPOSE for d in fn.decorator_list)


def _takes_request(fn: FunctionNode) -> bool:
    args = fn.args.posonlyargs + fn.args.args
    return len(args) >= 2 and args[0].arg == "self" and args[1].arg in _REQUESTS


class _Scan:
    """The names of one handler: contexts, elevated contexts, client data, project filters."""

    def __init__(self, fn: FunctionNode) -> None:
        params = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        if fn.args.vararg:
            params.append(fn.args.vararg)
        if fn.args.kwarg:
            params.append(fn.args.kwarg)
        self.contexts = {p.arg for p in params if p.arg in _CONTEXT_PARAMS}
        self.elevated: set[str] = set()
        self.client = {p.arg for p in params if p.arg not in _NOT_CLIENT}
        self.project: set[str] = set()  # filters holding the caller's project

    def is_context(self, node: ast.expr) -> bool:
        """`req.environ["nova.context"]`, `req.environ.get(...)`, `request.context`."""
        if isinstance(node, ast.Call) and last_name(node) == "get":
            node = node.func.value if isinstance(node.func, ast.Attribute) else node
        if isinstance(node, ast.Subscript):
            key = node.slice
            return (
                last_name(node.value) in ("environ", "context")
                and isinstance(key, ast.Constant)
                and str(key.value).endswith("context")
            )
        if isinstance(node, ast.Attribute):
            return node.attr == "context" and last_name(node.value) in _REQUESTS
        return False

    def elevates(self, node: ast.AST) -> bool:
        """`context.elevated()`, `get_admin_context()`, or a name bound to one."""
        if isinstance(node, ast.Name):
            return node.id in self.elevated
        return isinstance(node, ast.Call) and last_name(node) in ("elevated", "get_admin_context")

    def is_context_name(self, node: ast.AST) -> bool:
        return (isinstance(node, ast.Name) and node.id in self.contexts) or self.elevates(node)

    def plain_context(self, node: ast.AST) -> bool:
        return isinstance(node, ast.Name) and node.id in self.contexts - self.elevated

    def reads_client(self, node: ast.AST) -> bool:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in self.client:
                return True
            if (
                isinstance(sub, ast.Attribute)
                and sub.attr in ("GET", "params", "json", "json_body", "body")
                and last_name(sub.value) in _REQUESTS
            ):
                return True
        return False

    def reads_project(self, node: ast.AST) -> bool:
        """The caller's project or user: `context.project_id`, a filter set to it."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id in self.project:
                return True
            if (
                isinstance(sub, ast.Attribute)
                and sub.attr in ("project_id", "tenant_id", "user_id", "project", "tenant")
                and isinstance(sub.value, ast.Name)
                and sub.value.id in self.contexts
            ):
                return True
        return False


def _handler(
    fn: FunctionNode, resource: str, ctx: ModuleContext, helpers: dict[str, Lookup]
) -> Handler:
    lookups, policies, object_check, admin_check = _scan(fn, ctx, helpers)
    return Handler(
        name=fn.name,
        resource=resource,
        line=fn.lineno,
        lookups=tuple(lookups),
        object_check=object_check,
        policies=tuple(policies),
        admin_check=admin_check,
        finding=_candidate(fn, resource, ctx),
    )


def _helpers(cls: ast.ClassDef, ctx: ModuleContext) -> dict[str, Lookup]:
    """The class's private methods that look up by what they are given with an elevated
    context or a raw query, checking nothing themselves: `self._get_resource_info(ctx, kw)`."""
    found: dict[str, Lookup] = {}
    for method in cls.body:
        if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not method.name.startswith("_") or method.name.startswith("__"):
            continue
        lookups, _, object_check, admin_check = _scan(method, ctx, {})
        first = next((lookup for lookup in lookups if lookup.how != "scoped"), None)
        if first is not None and not object_check and not admin_check:
            found[method.name] = first
    return found


def _scan(
    fn: FunctionNode, ctx: ModuleContext, helpers: dict[str, Lookup]
) -> tuple[list[Lookup], list[PolicyUse], bool, bool]:
    """(lookups, policy checks, a check on the object's project, a test of an admin)."""
    scan = _Scan(fn)
    lookups: list[Lookup] = []
    policies: list[PolicyUse] = []
    object_check = admin_check = False
    for node in _in_order(fn):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            _bind(targets, node.value, scan)
        elif isinstance(node, ast.withitem) and isinstance(node.optional_vars, ast.Name):
            _bind([node.optional_vars], node.context_expr, scan)
        elif (isinstance(node, ast.Attribute) and node.attr in _ADMIN_TESTS) or (
            isinstance(node, ast.Name) and node.id in _ADMIN_TESTS
        ):
            admin_check = True
        elif isinstance(node, ast.Compare) and _owner_test(node, scan):
            object_check = True  # `if snap.project_id != context.project_id: raise ...`
        elif isinstance(node, ast.Call):
            check = _policy_check(node, scan, ctx)
            if check is not None:
                use, on_object = check
                policies.append(use)
                object_check = object_check or on_object
                continue
            lookup = _helper_call(node, scan, helpers) or _lookup(node, scan)
            if lookup is not None:
                lookups.append(lookup)
    return lookups, policies, object_check, admin_check


def _helper_call(node: ast.Call, scan: _Scan, helpers: dict[str, Lookup]) -> Lookup | None:
    """`self._helper(context, id)` where the helper looks up unscoped: its lookup, here."""
    func = node.func
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
        and func.attr in helpers
    ):
        return None
    if not any(scan.reads_client(arg) for arg in (*node.args, *(k.value for k in node.keywords))):
        return None
    inner = helpers[func.attr]
    call = f"`self.{func.attr}(...)`, which calls {inner.call} at line {inner.line}"
    return Lookup(call, node.lineno, inner.how, inner.context)


def _in_order(fn: FunctionNode) -> list[ast.AST]:
    """The handler's nodes in source order (an assignment before the calls of its value)."""
    nodes = [n for n in ast.walk(fn) if n is not fn and hasattr(n, "lineno")]
    nodes.extend(n for n in ast.walk(fn) if isinstance(n, ast.withitem))

    def key(node: ast.AST) -> tuple[int, int, bool]:
        at = node.context_expr if isinstance(node, ast.withitem) else node
        return at.lineno, at.col_offset, not isinstance(node, ast.stmt)  # type: ignore[attr-defined]

    return sorted(nodes, key=key)


def _bind(targets: list[ast.expr], value: ast.expr, scan: _Scan) -> None:
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    for target in targets:
        # `filters["project_id"] = context.project_id`
        if (
            isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Name)
            and isinstance(target.slice, ast.Constant)
            and str(target.slice.value) in ("project_id", "tenant_id", "user_id")
            and scan.reads_project(value)
        ):
            scan.project.add(target.value.id)
    derived = (
        [*value.args, *(k.value for k in value.keywords)] if isinstance(value, ast.Call) else []
    )
    if scan.is_context(value) or scan.plain_context(value):
        scan.contexts.update(names)
    elif scan.elevates(value) or (
        last_name(value) in _DERIVING and any(scan.elevates(arg) for arg in derived)
    ):
        scan.elevated.update(names)
        scan.contexts.update(names)
    elif last_name(value) in _DERIVING and any(scan.plain_context(arg) for arg in derived):
        scan.contexts.update(names)  # `with target_cell(context, cell) as cctxt`
    elif isinstance(value, ast.Dict) and scan.reads_project(value):
        scan.project.update(names)  # a filter of the caller's project (and the client's)
        if scan.reads_client(value):
            scan.client.update(names)
    elif scan.reads_client(value) and not _scoped_call(value, scan):
        scan.client.update(names)
    else:
        scan.client.difference_update(names)


def _scoped_call(value: ast.expr, scan: _Scan) -> bool:
    """The value an object a lookup with the caller's own context returns (the caller's)."""
    return isinstance(value, ast.Call) and any(
        scan.plain_context(arg) for arg in (*value.args, *(k.value for k in value.keywords))
    )


def _policy_check(node: ast.Call, scan: _Scan, ctx: ModuleContext) -> tuple[PolicyUse, bool] | None:
    """(the policy used, whether its target is the object or names its project)."""
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    args = list(node.args)
    if (
        func.attr in _CONTEXT_CHECKS
        and isinstance(func.value, ast.Name)
        and (func.value.id in scan.contexts)
    ):
        name, target = [*args, None, None][:2]
    elif func.attr in _POLICY_CHECKS and last_name(func.value) in _POLICY_HOLDERS:
        if args and scan.is_context_name(args[0]):
            args = args[1:]  # `policy.enforce(context, action, target)`
        name, target = [*args, None, None][:2]  # `policy.authorize(rule, target, creds)`
    else:
        return None
    for keyword in node.keywords:
        if keyword.arg in ("target", "target_obj", "obj"):
            target = keyword.value
        elif keyword.arg in ("action", "rule"):
            name = keyword.value
    return _policy_use(name, node.lineno, ctx), _on_object(target, scan)


def _owner_test(node: ast.Compare, scan: _Scan) -> bool:
    """A comparison of an object's project or owner with the caller's."""
    sides = [node.left, *node.comparators]
    ours = [side for side in sides if scan.reads_project(side)]
    theirs = [
        side
        for side in sides
        if isinstance(side, ast.Attribute)
        and side.attr in ("project_id", "tenant_id", "user_id", "owner")
        and not scan.reads_project(side)
    ]
    return bool(ours and theirs)


def _on_object(target: ast.expr | None, scan: _Scan) -> bool:
    """A target that is an object, or a dict naming a project that is not the caller's own
    (the caller's own project is the default target, which scopes nothing)."""
    if target is None or isinstance(target, ast.Constant):
        return False
    if isinstance(target, ast.Dict):
        for key, value in zip(target.keys, target.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and str(key.value) in ("project_id", "tenant_id", "user_id")
                and not scan.reads_project(value)
            ):
                return True
        return False
    return not scan.reads_project(target) and not scan.plain_context(target)


def _policy_use(node: ast.expr | None, line: int, ctx: ModuleContext) -> PolicyUse:
    if node is None:
        return PolicyUse("", "", "", "", line)
    shown = ast.unparse(node)[:60]
    value = ctx.constant_value(node)
    if isinstance(value, str):
        return PolicyUse(value, "", "", shown, line)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        suffix = ctx.constant_value(node.right)
        root = ctx.constant_value(node.left)
        if isinstance(suffix, str) and isinstance(root, str) and "%s" in root:
            return PolicyUse(root % suffix, "", "", shown, line)
        if isinstance(suffix, str):
            return PolicyUse("", _reference(node.left, ctx), suffix, shown, line)
    return PolicyUse("", _reference(node, ctx), "", shown, line)


def _reference(node: ast.expr, ctx: ModuleContext) -> str:
    """The qualified constant a name is, through a module alias (`POLICY = policies.ROOT`)."""
    if isinstance(node, ast.Name):
        for statement in ctx.tree.body:
            if (
                isinstance(statement, ast.Assign)
                and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name)
                and statement.targets[0].id == node.id
                and isinstance(statement.value, (ast.Name, ast.Attribute))
            ):
                node = statement.value
                break
    if isinstance(node, (ast.Name, ast.Attribute)):
        return ctx.resolve(node) or ""
    return ""


def _lookup(node: ast.Call, scan: _Scan) -> Lookup | None:
    name = last_name(node)
    if not _FETCH.search(name):
        return None
    arguments = [*node.args, *(k.value for k in node.keywords)]
    if not any(scan.reads_client(arg) for arg in arguments):
        return None
    call = f"`{ast.unparse(node.func)[:60]}(...)`"
    if any(scan.plain_context(arg) for arg in arguments) or any(
        scan.reads_project(arg) for arg in arguments
    ):
        return Lookup(call, node.lineno, "scoped", "")
    elevated = [arg for arg in arguments if scan.elevates(arg)]
    if elevated:
        return Lookup(call, node.lineno, "elevated", ast.unparse(elevated[0])[:40])
    if any(isinstance(arg, ast.Name) and arg.id in scan.contexts for arg in arguments):
        return None  # a context both elevated and not: decided where it is bound
    if _RAW_QUERY.search(ast.unparse(node.func)):
        return Lookup(call, node.lineno, "bare", "")
    return None


def _candidate(fn: FunctionNode, resource: str, ctx: ModuleContext) -> Finding:
    meta = get_rule(RULE)
    assert meta is not None
    return Finding(
        rule_id=meta.id,
        cwe=meta.cwe,
        title=meta.title,
        message="",
        severity=meta.severity,
        confidence=meta.confidence,
        location=Location(ctx.source.path, fn.lineno, fn.col_offset + 1, fn.lineno),
        snippet=ctx.line_text(fn.lineno).strip(),
        fix=meta.fix,
        scope=f"{resource}.{fn.name}",
        region=(fn.lineno, fn.lineno),
    )
