"""Which keys of the server-side session the program reads as trusted.

Request data written into the session (`trust-boundary-violation`, CWE-501) harms only
where code later takes that key's value for something the server decided: a guard that
grants or refuses (`if session.get("role") != "admin": abort(403)`), the record it acts
on (`User.query.get(session["user_id"])`), or a sink that request data must not reach
(`redirect(session.pop("next"))`). A key only shown back to the user (a language, a
layout, a last search) is the user's own choice, stored where the user could have kept it.

This pass reads one module's syntax: the session reads (`session[k]`, `session.get(k)`,
`.pop`, `.setdefault`, `k in session`) of a session object (the frameworks'
`SESSION_OBJECTS`, a request's session attribute, a variable holding what
`get_session(request)` gave), used in such a place directly or through one variable. Keys
are glob patterns: `f"payment_{provider}_token"` is `payment_*_token`, and a constant
imported from another module stands for itself (`$SESSION_KEY`). The whole-program
phase keeps a session write's flow only if a read somewhere matches its key
(`Solver.flows`); a key it cannot read (`session[key]`) is no evidence.
"""

from __future__ import annotations

import ast
import re
from fnmatch import fnmatchcase

from secreview.model import Location
from secreview.python.context import ModuleContext
from secreview.python.taint.shapes import format_literals, format_template
from secreview.python.taint.spec import SpecIndex
from secreview.rules.support.bindings import (
    assigned_values,
    enclosing_function,
    name_roots,
    scope_nodes,
)

_READ_METHODS = frozenset({"get", "pop", "setdefault"})
_REQUEST_NAMES = frozenset({"request", "req"})
# calls that end the path a guard refuses
_REFUSALS = frozenset({"abort", "redirect", "HttpResponseForbidden", "PermissionDenied"})
# ORM lookups: the value picks the record the code acts on
_LOOKUP_METHODS = frozenset({"get", "get_or_404", "filter", "filter_by", "one", "first"})
_LOOKUP_CALLS = frozenset({"django.shortcuts.get_object_or_404", "flask_sqlalchemy.get_or_404"})

# (key pattern, where it is read, the code that reads it)
TrustedRead = tuple[str, Location, str]


def key_pattern(node: ast.expr, fold: object = None) -> str:
    """A session key as a glob: a constant as is, the text of an f-string, `%` or
    `.format` with `*` for each argument, a constant of another module by its name
    (`SESSION_KEY` is `$SESSION_KEY` wherever it is used); "" when none of it is known."""
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
    if isinstance(name, str) and name.isupper():
        return f"${name}"
    if isinstance(node, ast.Constant):
        return _escape(node.value) if isinstance(node.value, str) else ""
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            _escape(v.value) if isinstance(v, ast.Constant) else "*" for v in node.values
        )
        return text if text.strip("*") else ""
    if (
        isinstance(node, ast.BinOp)
        and isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
    ):
        count = len(node.right.elts) if isinstance(node.right, ast.Tuple) else 1
        pieces = format_literals(node.left.value, count)
        text = "".join("*" if p is None else _escape(p) for p in pieces)
        return text if text.strip("*") else ""
    template = format_template(node)
    if template is not None:
        text = re.sub(r"\{[^{}]*\}", "*", _escape(template))
        return text if text.strip("*") else ""
    return ""


def _escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def matches(written: str, read: str) -> bool:
    """May a key written as `written` be the key read as `read` (both globs)? A glob and
    a plain key: by `fnmatch`; two globs: when their fixed starts and ends agree
    (`payment_*_*` and `payment_*_token` may name one key, `pay_*_account` and
    `pay_*_token` do not)."""
    if not written or not read:
        return False
    if written == read:
        return True
    if "*" not in read:
        return fnmatchcase(_plain(read), written)
    if "*" not in written:
        return fnmatchcase(_plain(written), read)
    return _agree(written, read)


