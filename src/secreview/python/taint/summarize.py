"""Phase 1: summarise each function of one module by abstract interpretation of its AST.

The walk is flow-sensitive inside a function (assignments replace, branches join, loops
run to a small fixpoint) and may-precise (data is tainted if any path taints it). Calls
into the reviewed tree are left symbolic (`CallRet`) for the whole-program phase.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable

from secreview.model import TraceStep
from secreview.python.context import ModuleContext, argument, keyword, walk
from secreview.python.symbols import walk_statements
from secreview.python.taint import conditions
from secreview.python.taint.handlers import (
    FunctionNode,
    HandlerInfo,
    match_handler,
    request_params,
    url_params,
    urlconf_routes,
    view_request,
)
from secreview.python.taint.scopes import (
    MUTATORS,
    ExpressionBindings,
    local_names,
    read_first,
    stored_names,
)
from secreview.python.taint.shapes import (
    NOTE_WIDTH,
    builds_text,
    fixes_host,
    format_literals,
    guarded_name,
    has_query_mark,
    is_abort,
    is_environ,
    is_format,
    looks_constant,
    names_in,
    numeric_format,
    parsed_from,
    query_only,
    short,
    str_key,
)
from secreview.python.taint.spec import ALL, LINE_BREAK_RULES, RequestObject, Sink, SpecIndex
from secreview.python.taint.summary import (
    EMPTY,
    ArgWrite,
    CallRaise,
    CallRet,
    CallSite,
    FieldRead,
    Flow,
    FunctionSummary,
    GlobalRead,
    ModuleSummary,
    Param,
    SinkEvent,
    Src,
    TVal,
    extend,
    join,
)

Env = dict[str, TVal]
Clears = dict[str, frozenset[str]]  # variable (or `_CHECKED` expression) -> sink kinds
_NORMALIZERS = frozenset(
    # `.resolve`: Path.resolve() on a path of a type the engine does not know, `(base / x)`
    {"os.path.realpath", "os.path.abspath", "os.path.normpath", "pathlib.Path.resolve", ".resolve"}
)
# sink kinds for which only the destination (scheme and host) of a URL matters
_HOST_FIXED = frozenset({"ssrf", "open-redirect"})
# frameworks whose response headers reject CR/LF, and those that write values as given
_CHECKS_HEADERS = ("flask", "quart", "werkzeug", "django", "rest_framework", "aiohttp")
_CHECKS_HEADERS += ("tornado", "starlette", "fastapi")
_WRITES_HEADERS = ("webob", "pecan", "http.server", "wsgiref")
# build a URL from (scheme, netloc, path, ...) parts
_URL_BUILDERS = frozenset({"urllib.parse.urlunsplit", "urllib.parse.urlunparse"})
# how many parts each takes, and where the query starts (urlunparse has `params` first)
_URL_PART_COUNTS = {"urllib.parse.urlunsplit": 5, "urllib.parse.urlunparse": 6}
_URL_QUERY_PART = {"urllib.parse.urlunsplit": 3, "urllib.parse.urlunparse": 4}
# f"{x!r}" / f"{x!a}" sanitize like repr(x)
_REPR_CONVERSIONS = frozenset({ord("r"), ord("a")})
_MAX_LOOP_DEPTH = 3
# what builds a container of this function's own, and the methods that put data in one
_CONTAINER_LITERALS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.SetComp, ast.DictComp)
_CONTAINER_TYPES = frozenset(
    {"builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray"}
    | {f"collections.{n}" for n in ("deque", "defaultdict", "OrderedDict", "Counter")}
    | {"io.StringIO", "io.BytesIO"}
)
# what fills a container held in a field (`self.parts.append(x)`); not `add` or `write`,
# which on a field are as often a database session's or a stream's
_FIELD_MUTATORS = MUTATORS - {"add", "write", "writelines"}


class ModuleAnalysis:
    """Shared state for summarising the functions of one module."""

    def __init__(
        self,
        ctx: ModuleContext,
        spec: SpecIndex,
        rules: frozenset[str],
        internal: frozenset[str],
        taint_parameters: bool = False,
    ):
        self.ctx = ctx
        self.spec = spec
        self.rules = rules
        self.internal = internal
        self.taint_parameters = taint_parameters
        self.module = ctx.symbols.module
        self.module_globals = _module_assigned_names(ctx.tree)
        self.global_types = _module_instance_types(ctx)
        self.expression_bindings = ExpressionBindings(ctx)
        self.mentions_headers = "headers" in ctx.source.text  # see `_copies_headers`
        self.sanitizer_attrs = frozenset(name.rsplit(".", 1)[-1] for name in spec.sanitizers)
        # the last names of the checks `guards` knows (`url_has_allowed_host_and_scheme`)
        self.guard_names = frozenset(name.rsplit(".", 1)[-1] for name in spec.guards) | frozenset(
            spec.method_guards
        )
        # server-side attributes of anything named like a request object (`request.user`):
        # never attacker data, even where the framework is not imported here (a view whose
        # framework base class is inherited from another module; see solve._inherited_entry)
        self.request_names: dict[str, list[RequestObject]] = {}
        for obj in spec.request_objects:
            for name in obj.param_names:
                self.request_names.setdefault(name, []).append(obj)
        self.inherited: dict[tuple[str, int, str], str | None] = {}
        self.local_classes = {
            f"{self.module}.{node.name}": node
            for node in ctx.tree.body
            if isinstance(node, ast.ClassDef)
        }
        self.summary = ModuleSummary(module=self.module, path=ctx.source.path)

    def is_internal(self, qualified: str) -> bool:
        top = qualified.split(".", 1)[0]
        return top in self.internal or qualified.startswith(self.module + ".")

    def run(self) -> ModuleSummary:
        tree = self.ctx.tree
        module_body = [
            s
            for s in tree.body
            if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        self._function(None, f"{self.module}.<module>", None, "module", module_body)
        self._definitions(tree.body, self.module, None)
        self.summary.routes = tuple(urlconf_routes(self.ctx))
        self.summary.instances = {
            f"{self.module}.{name}": tag
            for name, tag in self.global_types.items()
            if self.is_internal(tag)
        }
        self.summary.exports = {
            name: target
            for name, target in self.ctx.symbols.aliases.items()
            if self.is_internal(target)
        }
        return self.summary

    def _definitions(self, body: list[ast.stmt], prefix: str, cls: ast.ClassDef | None) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind = "function"
                if cls is not None:
                    names = {_decorator_name(d) for d in node.decorator_list}
                    kind = (
                        "staticmethod"
                        if "staticmethod" in names
                        else "classmethod"
                        if "classmethod" in names
                        else "method"
                    )
                self._function(node, f"{prefix}.{node.name}", cls, kind, node.body)
            elif isinstance(node, ast.ClassDef):
                qualified = f"{prefix}.{node.name}"
                self._field_types(node, qualified)
                bases = tuple(
                    b for b in (self.ctx.resolve(base) for base in node.bases) if b is not None
                )
                self.summary.classes[qualified] = bases
                self._definitions(node.body, qualified, node)

    def _field_types(self, cls: ast.ClassDef, qualified: str) -> None:
        """`self.api = compute.API()` in any method: `self.api.create()` is `API.create`."""
        types = self.summary.field_types
        for item in cls.body:
            if not isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in walk_statements(item):  # assignments are statements
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Call)
                    and len(node.targets) == 1
                    and isinstance(target := node.targets[0], ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "self"
                ):
                    callee = self.ctx.resolve(node.value.func)
                    if callee is not None:
                        types.setdefault((qualified, target.attr), callee)

    def _function(
        self,
        node: FunctionNode | None,
        qualname: str,
        cls: ast.ClassDef | None,
        kind: str,
        body: list[ast.stmt],
    ) -> None:
        cls_name = f"{qualname.rsplit('.', 1)[0]}" if cls is not None else None
        summary = FunctionSummary(
            qualname=qualname,
            path=self.ctx.source.path,
            params=(),
            cls=cls_name,
            kind=kind,
            line=getattr(node, "lineno", 0),
        )
        analysis = FunctionAnalysis(self, summary, node, cls)
        try:
            analysis.run(body)
        except RecursionError:  # absurdly deep expressions: skip this function, keep the rest
            local = qualname.removeprefix(self.module + ".")
            self.summary.too_deep += ((local, summary.line),)
            return
        summary.handler = analysis.handler is not None
        summary.finish()
        self.summary.functions.append(summary)


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _module_assigned_names(tree: ast.Module) -> frozenset[str]:
    names: set[str] = set()
    for stmt in tree.body:
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and stmt.value is not None:
            targets = [stmt.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    names.add(node.id)
    return frozenset(names)


def _built_at(value: TVal) -> int:
    """The call site whose result, and nothing else, a variable holds (-1 if none)."""
    if len(value) == 1:
        label = next(iter(value))
        if type(label) is CallRet and label.part == -1:
            return label.call
    return -1


def _module_instance_types(ctx: ModuleContext) -> dict[str, str]:
    """`store = SessionStore()` at module level: what functions calling `store.load()` mean."""
    types: dict[str, str] = {}
    for stmt in ctx.tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(target := stmt.targets[0], ast.Name)
            and isinstance(stmt.value, ast.Call)
        ):
            callee = ctx.resolve(stmt.value.func)
            if callee is not None:
                types.setdefault(target.id, callee)
    return types


class FunctionAnalysis:
    """Abstract interpretation of one function body (nested functions are walked inline).

    Keep its instance attributes under 30: CPython stores up to 30 inline, and past that
    every `self.x` in this hot code is a dict lookup (+1.1 % instructions measured)."""

    def __init__(
        self,
        mod: ModuleAnalysis,
        summary: FunctionSummary,
        node: FunctionNode | None,
        cls: ast.ClassDef | None,
        env: Env | None = None,
        parent: FunctionAnalysis | None = None,
    ):
        self.mod = mod
        self.ctx = mod.ctx
        self.spec = mod.spec
        self.summary = summary
        self.node = node
        self.cls = cls
        self.env: Env = dict(env) if env else {}
        self.types: dict[str, str] = dict(parent.types) if parent else {}
        # variables holding a list, dict, set, deque or text buffer built here: what
        # `.append(x)`, `.update(d)` or `.write(s)` puts in them is in them
        self.containers: set[str] = set(parent.containers) if parent else set()
        # variables holding headers read from a response (`for k, v in resp.headers.items()`):
        # writing them back to a response adds nothing the response did not hold already
        self.header_copies: set[str] = set(parent.header_copies) if parent else set()
        self.parent = parent
        self.scope = summary.qualname.removeprefix(mod.module + ".").replace("<module>", "")
        self.handler: HandlerInfo | None = None
        self.requests: dict[str, RequestObject] = dict(parent.requests) if parent else {}
        self.loop_depth = 0
        self.returns: TVal = EMPTY
        # element by element while every `return` gives a tuple of one length; False once
        # one does not (a generator, a single value, tuples of other lengths)
        self.return_parts: list[TVal] | bool | None = None
        self.call_sites: dict[int, int] = {}  # id(call node) -> its call site, if internal
        # parameters (by name: their index) whose objects the function may fill, what it
        # puts in them, and those it rebinds (a write after that is to another object)
        self.param_slots: dict[str, int] = {}
        self.param_gains: dict[str, TVal] = {}
        self.rebound: set[str] = set()
        # for each `try` being walked that has a handler: what the exceptions raised in
        # its body carry (`raise` statements here, `CallRaise` of calls of the tree)
        self.catching: list[_Catcher] = []
        # the parts of dict and tuple literals (by id): a dict's value under each constant key
        # (`_dict_keys`), a 5- or 6-tuple's elements (`_url_from_parts`)
        self.literal_parts: dict[int, dict[str, TVal] | list[TVal]] = {}
        # expressions (by `ast.dump`) a check in force proved safe for some sink kinds: the
        # same read again (`if is_safe_url(request.GET.get("next")): redirect(request.GET
        # .get("next"))`) is as safe as a variable the check was about
        self.checked: dict[str, frozenset[str]] = dict(parent.checked) if parent else {}
        # variables holding a check's result (`ok = is_safe_url(url)`): what testing them
        # proves, as `guards` gives it for the check itself
        self.check_vars: dict[str, tuple[Clears, Clears]] = (
            dict(parent.check_vars) if parent else {}
        )
        self.raised: dict[str, TVal] = {}
        # `parsed = urlparse(url)`: parsed -> (url, False); `host = urlparse(url).hostname`:
        # host -> (url, True)
        self.derived: dict[str, tuple[str, bool]] = {}

    # --- set-up ----------------------------------------------------------------------
    def run(self, body: list[ast.stmt]) -> None:
        local, declared = local_names(self.node, body, self.mod.expression_bindings)
        self.locals = local | (self.parent.locals if self.parent else set())
        self.declared_globals = declared
        if self.node is not None:
            self._bind_parameters(self.node)
        self.block(body)
        if self.parent is None:
            self.summary.param_writes = {
                self.param_slots[name]: value
                for name, value in self.param_gains.items()
                if name not in self.rebound
            }
            self.summary.returns = self._returned(self.returns)
            self.summary.raises = self.raised
            if isinstance(self.return_parts, list):
                self.summary.return_parts = tuple(map(self._returned, self.return_parts))

    def _returned(self, value: TVal) -> TVal:
        """What callers receive: a handler whose parameters are attacker data only inside
        its own run (a privsep entry point, called by the very party that chose them)
        does not hand that label back to its callers."""
        if self.handler is None or self.handler.spec.source_kind not in self.spec.call_scoped:
            return value
        kind = self.handler.spec.source_kind
        return {k: f for k, f in value.items() if not (isinstance(k, Src) and k.kind == kind)}

    def _bind_parameters(self, node: FunctionNode) -> None:
        args = node.args
        positional = [*args.posonlyargs, *args.args]
        self.handler = match_handler(self.ctx, self.spec, node, self.cls)
        self.requests.update(request_params(self.ctx, self.spec, node, self.handler))
        if self.parent is None:
            self.summary.params = tuple(a.arg for a in positional)
            self.summary.vararg = args.vararg.arg if args.vararg else None
            self.summary.kwarg = args.kwarg.arg if args.kwarg else None
            self.summary.kwonly = tuple(a.arg for a in args.kwonlyargs)
        ordered = [*positional, *args.kwonlyargs]
        if args.vararg:
            ordered.append(args.vararg)
        if args.kwarg:
            ordered.append(args.kwarg)
        defaults = dict(
            zip(
                [a.arg for a in positional[len(positional) - len(args.defaults) :]],
                args.defaults,
                strict=True,
            )
        )
        defaults.update(
            {a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d}
        )
        tainted = set(self.handler.tainted) if self.handler else set()
        if self.handler is None and self.parent is None:
            self.summary.url_params = url_params(self.ctx, self.spec, node, self.cls)
        receiver = (
            1 if self.cls is not None and self.summary.kind in ("method", "classmethod") else 0
        )
        for index, arg in enumerate(ordered):
            name = arg.arg
            value: TVal = EMPTY
            if self.parent is None:
                value = {Param(index, name): Flow((), frozenset())}
                if index >= receiver:
                    self.param_slots[name] = index
            if name in self.requests:
                pass  # a request object: its attributes are the sources (see `attribute`)
            elif name in tainted or (
                self.mod.taint_parameters and name not in ("self", "cls") and self._public_api()
            ):
                source = self._param_source(arg)
                value = join(value, source)
                if name in tainted and self.parent is None:
                    self.summary.param_sources += ((name, next(iter(source))),)  # type: ignore[assignment]
            default = defaults.get(name)
            if default is not None:
                value = join(value, self.expr(default))
            self.env[name] = value
            if arg.annotation is not None:
                tag = self.ctx.resolve(arg.annotation)
                if tag:
                    self.types[name] = tag
        if self.cls is not None and positional and self.summary.kind in ("method", "classmethod"):
            self.types.setdefault(positional[0].arg, "<self>")
            view = view_request(self.ctx, self.spec, self.cls)
            if view is not None and self.summary.kind == "method":
                # `self.request` of a class-based view: the request, as a parameter would be
                self.requests[f"{positional[0].arg}.{view.self_attr}"] = view

    def _public_api(self) -> bool:
        """`taint-parameters` is for library code: its callers (the attackers' way in) reach
        only public functions and methods, so private helpers and nested functions keep
        their precise, call-site-driven summaries."""
        if self.parent is not None:
            return False
        local = self.summary.qualname.removeprefix(self.mod.module + ".")
        return all(
            not part.startswith("_") or (part.startswith("__") and part.endswith("__"))
            for part in local.split(".")
        )

    def _param_source(self, arg: ast.arg) -> TVal:
        if arg.arg in self.requests:
            what = self.requests[arg.arg].description
        elif self.handler is not None:
            what = f"{self.handler.spec.description} '{arg.arg}'"
            if self.handler.route:
                what += f" of {self.handler.route}"
        else:
            what = f"parameter '{arg.arg}'"
        confidence = self.handler.spec.confidence if self.handler else "low"
        location = self.ctx.location(arg)
        kind = "parameter"
        if self.handler is not None:
            kind = self.handler.spec.source_kind
        elif arg.arg in self.requests:
            kind = "http"
        label = Src(
            kind,
            what,
            location,
            confidence,
        )
        step = TraceStep(location, f"{arg.arg}: {what} (source)")
        return {label: Flow((step,), frozenset())}

    # --- helpers ----------------------------------------------------------------------
    def text(self, node: ast.AST) -> str:
        return short(node, self.ctx.lines)

    def step(self, node: ast.AST, note: str) -> TraceStep:
        return TraceStep(self.ctx.location(node), note)

    def source(self, node: ast.AST, description: str, kind: str, confidence: str) -> TVal:
        location = self.ctx.location(node)
        label = Src(kind, description, location, confidence)
        return {
            label: Flow(
                (TraceStep(location, f"{self.text(node)} ({description}, source)"),), frozenset()
            )
        }

    def qualified(self, node: ast.expr) -> str | None:
        """Module-level name of an expression, unless its root is a local variable."""
        root = node
        while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
            root = root.func if isinstance(root, ast.Call) else root.value
        if isinstance(root, ast.Name) and root.id in self.locals:
            if root.id in self.types and root is not node:
                rest = short(node).split(".", 1)  # canonical: compared
                tag = self.types[root.id]
                if tag == "<self>":
                    return None
                return f"{tag}.{rest[1]}" if len(rest) == 2 and "(" not in rest[1] else None
            return None
        return self.ctx.resolve(node)

    # --- statements -------------------------------------------------------------------
    def block(self, body: Iterable[ast.stmt]) -> bool:
        """Walk statements; True when the block always leaves (return/raise/continue/break)."""
        return any(self.statement(stmt) for stmt in body)  # stops at the first exit

    def statement(self, stmt: ast.stmt) -> bool:
        match stmt:
            case ast.Expr(value=value):
                self.expr(value)
                return is_abort(value)
            case ast.Assign(targets=targets, value=value):
                taint = self.expr(value)
                for target in targets:
                    self.assign(target, taint, value, stmt)
            case ast.AnnAssign(target=target, value=value) if value is not None:
                self.assign(target, self.expr(value), value, stmt)
            case ast.AugAssign(target=target, value=value):
                taint = join(self.expr(target), self.expr(value))
                self.assign(target, taint, stmt, stmt, augmented=True)
            case ast.Return(value=value):
                if value is not None:
                    self.ret(value, stmt)
                return True
            case ast.If(test=test, body=body, orelse=orelse):
                return self.if_statement(test, body, orelse)
            case (
                ast.For(target=target, iter=iterable, body=body, orelse=orelse)
                | ast.AsyncFor(target=target, iter=iterable, body=body, orelse=orelse)
            ):
                taint = self.expr(iterable)
                self.loop(body, lambda: self.assign(target, taint, iterable, stmt), target)
                self.block(orelse)
            case ast.While(test=test, body=body, orelse=orelse):
                self.expr(test)
                self.loop(body, None)
                self.block(orelse)
            case ast.With(items=items, body=body) | ast.AsyncWith(items=items, body=body):
                for item in items:
                    taint = self.expr(item.context_expr)
                    if item.optional_vars is not None:
                        self.assign(item.optional_vars, taint, item.context_expr, stmt)
                return self.block(body)
            case (
                ast.Try(body=body, handlers=handlers, orelse=orelse, finalbody=final)
                | ast.TryStar(body=body, handlers=handlers, orelse=orelse, finalbody=final)
            ):
                self.try_statement(body, handlers, orelse, final)
            case ast.Raise(exc=exc):
                if exc is not None:
                    value = self.expr(exc)
                    if value:
                        stepped = extend(value, self.step(stmt, self.text(stmt)))
                        self._raised(self._exception_class(exc), stepped)
                return True
            case ast.Continue() | ast.Break():
                return True
            case ast.FunctionDef() | ast.AsyncFunctionDef():
                self.nested_function(stmt)
            case ast.ClassDef(body=body):
                for item in body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.nested_function(item)
            case ast.Match(subject=subject, cases=cases):
                taint = self.expr(subject)
                before = dict(self.env)
                outs = []
                for case in cases:
                    self.env = dict(before)
                    for node in ast.walk(case.pattern):
                        name = getattr(node, "name", None) or getattr(node, "rest", None)
                        if isinstance(name, str):
                            self.env[name] = taint
                    self.block(case.body)
                    outs.append(self.env)
                self.env = self._join([before, *outs])
            case ast.Delete(targets=targets):
                for target in targets:
                    if isinstance(target, ast.Name):
                        self.env.pop(target.id, None)
            case _:
                pass
        return False

    def ret(self, value: ast.expr, stmt: ast.stmt) -> None:
        parts = None
        if isinstance(value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in value.elts):
            parts = [self.expr(e) for e in value.elts]  # each once: calls are recorded
            taint = join(*parts)
        else:
            taint = self.expr(value)
        self._return_parts(parts, stmt, value)
        if taint:
            self.returns = join(
                self.returns, extend(taint, self.step(stmt, f"return {self.text(value)}"))
            )
            if self.handler is not None and self.handler.spec.returns_html and builds_text(value):
                self.sink("xss", taint, value, f"return {self.text(value)} (HTML response body)")

    def _return_parts(self, parts: list[TVal] | None, stmt: ast.stmt, value: ast.expr) -> None:
        known = self.return_parts
        if known is False:
            return
        if parts is None or (isinstance(known, list) and len(known) != len(parts)):
            self.return_parts = False
            return
        step = self.step(stmt, f"return {self.text(value)}")
        parts = [extend(part, step) for part in parts]
        self.return_parts = (
            [join(a, b) for a, b in zip(known, parts, strict=True)] if known else parts
        )

    def if_statement(self, test: ast.expr, body: list[ast.stmt], orelse: list[ast.stmt]) -> bool:
        """Branches join; a check whose branch leaves (`return`/`abort`) protects what follows."""
        self.expr(test)
        when_true, when_false = self.guards(test)
        before, checked = self.env, self.checked
        self.env = self._cleared(before, when_true)
        self.checked = _with_checked(checked, when_true)
        body_exits = self.block(body)
        after_body = self.env
        self.env = self._cleared(before, when_false)
        self.checked = _with_checked(checked, when_false)
        else_exits = self.block(orelse)
        after_else = self.env
        self.checked = checked
        if body_exits and not else_exits:
            self.env = after_else
            self.checked = _with_checked(checked, when_false)
        elif else_exits and not body_exits:
            self.env = after_body
            self.checked = _with_checked(checked, when_true)
        else:
            self.env = self._join([after_body, after_else])
        return body_exits and else_exits

    def _checked_expression(self, node: ast.expr, value: TVal) -> TVal:
        kinds = self.checked.get(_CHECKED + ast.dump(node)) if value else None
        return extend(value, clears=kinds) if kinds else value

    def loop(self, body: list[ast.stmt], bind: object, target: ast.expr | None = None) -> None:
        """The body once, and again with what the first pass left in the variables it
        reads before assigning them (data carried from one iteration to the next); a
        second pass over a body with no such variable would repeat the first."""
        self.loop_depth += 1
        rounds = 2 if self.loop_depth <= _MAX_LOOP_DEPTH else 1
        for round_ in range(rounds):
            before = self.env
            types, derived, containers = dict(self.types), dict(self.derived), set(self.containers)
            self.env = dict(before)
            if callable(bind):
                bind()
            self.block(body)
            merged = self._join([before, self.env])
            changed = merged != before
            self.env = merged
            if not changed:
                break
            if round_ == 0 and not self._carried(body, target, before, types, derived, containers):
                break
        self.loop_depth -= 1

    def _carried(
        self,
        body: list[ast.stmt],
        target: ast.expr | None,
        before: Env,
        types: dict[str, str],
        derived: dict[str, tuple[str, bool]],
        containers: set[str],
    ) -> bool:
        """Does a variable the pass changed (its data, type or parse origin) reach a
        read that may come before the body assigns it?"""
        changed = {
            name
            for name in self.env.keys() | before.keys()
            if self.env.get(name, EMPTY) != before.get(name, EMPTY)
        }
        changed.update(
            n for n in self.types.keys() | types.keys() if self.types.get(n) != types.get(n)
        )
        changed.update(
            n for n in self.derived.keys() | derived.keys() if self.derived.get(n) != derived.get(n)
        )
        changed.update(self.containers ^ containers)
        return bool(changed & read_first(body, stored_names(target)))

    def try_statement(
        self,
        body: list[ast.stmt],
        handlers: list[ast.ExceptHandler],
        orelse: list[ast.stmt],
        final: list[ast.stmt],
    ) -> None:
        before = self.env
        self.env = dict(before)
        if handlers:
            self.catching.append(_Catcher())
        self.block(body)
        catcher = self.catching.pop() if handlers else _Catcher()
        uncaught = list(catcher.raised)
        after_body = self.env
        self.block(orelse)
        outs = [self.env]
        for handler in handlers:
            self.env = self._join([before, after_body])
            if handler.type is not None:
                self.expr(handler.type)
            catches = self._handler_types(handler.type)
            caught = [(c, v) for c, v in catcher.raised if _may_catch(c, catches)]
            uncaught = [item for item in uncaught if item not in caught]
            if handler.name:
                # the exception holds what was raised in the body with data in it
                value = join(
                    *(v for _, v in caught),
                    *({CallRaise(i, catches): Flow((), frozenset())} for i in catcher.calls),
                )
                note = f"except … as {handler.name}"
                self.env[handler.name] = extend(value, self.step(handler, note))
            self.block(handler.body)
            outs.append(self.env)
        self.env = self._join(outs)
        for cls, value in uncaught:  # raised in the body, of a class no handler names
            self._raised(cls, value)
        self.block(final)

    def _raised(self, cls: str, value: TVal) -> None:
        """A `raise` with data in the exception: the innermost enclosing `try` with a
        handler may catch it, or else the function's callers may (`raises`)."""
        if self.catching:
            self.catching[-1].raised.append((cls, value))
        elif self.parent is None:
            self.raised[cls] = join(self.raised.get(cls, EMPTY), value)

    def _exception_class(self, exc: ast.expr) -> str:
        """The qualified name of the class a `raise` raises, or ""."""
        node = exc.func if isinstance(exc, ast.Call) else exc
        return self.qualified(node) or ""

    def _handler_types(self, node: ast.expr | None) -> tuple[str, ...]:
        """The classes an `except` names, qualified; () when it catches every exception."""
        items = node.elts if isinstance(node, ast.Tuple) else [node] if node else []
        names = tuple(self.qualified(item) or short(item) for item in items)
        if not names or any(n.rsplit(".", 1)[-1] in _CATCH_ALL for n in names):
            return ()
        return names

    def nested_function(self, node: FunctionNode) -> None:
        """Closures and local callbacks: walk the body now, seeing the enclosing variables."""
        child = FunctionAnalysis(self.mod, self.summary, node, None, self.env, parent=self)
        child.scope = f"{self.scope}.{node.name}".lstrip(".")
        child.run(node.body)
        self.env[node.name] = child.returns  # calling it yields what it captured

    # --- assignment ------------------------------------------------------------------
    def assign(
        self, target: ast.expr, taint: TVal, value: ast.AST, stmt: ast.stmt, augmented: bool = False
    ) -> None:
        match target:
            case ast.Name(id=name):
                if taint:
                    op = "+=" if augmented else "="
                    shown = self.text(value) if not augmented else self.text(stmt)
                    note = shown if augmented else f"{name} {op} {shown}"
                    taint = extend(taint, self.step(stmt, note))
                self.env[name] = taint
                if name in self.param_slots:
                    self.rebound.add(name)
                if self.check_vars:
                    self._forget_checks(name)
                if self._may_check(value):
                    proven = self.guards(value)
                    if proven[0] or proven[1]:
                        self.check_vars[name] = proven
                if f"{name}." in self.env:
                    self._forget_fields(name)
                if isinstance(value, ast.Dict) and id(value) in self.literal_parts:
                    self._dict_keys(name, self.literal_parts[id(value)], stmt)  # type: ignore[arg-type]
                self._set_type(name, value)
                if isinstance(value, _CONTAINER_LITERALS) or (
                    isinstance(value, ast.Call) and self.types.get(name) in _CONTAINER_TYPES
                ):
                    self.containers.add(name)
                else:
                    self.containers.discard(name)
                if self.mod.mentions_headers and self._copies_headers(value):
                    self.header_copies.add(name)
                else:
                    self.header_copies.discard(name)
                origin = parsed_from(value)
                if origin is not None and origin[0] != name:
                    self.derived[name] = origin
                else:
                    self.derived.pop(name, None)
                if taint and (name in self.declared_globals or self.summary.kind == "module"):
                    key = f"{self.mod.module}.{name}"
                    self.summary.global_writes[key] = join(
                        self.summary.global_writes.get(key, EMPTY), taint
                    )
            case ast.Tuple(elts=elts) | ast.List(elts=elts):
                if (
                    isinstance(value, (ast.Tuple, ast.List))
                    and len(value.elts) == len(elts)
                    and not any(isinstance(e, ast.Starred) for e in elts)
                ):
                    for sub_target, sub_value in zip(elts, value.elts, strict=True):
                        self.assign(sub_target, self.expr(sub_value), sub_value, stmt)
                elif (index := self._unpacked_call(value, taint, elts)) is not None:
                    for part, sub_target in enumerate(elts):  # `a, b = f()`: element by element
                        flow = taint[CallRet(index)]
                        self.assign(sub_target, {CallRet(index, part): flow}, value, stmt)
                else:
                    for sub_target in elts:
                        self.assign(sub_target, taint, value, stmt)
            case ast.Starred(value=inner):
                self.assign(inner, taint, value, stmt)
            case ast.Attribute(value=base, attr=attr):
                self._assign_attribute(base, attr, taint, stmt)
            case ast.Subscript(value=base):
                self._assign_item(target, base, taint, stmt)

    def _unpacked_call(self, value: ast.AST, taint: TVal, elts: list[ast.expr]) -> int | None:
        """The call site whose result `value` is, when it is a call of the tree and the
        target takes its elements one by one (no `*rest`)."""
        if isinstance(value, ast.Await):
            value = value.value
        index = self.call_sites.get(id(value))
        if index is None or any(isinstance(e, ast.Starred) for e in elts):
            return None
        return index if taint.keys() == {CallRet(index)} else None

    def _mutated(self, node: ast.Call, receiver: ast.expr | None, taint: TVal) -> None:
        """`parts.append(x)`, `opts.update(d)`, `buf.write(s)`: the container now holds x."""
        if not taint:
            return
        method = node.func.attr  # type: ignore[attr-defined]
        if isinstance(receiver, ast.Name):
            name = receiver.id
            if name in self.containers or (name in self.param_slots and method in _FIELD_MUTATORS):
                self._object_gains(name, extend(taint, self.step(node, self.text(node))))
        elif isinstance(receiver, ast.Attribute) and method in _FIELD_MUTATORS:
            # `self.parts.append(x)`
            self._holder_gains(receiver, extend(taint, self.step(node, self.text(node))))

    def _set_type(self, name: str, value: ast.AST) -> None:
        tag = None
        if isinstance(value, ast.Call):
            tag = self.call_tag(value)
        elif isinstance(value, ast.Await) and isinstance(value.value, ast.Call):
            tag = self.call_tag(value.value)
        elif conditions.is_argv(value):
            tag = conditions.ARGV
        elif isinstance(value, (ast.JoinedStr, ast.BinOp)) or builds_text(value):
            tag = conditions.TEXT
        if tag:
            self.types[name] = tag
        else:
            self.types.pop(name, None)

    def _assign_attribute(self, base: ast.expr, attr: str, taint: TVal, stmt: ast.stmt) -> None:
        if taint:
            value = getattr(stmt, "value", None)
            shown = self.text(value) if value is not None else ""
            taint = extend(taint, self.step(stmt, f"{self.text(base)}.{attr} = {shown}"))
        if not isinstance(base, ast.Name):
            if taint:  # `self.conf.path = x`: the object in `self.conf` now holds x
                self._holder_gains(base, taint)
            return
        self._object_field(base.id, attr, taint, taint)  # a new value: it replaces the old

    def _object_field(self, name: str, attr: str, taint: TVal, value: TVal) -> None:
        """Field `attr` of the object variable `name` holds receives `taint` and now holds
        `value`: the class-wide store for `self` and the tree's classes, the per-field
        tracking for local objects, else the variable as a whole."""
        tag = self.types.get(name)
        if tag == "<self>" and self.summary.cls:
            self._field_write(self.summary.cls, attr, taint)
            self.env[f"{name}.{attr}"] = value
            return
        if tag and self._tree_class(tag):
            self._field_write(tag, attr, taint)
        if name in self.locals:
            self._local_field_write(name, attr, value)
        elif taint:
            self.env[name] = join(self.env.get(name, EMPTY), taint)

    def _passed_objects(self, node: ast.Call, index: int, count: int) -> None:
        """A list, dict or object built here and passed to a function of the tree may come
        back filled (`add_filter(clauses, x)`): it holds what the callee puts in
        (`ArgWrite`, known in phase 2)."""
        for position, arg in enumerate(node.args[:count]):
            if not isinstance(arg, ast.Name) or arg.id not in self.locals:
                continue
            name = arg.id
            tag = self.types.get(name)
            if name in self.containers or (tag and tag != "<self>" and self._tree_class(tag)):
                self._object_gains(name, {ArgWrite(index, position): Flow((), frozenset())})

    def _holder_gains(self, holder: ast.expr, taint: TVal) -> None:
        """Data put into what `holder` names without rebinding it (`holder[k] = x`,
        `holder.append(x)`, `holder.attr = x`): when it is an object's field or lies below
        one (`self.opts`, `row.tags[0]`, `self.conf.path`), that field holds the data;
        else the variable it lies in does."""
        inner = holder
        while isinstance(inner, (ast.Attribute, ast.Subscript)) and not (
            isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name)
        ):
            inner = inner.value
        if isinstance(inner, ast.Name):
            self._object_gains(inner.id, taint)
            return
        if not isinstance(inner, ast.Attribute) or not isinstance(inner.value, ast.Name):
            return
        # the field keeps what it held and gains the data
        self._object_field(inner.value.id, inner.attr, taint, join(self.attribute(inner), taint))

    def _tree_class(self, tag: str) -> bool:
        """Is a variable's type tag an instance of a class of the tree (`models.Book()`), as
        far as names tell: not the result of a function or of a call chain
        (`db.session.query(Book).first()`), whose fields are those of no one class."""
        return self.mod.is_internal(tag) and tag.rpartition(".")[2][:1].isupper()

    def _local_field_write(self, name: str, attr: str, taint: TVal) -> None:
        """`row.title = form["title"]` on a local object (an ORM row, a parsed document): the
        object as a whole now holds the data, but its other fields do not. `<name>.` keeps
        the object as it was before any field was written here, `<name>.<attr>` each field
        written; `attribute` reads them."""
        whole = f"{name}."
        if whole not in self.env:
            self.env[whole] = self.env.get(name, EMPTY)
        if taint:
            self.env[name] = join(self.env.get(name, EMPTY), taint)
            self._param_gains(name, taint)
        self.env[f"{name}.{attr}"] = taint

    def _dict_keys(self, name: str, values: dict[str, TVal], stmt: ast.stmt) -> None:
        """`name = {"id": 1, "note": x}`: each key of the dict is tracked as a field
        (`name.[note]`); the dict holds nothing under other keys (`name.`)."""
        self.env[f"{name}."] = EMPTY
        for key, value in values.items():
            if value:
                value = extend(value, self.step(stmt, f"{name} = {{…{key!r}: …}}"))
            self.env[f"{name}.[{key}]"] = value

    def _key_value(self, name: str, key: str) -> TVal | None:
        """What a dict whose keys are tracked (`_dict_keys`, `_assign_item`) holds under
        `key`, or None when its keys are not tracked."""
        if f"{name}." not in self.env or name not in self.locals:
            return None
        return self.env.get(f"{name}.[{key}]", self.env[f"{name}."])

    def _param_gains(self, name: str, taint: TVal) -> None:
        """Data put into the object a parameter holds: the caller's object holds it too."""
        index = self.param_slots.get(name)
        if index is not None:
            own = Param(index, name)
            added = {label: flow for label, flow in taint.items() if label != own}
            if added:
                self.param_gains[name] = join(self.param_gains.get(name, EMPTY), added)

    def _forget_fields(self, name: str) -> None:
        prefix = f"{name}."
        for key in [key for key in self.env if key.startswith(prefix)]:
            del self.env[key]

    def _object_gains(self, name: str, taint: TVal) -> None:
        """Data put into an object some other way (`row.tags[0] = x`): the whole object,
        and each of its fields tracked one by one, may now hold it."""
        self.env[name] = join(self.env.get(name, EMPTY), taint)
        self._param_gains(name, taint)
        prefix = f"{name}."
        if prefix in self.env:
            for key in [key for key in self.env if key.startswith(prefix)]:
                self.env[key] = join(self.env[key], taint)

    def _field_write(self, cls: str, attr: str, taint: TVal) -> None:
        """`self.attr = value` or `obj.attr = value` on an object of the tree's class `cls`:
        what every reader of the field may see."""
        if taint:
            key = (cls, attr)
            self.summary.field_writes[key] = join(self.summary.field_writes.get(key, EMPTY), taint)

    def _assign_item(
        self, target: ast.Subscript, base: ast.expr, taint: TVal, stmt: ast.stmt
    ) -> None:
        self.expr(target.slice)
        if taint and self._is_session(base):
            self.sink(
                "trust-boundary-violation",
                taint,
                stmt,
                f"{self.text(target)} = … (server-side session)",
            )
        elif (
            taint
            and self._is_headers(base)
            and not self._checks_headers(base)
            and not self._copies_headers(getattr(stmt, "value", None))
        ):
            self.sink("header-injection", taint, stmt, f"{self.text(target)} = … (response header)")
        if taint:
            taint = extend(taint, self.step(stmt, self.text(stmt)[:NOTE_WIDTH]))
        key = str_key(target.slice)
        if isinstance(base, ast.Name) and key is not None and f"{base.id}." in self.env:
            self._local_field_write(base.id, f"[{key}]", taint)  # a tracked dict's key
        elif taint:
            self._holder_gains(base, taint)

    def _copies_headers(self, value: ast.AST | None) -> bool:
        """A value made only of a response's own headers: `resp.headers.items()`,
        `resp.headers.copy()`, `str(value)` of such a variable (not a request's headers)."""
        if value is None:
            return False
        nodes = walk(value)
        reads = [
            n
            for n in nodes
            if type(n) is ast.Attribute and n.attr == "headers" and not self._request_like(n.value)
        ]
        names = [n for n in nodes if type(n) is ast.Name]
        if not reads and not any(n.id in self.header_copies for n in names):
            return False
        # every variable in it is a header copy or the response whose headers are read;
        # other names are functions and modules (`str`, `encodeutils`), but not sources
        owners = {id(n) for r in reads for n in walk(r.value) if type(n) is ast.Name}
        return all(
            id(n) in owners
            or n.id in self.header_copies
            or (n.id not in self.locals and not any(type(k) is Src for k in self.name(n, n.id)))
            for n in names
        )

    def _request_like(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.requests or node.id in self.mod.request_names
        qualified = self.qualified(node)
        return qualified is not None and self._source_for(qualified, node) is not None

    def _is_session(self, base: ast.expr) -> bool:
        qualified = self.qualified(base)
        if qualified in self.spec.session_objects:
            return True
        if isinstance(base, ast.Name) and self.types.get(base.id) in self.spec.session_objects:
            return True  # `session = await get_session(request)`
        if isinstance(base, ast.Attribute):
            owner = base.value  # `request.session`, `self.request.session`
            request = (
                self.requests.get(owner.id)
                if isinstance(owner, ast.Name)
                else self._view_request(owner)
                if isinstance(owner, ast.Attribute)
                else None
            )
            return request is not None and request.session_attr == base.attr
        return False

    def _is_headers(self, base: ast.expr) -> bool:
        if isinstance(base, ast.Attribute) and base.attr == "headers":
            owner = base.value
            return not (isinstance(owner, ast.Name) and owner.id in self.requests)
        if isinstance(base, ast.Name):
            tag = self.types.get(base.id, "")
            return tag in self.spec.response_types
        return False

    def _checks_headers(self, headers: ast.expr) -> bool:
        """Headers of a framework that refuses CR/LF in header values (it raises), so a
        value cannot split the response: Werkzeug (Flask), Django, aiohttp, Tornado,
        Starlette. WebOb, http.server and raw WSGI write what they are given."""
        owner = headers.value if isinstance(headers, ast.Attribute) else headers
        tag = self.types.get(owner.id, "") if isinstance(owner, ast.Name) else ""
        tag = tag or self.qualified(owner) or ""
        if tag.startswith(tuple(f"{m}." for m in _CHECKS_HEADERS)):
            return True
        if tag.startswith(tuple(f"{m}." for m in _WRITES_HEADERS)):
            return False
        imports = self.ctx.symbols.imports
        return any(imports(m) for m in _CHECKS_HEADERS) and not any(
            imports(m) for m in _WRITES_HEADERS
        )

    # --- guards ------------------------------------------------------------------------
    def guards(self, test: ast.expr) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        """Variables an `if` test validates: (when the test is true, when it is false)."""
        match test:
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                when_true, when_false = self.guards(operand)
                return when_false, when_true
            case ast.BoolOp(op=ast.And(), values=values):
                merged: dict[str, frozenset[str]] = {}
                for value in values:
                    for name, kinds in self.guards(value)[0].items():
                        merged[name] = merged.get(name, frozenset()) | kinds
                return merged, {}
            case ast.BoolOp(op=ast.Or(), values=values):
                merged = {}
                for value in values:
                    for name, kinds in self.guards(value)[1].items():
                        merged[name] = merged.get(name, frozenset()) | kinds
                return {}, merged
            case ast.Compare(left=left, ops=[op], comparators=[right]):
                return self._compare_guard(left, op, right)
            case ast.Call():
                return self._call_guard(test), {}
            case ast.Name(id=name) if name in self.check_vars:
                return self.check_vars[name]  # `ok = is_safe_url(url)`, then `if ok:`
        return {}, {}

    def _may_check(self, value: ast.AST) -> bool:
        """Could `value` be a check `guards` knows (a cheap test before asking it)?"""
        match value:
            case ast.Call(func=ast.Attribute(attr=name) | ast.Name(id=name)):
                return name in self.mod.guard_names
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return self._may_check(operand)
            case ast.BoolOp(values=values):
                return any(self._may_check(v) for v in values)
            case ast.Compare(comparators=comparators):
                # `guards` evaluates the right side again: not when that records calls twice
                return not any(type(n) is ast.Call for c in comparators for n in walk(c))
        return False

    def _forget_checks(self, name: str) -> None:
        """`name` is assigned: a check kept in it, or a check about it, no longer holds."""
        self.check_vars.pop(name, None)
        prefix = f"{name}."
        stale = [
            var
            for var, (when_true, when_false) in self.check_vars.items()
            if any(key == name or key.startswith(prefix) for key in (*when_true, *when_false))
        ]
        for var in stale:
            del self.check_vars[var]

    def _compare_guard(
        self, left: ast.expr, op: ast.cmpop, right: ast.expr
    ) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
        name = guarded_name(left)
        if isinstance(left, ast.Call) and self.qualified(left.func) in (
            "os.path.commonpath",
            "os.path.commonprefix",
        ):
            # commonpath does not collapse `..`: only normalised paths are proven contained
            names = {n for a in left.args for n in self._normalised_names(a)}
            clears = {n: frozenset({"path-traversal"}) for n in names}
            if isinstance(op, (ast.Eq, ast.Is)):
                return clears, {}
            if isinstance(op, (ast.NotEq, ast.IsNot)):
                return {}, clears
            return {}, {}
        kinds = frozenset({ALL})
        if name is None and isinstance(left, ast.Attribute) and isinstance(left.value, ast.Call):
            # `urlparse(url).hostname in ALLOWED_HOSTS`: fixes where `url` points, not its text
            name, kinds = guarded_name(left.value), _HOST_FIXED
        # a module-level allow-list reads as a (symbolic) global, a class-level one
        # (`self.ALLOWED`) as a field: that is not attacker data
        symbolic = (GlobalRead, FieldRead) if looks_constant(right) else (GlobalRead,)
        if name is None or any(not isinstance(label, symbolic) for label in self.expr(right)):
            return {}, {}
        constant = (
            isinstance(right, ast.Constant) or self.ctx.is_constant(right) or looks_constant(right)
        )
        if not constant:
            return {}, {}
        cleared = {name: kinds}
        base, dotted = name.split(".", 1)[0], "." in name
        origin, part = self.derived.get(base, ("", False))
        if origin and part != dotted:
            # `host = urlparse(url).hostname` / `parsed = urlparse(url)`, then `host` or
            # `parsed.hostname` is allow-listed: `url` (and `parsed`) point where allowed
            for fixed in {base, origin} - {name}:
                cleared[fixed] = cleared.get(fixed, frozenset()) | _HOST_FIXED
        if isinstance(op, (ast.In, ast.Eq, ast.Is)):
            return cleared, {}
        if isinstance(op, (ast.NotIn, ast.NotEq, ast.IsNot)):
            return {}, cleared
        return {}, {}

    def _call_guard(self, call: ast.Call) -> dict[str, frozenset[str]]:
        qualified = self.qualified(call.func)
        guard = self.spec.guards.get(qualified or "")
        if guard is None and isinstance(call.func, ast.Attribute):
            guard = self.spec.method_guards.get(call.func.attr)
            if (
                guard is not None
                and guard.arg != "receiver"
                and qualified is None
                and not isinstance(call.func.value, ast.Name)
            ):
                guard = None
        if guard is None:
            return {}
        if guard.arg == "receiver":
            if not isinstance(call.func, ast.Attribute):
                return {}
            subject: ast.expr | None = call.func.value
            clears = guard.clears
            if isinstance(call.func, ast.Attribute) and call.func.attr == "startswith":
                clears = self._startswith_clears(call)
            elif "path-traversal" in clears and not self._normalised(subject):
                clears = clears - {"path-traversal"}  # `..` defeats a lexical containment check
        else:
            subject = (
                argument(call, guard.arg, guard.keyword)
                if isinstance(guard.arg, int)
                else keyword(call, guard.arg)
            )
            clears = guard.clears
        name = guarded_name(subject) if subject is not None else None
        if name is None and isinstance(subject, (ast.Call, ast.Attribute, ast.Subscript)):
            name = _CHECKED + ast.dump(subject)  # a read checked in place (`_checked_expression`)
        return {name: clears} if name and clears else {}

    def _normalised(self, node: ast.expr) -> bool:
        """`realpath(x)`/`Path(x).resolve()`, or a variable assigned from one."""
        if isinstance(node, ast.Call):
            return self.call_tag(node) in _NORMALIZERS
        return isinstance(node, ast.Name) and self.types.get(node.id) in _NORMALIZERS

    def _normalised_names(self, node: ast.expr) -> set[str]:
        """Variables a containment check on `node` is about, when their path is normalised."""
        out: set[str] = set()
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Name, ast.Call)) and self._normalised(sub):
                out |= names_in(sub) if isinstance(sub, ast.Call) else {sub.id}
        return out

    def _startswith_clears(self, call: ast.Call) -> frozenset[str]:
        """`real.startswith(base)` proves containment only for a normalised path."""
        receiver = call.func.value  # type: ignore[attr-defined]
        kinds: set[str] = set()
        if self._normalised(receiver):
            kinds.add("path-traversal")
        prefix = call.args[0] if call.args else None
        if (
            isinstance(prefix, ast.Constant)
            and isinstance(prefix.value, str)
            and "://" in prefix.value
        ):
            host = prefix.value.split("://", 1)[1]
            if "/" in host and host.split("/", 1)[0]:
                kinds.update({"ssrf", "open-redirect"})
        return frozenset(kinds)

    def _join(self, envs: list[Env]) -> Env:
        return _join_envs(envs, self._unwritten)

    def _unwritten(self, env: Env, key: str) -> TVal:
        """What a variable's field (`key` is `name.attr`, or `name.` for the object before
        its fields were written) holds in a branch that did not write it."""
        name, _, attr = key.partition(".")
        if not attr:
            return env.get(name, EMPTY)
        tag = self.types.get(name)
        if tag == "<self>":
            if not self.summary.cls:
                return EMPTY
            return {FieldRead(self.summary.cls, attr): Flow((), frozenset())}
        value = env.get(f"{name}.", env.get(name, EMPTY))
        if tag and self._tree_class(tag):
            return join(value, {FieldRead(tag, attr): Flow((), frozenset())})
        return value

    def _cleared(self, env: Env, clears: dict[str, frozenset[str]]) -> Env:
        if not clears:
            return dict(env)
        out = dict(env)
        for name, kinds in clears.items():
            if out.get(name):
                out[name] = extend(out[name], clears=kinds)
        return out

    # --- expressions ----------------------------------------------------------------
    def expr(self, node: ast.expr | None) -> TVal:
        match node:
            case None | ast.Constant():
                return EMPTY
            case ast.Name(id=name):
                return self.name(node, name)
            case ast.Attribute():
                value = self.attribute(node)
                return self._checked_expression(node, value) if self.checked else value
            case ast.Subscript(value=value, slice=index):
                taint = self.subscript(node, value, index)
                return self._checked_expression(node, taint) if self.checked else taint
            case ast.Call():
                value = self.call(node)
                return self._checked_expression(node, value) if self.checked else value
            case ast.BinOp(left=left, right=right):
                if is_format(node):  # "%s?next=%s" % (base, x): each argument apart
                    items = right.elts if isinstance(right, ast.Tuple) else [right]
                    parts = [self.expr(item) for item in items]
                    value = join(self.expr(left), *parts)
                    fixed = query_only(format_literals(left.value, len(parts)), parts)  # type: ignore[attr-defined]
                else:
                    before, after = self.expr(left), self.expr(right)
                    value = join(before, after)
                    fixed = bool(after) and not before and has_query_mark(left)  # a + "?q=" + x
                fixed = fixed or self._fixed_url(left)
                return extend(value, clears=_HOST_FIXED) if fixed else value
            case ast.BoolOp(values=values):
                return join(*(self.expr(v) for v in values))
            case ast.UnaryOp(operand=operand):
                self.expr(operand)
                return EMPTY if isinstance(node.op, ast.Not) else self.expr(operand)
            case ast.Compare(left=left, comparators=comparators):
                self.expr(left)
                for c in comparators:
                    self.expr(c)
                return EMPTY  # a boolean carries no payload
            case ast.IfExp(test=test, body=body, orelse=orelse):
                # `lang if lang in LANGUAGES else "en"`: each branch sees what the test proved
                self.expr(test)
                when_true, when_false = self.guards(test)
                before = self.env
                self.env = self._cleared(before, when_true)
                value = self.expr(body)
                self.env = self._cleared(before, when_false)
                value = join(value, self.expr(orelse))
                self.env = before
                return value
            case ast.JoinedStr(values=values):
                parts = [self.expr(v) for v in values]
                value = join(*parts)
                literals = [v.value if isinstance(v, ast.Constant) else None for v in values]
                fields = [
                    p for v, p in zip(values, parts, strict=True) if not isinstance(v, ast.Constant)
                ]
                fixed = self._fixed_url(node) or query_only(literals, fields)
                return extend(value, clears=_HOST_FIXED) if fixed else value
            case ast.FormattedValue(value=value, format_spec=spec, conversion=conversion):
                if spec is not None:
                    self.expr(spec)
                    if numeric_format(spec):
                        return EMPTY
                repr_spec = self.spec.sanitizers.get("builtins.repr")
                if conversion in _REPR_CONVERSIONS and repr_spec is not None:
                    return extend(self.expr(value), clears=repr_spec.clears)  # f"{x!r}"
                return self.expr(value)
            case ast.Tuple(elts=elts) | ast.List(elts=elts) | ast.Set(elts=elts):
                parts = [self.expr(e) for e in elts]
                if len(elts) in (5, 6):  # each part's data, for `_url_from_parts`
                    self.literal_parts[id(node)] = parts
                return join(*parts)
            case ast.Dict(keys=keys, values=values):
                parts = [self.expr(v) for v in values]
                named = [str_key(k) for k in keys]
                if None not in named:  # `{"id": 1, "note": x}`: each key's value (`_dict_keys`)
                    self.literal_parts[id(node)] = dict(zip(named, parts, strict=True))  # type: ignore[arg-type]
                return join(*(self.expr(k) for k in keys if k is not None), *parts)
            case ast.Starred(value=value) | ast.Await(value=value) | ast.YieldFrom(value=value):
                if isinstance(node, ast.YieldFrom):
                    self.return_parts = False
                taint = self.expr(value)
                if isinstance(node, ast.YieldFrom) and taint:
                    self.returns = join(self.returns, taint)
                return taint
            case ast.Yield(value=value):
                self.return_parts = False
                taint = self.expr(value)
                if taint:
                    self.returns = join(
                        self.returns, extend(taint, self.step(node, f"yield {self.text(value)}"))
                    )
                return EMPTY
            case ast.NamedExpr(target=target, value=value):
                taint = self.expr(value)
                self.assign(target, taint, value, node)  # type: ignore[arg-type]
                return taint
            case (
                ast.ListComp(elt=elt, generators=generators)
                | ast.SetComp(elt=elt, generators=generators)
                | ast.GeneratorExp(elt=elt, generators=generators)
            ):
                return self.comprehension(generators, [elt])
            case ast.DictComp(key=key, value=value, generators=generators):
                return self.comprehension(generators, [key, value])
            case ast.Lambda(body=body):
                saved = dict(self.env)
                for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                    self.env[arg.arg] = EMPTY
                taint = self.expr(body)
                self.env = saved
                return taint
            case ast.Slice(lower=lower, upper=upper, step=step):
                for part in (lower, upper, step):
                    self.expr(part)
                return EMPTY
        return EMPTY

    def comprehension(self, generators: list[ast.comprehension], parts: list[ast.expr]) -> TVal:
        saved = dict(self.env)
        for generator in generators:
            taint = self.expr(generator.iter)
            # the target carries the location (an ast.comprehension has none)
            self.assign(generator.target, taint, generator.iter, generator.target)  # type: ignore[arg-type]
            for condition in generator.ifs:
                self.expr(condition)
        result = join(*(self.expr(p) for p in parts))
        self.env = saved
        return result

    def name(self, node: ast.Name, name: str) -> TVal:
        if name in self.env:
            return self.env[name]
        if name in self.locals:
            return EMPTY
        if name in self.mod.module_globals:
            return self._global(f"{self.mod.module}.{name}", node)
        qualified = self.ctx.symbols.alias(name, getattr(node, "lineno", 0))
        if qualified is not None:
            source = self._source_for(qualified, node)
            if source is not None:
                return source
            if self.mod.is_internal(qualified):
                return self._global(qualified, node)
        return EMPTY

    def _global(self, qualified: str, node: ast.AST) -> TVal:
        return {GlobalRead(qualified): Flow((), frozenset())}

    def _source_for(self, qualified: str, node: ast.AST) -> TVal | None:
        """Attacker data if `qualified` is (below) a source such as `flask.request.args`."""
        sources = self.spec.sources
        parts = qualified.split(".")
        for end in range(len(parts), 0, -1):
            spec = sources.get(".".join(parts[:end]))
            if spec is not None:
                attr = parts[end] if end < len(parts) else ""
                if attr in spec.safe_attrs:
                    return EMPTY
                source = self.source(node, spec.description, spec.kind, spec.confidence)
                if attr in spec.line_free_attrs:
                    return extend(source, clears=LINE_BREAK_RULES)
                return source
        return None

    def attribute(self, node: ast.Attribute) -> TVal:
        base = node.value
        whole: TVal | None = None  # see `_local_field_write`
        if isinstance(base, ast.Attribute) and (request := self._view_request(base)):
            return (
                EMPTY
                if request.server_side(node.attr)
                else self._request_data(node, request, node.attr)
            )
        if isinstance(base, ast.Name):
            request = self.requests.get(base.id)
            if request is not None and base.id in self.env:
                if request.server_side(node.attr):
                    return EMPTY
                return self._request_data(node, request, node.attr)
            if request is None and any(  # named like one, of a framework not imported here
                node.attr in obj.safe_attrs or node.attr == obj.session_attr
                for obj in self.mod.request_names.get(base.id, ())
            ):
                return EMPTY
            tag = self.types.get(base.id)
            if tag == "<self>":
                return self._self_attribute(node, base.id)
            key = f"{base.id}.{node.attr}"
            if key in self.env:
                return self.env[key]  # a field written here (see `_local_field_write`)
            # the fields not written here of an object some of whose fields were
            whole = self.env.get(f"{base.id}.")
            if tag and self._tree_class(tag) and base.id in self.locals:
                value = self.env.get(base.id, EMPTY)
                read = FieldRead(tag, node.attr, _built_at(self.env.get(f"{base.id}.", value)))
                return join(value if whole is None else whole, {read: Flow((), frozenset())})
        if not (isinstance(base, ast.Name) and base.id in self.locals):
            qualified = self.ctx.resolve(node)
            if qualified is not None:
                source = self._source_for(qualified, node)
                if source is not None:
                    return source
                if self.mod.is_internal(qualified) and isinstance(base, ast.Name):
                    return self._global(qualified, node)
        if node.attr in self.mod.sanitizer_attrs:
            # a property that sanitizes, e.g. `Path(name).name` (the final component)
            sanitizer = self.spec.sanitizers.get(self.qualified(node) or "")
            if sanitizer is not None:
                value = self.expr(base) if whole is None else whole
                return EMPTY if ALL in sanitizer.clears else extend(value, clears=sanitizer.clears)
        return self.expr(base) if whole is None else whole

    def _view_request(self, node: ast.Attribute) -> RequestObject | None:
        """The request object `self.request` holds in a class-based view's method."""
        if isinstance(node.value, ast.Name):
            return self.requests.get(f"{node.value.id}.{node.attr}")
        return None

    def _request_data(self, node: ast.AST, request: RequestObject, attr: str) -> TVal:
        """`request.<attr>` (or the result of calling it): the client's data."""
        source = self.source(node, request.description, "http", "high")
        if attr in request.line_free_attrs:
            return extend(source, clears=LINE_BREAK_RULES)
        return source

    def _self_attribute(self, node: ast.Attribute, name: str) -> TVal:
        if self.handler is not None and node.attr in self.handler.spec.self_sources:
            return self.source(node, f"{self.handler.spec.description} data", "http", "high")
        key = f"{name}.{node.attr}"
        if key in self.env:
            return self.env[key]
        if self.summary.cls:
            return {FieldRead(self.summary.cls, node.attr): Flow((), frozenset())}
        return EMPTY

    def subscript(self, node: ast.Subscript, value: ast.expr, index: ast.expr) -> TVal:
        self.expr(index)
        if isinstance(value, ast.Name) and (key := str_key(index)) is not None:
            by_key = self._key_value(value.id, key)
            if by_key is not None:
                return by_key
        if (
            is_environ(value)
            and self._source_for(self.qualified(value) or "", value) is None  # not os.environ
            and isinstance(index, ast.Constant)
            and isinstance(index.value, str)
            and not index.value.startswith(self.spec.environ_keys)
        ):
            self.expr(value)
            return EMPTY  # environ["SERVER_NAME"] of WSGI: set by the server, not the client
        return self.expr(value)

    # --- calls -------------------------------------------------------------------------
    def call_tag(self, call: ast.Call) -> str | None:
        """A type tag for the call's result: the qualified callee, or `.method` on unknowns."""
        func = call.func
        qualified = self.qualified(func)
        if qualified is not None:
            return qualified
        if isinstance(func, ast.Attribute):
            base = func.value
            if (
                isinstance(base, ast.Name)
                and self.types.get(base.id) == "<self>"
                and self.summary.cls
            ):
                return None
            return f".{func.attr}"
        return None

    def call(self, node: ast.Call) -> TVal:
        func = node.func
        receiver_node = func.value if isinstance(func, ast.Attribute) else None
        receiver = self.expr(receiver_node) if receiver_node is not None else None
        if receiver_node is None and not isinstance(func, ast.Name):
            self.expr(func)
        # a local lambda or closure returns what it captured from the enclosing scope
        captured = (
            self.env.get(func.id, EMPTY)
            if isinstance(func, ast.Name) and func.id in self.locals
            else EMPTY
        )
        args = [self.expr(a) for a in node.args]
        kwargs = [(kw.arg, self.expr(kw.value)) for kw in node.keywords]
        qualified, internal_targets, bound = self._resolve_call(func)
        method = func.attr if isinstance(func, ast.Attribute) else None
        if qualified is None and method is not None and self._is_self(receiver_node):
            qualified = self._inherited(method)  # `self.redirect(url)` of a framework base

        request = None
        if isinstance(func, ast.Attribute) and isinstance(receiver_node, ast.Name):
            request = self.requests.get(receiver_node.id)
        elif isinstance(func, ast.Attribute) and isinstance(receiver_node, ast.Attribute):
            request = self._view_request(receiver_node)  # `self.request.get_full_path()`
        if request is not None and method is not None and not request.server_side(method):
            source = self._request_data(node, request, method)  # request.get_json()
            if method in request.line_free_attrs:
                # what the call joins to the encoded URL is not (`req.relative_url(path)`)
                return join(source, *args, *(v for _, v in kwargs))
            return source
        source = self._call_source(node, qualified, method, receiver_node)
        if source is not None:
            return source
        self._check_sinks(node, qualified, method, receiver_node)
        if (method in MUTATORS and (self.containers or self.param_slots)) or (
            method in _FIELD_MUTATORS and isinstance(receiver_node, ast.Attribute)
        ):
            self._mutated(node, receiver_node, join(*args, *(v for _, v in kwargs)))

        # `x.get(key)`: the result is what `x` holds, not the key (see KEY_LOOKUP_METHODS)
        key_lookup = (
            method in self.spec.key_lookups
            and bool(node.args)
            and not isinstance(node.args[0], ast.Starred)
        )
        passed = args[1:] if key_lookup else args
        if (
            key_lookup
            and isinstance(receiver_node, ast.Name)
            and (key := str_key(node.args[0])) is not None
        ):
            by_key = self._key_value(receiver_node.id, key)  # `order.get("state", default)`
            if by_key is not None:
                receiver = by_key
        everything = join(receiver or EMPTY, captured, *passed, *(v for _, v in kwargs))
        sanitizer = self.spec.sanitizers.get(qualified or "")
        if sanitizer is None and method is not None and (qualified is None or not internal_targets):
            # `x.first()` on an object the specs do not name, of unknown type or of a
            # library's (`qualified` then says which): known by its method, the first one
            # whose condition the call meets (`x.replace("a", "b")` strips no line breaks
            # and doubles no quotes)
            candidates = self.spec.method_sanitizers.get(method)
            if candidates:
                sanitizer = next(
                    (
                        candidate
                        for candidate in candidates
                        if candidate.condition is None
                        or conditions.SANITIZES[candidate.condition](node)
                    ),
                    None,
                )
        elif (
            sanitizer is not None
            and sanitizer.condition is not None
            and not conditions.SANITIZES[sanitizer.condition](node)
        ):
            sanitizer = None
        if sanitizer is not None:
            if ALL in sanitizer.clears:
                return EMPTY
            return extend(everything, clears=sanitizer.clears)
        if internal_targets:
            index = len(self.summary.calls)
            # positional arguments up to the first `*expansion` have known places; the
            # rest, with `**expansions`, may land on any later parameter (see `bind`)
            first_star = next(
                (i for i, n in enumerate(node.args) if isinstance(n, ast.Starred)), len(args)
            )
            star = join(*args[first_star:], *(v for k, v in kwargs if k is None))
            self.summary.calls.append(
                CallSite(
                    callees=internal_targets,
                    args=tuple(args[:first_star]),
                    kwargs=tuple((k, v) for k, v in kwargs if k is not None),
                    star=star,
                    receiver=receiver if bound else None,
                    bound=bound,
                    location=self.ctx.location(node),
                    text=self.text(node),
                    key_lookup=key_lookup,
                )
            )
            self.call_sites[id(node)] = index
            self._passed_objects(node, index, first_star)
            if self.catching:  # what the callee raises, for the handler around the call
                self.catching[-1].calls.append(index)
            return {CallRet(index): Flow((), frozenset())}
        if method is not None and method in self.spec.non_propagating_methods:
            return EMPTY
        if method == "format" and receiver_node is not None and self._fixed_url(receiver_node):
            everything = extend(everything, clears=_HOST_FIXED)  # "https://host/{}".format(x)
        if qualified in _URL_BUILDERS:
            if self._fixed_parts(node):
                everything = extend(everything, clears=_HOST_FIXED)  # urlunsplit((s, HOST, …))
            else:
                everything = self._url_from_parts(node, qualified, everything)
        if (
            method == "get"
            and receiver_node is not None
            and is_environ(receiver_node)
            and self._source_for(self.qualified(receiver_node) or "", receiver_node) is None
            and node.args
            and isinstance(key := node.args[0], ast.Constant)
            and isinstance(key.value, str)
            and not key.value.startswith(self.spec.environ_keys)
        ):
            return join(*args[1:])  # environ.get("SERVER_NAME"): set by the server, not the client
        if method == "get" and receiver_node is not None and self._constant_mapping(receiver_node):
            # COLUMNS.get(key, default): one of a fixed mapping's values, never the key
            return join(*args[1:], *(v for _, v in kwargs))
        return everything

    def _is_self(self, node: ast.expr | None) -> bool:
        return isinstance(node, ast.Name) and self.types.get(node.id) == "<self>"

    def _inherited(self, method: str) -> str | None:
        """`base.method` when the class inherits `method` from a library class the specs
        know (a sink, source or sanitizer), through base classes of this module."""
        if self.cls is None:
            return None
        key = (self.cls.name, self.cls.lineno, method)
        if key not in self.mod.inherited:
            self.mod.inherited[key] = self._find_inherited(self.cls, method)
        return self.mod.inherited[key]

    def _find_inherited(self, own: ast.ClassDef, method: str) -> str | None:
        classes = self.mod.local_classes
        queue: list[ast.ClassDef] = [own]
        seen: set[str] = set()
        while queue and len(seen) < 16:
            cls = queue.pop(0)
            if any(
                isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == method
                for item in cls.body
            ):
                return None  # defined in the reviewed code: a call of the tree
            for base in cls.bases:
                name = self.ctx.resolve(base)
                if name is None or name in seen:
                    continue
                seen.add(name)
                if name in classes:
                    queue.append(classes[name])
                elif not self.mod.is_internal(name):
                    candidate = f"{name}.{method}"
                    if (
                        candidate in self.spec.sinks
                        or candidate in self.spec.call_sources
                        or candidate in self.spec.sanitizers
                    ):
                        return candidate
        return None

    def _url_from_parts(self, call: ast.Call, builder: str, everything: TVal) -> TVal:
        """`urlunparse((scheme, netloc, path, params, query, fragment))`: data only in the
        query or the fragment comes after a `?` or `#` and cannot choose where the URL
        points (the path can: `//evil.example` is a host)."""
        parts = self.literal_parts.get(id(call.args[0])) if call.args else None
        first_query = _URL_QUERY_PART[builder]
        if not isinstance(parts, list) or len(parts) != _URL_PART_COUNTS[builder] or call.keywords:
            return everything
        if not any(parts[first_query:]):
            return everything
        return join(*parts[:first_query], extend(join(*parts[first_query:]), clears=_HOST_FIXED))

    def _fixed_parts(self, call: ast.Call) -> bool:
        """`urlunsplit((scheme, netloc, path, ...))` whose scheme and netloc come from
        constants or configuration (object fields, module globals), not from a source, a
        parameter or another call of the tree: the destination is fixed, the path is not."""
        parts = call.args[0] if call.args else None
        if not isinstance(parts, (ast.Tuple, ast.List)) or len(parts.elts) < 2:
            return False
        head = parts.elts[:2]
        netloc = head[1]
        if isinstance(netloc, ast.Constant) and not netloc.value:
            return False  # no host: a path of `//evil.example` would give one
        if any(isinstance(n, (ast.Call, ast.Starred)) for part in head for n in ast.walk(part)):
            return False  # evaluated already; a second pass must not record calls twice
        return all(self._configured(self.expr(part)) for part in head)

    def _configured(self, value: TVal, depth: int = 0) -> bool:
        """Data from configuration only: object fields, module globals, or what a function
        of the tree returns when called with nothing else (`valid_url(conf.host, conf.port)`)."""
        for origin in value:
            if isinstance(origin, CallRet) and depth < 3:
                site = self.summary.calls[origin.call]
                inputs = [*site.args, *(v for _, v in site.kwargs), site.star, site.receiver]
                if not all(self._configured(v or EMPTY, depth + 1) for v in inputs):
                    return False
            elif not isinstance(origin, (FieldRead, GlobalRead)):
                return False
        return True

    def _fixed_url(self, node: ast.expr) -> bool:
        """Text starting with a URL whose scheme and host are constants."""
        if isinstance(node, ast.Name) and node.id in self.locals:
            return False
        return fixes_host(node, self.ctx.symbols.constants)

    def _constant_mapping(self, node: ast.expr) -> bool:
        """A literal dict, or a module-level name bound to one (`SORT_COLUMNS = {...}`)."""
        if isinstance(node, ast.Dict):
            return self.ctx.is_constant(node)
        return (
            isinstance(node, ast.Name)
            and node.id not in self.locals
            and isinstance(self.ctx.symbols.constants.get(node.id), ast.Dict)
        )

    def _resolve_call(self, func: ast.expr) -> tuple[str | None, tuple[str, ...], bool]:
        """(qualified external name, candidate internal callees, bound-method call?)"""
        if isinstance(func, ast.Attribute):
            base = func.value
            if isinstance(base, ast.Name):
                tag = self.types.get(base.id)
                if tag == "<self>" and self.summary.cls:
                    return None, (f"{self.summary.cls}.{func.attr}",), True
                if base.id not in self.locals:
                    tag = self.mod.global_types.get(base.id)  # `store = Store()` at module level
                if tag and (base.id in self.locals or base.id in self.mod.global_types):
                    qualified = f"{tag}.{func.attr}"
                    if self.mod.is_internal(tag):
                        return None, (qualified,), True
                    return qualified, (), True
            if (
                isinstance(base, ast.Attribute)
                and isinstance(base.value, ast.Name)
                and self.types.get(base.value.id) == "<self>"
                and self.summary.cls
            ):
                # self.<field>.<method>(): typed by what the class assigns to the field
                field_type = self.mod.summary.field_types.get((self.summary.cls, base.attr))
                if field_type is None:
                    return None, (f"field:{self.summary.cls}:{base.attr}:{func.attr}",), True
                qualified = f"{field_type}.{func.attr}"
                if self.mod.is_internal(field_type):
                    return None, (qualified,), True
                return qualified, (), True
            if (
                isinstance(base, ast.Call)
                and isinstance(base.func, ast.Name)
                and base.func.id == "super"
                and self.summary.cls
            ):
                return None, (f"super:{self.summary.cls}.{func.attr}",), True
        qualified = self.qualified(func)
        if qualified is None:
            return None, (), isinstance(func, ast.Attribute)
        if self.mod.is_internal(qualified):
            return None, (qualified,), False
        return qualified, (), False

    def _call_source(
        self, node: ast.Call, qualified: str | None, method: str | None, receiver: ast.expr | None
    ) -> TVal | None:
        if qualified is not None:
            spec = self.spec.call_sources.get(qualified)
            if spec is not None:
                return self.source(node, spec.description, spec.kind, spec.confidence)
        if (
            method is not None
            and self.handler is not None
            and isinstance(receiver, ast.Name)
            and self.types.get(receiver.id) == "<self>"
            and method in self.handler.spec.self_calls
        ):
            return self.source(node, f"{self.handler.spec.description}", "http", "high")
        return None

    def _check_sinks(
        self, node: ast.Call, qualified: str | None, method: str | None, receiver: ast.expr | None
    ) -> None:
        specs: list[Sink] = list(self.spec.sinks.get(qualified, ())) if qualified else []
        if method is not None and method in self.spec.method_sinks and receiver is not None:
            text = short(receiver)  # canonical: the receiver checks match on it
            tag = self.types.get(receiver.id) if isinstance(receiver, ast.Name) else None
            if isinstance(receiver, ast.Call):
                tag = self.call_tag(receiver)
            for sink in self.spec.method_sinks[method]:
                check = conditions.RECEIVERS.get(sink.receiver or "any")
                if qualified is not None and sink.receiver != "any" and tag is None:
                    tag = qualified.rsplit(".", 1)[0]
                if check is not None and check(text, tag):
                    specs.append(sink)
        for sink in specs:
            if sink.rule not in self.mod.rules:
                continue
            exprs = self._sink_arguments(node, sink, receiver)
            if exprs is None:
                continue
            taint = join(*(self.expr(e) for e in exprs))
            if (
                taint
                and sink.rule == "header-injection"
                and receiver is not None
                and sink.receiver == "response_headers"
                and self._checks_headers(receiver)
            ):
                continue
            if taint:
                self.sink(sink.rule, taint, node, f"{self.text(node)}", sink.confidence)

    def _sink_arguments(
        self, node: ast.Call, sink: Sink, receiver: ast.expr | None
    ) -> list[ast.expr] | None:
        chosen: list[ast.expr] = []
        if "*" in sink.args:
            chosen = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
            chosen += [kw.value for kw in node.keywords]
        else:
            positions = [a for a in sink.args if isinstance(a, int)]
            names = [a for a in sink.args if isinstance(a, str) and a != "receiver"]
            for position in positions:
                if position < len(node.args):
                    arg = node.args[position]
                    chosen.append(arg.value if isinstance(arg, ast.Starred) else arg)
            for kw in node.keywords:
                if kw.arg in names:
                    chosen.append(kw.value)
            if "receiver" in sink.args and receiver is not None:
                chosen.append(receiver)
        if sink.condition is not None:
            with_context = conditions.CONTEXT_CONDITIONS.get(sink.condition)
            if with_context is not None:  # needs the module: constants, other statements
                return with_context(node, chosen, self._tag_of, self.ctx)
            return conditions.CONDITIONS[sink.condition](node, chosen, self._tag_of)
        return chosen or None

    def _tag_of(self, node: ast.expr) -> str | None:
        return self.types.get(node.id) if isinstance(node, ast.Name) else None

    def sink(
        self, rule: str, taint: TVal, node: ast.AST, note: str, confidence: str | None = None
    ) -> None:
        if rule not in self.mod.rules:
            return
        statement = self.ctx.statement(node)
        first = getattr(statement, "lineno", getattr(node, "lineno", 1))
        last = getattr(statement, "end_lineno", first) or first
        if isinstance(
            statement,
            (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.AsyncFunctionDef),
        ):
            last = getattr(node, "end_lineno", first) or first
        self.summary.sinks.append(
            SinkEvent(
                rule=rule,
                taint=taint,
                location=self.ctx.location(node),
                note=note,
                snippet=self.ctx.snippet(node),
                scope=self.scope,
                region=(first, last),
                confidence=confidence,
            )
        )


