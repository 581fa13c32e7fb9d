"""Pass 5, taint transfer: where attacker data goes in one function, statement by statement.

`FunctionAnalysis` walks a function with `flow.FlowWalker` (pass 1: which state each
statement runs in) and gives each statement its effect on the *path state*: for every
variable (and tracked field or key, see `objects.py`) the labels of the data it may hold
(`summary.Label`: a source read here, a parameter, a call's result, a field or global
written elsewhere) with each label's trace and the sink kinds it was made safe for. It asks
`values.py` (pass 2) what is a constant, `typetags.py` (pass 3) what a call runs and
`checks.py` (pass 4) what a test proves, and records for `summarize.py` (pass 6) what
the function returns, raises, stores, calls and which sinks its data reaches.

An expression's data is the join of its parts', except where the specs or the shape of the
code say otherwise: a sanitizer's result is safe for its sink kinds, a number or a boolean
carries nothing, a call of the tree is left symbolic (`CallRet`) for phase 2, a source
read is new attacker data. A function used as a value is an `Fn` label; a call of a value
that may hold one (a variable, a parameter, `ACTIONS[key]`, a call's result) is a call
site by value, and so is the call a library function makes of a function it is given
(`map(f, xs)`, `Thread(target=f)`: `spec.Invoker`). Assumes what the path state says of a
variable holds until the variable is assigned again (no aliasing through other names).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import NamedTuple

from secreview.model import TraceStep
from secreview.python import values as consts
from secreview.python.context import walk
from secreview.python.flow import SWALLOWING, FlowWalker
from secreview.python.rules._bindings import assigned_values
from secreview.python.taint import conditions, predictable
from secreview.python.taint.checks import (
    HOST_FIXED,
    SIGNED,
    Checks,
    Clears,
    platform_condition,
    with_checked,
)
from secreview.python.taint.handlers import (
    FunctionNode,
    HandlerInfo,
    match_handler,
    request_params,
    url_params,
    view_request,
)
from secreview.python.taint.markdown_ext import extension_marks
from secreview.python.taint.objects import (
    CONTAINER_LITERALS,
    CONTAINER_TYPES,
    SETATTR,
    Objects,
    field_item,
    index_key,
    keyed,
)
from secreview.python.taint.scopes import local_names, read_first, stored_names
from secreview.python.taint.shapes import (
    builds_text,
    fixes_host,
    format_literals,
    has_query_mark,
    is_abort,
    is_environ,
    is_format,
    numeric_format,
    parsed_from,
    query_only,
    short,
    str_key,
)
from secreview.python.taint.spec import ALL, LINE_BREAK_RULES, RequestObject, Sanitizer, Sink
from secreview.python.taint.summary import (
    AS_IS,
    ASSUMES,
    EMPTY,
    NAMED,
    NORETURN,
    OPENED,
    VALIDATED,
    WEAK,
    CallRaise,
    CallRet,
    CallSite,
    FieldRead,
    Flow,
    Fn,
    FunctionSummary,
    GlobalRead,
    Param,
    ReceiverTest,
    SinkEvent,
    Src,
    TVal,
    extend,
    field_of,
    join,
    meet,
)
from secreview.python.taint.typetags import SELF, TypeTags, annotation_tag
from secreview.python.taint.weak import DECODERS, WEAK_FUNCTIONS

Env = dict[str, TVal]
Keyword = tuple[str | None, TVal]  # a keyword argument's name (None: `**`) and data
# frameworks whose response headers reject CR/LF, and those that write values as given
_CHECKS_HEADERS = ("flask", "quart", "werkzeug", "django", "rest_framework", "aiohttp")
_CHECKS_HEADERS += ("tornado", "starlette", "fastapi")
_WRITES_HEADERS = ("webob", "pecan", "http.server", "wsgiref")
# build a URL from (scheme, netloc, path, ...) parts
_SCALARS = (bool, int, float, str, type(None))  # constants a parameter test can decide
_SPLITEXT = frozenset({"os.path.splitext", "posixpath.splitext"})
_PATH_SAFE = frozenset({"path-traversal"})
_URL_BUILDERS = frozenset({"urllib.parse.urlunsplit", "urllib.parse.urlunparse"})
# how many parts each takes, and where the query starts (urlunparse has `params` first)
_URL_PART_COUNTS = {"urllib.parse.urlunsplit": 5, "urllib.parse.urlunparse": 6}
_URL_QUERY_PART = {"urllib.parse.urlunsplit": 3, "urllib.parse.urlunparse": 4}
# f"{x!r}" / f"{x!a}" sanitize like repr(x)
_REPR_CONVERSIONS = frozenset({ord("r"), ord("a")})
_CATCH_ALL = frozenset({"Exception", "BaseException"})
# operators whose result is a number whatever their operands (`-`, `//`, `**`, shifts): text
# cannot go through them (`+`, `*`, `%`, `|` also join strings, lists and dicts, and `/`
# paths: only with a number on one side are `/` and `%` arithmetic)
_NUMBER_CALLS = frozenset({"builtins.len", "builtins.int", "builtins.float", "builtins.round"})
_NUMERIC_OPS = frozenset(
    {ast.Sub, ast.FloorDiv, ast.Pow, ast.LShift, ast.RShift, ast.BitXor, ast.MatMult}
)


class PathState:
    """What one path through a function knows at a point: the data of each variable (and
    tracked field or key), the variables' type tags, which hold a container of this
    function's own or a response's copied headers, the expressions and variables checks
    proved safe, what parse results come from, and the local constants."""

    __slots__ = ("assumed", "check_vars", "checked", "condition", "consts", "containers",
                 "derived", "env", "header_copies", "platform", "requires", "types")  # fmt: skip

    def __init__(self) -> None:
        self.env: Env = {}
        self.types: dict[str, str] = {}
        # variables holding a list, dict, set, deque or text buffer built here: what
        # `.append(x)`, `.update(d)` or `.write(s)` puts in them is in them
        self.containers: frozenset[str] = frozenset()
        # variables holding headers read from a response (`for k, v in resp.headers.items()`):
        # writing them back to a response adds nothing the response did not hold already
        self.header_copies: frozenset[str] = frozenset()
        # expressions (by `ast.dump`) a check in force proved safe for some sink kinds: the
        # same read again (`if is_safe_url(request.GET.get("next")): redirect(request.GET
        # .get("next"))`) is as safe as a variable the check was about
        self.checked: Clears = {}
        # variables holding a check's result (`ok = is_safe_url(url)`): what testing them
        # proves, as `guards` gives it for the check itself
        self.check_vars: dict[str, tuple[Clears, Clears]] = {}
        # `parsed = urlparse(url)`: parsed -> (url, False); `host = urlparse(url).hostname`:
        # host -> (url, True)
        self.derived: dict[str, tuple[str, bool]] = {}
        self.consts: consts.Consts = {}
        # the condition that confines the path to another platform than the server's
        # (`os.name == "nt"`), or None
        self.platform: str | None = None
        # the test of the innermost `if` the path is in and its truth here (a check made
        # under a condition that is not about the data runs only sometimes: `weak.py`)
        self.condition: tuple[ast.expr, bool] | None = None
        # call sites of the tree's functions this path went through as statements: the
        # path exists only if they return (phase 2 knows whether they ever do)
        self.requires: frozenset[int] = frozenset()
        # what the path needs of parameters the function never rebinds (`if not dry_run:`),
        # as `summary.ASSUMES` marks: put on the data of the sinks it reaches
        self.assumed: frozenset[str] = frozenset()

    def copy(self) -> PathState:
        """A copy for another path. The environment, types and constants change on every
        assignment and are copied; the rest change rarely and are replaced, never changed
        in place, so both copies share them until one replaces its own."""
        new = PathState.__new__(PathState)
        new.env = dict(self.env)
        new.types = dict(self.types)
        new.consts = dict(self.consts)
        new.containers = self.containers
        new.header_copies = self.header_copies
        new.checked = self.checked
        new.check_vars = self.check_vars
        new.derived = self.derived
        new.platform = self.platform
        new.condition = self.condition
        new.requires = self.requires
        new.assumed = self.assumed
        return new

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PathState):
            return NotImplemented
        return (
            self.env == other.env
            and self.types == other.types
            and self.containers == other.containers
            and self.checked == other.checked
            and self.derived == other.derived
            and self.header_copies == other.header_copies
            and self.requires == other.requires
            and self.assumed == other.assumed
        )

    __hash__ = None  # type: ignore[assignment]


class _Catcher:
    """What may be raised in the body of a `try` with handlers, as it is walked."""

    __slots__ = ("calls", "raised")

    def __init__(self) -> None:
        self.raised: list[tuple[str, TVal]] = []  # (class, data) of its `raise` statements
        # call sites of the tree's functions in it, each with the classes a `try` inside
        # this one already keeps (their other exceptions come here)
        self.calls: dict[int, tuple[str, ...]] = {}

    def add_call(self, index: int, caught: tuple[str, ...]) -> None:
        """Call site `index` may raise here all but `caught` (on several paths: all but
        what every path keeps)."""
        old = self.calls.get(index)
        self.calls[index] = caught if old is None else tuple(c for c in old if c in caught)


class Outer(NamedTuple):
    """What a nested function, analysed as a function of its own, knows of the function
    it is defined in: the names local there (which it may read, captured, but which are
    not module globals), their types where it is defined, and the class of the method."""

    locals: frozenset[str]
    types: dict[str, str]
    cls: str | None


class FunctionAnalysis(FlowWalker[PathState], TypeTags, Checks, Objects):
    """The analysis of one function body.

    A nested function (`def inner(...)` inside it) is analysed twice. It is walked where
    it is defined, with the enclosing variables, its parameters empty (`parent`): what it
    does with what it captures is the enclosing function's, whose summary records it (a
    closure over a request value reaching a sink, a wrapper calling the function its
    decorator was given). And it is analysed as a function of its own (`outer`: see
    `nested`), whose summary has its parameters and not what it captures: what its
    callers pass it, wherever they call it from (`run(request.args["x"])`). Where it is
    defined, its name holds the function (`Fn`) and what it captured."""

    state: PathState

    def __init__(
        self,
        mod,  # summarize.ModuleAnalysis
        summary: FunctionSummary,
        node: FunctionNode | None,
        cls: ast.ClassDef | None,
        parent: FunctionAnalysis | None = None,
        outer: Outer | None = None,
    ):
        super().__init__()
        self.mod = mod
        self.ctx = mod.ctx
        self.spec = mod.spec
        self.summary = summary
        self.node = node
        self.cls = cls
        self.parent = parent
        self.outer = outer
        self.qualname = summary.qualname  # a nested function's own, walked with its parent
        # nested functions to analyse as functions of their own, once this one is done
        self.nested: list[tuple[FunctionNode, str, Outer]] = []
        self.state = parent.state.copy() if parent is not None else PathState()
        self.scope = summary.qualname.removeprefix(mod.module + ".").replace("<module>", "")
        self.scope = self.scope.replace(".<locals>", "")
        self.handler: HandlerInfo | None = None
        self.requests: dict[str, RequestObject] = dict(parent.requests) if parent else {}
        self.returns: TVal = EMPTY
        # element by element while every `return` gives a tuple of one length; False once
        # one does not (a generator, a single value, tuples of other lengths)
        self.return_parts: list[TVal] | bool | None = None
        # the per-key parts of what every `return` gives, while each gives a dict literal
        # or a dict whose keys are tracked; False once one does not
        self.return_keys: dict[str, TVal] | bool | None = None
        # the type tag every typed `return` gives (None: none seen yet; False: they differ)
        self.return_type: str | bool | None = None
        self.call_sites: dict[int, int] = {}  # id(call node) -> its call site, if internal
        self.sink_events: dict[tuple[str, int, object], int] = {}  # (rule, id(node), variant)
        # parameters (by name: their index) whose objects the function may fill, what it
        # puts in them, and those it rebinds (a write after that is to another object)
        self.param_slots: dict[str, int] = {}
        self.gained: dict[str, TVal] = {}
        self.rebound: set[str] = set()
        self.rebound_names: frozenset[str] | None = None  # see `_rebinds`
        # for each `try` being walked that has a handler: what the exceptions raised in
        # its body carry (`raise` statements here, `CallRaise` of calls of the tree)
        self.catching: list[_Catcher] = []
        self.handling: list[_Catcher] = []
        self.raised_: dict[str, TVal] = {}
        # the parts of dict, list and tuple literals (by id): a dict's value under each
        # constant key, a sequence's elements
        self.literal_parts: dict[int, dict[str, TVal] | list[TVal]] = {}
        self.iterated: dict[int, TVal] = {}  # id(for/match) -> what it iterates / matches
        self.exits: list[PathState] = []  # the states at its `return` statements
        # at each `return`, for the truth of the value it returns (both when not known):
        # what each parameter holds there (None: not its caller's value any more)
        self.verdict_exits: list[tuple[bool, dict[int, Flow | None]]] = []
        # at each `return`, the parameter the value is a keyed MAC of (`summary.signs`)
        self.signed_returns: list[int | None] = []
        # names this function assigns a constant key of (`settings["mode"] = m`)
        self._item_targets: set[str] | None = None
        # id(call) -> (its keyword fields, the rest) for objects built with keywords by a
        # class outside the tree (`Row(path=p, size=n)`, `dict(a=x)`): see `keys_of`
        self.call_fields: dict[int, tuple[dict[str, TVal], TVal]] = {}
        self.named_attributes: dict[int, ast.Attribute | None] = {}  # see `_named_attribute`
        # made on first use, dropped after the walk: its bound methods make a cycle
        self.folder: consts.Folder | None = None

    # --- set-up ----------------------------------------------------------------------
    def run(self, body: list[ast.stmt]) -> None:
        local, declared = local_names(self.node, body, self.mod.expression_bindings)
        self.locals = local | (self.parent.locals if self.parent else set())
        outer = self.outer
        if outer is not None:
            self.locals |= outer.locals - declared  # captured: not the module's names
            self.state.types.update(
                (name, tag) for name, tag in outer.types.items() if name not in local
            )
        self.declared_globals = declared
        if self.node is not None:
            self._bind_parameters(self.node)
        self.block(body)
        self.folder = None  # its bound methods make a cycle
        if self.parent is None:
            summary = self.summary
            summary.param_writes = {
                self.param_slots[name]: value
                for name, value in self.gained.items()
                if name not in self.rebound
            }
            summary.returns = self._returned(self.returns)
            summary.raises = self.raised_
            summary.return_type = self._return_type()
            if isinstance(self.return_parts, list):
                summary.return_parts = tuple(map(self._returned, self.return_parts))
            if isinstance(self.return_keys, dict) and self.return_keys:
                summary.return_keys = {
                    key: self._returned(value) for key, value in self.return_keys.items()
                }
            self._exit_facts()
            self._verdicts()
            signs = set(self.signed_returns)
            if len(signs) == 1:
                summary.signs = signs.pop()
            self.exits = []

    def _exit_facts(self) -> None:
        """What every normal exit shows: none at all (it always raises or aborts), and the
        sink kinds a check proved of each parameter on all of them (`validates`)."""
        exits = [*self.exits, *([self.state] if self.state is not None else [])]
        summary = self.summary
        if not exits:
            summary.never_returns = self.node is not None and not self._generator()
            return
        for name, index in self.param_slots.items():
            if name in self.rebound:
                continue  # its value at the exits is another one's, not the caller's
            kinds: frozenset[str] | None = None
            for state in exits:
                value = state.env.get(name, EMPTY)
                flow = value.get(Param(index, name))
                if flow is None or len(value) != 1:
                    kinds = None
                    break
                kinds = flow.cleared if kinds is None else meet(kinds, flow.cleared)
            kinds = frozenset(k for k in kinds or () if not k.startswith("?"))
            if kinds:
                summary.validates[index] = kinds
            weak = {k for k in kinds if k.startswith(WEAK)}
            if weak:  # passed a check that does not protect it: the callers' traces show it
                trace = exits[0].env[name][Param(index, name)].trace
                steps = [s for s in trace if s.check and weak & {WEAK + k for k in s.check.kinds}]
                if steps:
                    summary.failing_checks[index] = steps[-1]

    def _verdicts(self) -> None:
        """`summary.verdicts`: by parameter, what every `return` of a true value proves of
        it, and what every `return` of a false value does; with the step of a check that does
        not protect it (`summary.verdict_checks`)."""
        exits = self.verdict_exits
        self.verdict_exits = []
        if not exits:
            return
        summary = self.summary
        for name, index in self.param_slots.items():
            if name in self.rebound:
                continue
            sides: list[frozenset[str]] = []
            for truth in (True, False):
                kinds: frozenset[str] | None = None
                trace: tuple[TraceStep, ...] = ()
                for side, held in exits:
                    if side is not truth:
                        continue
                    flow = held.get(index)
                    if flow is None:
                        kinds = frozenset()
                        break
                    if kinds is None:
                        trace = flow.trace
                    kinds = flow.cleared if kinds is None else meet(kinds, flow.cleared)
                kinds = frozenset(k for k in kinds or () if not k.startswith("?"))
                sides.append(kinds)
                weak = {k for k in kinds if k.startswith(WEAK)}
                steps = [s for s in trace if s.check and weak & {WEAK + k for k in s.check.kinds}]
                if steps:
                    summary.verdict_checks[(index, truth)] = steps[-1]
            if sides[0] or sides[1]:
                summary.verdicts[index] = (sides[0], sides[1])

    def _generator(self) -> bool:
        return any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in ast.walk(self.node))  # type: ignore[arg-type]

    def _return_type(self) -> str | None:
        """What callers get, as a type tag: the return annotation (`-> requests.Session`),
        else the type every typed `return` agrees on."""
        node = self.node
        if node is not None and node.returns is not None:
            tag = annotation_tag(self.ctx, node.returns)
            if tag is not None:
                return tag
        return self.return_type if isinstance(self.return_type, str) else None

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
        env = self.state.env
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
                fixed = self.fold(default)
                if self.parent is None and isinstance(fixed, _SCALARS):
                    self.summary.defaults += ((index, fixed),)
            env[name] = value
            self.state.consts.pop(name, None)
            self.state.types.pop(name, None)
            if arg.annotation is not None:
                self.annotate(name, arg.annotation)
        if self.cls is not None and positional and self.summary.kind in ("method", "classmethod"):
            self.state.types.setdefault(positional[0].arg, SELF)
            view = view_request(self.ctx, self.spec, self.cls)
            if view is not None and self.summary.kind == "method":
                # `self.request` of a class-based view: the request, as a parameter would be
                self.requests[f"{positional[0].arg}.{view.self_attr}"] = view

    def _public_api(self) -> bool:
        """`taint-parameters` is for library code: its callers (the attackers' way in) reach
        only public functions and methods, so private helpers and nested functions keep
        their precise, call-site-driven summaries."""
        if self.parent is not None or self.outer is not None:
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
        label = Src(kind, what, location, confidence, self.summary.qualname)
        step = TraceStep(location, f"{arg.arg}: {what} (source)")
        return {label: Flow((step,), frozenset())}

    # --- helpers ----------------------------------------------------------------------
    def text(self, node: ast.AST) -> str:
        return short(node, self.ctx.lines)

    def step(self, node: ast.AST, note: str) -> TraceStep:
        return TraceStep(self.ctx.location(node), note)

    def source(self, node: ast.AST, description: str, kind: str, confidence: str) -> TVal:
        location = self.ctx.location(node)
        label = Src(kind, description, location, confidence, self.summary.qualname)
        return {
            label: Flow(
                (TraceStep(location, f"{self.text(node)} ({description}, source)"),), frozenset()
            )
        }

    # --- values (pass 2) -----------------------------------------------------------------
    def fold(self, node: ast.AST | None) -> object:
        """The constant value of an expression here (`values.UNKNOWN` if it is none)."""
        if node is None:
            return consts.UNKNOWN
        folder = self.folder
        if folder is None:
            folder = self.folder = consts.Folder(
                self.ctx.resolve, self._constant_of, self._class_constant
            )
        return folder.fold(node)

    def _constant_of(self, name: str) -> object:
        state = self.state
        if state is not None and name in state.consts:
            return state.consts[name]
        if name in self.locals:
            return consts.UNKNOWN
        return self.mod.values.module.lookup(name)

    def _class_constant(self, node: ast.Attribute) -> object:
        base = node.value
        if isinstance(base, ast.Name):
            if self.state.types.get(base.id) == SELF and self.cls is not None:
                return self.mod.values.module.class_attribute(self.cls.name, node.attr)
            if base.id not in self.locals:
                return self.mod.values.module.class_attribute(base.id, node.attr)
        return consts.UNKNOWN

    # --- the flow walker's hooks (pass 1) ------------------------------------------------
    def copy(self, state: PathState) -> PathState:
        return state.copy()

    def join(self, states: list[PathState]) -> PathState:
        if len(states) == 1:
            return states[0].copy()
        first = states[0]
        out = PathState.__new__(PathState)
        types: dict[str, str] = {}
        conflicting: set[str] = set()
        for state in states:
            for name, tag in state.types.items():
                old = types.get(name)
                if old is None and name not in conflicting:
                    types[name] = tag
                elif old is not None and old != tag:
                    conflicting.add(name)
                    del types[name]
        out.types = types
        common = first.requires.intersection(*(s.requires for s in states[1:]))
        envs = [_requiring(s.env, s.requires - common) for s in states]
        out.env = _join_envs(envs, lambda env, key: self.unwritten(env, key, types))
        out.requires = common
        out.assumed = first.assumed.intersection(*(s.assumed for s in states[1:]))
        out.containers = first.containers.union(*(s.containers for s in states[1:]))
        out.header_copies = first.header_copies.intersection(*(s.header_copies for s in states[1:]))
        checked: Clears = {}
        for key, kinds in first.checked.items():
            for other in states[1:]:
                kinds = kinds & other.checked.get(key, frozenset())
            if kinds:
                checked[key] = kinds
        out.checked = checked
        out.check_vars = {
            name: proof
            for name, proof in first.check_vars.items()
            if all(other.check_vars.get(name) == proof for other in states[1:])
        }
        out.derived = {
            name: origin
            for name, origin in first.derived.items()
            if all(other.derived.get(name) == origin for other in states[1:])
        }
        out.consts = consts.join_consts([s.consts for s in states])
        platforms = {s.platform for s in states}
        out.platform = platforms.pop() if len(platforms) == 1 else None
        condition = first.condition
        out.condition = condition if all(s.condition == condition for s in states[1:]) else None
        return out

    def _same(self, a: PathState, b: PathState) -> bool:
        return a == b

    def carried(self, stmt: ast.stmt, before: PathState, after: PathState) -> bool:
        """Does a variable the pass changed (its data, type or parse origin) reach a
        read that may come before the body assigns it?"""
        changed = {
            name.split(".", 1)[0]
            for name in after.env.keys() | before.env.keys()
            if after.env.get(name, EMPTY) != before.env.get(name, EMPTY)
        }
        changed.update(
            n for n in after.types.keys() | before.types.keys()
            if after.types.get(n) != before.types.get(n)
        )  # fmt: skip
        changed.update(
            n for n in after.derived.keys() | before.derived.keys()
            if after.derived.get(n) != before.derived.get(n)
        )  # fmt: skip
        changed.update(after.containers ^ before.containers)
        changed.update(after.check_vars.keys() ^ before.check_vars.keys())
        target = getattr(stmt, "target", None)
        return bool(changed & read_first(stmt.body, stored_names(target)))  # type: ignore[attr-defined]

    def never_returns(self, call: ast.Call) -> bool:
        return consts.never_returns(call, self.ctx.resolve) or is_abort(call)

    def swallows(self, item: ast.withitem) -> bool:
        manager = item.context_expr
        if not isinstance(manager, ast.Call):
            return False
        name = self.ctx.resolve(manager.func)
        if name in SWALLOWING:
            return True
        return name is not None and name in self.mod.swallowing

    def simple(self, stmt: ast.stmt) -> None:
        state = self.state
        match stmt:
            case ast.Expr(value=value):
                self.expr(value)
                self._called_for_effect(value)
            case ast.Assign(targets=targets, value=value):
                taint = self.expr(value)
                folded = self.fold(value)
                for target in targets:
                    self.assign(target, taint, value, stmt)
                    consts.assign(state.consts, target, folded)
            case ast.AnnAssign(target=target, value=value) if value is not None:
                self.assign(target, self.expr(value), value, stmt)
                consts.assign(state.consts, target, self.fold(value))
                if isinstance(target, ast.Name):
                    self.annotate(target.id, stmt.annotation)
            case ast.AnnAssign(target=ast.Name(id=name), annotation=annotation):
                self.annotate(name, annotation)
            case ast.AugAssign(target=target, value=value):
                taint = join(self.expr(target), self.expr(value))
                self.assign(target, taint, stmt, stmt, augmented=True)
                consts.assign(state.consts, target, consts.UNKNOWN)
            case ast.FunctionDef() | ast.AsyncFunctionDef():
                self.nested_function(stmt)
                state.consts.pop(stmt.name, None)
            case ast.ClassDef(body=body):
                for item in body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        self.nested_function(item)
            case ast.Delete(targets=targets):
                for target in targets:
                    if isinstance(target, ast.Name):
                        state.env.pop(target.id, None)
                        state.consts.pop(target.id, None)
            case ast.Assert(test=test, msg=msg):
                self.expr(test)
                self.expr(msg)
            case _:
                pass
        if state.consts:
            consts.forget_mutated(state.consts, stmt)

    def _called_for_effect(self, value: ast.expr) -> None:
        """`deny("bad")`, `require_sha(commit)`: a call of the tree's whose result is
        dropped may never return (the rest of the path then exists only if it does), and
        may be a check that raises (its arguments are then what it proved them)."""
        call = value.value if isinstance(value, ast.Await) else value
        index = self.call_sites.get(id(call)) if isinstance(call, ast.Call) else None
        if index is None:
            return
        state = self.state
        state.requires = state.requires | {index}
        for position, arg in enumerate(call.args):  # type: ignore[union-attr]
            if isinstance(arg, ast.Name) and state.env.get(arg.id):
                mark = frozenset({f"{VALIDATED}{index}:{position}"})
                state.env[arg.id] = extend(state.env[arg.id], clears=mark)

    def test(self, test: ast.expr) -> tuple[PathState | None, PathState | None]:
        self.expr(test)
        truth = self.fold(test)
        when_true, when_false = self.weak_proof(test, self.guards(test))
        before = self.state
        if before.condition is not None and (when_true or when_false):
            # a check made only on the path of a condition that is not about the data
            when_true, when_false = self.only_when(test, before.condition, when_true, when_false)
        may_true = truth is consts.UNKNOWN or truth is consts.ANY or bool(truth)
        may_false = truth is consts.UNKNOWN or truth is consts.ANY or not truth
        false_state = self._cleared(before, when_false) if may_false else None
        true_state = None
        if may_true:  # the state before can go on as this branch's: the other one is a copy
            true_state = self._cleared(before, when_true) if when_true or not may_false else before
        if true_state is not None:
            true_state.condition = (test, True)
        if false_state is not None:
            false_state.condition = (test, False)
        on_true, on_false = self._parameter_facts(test)
        if on_true and true_state is not None:
            true_state.assumed = true_state.assumed | on_true
        if on_false and false_state is not None:
            false_state.assumed = false_state.assumed | on_false
        if self.mod.mentions_platform:
            on_true, on_false = platform_condition(test, self.ctx)
            if on_true and true_state is not None:
                true_state.platform = on_true
            if on_false and false_state is not None:
                false_state.platform = on_false
        return true_state, false_state

    def _parameter_facts(self, test: ast.expr) -> tuple[frozenset[str], frozenset[str]]:
        """What a test says of a parameter the function never rebinds, on each branch
        (`if not gdrive:`, `if owner is None:`, `if dry_run and ...:`), as `ASSUMES` marks."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            on_true, on_false = self._parameter_facts(test.operand)
            return on_false, on_true
        if isinstance(test, ast.BoolOp):  # all of `and` on its true branch, `or` false
            facts = [self._parameter_facts(value) for value in test.values]
            if isinstance(test.op, ast.And):
                return frozenset().union(*(t for t, _ in facts)), frozenset()
            return frozenset(), frozenset().union(*(f for _, f in facts))
        name, kinds = None, ("truthy", "falsy")
        if isinstance(test, ast.Name):
            name = test.id
        elif (
            isinstance(test, ast.Compare)
            and isinstance(test.left, ast.Name)
            and len(test.ops) == 1
            and isinstance(test.ops[0], (ast.Is, ast.IsNot))
            and isinstance(test.comparators[0], ast.Constant)
            and test.comparators[0].value is None
        ):
            name = test.left.id
            kinds = ("none", "set") if isinstance(test.ops[0], ast.Is) else ("set", "none")
        index = self.param_slots.get(name) if name is not None else None
        if index is None or name in self._rebinds():
            return frozenset(), frozenset()
        return (
            frozenset({f"{ASSUMES}{index}:{kinds[0]}"}),
            frozenset({f"{ASSUMES}{index}:{kinds[1]}"}),
        )

    def _rebinds(self) -> frozenset[str]:
        """The names the function assigns anywhere (a parameter among them may hold
        another value than its caller's at a test)."""
        found = self.rebound_names
        if found is None:
            names = {
                sub.id  # type: ignore[attr-defined]
                for sub in (walk(self.node) if self.node is not None else ())
                if type(sub) is ast.Name and type(sub.ctx) is not ast.Load  # type: ignore[attr-defined]
            }
            found = self.rebound_names = frozenset(names)
        return found

    def _cleared(self, state: PathState, clears: Clears) -> PathState:
        out = state.copy()
        if not clears:
            return out
        env = out.env
        for name, kinds in clears.items():
            if env.get(name):
                env[name] = self.apply_clears(env[name], kinds)
        out.checked = with_checked(out.checked, clears)
        return out

    def iterate(self, stmt: ast.For | ast.AsyncFor) -> None:
        self.iterated[id(stmt)] = self.expr(stmt.iter)

    def bind_loop_target(self, stmt: ast.For | ast.AsyncFor) -> None:
        taint = self.iterated.get(id(stmt), EMPTY)
        self.assign(stmt.target, taint, stmt.iter, stmt)
        self.untype_element(stmt.target)
        iterable = self.fold(stmt.iter)
        element = consts.ANY if consts.is_constant(iterable) else consts.UNKNOWN
        consts.assign(self.state.consts, stmt.target, element)

    def enter_with(self, item: ast.withitem, stmt: ast.stmt) -> None:
        taint = self.expr(item.context_expr)
        if item.optional_vars is not None:
            self.assign(item.optional_vars, taint, item.context_expr, stmt)
            consts.assign(self.state.consts, item.optional_vars, consts.UNKNOWN)

    def returned(self, stmt: ast.Return) -> None:
        if stmt.value is not None:
            self.ret(stmt.value, stmt)
        else:
            self.return_parts = False
            self.return_keys = False
        if self.parent is None:
            self.exits.append(self.state.copy())
            if self.param_slots:
                self._verdict_exit(stmt.value)

    def _verdict_exit(self, value: ast.expr | None) -> None:
        """`return SHA.fullmatch(v) is not None`, `return False`: what the parameters hold
        where the function returns a true value and where it returns a false one (a check
        returned is what it proves on each side), for callers that branch on the verdict
        (`if not is_commit_id(c): abort(400)`, `summary.verdicts`)."""
        truth = self.fold(value) if value is not None else None
        if consts.is_constant(truth):
            sides = [(bool(truth), self.state)]
        elif (
            value is not None
            and _verdict_shaped(value)
            and (self.may_check(value) or self.may_weak(value))
        ):
            when_true, when_false = self.weak_proof(value, self.guards(value))
            sides = [
                (True, self._cleared(self.state, when_true) if when_true else self.state),
                (False, self._cleared(self.state, when_false) if when_false else self.state),
            ]
        elif value is not None and _verdict_shaped(value):
            sides = [(True, self.state), (False, self.state)]
        else:
            self.verdict_exits.append((True, {}))  # not a verdict: proves nothing
            self.verdict_exits.append((False, {}))
            return
        for side, state in sides:
            held: dict[int, Flow | None] = {}
            for name, index in self.param_slots.items():
                value_ = state.env.get(name, EMPTY)
                flow = value_.get(Param(index, name))
                held[index] = flow if flow is not None and len(value_) == 1 else None
            self.verdict_exits.append((side, held))

    def raised(self, stmt: ast.Raise) -> None:
        exc = stmt.exc
        if exc is not None:
            value = self.expr(exc)
            if value:
                stepped = extend(value, self.step(stmt, self.text(stmt)))
                self._raised(self._exception_class(exc), stepped)

    def begin_try(self, stmt: ast.Try | ast.TryStar) -> None:
        self.catching.append(_Catcher())

    def end_try(self, stmt: ast.Try | ast.TryStar) -> None:
        self.handling.append(self.catching.pop())

    def enter_handler(self, handler: ast.ExceptHandler) -> None:
        catcher = self.handling[-1]
        if handler.type is not None:
            self.expr(handler.type)
        catches = self._handler_types(handler.type)
        caught = [(c, v) for c, v in catcher.raised if _may_catch(c, catches)]
        if handler.name:
            # the exception holds what was raised in the body with data in it
            value = join(
                *(v for _, v in caught),
                *(
                    {CallRaise(i, catches, kept): Flow((), frozenset())}
                    for i, kept in catcher.calls.items()
                ),
            )
            note = f"except … as {handler.name}"
            self.state.env[handler.name] = extend(value, self.step(handler, note))
            self.state.consts.pop(handler.name, None)
            self.state.types.pop(handler.name, None)

    def end_handlers(self, stmt: ast.Try | ast.TryStar) -> None:
        """What the body raises and no handler keeps leaves the `try`: a handler that
        raises the exception again (`raise`, `raise error`) keeps nothing."""
        catcher = self.handling.pop()
        reraises = self.mod.reraises
        for h in stmt.handlers:
            if id(h) not in reraises:
                reraises[id(h)] = _reraises(h)
        handled = [self._handler_types(h.type) for h in stmt.handlers if not reraises[id(h)]]
        for cls, value in catcher.raised:  # raised in the body, of a class no handler names
            if not any(_may_catch(cls, catches) for catches in handled):
                self._raised(cls, value)
        if any(not catches for catches in handled):
            return  # `except Exception:` keeps every exception of the calls in the body
        kept = tuple(dict.fromkeys(c for catches in handled for c in catches))
        for index, caught in catcher.calls.items():
            self._call_escapes(index, caught + kept)

    def _call_escapes(self, index: int, caught: tuple[str, ...]) -> None:
        """Call site `index`'s exceptions, but those of classes `caught`, leave this
        point: to the enclosing `try`, or out of the function (`escapes`)."""
        if self.catching:
            self.catching[-1].add_call(index, caught)
        elif self.parent is None:
            escapes = self.summary.escapes
            old = escapes.get(index)
            escapes[index] = caught if old is None else tuple(c for c in old if c in caught)

    def match_subject(self, stmt: ast.Match) -> None:
        self.iterated[id(stmt)] = self.expr(stmt.subject)

    def case(self, subject: ast.expr, case: ast.match_case) -> tuple[PathState | None, bool]:
        match = self.ctx.statement(subject)
        taint = self.iterated.get(id(match), EMPTY)
        state = self.state
        for node in ast.walk(case.pattern):
            name = getattr(node, "name", None) or getattr(node, "rest", None)
            if isinstance(name, str):
                state.env[name] = taint if not _literal_pattern(node) else EMPTY
                state.consts.pop(name, None)
                state.types.pop(name, None)
        if _literal_pattern(case.pattern) and isinstance(subject, ast.Name):
            # `case "png" | "jpeg":` the subject equals one of the program's constants
            state = self._cleared(state, {subject.id: frozenset({ALL})})
        self.state = state
        if case.guard is not None:
            state = self.test(case.guard)[0]  # type: ignore[assignment]
        always = isinstance(case.pattern, ast.MatchAs) and case.pattern.pattern is None
        return state, always

    # --- statements ---------------------------------------------------------------------
    def ret(self, value: ast.expr, stmt: ast.stmt) -> None:
        parts = None
        if isinstance(value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in value.elts):
            parts = [self.expr(e) for e in value.elts]  # each once: calls are recorded
            taint = join(*parts)
        else:
            taint = self.expr(value)
        self._return_parts(parts, stmt, value)
        self._return_keys(value, stmt)
        self.signed_returns.append(self._signed_parameter(value))
        if self.parent is None and self.return_type is not False:
            tag = self.value_type(value)
            if tag is not None and self.return_type not in (None, tag):
                self.return_type = False  # objects of different classes
            elif tag is not None:
                self.return_type = tag
        if taint:
            self.returns = join(
                self.returns, extend(taint, self.step(stmt, f"return {self.text(value)}"))
            )
            if self.handler is not None and self.handler.spec.returns_html and builds_text(value):
                self.sink("xss", taint, value, f"return {self.text(value)} (HTML response body)")

    def _signed_parameter(self, value: ast.expr) -> int | None:
        """The parameter `return hmac.new(KEY, value, sha256).hexdigest()` signs, if any:
        the message holds that parameter's data alone (`value = value.encode()` first)."""
        if self.parent is not None:
            return None
        signed = self.signed(value)
        if len(signed) != 1 or next(iter(signed.values())) != frozenset({ALL}):
            return None
        held = self.state.env.get(next(iter(signed)), EMPTY)
        label = next(iter(held)) if len(held) == 1 else None
        return label.index if isinstance(label, Param) else None

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

    def _return_keys(self, value: ast.expr, stmt: ast.stmt) -> None:
        """`return {"id": x, "name": y}`, `return d` with d's keys tracked, `return (a, b)`,
        `return Row(path=p, size=n)`: what each key holds, for callers that read one
        (`f()["name"]`, `f()[0]`, `f().path`); "" holds what any other key does."""
        known = self.return_keys
        if known is False:
            return
        parts = self.keys_of(value)
        if parts is None:
            self.return_keys = False
            return
        step = self.step(stmt, f"return {self.text(value)}")
        parts = {k: extend(v, step) for k, v in parts.items()}
        if known is None:
            self.return_keys = parts
            return
        assert isinstance(known, dict)
        merged: dict[str, TVal] = {}
        for key in known.keys() | parts.keys():
            mine = known.get(key, known.get("", EMPTY))
            merged[key] = join(mine, parts.get(key, parts.get("", EMPTY)))
        self.return_keys = merged

    def _filled_by_key(self, name: str, value: ast.expr) -> bool:
        """A dict a call made (`dict()`, `get_settings()`) that this function then fills
        key by key (`settings["mode"] = m`): its keys are tracked from here on, what the
        call gave under any other key."""
        if not isinstance(value, ast.Call):
            return False
        filled = self._item_targets
        if filled is None:
            scope = self.node if self.node is not None else self.ctx.tree  # the module's code
            filled = self._item_targets = {
                node.value.id
                for node in ast.walk(scope)
                if isinstance(node, ast.Subscript)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and isinstance(node.slice, ast.Constant)
            }
        return name in filled

    def keys_of(self, value: ast.expr) -> dict[str, TVal] | None:
        """What an expression holds key by key ("" for any other key), when its keys are
        known here: a dict or sequence literal, a keyword-built object, a local whose keys
        are tracked; None otherwise."""
        if isinstance(value, ast.Await):
            value = value.value
        found = self.literal_parts.get(id(value)) if isinstance(
            value, (ast.Dict, ast.List, ast.Tuple)) else None  # fmt: skip
        if isinstance(found, dict):
            return {**{f"[{k}]": v for k, v in found.items()}, "": EMPTY}
        if isinstance(found, list):
            return {**{f"[#{i}]": v for i, v in enumerate(found)}, "": EMPTY}
        fields = self.call_fields.get(id(value))
        if fields is not None:
            return {**fields[0], "": fields[1]}
        if isinstance(value, ast.Name):
            keyed = self.keyed_parts(value.id)
            if keyed is not None:
                return {**keyed, "": self.state.env.get(f"{value.id}.", EMPTY)}
        return None

    def _raised(self, cls: str, value: TVal) -> None:
        """A `raise` with data in the exception: the innermost enclosing `try` with a
        handler may catch it, or else the function's callers may (`raises`)."""
        if self.catching:
            self.catching[-1].raised.append((cls, value))
        elif self.parent is None:
            self.raised_[cls] = join(self.raised_.get(cls, EMPTY), value)

    def _exception_class(self, exc: ast.expr) -> str:
        """The qualified name of the class a `raise` raises, or ""."""
        node = exc.func if isinstance(exc, ast.Call) else exc
        return self.qualified(node) or ""

    def _handler_types(self, node: ast.expr | None) -> tuple[str, ...]:
        """The classes an `except` names, qualified; () when it catches every exception."""
        items = node.elts if isinstance(node, ast.Tuple) else [node] if node else []
        names = tuple(self.ctx.resolve(item) or short(item) for item in items)
        if not names or any(n.rsplit(".", 1)[-1] in _CATCH_ALL for n in names):
            return ()
        return names

    def nested_function(self, node: FunctionNode) -> None:
        """Closures and local callbacks: walk the body now, seeing the enclosing variables
        (its parameters empty), and have it analysed as a function of its own later (see
        the class's docstring). Its name holds the function and what calling it yields
        of what it captured."""
        qualname = f"{self.qualname}.<locals>.{node.name}"
        args = node.args
        own = bool(args.posonlyargs or args.args or args.kwonlyargs or args.vararg or args.kwarg)
        function = {Fn(qualname): Flow((), frozenset())}
        # walked here when it captures a variable, or has no parameters for its own
        # summary to bind (then it is not analysed apart: it would find the same)
        if not own or _reads_any(node, self.locals):
            child = FunctionAnalysis(self.mod, self.summary, node, None, parent=self)
            child.qualname = qualname
            child.scope = f"{self.scope}.{node.name}".lstrip(".")
            child.call_sites = self.call_sites
            child.sink_events = self.sink_events
            child.named_attributes = self.named_attributes
            child.run(node.body)
            function = join(function, child.returns)
        self.state.env[node.name] = function
        self.state.types.pop(node.name, None)
        if self.parent is None and own:
            cls = self.summary.cls if self.outer is None else self.outer.cls
            self.nested.append(
                (node, qualname, Outer(frozenset(self.locals), dict(self.state.types), cls))
            )
        if node.decorator_list:
            self.decorate(node, qualname)

    def decorate(self, node: FunctionNode, qualname: str) -> None:
        """`@deco def f` runs `f = deco(f)` where `f` is defined: a call of each decorator of
        the tree with the function (innermost first), which a wrapper may call with data
        of its own making (`fn(locale, *args)`). Calls of `f` still run `f` itself with
        their arguments, as a wrapper that passes them on does."""
        value: TVal = {Fn(qualname): Flow((), frozenset())}
        for decorator in reversed(node.decorator_list):
            callees: tuple[str, ...] = ()
            func: TVal | None = None
            if isinstance(decorator, ast.Call):
                self.expr(decorator)  # `@retry(3)`: the decorator is what the call returns
                made = self.call_sites.get(id(decorator))
                if made is None:
                    return  # a library's decorator: the function is its business now
                func = {CallRet(made): Flow((), frozenset())}
            else:
                _, callees, _ = self.resolve_call(decorator)
                if not callees and isinstance(decorator, ast.Name):
                    held = self.state.env.get(decorator.id, EMPTY)
                    func = held if decorator.id in self.locals and _callable(None, held) else None
                if not callees and func is None:
                    return
            key = ~id(decorator)
            index = self.call_sites.get(key)
            if index is None:
                index = self._new_site(
                    key,
                    CallSite(
                        callees=callees,
                        args=(value,),
                        kwargs=(),
                        star=EMPTY,
                        receiver=None,
                        bound=False,
                        location=self.ctx.location(decorator),
                        text=f"@{self.text(decorator)}",
                        func=func,
                    ),
                )
            value = {CallRet(index): Flow((), frozenset())}

    # --- assignment ------------------------------------------------------------------
    def assign(
        self, target: ast.expr, taint: TVal, value: ast.AST, stmt: ast.AST, augmented: bool = False
    ) -> None:
        state = self.state
        match target:
            case ast.Name(id=name):
                if taint:
                    op = "+=" if augmented else "="
                    shown = self.text(value) if not augmented else self.text(stmt)
                    note = shown if augmented else f"{name} {op} {shown}"
                    taint = extend(taint, self.step(stmt, note))
                env = state.env
                env[name] = taint
                if name in self.param_slots:
                    self.rebound.add(name)
                if state.check_vars:
                    self.forget_checks(name)
                proven = (
                    self.weak_proof(value, self.guards(value))  # type: ignore[arg-type]
                    if self.may_check(value)
                    else self.weak_proof(value, ({}, {}))  # type: ignore[arg-type]
                    if self.may_weak(value)
                    else None
                )
                if proven is not None and (proven[0] or proven[1]):
                    state.check_vars = {**state.check_vars, name: proven}
                if isinstance(value, ast.Call) and (signed := self.signed(value)):
                    # `sig = sign(url)`: comparing `sig` with the client's checks `url`
                    state.check_vars = {**state.check_vars, SIGNED + name: (signed, {})}
                if f"{name}." in env:
                    self.forget_fields(name)
                if not augmented:
                    if isinstance(value, (ast.Dict, ast.List, ast.Tuple, ast.Call)):
                        keyed = self.keys_of(value)  # type: ignore[arg-type]
                        if keyed is None and self._filled_by_key(name, value):
                            keyed = {"": taint}  # `s = get_settings()`, then `s["k"] = v`
                        if keyed is not None and not self.builds_tree_object(value):
                            rest = keyed.pop("", EMPTY)
                            self.literal_keys(name, keyed, stmt, rest)
                    elif isinstance(value, ast.Name) and value.id != name:
                        self._copy_keys(name, value.id)
                self.set_type(name, value)
                if isinstance(value, CONTAINER_LITERALS) or (
                    isinstance(value, ast.Call) and state.types.get(name) in CONTAINER_TYPES
                ):
                    if name not in state.containers:
                        state.containers = state.containers | {name}
                elif name in state.containers:
                    state.containers = state.containers - {name}
                if self.mod.mentions_headers and self.copies_headers(value):
                    state.header_copies = state.header_copies | {name}
                elif name in state.header_copies:
                    state.header_copies = state.header_copies - {name}
                origin = parsed_from(value)
                if origin is not None and origin[0] != name:
                    state.derived = {**state.derived, name: origin}
                elif name in state.derived:
                    state.derived = {k: v for k, v in state.derived.items() if k != name}
                if taint and (name in self.declared_globals or self.summary.kind == "module"):
                    key = f"{self.mod.module}.{name}"
                    writes = self.summary.global_writes
                    writes[key] = join(writes.get(key, EMPTY), taint)
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
                elif isinstance(value, ast.Name) and not any(
                    isinstance(e, ast.Starred) for e in elts
                ) and (parts := self.keyed_parts(value.id)) is not None and all(
                    f"[#{i}]" in parts for i in range(len(elts))
                ):  # fmt: skip
                    # `cmd, arg = pair` with pair's elements tracked
                    for i, sub_target in enumerate(elts):
                        self.assign(sub_target, parts[f"[#{i}]"], value, stmt)
                else:
                    for sub_target in elts:
                        self.assign(sub_target, taint, value, stmt)
            case ast.Starred(value=inner):
                self.assign(inner, taint, value, stmt)
            case ast.Attribute(value=base, attr=attr):
                self.assign_attribute(base, attr, taint, stmt)  # type: ignore[arg-type]
            case ast.Subscript(value=base):
                self.assign_item(target, base, taint, stmt)  # type: ignore[arg-type]

    def _copy_keys(self, name: str, source: str) -> None:
        """`b = a` with a's keys tracked: b holds the same keys (one object, two names)."""
        parts = self.keyed_parts(source)
        if parts is None:
            return
        env = self.state.env
        env[f"{name}."] = env[f"{source}."]
        for key, value in parts.items():
            env[f"{name}.{key}"] = value

    def _unpacked_call(self, value: ast.AST, taint: TVal, elts: list[ast.expr]) -> int | None:
        """The call site whose result `value` is, when it is a call of the tree and the
        target takes its elements one by one (no `*rest`)."""
        if isinstance(value, ast.Await):
            value = value.value
        index = self.call_sites.get(id(value))
        if index is None or any(isinstance(e, ast.Starred) for e in elts):
            return None
        return index if taint.keys() == {CallRet(index)} else None

    # --- headers and sessions --------------------------------------------------------
    def copies_headers(self, value: ast.AST | None) -> bool:
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
        copies = self.state.header_copies
        if not reads and not any(n.id in copies for n in names):
            return False
        # every variable in it is a header copy or the response whose headers are read;
        # other names are functions and modules (`str`, `encodeutils`), but not sources
        owners = {id(n) for r in reads for n in walk(r.value) if type(n) is ast.Name}
        return all(
            id(n) in owners
            or n.id in copies
            or (n.id not in self.locals and not any(type(k) is Src for k in self.name(n, n.id)))
            for n in names
        )

    def _request_like(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Name):
            return node.id in self.requests or node.id in self.mod.request_names
        qualified = self.qualified(node)
        return qualified is not None and self._source_for(qualified, node) is not None

    def is_session(self, base: ast.expr) -> bool:
        qualified = self.qualified(base)
        if qualified in self.spec.session_objects:
            return True
        if isinstance(base, ast.Name) and self.tag_of(base) in self.spec.session_objects:
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

    def is_headers(self, base: ast.expr) -> bool:
        if isinstance(base, ast.Attribute) and base.attr == "headers":
            owner = base.value
            return not (isinstance(owner, ast.Name) and owner.id in self.requests)
        if isinstance(base, ast.Name):
            tag = self.state.types.get(base.id, "")
            return tag in self.spec.response_types
        return False

    def checks_headers(self, headers: ast.expr) -> bool:
        """Headers of a framework that refuses CR/LF in header values (it raises), so a
        value cannot split the response: Werkzeug (Flask), Django, aiohttp, Tornado,
        Starlette. WebOb, http.server and raw WSGI write what they are given."""
        owner = headers.value if isinstance(headers, ast.Attribute) else headers
        tag = self.state.types.get(owner.id, "") if isinstance(owner, ast.Name) else ""
        tag = tag or self.qualified(owner) or ""
        if tag.startswith(tuple(f"{m}." for m in _CHECKS_HEADERS)):
            return True
        if tag.startswith(tuple(f"{m}." for m in _WRITES_HEADERS)):
            return False
        imports = self.ctx.symbols.imports
        return any(imports(m) for m in _CHECKS_HEADERS) and not any(
            imports(m) for m in _WRITES_HEADERS
        )

    # --- expressions ----------------------------------------------------------------
    def expr(self, node: ast.expr | None) -> TVal:
        match node:
            case None | ast.Constant():
                return EMPTY
            case ast.Name(id=name):
                return self.name(node, name)
            case ast.Attribute():
                value = self.attribute(node)
                return self.checked_expression(node, value) if self.state.checked else value
            case ast.Subscript(value=value, slice=index):
                taint = self.subscript(node, value, index)
                return self.checked_expression(node, taint) if self.state.checked else taint
            case ast.Call():
                value = self.call(node)
                return self.checked_expression(node, value) if self.state.checked else value
            case ast.BinOp(left=left, right=right, op=op) if type(op) in _NUMERIC_OPS or (
                type(op) in (ast.Mod, ast.Div)
                and not is_format(node)
                and (self._number(right) or (type(op) is ast.Div and self._number(left)))
            ):
                self.expr(left)
                self.expr(right)
                return EMPTY  # `(page - 1) * size`, `n % 10`: a number holds no text
            case ast.BinOp(left=left, right=right):
                if is_format(node):  # "%s?next=%s" % (base, x): each argument apart
                    items = right.elts if isinstance(right, ast.Tuple) else [right]
                    parts = [self.expr(item) for item in items]
                    pieces = format_literals(left.value, len(parts))  # type: ignore[attr-defined]
                    if len(pieces) == 2 * len(parts) + 1:  # text before each argument
                        parts = [
                            conditions.placed_after_text(
                                part, any(_named(p) for p in pieces[: 2 * i + 1] if p)
                            )
                            for i, part in enumerate(parts)
                        ]
                    value = join(self.expr(left), *parts)
                    fixed = query_only(pieces, parts)
                else:
                    before, after = self.expr(left), self.expr(right)
                    after = conditions.placed_after_text(after, self._surely_text(left))
                    value = join(before, after)
                    fixed = bool(after) and not before and has_query_mark(left)  # a + "?q=" + x
                fixed = fixed or self._fixed_url(left)
                return extend(value, clears=HOST_FIXED) if fixed else value
            case ast.BoolOp(values=values):
                return join(*(self.expr(v) for v in values))
            case ast.UnaryOp(operand=operand):
                value = self.expr(operand)
                return EMPTY if isinstance(node.op, (ast.Not, ast.USub, ast.Invert)) else value
            case ast.Compare(left=left, comparators=comparators):
                self.expr(left)
                for c in comparators:
                    self.expr(c)
                return EMPTY  # a boolean carries no payload
            case ast.IfExp(test=test, body=body, orelse=orelse):
                # `lang if lang in LANGUAGES else "en"`: each branch sees what the test proved
                self.expr(test)
                when_true, when_false = self.weak_proof(test, self.guards(test))
                truth = self.fold(test)
                before = self.state
                value = EMPTY
                if truth is consts.UNKNOWN or truth is consts.ANY or truth:
                    self.state = self._cleared(before, when_true)
                    value = self.expr(body)
                if truth is consts.UNKNOWN or truth is consts.ANY or not truth:
                    self.state = self._cleared(before, when_false)
                    value = join(value, self.expr(orelse))
                self.state = before
                return value
            case ast.JoinedStr(values=values):
                parts = [
                    conditions.placed_after_text(
                        self.expr(v),
                        any(isinstance(c, ast.Constant) and _named(c.value) for c in values[:i]),
                    )
                    for i, v in enumerate(values)
                ]
                value = join(*parts)
                literals = [v.value if isinstance(v, ast.Constant) else None for v in values]
                fields = [
                    p for v, p in zip(values, parts, strict=True) if not isinstance(v, ast.Constant)
                ]
                fixed = self._fixed_url(node) or query_only(literals, fields)
                return extend(value, clears=HOST_FIXED) if fixed else value
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
                if not isinstance(node, ast.Set) and not any(
                    isinstance(e, ast.Starred) for e in elts
                ):
                    self.literal_parts[id(node)] = parts  # each element's data
                return join(*parts)
            case ast.Dict(keys=keys, values=values):
                parts = [self.expr(v) for v in values]
                named = [str_key(k) for k in keys]
                predictable.entries(self.sink, named, values, parts)  # `{"api_key": v}`
                if None not in named:  # `{"id": 1, "note": x}`: each key's value
                    self.literal_parts[id(node)] = dict(zip(named, parts, strict=True))  # type: ignore[arg-type]
                return join(*(self.expr(k) for k in keys if k is not None), *parts)
            case ast.Starred(value=value) | ast.Await(value=value) | ast.YieldFrom(value=value):
                if isinstance(node, ast.YieldFrom):
                    self.return_parts = False
                    self.return_keys = False
                    self.return_type = False
                taint = self.expr(value)
                if isinstance(node, ast.YieldFrom) and taint:
                    self.returns = join(self.returns, taint)
                return taint
            case ast.Yield(value=value):
                self.return_parts = False
                self.return_keys = False
                self.return_type = False  # a generator: its callers get no object of a class
                taint = self.expr(value)
                if taint:
                    self.returns = join(
                        self.returns, extend(taint, self.step(node, f"yield {self.text(value)}"))
                    )
                return EMPTY
            case ast.NamedExpr(target=target, value=value):
                taint = self.expr(value)
                self.assign(target, taint, value, node)  # type: ignore[arg-type]
                consts.assign(self.state.consts, target, self.fold(value))
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
                saved = self.state
                self.state = saved.copy()
                for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                    self.state.env[arg.arg] = EMPTY
                    self.state.consts.pop(arg.arg, None)
                taint = self.expr(body)
                self.state = saved
                return taint
            case ast.Slice(lower=lower, upper=upper, step=step):
                for part in (lower, upper, step):
                    self.expr(part)
                return EMPTY
        return EMPTY

    def comprehension(self, generators: list[ast.comprehension], parts: list[ast.expr]) -> TVal:
        saved = self.state
        self.state = saved.copy()
        for generator in generators:
            taint = self.expr(generator.iter)
            # the target carries the location (an ast.comprehension has none)
            self.assign(generator.target, taint, generator.iter, generator.target)
            self.untype_element(generator.target)
            consts.assign(self.state.consts, generator.target, consts.UNKNOWN)
            for condition in generator.ifs:
                self.expr(condition)
                when_true, _ = self.weak_proof(condition, self.guards(condition))
                if when_true:  # `[x for x in xs if x in ALLOWED]`
                    self.state = self._cleared(self.state, when_true)
        result = join(*(self.expr(p) for p in parts))
        self.state = saved
        return result

    def name(self, node: ast.Name, name: str) -> TVal:
        env = self.state.env
        if name in env:
            return env[name]
        if name in self.locals:
            return EMPTY
        if name in self.mod.module_globals:
            return self._global(f"{self.mod.module}.{name}", node)
        if name in self.mod.module_functions:  # the function as a value (`map(f, xs)`)
            return {Fn(f"{self.mod.module}.{name}"): Flow((), frozenset())}
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
        env = self.state.env
        whole: TVal | None = None  # see `local_field_write`
        if isinstance(base, ast.Attribute) and (request := self._view_request(base)):
            return (
                EMPTY
                if request.server_side(node.attr)
                else self._request_data(node, request, node.attr)
            )
        if isinstance(base, ast.Name):
            request = self.requests.get(base.id)
            if request is not None and base.id in env:
                if request.server_side(node.attr):
                    return EMPTY
                return self._request_data(node, request, node.attr)
            if request is None and any(  # named like one, of a framework not imported here
                node.attr in obj.safe_attrs or node.attr == obj.session_attr
                for obj in self.mod.request_names.get(base.id, ())
            ):
                return EMPTY
            tag = self.state.types.get(base.id)
            if tag == SELF:
                return self._self_attribute(node, base.id)
            key = f"{base.id}.{node.attr}"
            tree_object = bool(tag) and self.tree_class(tag) and base.id in self.locals  # type: ignore[arg-type]
            value = env.get(base.id, EMPTY)
            if key in env:
                built = self.built_at(base.id)
                if tree_object and built >= 0:
                    # given to its constructor by keyword, and what code that lost track
                    # of the object stored since
                    later = {FieldRead(tag, node.attr, built): Flow((), frozenset())}  # type: ignore[arg-type]
                    return join(env[key], later)
                return env[key]  # a field written here (see `local_field_write`)
            # the fields not written here of an object some of whose fields were
            whole = env.get(f"{base.id}.")
            if tree_object:
                rest = value if whole is None else whole
                return self.object_field_read(base.id, tag, node.attr, rest)  # type: ignore[arg-type]
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
        if whole is not None:
            return keyed(whole, node.attr)  # a field not written here: what it held
        value = self.expr(base)
        if isinstance(base, ast.Name):
            return keyed(value, node.attr)
        if isinstance(base, ast.Call) and self.builds_tree_object(base):
            return field_of(value, node.attr)  # `Probe(host).command`: what it stored there
        return value

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
        env = self.state.env
        if key in env:
            return env[key]
        return self.own_field(name, node.attr)

    def subscript(self, node: ast.Subscript, value: ast.expr, index: ast.expr) -> TVal:
        self.expr(index)
        if isinstance(value, ast.Name):
            if isinstance(index, ast.Slice):
                sliced = self._slice_value(value.id, index)
                if sliced is not None:
                    return sliced
            else:
                key = index_key(self.fold(index))
                if key is not None:
                    if key.startswith("[#-"):  # `argv[-1]`: counted from the end
                        by_key = self._from_end(value.id, key)
                        if by_key is not None:
                            return by_key
                    by_key = self.key_value(value.id, key)
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
        container = self.fold(value)
        if consts.is_constant(container) and not isinstance(index, ast.Slice):
            self.expr(value)
            return EMPTY  # `MODES[x]`: one of a constant mapping's values, never the key
        whole = self.expr(value)
        if isinstance(value, (ast.Name, ast.Attribute)) and not isinstance(index, ast.Slice):
            key = index_key(self.fold(index))
            if key is not None and isinstance(value, ast.Attribute):
                return field_item(whole, key)  # `self.settings["mode"]`: phase 2 knows
            if key is not None:
                return keyed(whole, key)  # `f()["name"]`, `param[0]`: phase 2 knows
        if isinstance(value, ast.Call) and whole:
            return self._part_of_name(value, self.fold(index), whole)
        return whole

    def _part_of_name(self, call: ast.Call, index: object, whole: TVal) -> TVal:
        """A piece of a split file name: the text after its last dot has no `..`
        (`conditions.last_part_clears`); `os.path.splitext(name)[1]` is a suffix with
        neither dot pair nor separator, safe for a path."""
        if index in (1, -1) and self.qualified(call.func) in _SPLITEXT:
            return extend(whole, clears=_PATH_SAFE)
        clears = conditions.last_part_clears(call, index, self.fold)
        if not clears:
            return whole
        # a piece of what was placed after text may be its start: `("/" + x).split(".")[-1]`
        return {
            label: flow._replace(cleared=(flow.cleared - {conditions.RELATIVE}) | clears)
            for label, flow in whole.items()
        }

    def _surely_text(self, node: ast.expr) -> bool:
        """The expression is text of the program's that is more than a separator (after
        `"/"` alone, a path without dots is any absolute one): a constant, or text built
        with one (`stem + "."`, `f"ticket-{n}."`)."""
        folded = self.fold(node)
        if isinstance(folded, str):
            return _named(folded)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._surely_text(node.left) or self._surely_text(node.right)
        if isinstance(node, ast.JoinedStr):
            return any(isinstance(v, ast.Constant) and _named(v.value) for v in node.values)
        return False

    def _elements(self, name: str) -> list[TVal] | None:
        """A tracked list's elements in order, when they are all tracked by index."""
        parts = self.keyed_parts(name)
        if not parts or self.state.env.get(f"{name}."):
            return None
        count = len(parts)
        if any(f"[#{i}]" not in parts for i in range(count)):
            return None
        return [parts[f"[#{i}]"] for i in range(count)]

    def _from_end(self, name: str, key: str) -> TVal | None:
        elements = self._elements(name)
        if elements is None:
            return None
        index = int(key[2:-1])
        return elements[index] if -len(elements) <= index < 0 else EMPTY

    def _slice_value(self, name: str, index: ast.Slice) -> TVal | None:
        """`args[1:]` of a list whose elements are tracked: the join of the elements taken."""
        elements = self._elements(name)
        if elements is None:
            return None
        bounds = self.fold(ast.Tuple(elts=[index.lower or ast.Constant(None),
                                           index.upper or ast.Constant(None),
                                           index.step or ast.Constant(None)]))  # fmt: skip
        if not isinstance(bounds, tuple):
            return None
        try:
            taken = elements[slice(*bounds)]
        except (TypeError, ValueError):
            return None
        return join(*taken)

    # --- calls -------------------------------------------------------------------------
    def call(self, node: ast.Call) -> TVal:
        func = node.func
        if type(func) is ast.Call:
            func = self._named_attribute(func) or func  # getattr(obj, "name")(...)
        receiver_node = func.value if isinstance(func, ast.Attribute) else None
        receiver = self.expr(receiver_node) if receiver_node is not None else None
        env = self.state.env
        # a local lambda or closure returns what it captured from the enclosing scope
        captured = called = EMPTY
        if receiver_node is None and not isinstance(func, ast.Name):
            called = self.expr(func)  # `ACTIONS[key](x)`, `make_fetcher(url)(path)`
        elif isinstance(func, ast.Name) and func.id in self.locals:
            captured = called = env.get(func.id, EMPTY)
        args = [self.expr(a) for a in node.args]
        kwargs = [(kw.arg, self.expr(kw.value)) for kw in node.keywords]
        qualified, internal_targets, bound = self.resolve_call(func)
        # a call by value: of a function held in a variable, a parameter, a dict, a result
        by_value = called if not internal_targets and _callable(func, called) else None
        method = func.attr if isinstance(func, ast.Attribute) else None
        if qualified is None and method is not None and self.is_self(receiver_node):
            qualified = self.inherited(method)  # `self.redirect(url)` of a framework base

        request = None
        if isinstance(func, ast.Attribute) and isinstance(receiver_node, ast.Name):
            request = self.requests.get(receiver_node.id)
        elif isinstance(func, ast.Attribute) and isinstance(receiver_node, ast.Attribute):
            request = self._view_request(receiver_node)  # `self.request.get_full_path()`
        if request is not None and method is not None and not request.server_side(method):
            if method in request.host_urls and (node.args or node.keywords):
                # `request.build_absolute_uri(reverse("x"))`: the argument on a checked host
                return join(*args, *(v for _, v in kwargs))
            source = self._request_data(node, request, method)  # request.get_json()
            if method in request.line_free_attrs:
                # what the call joins to the encoded URL is not (`req.relative_url(path)`)
                return join(source, *args, *(v for _, v in kwargs))
            return source
        source = self._call_source(node, qualified, method, receiver_node)
        if source is not None:
            return source
        self._check_sinks(node, qualified, method, receiver_node)
        predictable.keywords(self.sink, node, kwargs)  # `User(reset_token=v)`
        if method is not None and self.puts(method, receiver_node):
            self.mutated(node, receiver_node, join(*args, *(v for _, v in kwargs)))
        elif qualified in SETATTR and len(node.args) == 3:
            self.set_attribute(node, args[2])
            return EMPTY

        # `x.get(key)`: the result is what `x` holds, not the key (see KEY_LOOKUP_METHODS)
        key_lookup = (
            method in self.spec.key_lookups
            and bool(node.args)
            and not isinstance(node.args[0], ast.Starred)
        )
        passed = args[1:] if key_lookup else args
        if key_lookup and isinstance(receiver_node, ast.Name):
            key = index_key(self.fold(node.args[0]))
            by_key = self.key_value(receiver_node.id, key) if key is not None else None
            if by_key is not None:
                receiver = by_key  # `order.get("state", default)`
            elif key is not None and receiver:
                receiver = keyed(receiver, key)  # `params.get("user")` of a parameter
        everything = join(receiver or EMPTY, captured, *passed, *(v for _, v in kwargs))
        cleared = self._sanitized(node, func, qualified, method, receiver_node, internal_targets)
        if everything and (method == "replace" or qualified in WEAK_FUNCTIONS):
            # a sanitizer that does not fit its sink (`weak.py`)
            everything, cleared = self.weak_call(node, qualified, method, everything, cleared)
        elif everything and qualified in DECODERS:
            everything = self.decoded(node, everything)  # decoded after a check (`weak.py`)
        if cleared is not None:
            if ALL in cleared:  # a predictable value stays one through a digest, an int()
                return predictable.kept(self.spec, qualified, method, everything)
            return extend(everything, clears=cleared)
        if method == "_replace" and node.keywords and receiver:
            # `row._replace(title=t)` (a named tuple): the row with those fields replaced,
            # its other fields as they were where they are tracked
            known = self.keys_of(receiver_node) if receiver_node is not None else None
            if known is not None and not any(k.startswith("[") for k in known if k):
                rest = known.pop("")
                self._keyword_fields(node, [*known.items(), *kwargs], rest, False)
            else:
                self._keyword_fields(node, kwargs, receiver, False)
        elif node.keywords and self._builds_object(qualified, func):
            rest = join(receiver or EMPTY, captured, *args)
            if internal_targets:  # the tree's class may store a keyword under another field
                rest = join(rest, *(v for _, v in kwargs))
            self._keyword_fields(node, kwargs, rest, qualified == "builtins.dict")
        invoked = self._invoked(node, qualified, method, args, kwargs)
        if internal_targets or by_value is not None:
            result = self._tree_call(node, args, kwargs, receiver, internal_targets, bound,
                                     key_lookup, by_value)  # fmt: skip
            if captured and by_value is not None:  # a local closure returns what it captured
                return join(result, {k: v for k, v in captured.items() if type(k) is not Fn})
            return result
        if invoked is not None:
            return invoked
        if method is not None and method in self.spec.non_propagating_methods:
            return EMPTY
        marks = extension_marks(qualified, dict(kwargs).get("extensions"), receiver)
        if marks:
            everything = extend(everything, clears=marks)  # `markdown_ext.py`
        if method == "format" and receiver_node is not None and self._fixed_url(receiver_node):
            everything = extend(everything, clears=HOST_FIXED)  # "https://host/{}".format(x)
        if qualified in _URL_BUILDERS:
            if self._fixed_parts(node):
                everything = extend(everything, clears=HOST_FIXED)  # urlunsplit((s, HOST, …))
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

    def _tree_call(self, node: ast.Call, args: list[TVal], kwargs: list[tuple[str | None, TVal]],
                   receiver: TVal | None, targets: tuple[str, ...], bound: bool,
                   key_lookup: bool, func: TVal | None = None) -> TVal:  # fmt: skip
        """A call of a function of the tree: recorded as a call site (once per call node,
        its arguments joined over the paths that reach it), its result left symbolic.
        `func`: the value called, for a call by value (phase 2 finds its callees)."""
        # positional arguments up to the first `*expansion` have known places; the
        # rest, with `**expansions`, may land on any later parameter (see `bind`)
        first_star = next(
            (i for i, n in enumerate(node.args) if isinstance(n, ast.Starred)), len(args)
        )
        star = join(*args[first_star:], *(v for k, v in kwargs if k is None))
        named = tuple((k, v) for k, v in kwargs if k is not None)
        receiver_name = self._object_receiver(node, bound)
        fields = self.receiver_fields(receiver_name) if receiver_name is not None else None
        index = self.call_sites.get(id(node))
        if index is None:
            index = self._new_site(
                id(node),
                CallSite(
                    callees=targets,
                    args=tuple(args[:first_star]),
                    kwargs=named,
                    star=star,
                    receiver=receiver if bound else None,
                    bound=bound,
                    location=self.ctx.location(node),
                    text=self.text(node),
                    key_lookup=key_lookup,
                    arg_keys=self._argument_keys(node.args[:first_star]),
                    func=func,
                    receiver_keys=fields,
                    consts=self._constant_args(node, first_star),
                    assumed=self.state.assumed,
                    passes=self._passed_names(node, first_star),
                ),
            )
        else:  # walked again (a loop's next round, a `finally` on another path)
            self._merge_site(index, args[:first_star], named, star, receiver if bound else None,
                             func)  # fmt: skip
            site = self.summary.calls[index]
            assert site is not None
            site.receiver_keys = _join_keys(site.receiver_keys, fields, site.receiver)
            if site.consts:  # what every walk passed the same
                now = self._constant_args(node, first_star)
                site.consts = tuple(pair for pair in site.consts if pair in now)
            if site.passes:
                now_passes = self._passed_names(node, first_star)
                site.passes = tuple(pair for pair in site.passes if pair in now_passes)
            site.assumed &= self.state.assumed
        self.passed_objects(node, index, first_star)
        if receiver_name is not None:
            self.receiver_written(receiver_name, index)
        self._call_escapes(index, ())  # what the callee raises, for handlers or callers
        return {CallRet(index): Flow((), frozenset())}

    def _constant_args(
        self, node: ast.Call, first_star: int
    ) -> tuple[tuple[int | str, object], ...]:
        """The constants a call passes (`gdrive=True`, `remove(path, False)`), by position or
        keyword: a callee's path that needs another value is not taken (`ASSUMES`)."""
        found: list[tuple[int | str, object]] = []
        for position, arg in enumerate(node.args[:first_star]):
            if isinstance(arg, (ast.Constant, ast.Name, ast.Attribute)):
                value = self.fold(arg)
                if isinstance(value, _SCALARS):
                    found.append((position, value))
        for kw in node.keywords:
            if kw.arg is not None and isinstance(kw.value, (ast.Constant, ast.Name, ast.Attribute)):
                value = self.fold(kw.value)
                if isinstance(value, _SCALARS):
                    found.append((kw.arg, value))
        return tuple(found)

    def _passed_names(self, node: ast.Call, first_star: int) -> tuple[tuple[int | str, str], ...]:
        """The arguments that are a file name (`NAMED`) or this function's parameter as it
        was passed (`AS_IS`), by position or keyword: a callee that opens an archive on
        its parameter holds the file's data, not the name's (`OPENED`)."""
        given = [(i, a) for i, a in enumerate(node.args[:first_star])]
        given += [(kw.arg, kw.value) for kw in node.keywords if kw.arg is not None]
        found: list[tuple[int | str, str]] = []
        for slot, arg in given:
            if conditions.names_a_file(arg, self._name_tag):
                found.append((slot, NAMED))
            elif self._parameter_as_passed(arg):
                found.append((slot, AS_IS))
        return tuple(found)

    def _name_tag(self, node: ast.expr) -> str | None:
        """The type tag of a variable, or of what a call builds (`os.path.join(...)`)."""
        return self.call_tag(node) if isinstance(node, ast.Call) else self.tag_of(node)

    def _parameter_as_passed(self, node: ast.expr) -> bool:
        """A parameter of this function never assigned in it: what the caller passed."""
        if not isinstance(node, ast.Name):
            return False
        if node.id not in (*self.summary.params, *self.summary.kwonly):
            return False
        return self.tag_of(node) is None and not assigned_values(node.id, node, self.ctx)

    def _opened(self, sanitizer: Sanitizer, node: ast.Call) -> frozenset[str] | None:
        """`zipfile.ZipFile(x)`, `gzip.open(x)`: what a file opened by name holds is the
        file's (safe for `sanitizer.clears`); opened on a parameter as passed, the callers
        know (`OPENED`); opened on a file object (an upload's stream), the bytes are its."""
        opened = conditions.opened_file(node)
        if opened is None:
            return None
        if conditions.names_a_file(opened, self._name_tag):
            return sanitizer.clears
        return frozenset({OPENED}) if self._parameter_as_passed(opened) else None

    def _new_site(self, key: int, site: CallSite) -> int:
        """Record a call site under `key` (the call node's id; its bitwise inverse for the
        call an invoker makes): its index."""
        calls = self.summary.calls
        self.call_sites[key] = len(calls)
        calls.append(site)
        return len(calls) - 1

    def _merge_site(self, index: int, args: list[TVal], named: tuple[tuple[str, TVal], ...],
                    star: TVal, receiver: TVal | None, func: TVal | None) -> None:  # fmt: skip
        """A call site walked again: what reaches it on every path."""
        site = self.summary.calls[index]
        assert site is not None
        site.args = tuple(join(old, new) for old, new in zip(site.args, args, strict=False))
        old_kwargs = dict(site.kwargs)
        site.kwargs = tuple((k, join(old_kwargs.get(k, EMPTY), v)) for k, v in named)
        site.star = join(site.star, star)
        if site.receiver is not None and receiver:
            site.receiver = join(site.receiver, receiver)
        if site.func is not None and func:
            site.func = join(site.func, func)

    def _named_attribute(self, call: ast.Call) -> ast.Attribute | None:
        """`getattr(obj, "to_csv")`: the attribute `obj.to_csv` it reads (one node per
        call, so the call it makes is the same call site on every walk)."""
        found = self.named_attributes.get(id(call))
        if found is not None or id(call) in self.named_attributes:
            return found
        if (
            len(call.args) in (2, 3)
            and not call.keywords
            and isinstance(call.func, ast.Name)
            and self.ctx.resolve(call.func) == "builtins.getattr"
            and isinstance(name := self.fold(call.args[1]), str)
            and name.isidentifier()
            and not isinstance(call.args[0], ast.Starred)
        ):
            found = ast.copy_location(ast.Attribute(call.args[0], name, ast.Load()), call)
            found.end_lineno, found.end_col_offset = call.end_lineno, call.end_col_offset
        self.named_attributes[id(call)] = found
        return found

    def _invoked(self, node: ast.Call, qualified: str | None, method: str | None,
                 args: list[TVal], kwargs: list[Keyword]) -> TVal | None:  # fmt: skip
        """A library call that calls a function it is given (`map(f, xs)`, `pool.submit(f,
        x)`, `Thread(target=f, args=(x,))`, `functools.partial(f, x)`; see `Invoker`):
        recorded as a call by value of that function with the arguments it gets, under
        the bitwise inverse of the node's id. Its result, unless the invoker's is "same"."""
        spec = self.spec.invokers.get(qualified) if qualified else None
        if spec is None and method is not None:
            spec = self.spec.method_invokers.get(method)
        if spec is None:
            return None
        function = None
        given = list(zip(node.args, args, strict=True))
        if spec.function < len(node.args) and not any(
            isinstance(a, ast.Starred) for a in node.args[: spec.function + 1]
        ):
            function = args[spec.function]
            given = given[spec.function + 1 :]
        elif spec.keyword is not None:
            function = next((v for k, v in kwargs if k == spec.keyword), None)
            given = given[:0] if spec.args == "rest" else given
        if not function or not _callable(None, function):
            return None
        named: list[Keyword] = [(k, v) for k, v in kwargs if k != spec.keyword]
        if spec.args == "elements":
            positional = [value for _, value in given]
            given, named = [], []
        elif spec.args == "packed" and spec.packed is not None:
            positional, named = self._packed(node, spec.packed)
            given = []
        else:
            positional = []
        nodes = [n for n, _ in given]
        first_star = next((i for i, n in enumerate(nodes) if isinstance(n, ast.Starred)), None)
        if first_star is not None:
            named.append((None, join(*(v for _, v in given[first_star:]))))
            given = given[:first_star]
        positional += [value for _, value in given]
        key = ~id(node)
        index = self.call_sites.get(key)
        star = join(*(v for k, v in named if k is None))
        keywords = tuple((k, v) for k, v in named if k is not None)
        if index is None:
            index = self._new_site(
                key,
                CallSite(
                    callees=(),
                    args=tuple(positional),
                    kwargs=keywords,
                    star=star,
                    receiver=None,
                    bound=False,
                    location=self.ctx.location(node),
                    text=self.text(node),
                    func=function,
                    partial=spec.result == "partial",
                ),
            )
        else:
            self._merge_site(index, positional, keywords, star, None, function)
        self._call_escapes(index, ())
        return None if spec.result == "same" else {CallRet(index): Flow((), frozenset())}

    def _packed(self, node: ast.Call, packed: tuple[tuple[int, str], tuple[int, str]]
                ) -> tuple[list[TVal], list[Keyword]]:  # fmt: skip
        """`Thread(target=f, args=(a, b), kwargs={"k": v})`: the positional arguments and
        keywords the function gets, element by element where the tuple and the dict are
        literals (else the whole, as `*args`/`**kwargs`)."""
        found: list[ast.expr | None] = []
        for position, keyword in packed:
            value = node.args[position] if position < len(node.args) else None
            for kw in node.keywords:
                if kw.arg == keyword:
                    value = kw.value
            found.append(value)
        positional: list[TVal] = []
        named: list[Keyword] = []
        tuple_node, dict_node = found
        if tuple_node is not None:
            parts = self.literal_parts.get(id(tuple_node))
            if isinstance(parts, list):
                positional = list(parts)
            else:
                named.append((None, self.expr(tuple_node)))
        if dict_node is not None:
            parts = self.literal_parts.get(id(dict_node))
            if isinstance(parts, dict):
                named += list(parts.items())
            else:
                named.append((None, self.expr(dict_node)))
        return positional, named

    def _object_receiver(self, node: ast.Call, bound: bool) -> str | None:
        """The local variable a method of the tree runs on, when it holds `self` or an
        object of the tree's classes (see `objects.receiver_written`): `obj.method(...)`,
        `super().method(...)` and `Base.method(self, ...)` on `self`."""
        func = node.func
        if not isinstance(func, ast.Attribute):
            return None
        base = func.value
        if not bound:  # `Base.__init__(self, host)`
            first = node.args[0] if node.args else None
            if (
                isinstance(first, ast.Name)
                and self.state.types.get(first.id) == SELF
                and self.tree_class(self.qualified(base) or "")
            ):
                return first.id
            return None
        if isinstance(base, ast.Call):  # `super().__init__(host)`
            if isinstance(base.func, ast.Name) and base.func.id == "super" and self.summary.cls:
                return next((n for n, t in self.state.types.items() if t == SELF), None)
            return None
        if not isinstance(base, ast.Name) or base.id not in self.locals:
            return None
        tag = self.state.types.get(base.id)
        return base.id if tag is not None and (tag == SELF or self.tree_class(tag)) else None

    def _argument_keys(self, args: list[ast.expr]) -> tuple[dict[str, TVal] | None, ...]:
        """For each positional argument, what it holds key by key where that is known."""
        keys = tuple(self.keys_of(arg) for arg in args)
        return keys if any(k is not None for k in keys) else ()

    def _builds_object(self, qualified: str | None, func: ast.expr) -> bool:
        """A call that builds an object outside the tree (`Row(...)`, `WebAuthnUser(...)`,
        `dict(...)`): by the class-like last name of what it calls."""
        if qualified == "builtins.dict":
            return True
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return last[:1].isupper() and not last.isupper()

    def _keyword_fields(self, node: ast.Call, kwargs: list[tuple[str | None, TVal]],
                        rest: TVal, brackets: bool) -> None:  # fmt: skip
        """An object built with keywords holds each under its own field (a dataclass, a
        named tuple, a model, `dict(a=x)` under its key), and the rest under any other."""
        fields: dict[str, TVal] = {}
        for name, value in kwargs:
            if name is None:
                rest = join(rest, value)  # `**options` may fill any field
            else:
                fields[f"[{name}]" if brackets else name] = value
        self.call_fields[id(node)] = (fields, rest)

    def _tree_function(self, func: ast.expr) -> bool:
        """The call names a function of the tree outright (`helpers.label(x)` through an
        import, `self.limit(n)`), not a method of an object the function holds."""
        root, hops = func, 0
        while isinstance(root, ast.Attribute):
            root, hops = root.value, hops + 1
        if not isinstance(root, ast.Name):
            return False
        if hops >= 2 and root.id[:1].isupper() and root.id not in self.locals:
            return (
                False  # `User.id.in_(ids)`: a method of a class's field (a column), not the tree's
            )
        if self.state.types.get(root.id) == SELF:
            return True
        if root.id in self.locals:
            return False
        symbols = self.ctx.symbols
        return symbols.alias(root.id, getattr(root, "lineno", 0)) is not None or (
            root.id in symbols.definitions
        )

    def _number(self, node: ast.expr) -> bool:
        """An operand that is a number here: a numeric constant, or `len(...)`/`int(...)`."""
        value = self.fold(node)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return True
        return isinstance(node, ast.Call) and self.ctx.resolve(node.func) in _NUMBER_CALLS

    def _sanitized(self, node: ast.Call, func: ast.expr, qualified: str | None,
                   method: str | None, receiver: ast.expr | None,
                   internal_targets: tuple[str, ...]) -> frozenset[str] | None:  # fmt: skip
        """The sink kinds the call's result is safe for, if a sanitizer names it: by its
        qualified name, or else by its method name (every one whose condition the call
        meets: `x.replace("\\n", "").replace("/", "_")` strips line breaks and separators);
        None when no sanitizer applies."""
        sanitizer = self.spec.sanitizers.get(qualified or "")
        if sanitizer is not None:
            return self._clears_of(sanitizer, node)
        if method is None:
            return None
        candidates = self.spec.method_sanitizers.get(method)
        if not candidates:
            return None
        found: frozenset[str] | None = None
        for candidate in candidates:
            # a call that may be the tree's own function (`helpers.label(x)`) is known by
            # its method name only when its receiver says which API it is
            # (`Book.objects.filter(...)`)
            if candidate.receiver is None and internal_targets and self._tree_function(func):
                continue
            if candidate.receiver is not None and not self._receiver_is(
                candidate.receiver, receiver
            ):
                continue
            clears = self._clears_of(candidate, node)
            if clears is not None:
                found = clears if found is None else found | clears
        return found

    def _clears_of(self, sanitizer: Sanitizer, node: ast.Call) -> frozenset[str] | None:
        """What one sanitizer clears for this call (None: its condition is not met)."""
        if sanitizer.condition == "opens_a_name":
            return self._opened(sanitizer, node)
        if sanitizer.condition is not None and not conditions.SANITIZES[sanitizer.condition](node):
            return None
        clears = sanitizer.clears
        if sanitizer.computes is not None:
            clears = clears | conditions.COMPUTED_CLEARS[sanitizer.computes](node, self.fold)
        return clears or None

    def _receiver_is(self, predicate: str, receiver: ast.expr | None) -> bool:
        """Does the object a method is called on satisfy a spec's receiver predicate?"""
        if receiver is None:
            return False
        check = conditions.RECEIVERS.get(predicate)
        if check is None:
            return False
        tag = self.state.types.get(receiver.id) if isinstance(receiver, ast.Name) else None
        if isinstance(receiver, ast.Call):
            tag = self.call_tag(receiver)
        return check(short(receiver), tag)

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
        return join(*parts[:first_query], extend(join(*parts[first_query:]), clears=HOST_FIXED))

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
                assert site is not None
                inputs = [*site.args, *(v for _, v in site.kwargs), site.star, site.receiver]
                if not all(self._configured(v or EMPTY, depth + 1) for v in inputs):
                    return False
            elif not isinstance(origin, (FieldRead, GlobalRead)):
                return False
        return True

    def _fixed_url(self, node: ast.expr) -> bool:
        """Text starting with a URL whose scheme and host are constants (`API + "/" + x`
        with `API = "https://api.example"` folds to a fixed prefix)."""
        prefix = self._constant_prefix(node)
        if prefix is not None and fixes_host(ast.Constant(prefix), {}):
            return True
        if isinstance(node, ast.Name) and node.id in self.locals:
            return False
        return fixes_host(node, self.ctx.symbols.constants)

    def _constant_prefix(self, node: ast.expr) -> str | None:
        """The longest constant text an expression starts with, as far as constants fold."""
        value = self.fold(node)
        if isinstance(value, str):
            return value
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self._constant_prefix(node.left)
        if isinstance(node, ast.JoinedStr) and node.values:
            head = []
            for part in node.values:
                folded = self.fold(part.value if isinstance(part, ast.FormattedValue) else part)
                if not isinstance(folded, str):
                    break
                head.append(folded)
            return "".join(head) or None
        return None

    def _constant_mapping(self, node: ast.expr) -> bool:
        """A literal dict, or a name bound to one (`SORT_COLUMNS = {...}`)."""
        return isinstance(self.fold(node), dict) or (
            isinstance(node, ast.Dict) and self.ctx.is_constant(node)
        ) or (
            isinstance(node, ast.Name)
            and node.id not in self.locals
            and isinstance(self.ctx.symbols.constants.get(node.id), ast.Dict)
        )  # fmt: skip

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
            and self.state.types.get(receiver.id) == SELF
            and method in self.handler.spec.self_calls
        ):
            return self.source(node, f"{self.handler.spec.description}", "http", "high")
        return None

    def _check_sinks(
        self, node: ast.Call, qualified: str | None, method: str | None, receiver: ast.expr | None
    ) -> None:
        specs: list[tuple[Sink, ReceiverTest | None]] = [
            (sink, None) for sink in self.spec.sinks.get(qualified or "", ())
        ]
        if (
            method is not None
            and receiver is not None
            and (method in self.spec.method_sinks or method in self.spec.class_sinks)
        ):
            specs += self._method_sinks(method, receiver, qualified)
        for sink, when in specs:
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
                and self.checks_headers(receiver)
            ):
                continue
            if taint and when is None:
                self.sink(sink.rule, taint, node, f"{self.text(node)}", sink.confidence)
            elif taint:
                # one event per argument choice: phase 2 keeps those whose receiver test holds
                self.sink(sink.rule, taint, node, f"{self.text(node)}", sink.confidence,
                          (when,), (sink.args, sink.condition))  # fmt: skip

    def _method_sinks(
        self, method: str, receiver: ast.expr, qualified: str | None
    ) -> list[tuple[Sink, ReceiverTest | None]]:
        """The sinks `receiver.method(...)` may be: by the receiver's type here, or, when
        only the whole-program phase knows it, each with the test phase 2 decides by it
        (and with what the names say, should the type stay unknown there too)."""
        deferred = self.deferred_type(receiver)
        out: list[tuple[Sink, ReceiverTest | None]] = []
        if deferred is None and method not in self.spec.method_sinks:
            return out
        text = short(receiver)  # canonical: the receiver checks match on it
        tag = self.state.types.get(receiver.id) if isinstance(receiver, ast.Name) else None
        if isinstance(receiver, ast.Call):
            tag = self.call_tag(receiver)
        for sink in self.spec.method_sinks.get(method, ()):
            predicate = sink.receiver or "any"
            check = conditions.RECEIVERS.get(predicate)
            if check is None:
                continue
            if qualified is not None and sink.receiver != "any" and tag is None:
                tag = qualified.rsplit(".", 1)[0]
            applies = check(text, tag)
            if deferred is not None:
                out.append((sink, ReceiverTest(deferred, text, method, f"?{predicate}", applies)))
            elif applies:
                out.append((sink, None))
        if deferred is not None:
            for sink in self.spec.class_sinks.get(method, ()):
                owner = sink.name.rpartition(".")[0]
                out.append((sink, ReceiverTest(deferred, text, method, f"={owner}", False)))
        return out

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
                return with_context(node, chosen, self.tag_of, self.ctx)
            return conditions.CONDITIONS[sink.condition](node, chosen, self.tag_of)
        return chosen or None

    def sink(
        self,
        rule: str,
        taint: TVal,
        node: ast.AST,
        note: str,
        confidence: str | None = None,
        when: tuple[ReceiverTest, ...] = (),
        variant: object = None,
    ) -> None:
        """Data reaching a sink; `when`: the receiver tests of which one must hold (see
        `_method_sinks`), none if it is a sink whatever the receiver; `variant`: which of
        the sink's argument choices the data went through, if it has several."""
        if rule not in self.mod.rules or all(type(label) is Fn for label in taint):
            return  # a function given to a sink (`Thread(target=f)`) is not data
        if self.state.requires:  # reached only if those calls returned
            taint = _requiring({"": taint}, self.state.requires)[""]
        if self.state.assumed:  # reached only if the caller passed such parameters
            taint = extend(taint, clears=self.state.assumed)
        key = (rule, id(node), variant)
        events = self.summary.sinks
        index = self.sink_events.get(key)
        platform = self.state.platform or ""
        if index is not None:  # walked again, or another spec: the paths that reach it join
            event = events[index]
            event.taint = join(event.taint, taint)
            if event.condition != platform:
                event.condition = ""  # reached on the server's platform too
            if event.when and not when:
                event.when = ()  # a sink whatever the receiver on this path
            elif event.when:
                event.when = (*event.when, *(t for t in when if t not in event.when))
            return
        statement = self.ctx.statement(node)
        first = getattr(statement, "lineno", getattr(node, "lineno", 1))
        last = getattr(statement, "end_lineno", first) or first
        if isinstance(
            statement,
            (ast.If, ast.For, ast.While, ast.With, ast.Try, ast.FunctionDef, ast.AsyncFunctionDef),
        ):
            last = getattr(node, "end_lineno", first) or first
        self.sink_events[key] = len(events)
        events.append(
            SinkEvent(
                rule=rule,
                taint=taint,
                location=self.ctx.location(node),
                note=note,
                snippet=self.ctx.snippet(node),
                scope=self.scope,
                region=(first, last),
                confidence=confidence,
                condition=platform,
                when=when,
            )
        )