def _agree(a: str, b: str) -> bool:
    start_a, end_a = a.split("*", 1)[0], a.rsplit("*", 1)[-1]
    start_b, end_b = b.split("*", 1)[0], b.rsplit("*", 1)[-1]
    return (start_a.startswith(start_b) or start_b.startswith(start_a)) and (
        end_a.endswith(end_b) or end_b.endswith(end_a)
    )


def _plain(pattern: str) -> str:
    """A key with its escapes (`[*]`) undone."""
    return re.sub(r"\[(.)\]", r"\1", pattern)


def trusted_reads(ctx: ModuleContext, spec: SpecIndex) -> tuple[TrustedRead, ...]:
    """The session keys this module reads as trusted, with where and how: a read of the
    session, or a call of a function of the module that returns one
    (`def current_user_id(): return session.get("uid")`, then
    `User.query.get(current_user_id())`)."""
    if "session" not in ctx.source.text:
        return ()
    reads: list[tuple[ast.AST, str]] = []
    named = _may_name_session_objects(ctx, spec)
    for node in ctx.nodes_of(_READS):
        read = _session_read(node, ctx, spec, named)
        if read is None:
            continue
        key = key_pattern(read)
        if not key and isinstance(folded := ctx.constant_value(read), str):
            key = key_pattern(ast.Constant(folded))  # `key = "role"; session.get(key)`
        if key:
            reads.append((node, key))
    getters = _getters(reads, ctx)
    if getters:
        for node in ctx.nodes_of(_CALLS):
            if isinstance(node, ast.Call) and _called_name(node) in getters:
                reads.append((node, getters[_called_name(node)]))
    found: list[TrustedRead] = []
    seen: set[tuple[str, int]] = set()
    for node, key in reads:
        use = _trusted_use(node, ctx, spec)
        if use is None or (key, use.lineno) in seen:
            continue
        seen.add((key, use.lineno))
        shown = use.test if isinstance(use, (ast.If, ast.While, ast.Assert)) else use
        code = ast.unparse(shown)
        found.append((key, ctx.location(shown), code if len(code) <= 80 else code[:77] + "..."))
    return tuple(found)


def _getters(reads: list[tuple[ast.AST, str]], ctx: ModuleContext) -> dict[str, str]:
    """Functions and methods of the module that return a session read: name -> key."""
    out: dict[str, str] = {}
    for node, key in reads:
        parent = ctx.parent(node)
        if isinstance(parent, ast.Return):
            function = enclosing_function(parent, ctx)
            if function is not None:
                out[function.name] = key
    return out


def _called_name(call: ast.Call) -> str | None:
    """`name(...)` or `self.name(...)`."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.attr if func.value.id in ("self", "cls") else None
    return None


_READS = frozenset({ast.Subscript, ast.Call, ast.Compare})  # what `_session_read` reads
_CALLS = frozenset({ast.Call})


def _may_name_session_objects(ctx: ModuleContext, spec: SpecIndex) -> bool:
    """Whether a name of the module may resolve to a session object (`flask.session`): its
    imports or its own package hold the object's first part. Most modules that say
    "session" mean a database's, and resolving every name they subscript costs seconds."""
    roots = name_roots(ctx)
    return any(name.split(".", 1)[0] in roots for name in spec.session_objects)


def _session_read(
    node: ast.AST, ctx: ModuleContext, spec: SpecIndex, named: bool = True
) -> ast.expr | None:
    """The key expression `node` reads from a session object, if it is such a read
    (`named`: see `_is_session`)."""
    if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
        return node.slice if _is_session(node.value, ctx, spec, named) else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _READ_METHODS
        and node.args
        and _is_session(node.func.value, ctx, spec, named)
    ):
        return node.args[0]
    if (
        isinstance(node, ast.Compare)
        and len(node.ops) == 1
        and isinstance(node.ops[0], (ast.In, ast.NotIn))
        and _is_session(node.comparators[0], ctx, spec, named)
    ):
        return node.left
    return None