_CHECKED = "@"  # marks a guard's key that is an expression, not a variable


def _with_checked(
    checked: dict[str, frozenset[str]], clears: dict[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """The checked expressions in force once a guard's `clears` hold."""
    found = {key: kinds for key, kinds in clears.items() if key.startswith(_CHECKED)}
    return {**checked, **found} if found else checked


class _Catcher:
    """What may be raised in the body of a `try` with handlers, as it is walked."""

    __slots__ = ("calls", "raised")

    def __init__(self) -> None:
        self.raised: list[tuple[str, TVal]] = []  # (class, data) of its `raise` statements
        self.calls: list[int] = []  # call sites of the tree's functions in it


_CATCH_ALL = frozenset({"Exception", "BaseException"})


def _may_catch(cls: str, catches: tuple[str, ...]) -> bool:
    """Whether an `except` naming `catches` may catch a `cls` raised in its body, as far
    as names tell here (the whole-program phase knows callees' class hierarchies)."""
    return not catches or not cls or conditions.may_catch(catches, (cls,))


def _join_envs(envs: list[Env], unwritten: Callable[[Env, str], TVal]) -> Env:
    """Variables after branches: data on any path. A field (`name.attr` key) that some
    branch did not write holds there what `unwritten` says (the field as it was)."""
    if len(envs) == 1:
        return envs[0]
    if len(envs) == 2:  # the common case (if/else, a loop pass), without generators
        first, second = envs
        out = dict(first)
        for key, value in second.items():
            old = out.get(key)
            if old is value:
                continue  # a variable neither branch touched
            if old is None:
                out[key] = join(value, unwritten(first, key)) if "." in key else value
            else:
                out[key] = join(old, value)
        for key, value in first.items():
            if "." in key and key not in second:
                out[key] = join(value, unwritten(second, key))
        return out
    keys: set[str] = set()
    for env in envs:
        keys.update(env)
    out = {key: join(*(env.get(key, EMPTY) for env in envs)) for key in keys}
    for key in keys:
        if "." in key:
            missing = [env for env in envs if key not in env]
            if missing:
                out[key] = join(out[key], *(unwritten(env, key) for env in missing))
    return out