def _verdict_shaped(value: ast.expr) -> bool:
    """A returned value that may be a check's verdict: a comparison, a negation, a
    conjunction, a call (`SHA.fullmatch(v)`, `v.startswith("/")`)."""
    return isinstance(value, (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.Call))


def _requiring(env: Env, calls: frozenset[int]) -> Env:
    """A branch's variables, marked as existing only if `calls` return (see `NORETURN`)."""
    if not calls:
        return env
    marks = frozenset(f"{NORETURN}{call}" for call in calls)
    return {key: extend(value, clears=marks) for key, value in env.items()}


def _reads_any(node: FunctionNode, names: set[str]) -> bool:
    """Does a nested function (or one nested in it) read any of `names` (the enclosing
    function's variables)? Its own parameters and assignments shadow them, as far as a
    name tells: a name it binds itself is not counted as one it reads."""
    if not names:
        return False
    loaded: set[str] = set()
    stored: set[str] = set()
    for sub in walk(node):
        if type(sub) is ast.Name:
            (loaded if type(sub.ctx) is ast.Load else stored).add(sub.id)  # type: ignore[attr-defined]
        elif type(sub) is ast.arg:
            stored.add(sub.arg)  # type: ignore[attr-defined]
    return bool((loaded - stored) & names)


def _callable(func: ast.expr | None, value: TVal) -> bool:
    """Whether a call of `func`, which holds `value`, is a call by value phase 2 may
    resolve: the value may be a function of the tree (not attacker data alone, not the
    method's own object)."""
    if not value or (isinstance(func, ast.Name) and func.id in ("self", "cls")):
        return False
    return any(type(label) is not Src for label in value)