def _is_session(node: ast.expr, ctx: ModuleContext, spec: SpecIndex, named: bool = True) -> bool:
    """A session object: `flask.session` or a local made by one (only when `named`, see
    `_may_name_session_objects`), or a request's `.session`."""
    if named and ctx.resolve(node) in spec.session_objects:
        return True
    if isinstance(node, ast.Attribute) and node.attr == "session":
        owner = node.value
        if isinstance(owner, ast.Name):
            return owner.id in _REQUEST_NAMES
        return (
            isinstance(owner, ast.Attribute)
            and owner.attr == "request"
            and isinstance(owner.value, ast.Name)
            and owner.value.id == "self"
        )
    if named and isinstance(node, ast.Name):
        for value in assigned_values(node.id, node, ctx):
            inner = value.value if isinstance(value, ast.Await) else value
            if isinstance(inner, ast.Call) and ctx.resolve(inner.func) in spec.session_objects:
                return True
    return False


def _trusted_use(read: ast.AST, ctx: ModuleContext, spec: SpecIndex) -> ast.AST | None:
    """The statement or call where the value read is taken as the server's: `read` itself
    in a guard, a lookup or a sink, or a variable assigned it, used so in its function."""
    use = _use_of(read, ctx, spec)
    if use is not None:
        return use
    parent = ctx.parent(read)
    if (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        name = parent.targets[0].id
        scope = enclosing_function(parent, ctx) or ctx.tree
        for other in scope_nodes(scope):
            if (
                isinstance(other, ast.Name)
                and other.id == name
                and isinstance(other.ctx, ast.Load)
                and (use := _use_of(other, ctx, spec)) is not None
            ):
                return use
    return None


def _use_of(node: ast.AST, ctx: ModuleContext, spec: SpecIndex) -> ast.AST | None:
    child, parent = node, ctx.parent(node)
    while parent is not None and isinstance(
        parent, (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Call, ast.keyword, ast.Await)
    ):
        if isinstance(parent, ast.Call) and child is not parent.func:
            if _lookup(parent, ctx) or _sink(parent, ctx, spec):
                return parent
            return None  # passed to some other call: its result is something else
        child, parent = parent, ctx.parent(parent)
    if isinstance(parent, ast.Assert) and child is parent.test:
        return parent
    if isinstance(parent, (ast.If, ast.While)) and child is parent.test and _guards(parent):
        return parent
    return None


def _guards(statement: ast.If | ast.While) -> bool:
    """A branch that ends the path (return, raise, a refusal): the test decides access."""
    for branch in (statement.body, statement.orelse):
        for inner in branch:
            if isinstance(inner, (ast.Return, ast.Raise)):
                return True
            if isinstance(inner, ast.Expr) and isinstance(inner.value, ast.Call):
                func = inner.value.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in _REFUSALS:
                    return True
    return False


def _lookup(call: ast.Call, ctx: ModuleContext) -> bool:
    """An ORM lookup: `User.query.get(x)`, `User.objects.get(pk=x)`,
    `get_object_or_404(User, pk=x)`, SQLAlchemy's `db.session.get(User, x)`."""
    if ctx.resolve(call.func) in _LOOKUP_CALLS:
        return True
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _LOOKUP_METHODS:
        return False
    receiver = ast.unparse(func.value)
    if receiver.endswith((".query", ".objects")) or ".objects." in receiver:
        return True
    model = call.args[0] if len(call.args) > 1 else None
    return (
        func.attr == "get"
        and receiver.endswith("session")
        and isinstance(model, ast.Name)
        and model.id[:1].isupper()
    )


def _sink(call: ast.Call, ctx: ModuleContext, spec: SpecIndex) -> bool:
    """A call that is a sink whatever its arguments' shape (`redirect`, `open`): not one
    that is a sink only in some uses (a response body that is HTML, a template that makes
    a link of a value), where most values are shown, not trusted."""
    name = ctx.resolve(call.func)
    if name is not None and any(sink.condition is None for sink in spec.sinks.get(name, ())):
        return True
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "redirect"
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
    )