def _named(text: object) -> bool:
    """Text with something other than path separators in it."""
    return isinstance(text, str) and bool(text.strip("/\\"))


def _join_keys(
    old: dict[str, TVal] | None, new: dict[str, TVal] | None, whole: TVal | None
) -> dict[str, TVal] | None:
    """A call's receiver fields over two walks of it (None: the receiver as a whole)."""
    if old is None and new is None:
        return None
    old = old if old is not None else {"": whole or EMPTY}
    new = new if new is not None else {"": whole or EMPTY}
    return {
        key: join(old.get(key, old[""]), new.get(key, new[""])) for key in old.keys() | new.keys()
    }


def _literal_pattern(pattern: ast.AST) -> bool:
    """A `case` pattern that matches only constants: `"png"`, `1 | 2`, `"a" | "b" as x`."""
    if isinstance(pattern, ast.MatchValue):
        return isinstance(pattern.value, (ast.Constant, ast.Attribute))
    if isinstance(pattern, ast.MatchSingleton):
        return True
    if isinstance(pattern, ast.MatchOr):
        return all(_literal_pattern(p) for p in pattern.patterns)
    if isinstance(pattern, ast.MatchAs) and pattern.pattern is not None:
        return _literal_pattern(pattern.pattern)
    return False


def _reraises(handler: ast.ExceptHandler) -> bool:
    """An `except` whose body raises what it caught again: `raise`, `raise error`."""
    for node in walk(handler):
        if type(node) is ast.Raise and (
            node.exc is None  # type: ignore[attr-defined]
            or (type(node.exc) is ast.Name and node.exc.id == handler.name)  # type: ignore[attr-defined]
        ):
            return True
    return False


def _may_catch(cls: str, catches: tuple[str, ...]) -> bool:
    """Whether an `except` naming `catches` may catch a `cls` raised in its body, as far
    as names tell here (the whole-program phase knows callees' class hierarchies)."""
    return not catches or not cls or conditions.may_catch(catches, (cls,))


def _join_envs(envs: list[Env], unwritten: Callable[[Env, str], TVal]) -> Env:
    """Variables after branches: data on any path. A field (`name.attr` key) that some
    branch did not write holds there what `unwritten` says (the field as it was)."""
    if len(envs) == 1:
        return dict(envs[0])
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
