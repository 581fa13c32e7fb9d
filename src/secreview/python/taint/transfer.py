"""Pass 5, taint transfer: where attacker data goes in one function, statement by statement.

`FunctionAnalysis` walks a function with `flow.FlowWalker` (pass 1: which state each
statement runs in) and gives each statement its effect on the *path state*: for every
variable (and tracked field or key, see `objects.py`) the labels of the data it may hold
(`summary.Label`: a source read here, a parameter, a call's result, a field or global
written elsewhere) with each label's trace and the sink kinds it was made safe for. It asks
`values.py` (pass 2) what is a constant, `typetags.py` (pass 3) what a call runs and
`checks.py` (pass 4) what a test proves, and records for `summarize.py` (pass 6) what
the function returns, raises, stores, calls and which sinks its data reaches.

Its parts are mixins, each a module: `typetags.py`, `checks.py`, `objects.py`,
`calls.py` (what a call gives and does: sources, sanitizers, sinks, call sites) and
`exits.py` (`return`, `raise` and `try` handlers); this module keeps the path state, the
flow walker's other hooks, assignment and the expression walk.

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
from secreview.python.taint import conditions, predictable
from secreview.python.taint.calls import _SCALARS, Calls, _callable, _requiring
from secreview.python.taint.checks import (
    HOST_FIXED,
    SIGNED,
    Checks,
    Clears,
    platform_condition,
    with_checked,
)
from secreview.python.taint.exits import Exits, _Catcher
from secreview.python.taint.handlers import (
    FunctionNode,
    HandlerInfo,
    class_handler,
    match_handler,
    request_params,
    url_params,
    view_request,
)
from secreview.python.taint.objects import (
    CONTAINER_LITERALS,
    CONTAINER_TYPES,
    Env,
    Objects,
    field_item,
    index_key,
    keyed,
)
from secreview.python.taint.privilege import command_line_entry, privileged_tool
from secreview.python.taint.scopes import local_names, read_first, stored_names
from secreview.python.taint.shapes import (
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
from secreview.python.taint.spec import ALL, CLI, LINE_BREAK_RULES, Handler, RequestObject, Source
from secreview.python.taint.summary import (
    ASSUMES,
    EMPTY,
    NO_FLOW,
    NO_KINDS,
    VALIDATED,
    WEAK,
    CallRet,
    CallSite,
    FieldRead,
    Flow,
    Fn,
    FunctionSummary,
    GlobalRead,
    Param,
    Src,
    TVal,
    extend,
    field_of,
    join,
    meet,
)
from secreview.python.taint.typetags import SELF, TypeTags, annotation_tag

# frameworks whose response headers reject CR/LF, and those that write values as given
_CHECKS_HEADERS = ("flask", "quart", "werkzeug", "django", "rest_framework", "aiohttp")
_CHECKS_HEADERS += ("tornado", "starlette", "fastapi")
_WRITES_HEADERS = ("webob", "pecan", "http.server", "wsgiref")
_SPLITEXT = frozenset({"os.path.splitext", "posixpath.splitext"})
_PATH_SAFE = frozenset({"path-traversal"})
# f"{x!r}" / f"{x!a}" sanitize like repr(x)
_REPR_CONVERSIONS = frozenset({ord("r"), ord("a")})
# operators whose result is a number whatever their operands (`-`, `//`, `**`, shifts): text
# cannot go through them (`+`, `*`, `%`, `|` also join strings, lists and dicts, and `/`
# paths: only with a number on one side are `/` and `%` arithmetic)
_NUMERIC_OPS = frozenset(
    {ast.Sub, ast.FloorDiv, ast.Pow, ast.LShift, ast.RShift, ast.BitXor, ast.MatMult}
)


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


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
        self.assumed: frozenset[str] = NO_KINDS

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


class Outer(NamedTuple):
    """What a nested function, analysed as a function of its own, knows of the function
    it is defined in: the names local there (which it may read, captured, but which are
    not module globals), their types where it is defined, and the class of the method."""

    locals: frozenset[str]
    types: dict[str, str]
    cls: str | None


# `Exits` before `FlowWalker`: its `returned`, `raised` and `try` methods are the walker's
# hooks, which `FlowWalker` defines as doing nothing
_TAR_TYPES = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open"})


class FunctionAnalysis(Exits, FlowWalker[PathState], TypeTags, Checks, Objects, Calls):
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
        # the handler class whose `self.<attr>` reads are request data (any method of it)
        self.self_handler: Handler | None = parent.self_handler if parent else None
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
        if self.handler is not None and self.handler.spec.self_sources:
            self.self_handler = self.handler.spec
        elif self.cls is not None and self.parent is None:
            self.self_handler = class_handler(self.ctx, self.spec, self.cls, self.mod.local_classes)
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
                value = {Param(index, name): NO_FLOW}
                if index >= receiver:
                    self.param_slots[name] = index
            if name in self.requests:
                # a request object: its attributes are the sources (see `attribute`)
                if self.parent is None:
                    self.summary.request_slots += (index,)
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
        return {label: Flow((step,), NO_KINDS)}

    # --- helpers ----------------------------------------------------------------------
    def text(self, node: ast.AST) -> str:
        return short(node, self.ctx.lines)

    def step(self, node: ast.AST, note: str) -> TraceStep:
        return TraceStep(self.ctx.location(node), note)

    def cli_source(self, node: ast.AST, spec: Source) -> TVal | None:
        """The command line or `input()`: attacker data only in a tool that runs with more
        privilege than its user (`privilege.py`); elsewhere the user's own text."""
        sign = privileged_tool(self.ctx)
        if sign is None:
            return None
        what = f"{spec.description} of a tool that runs privileged (`{sign}`)"
        return self.source(node, what, spec.kind, "medium")

    def archive_names(self, node: ast.AST, spec: Source, held: TVal) -> TVal:
        """The member names of an archive object that holds `held`: attacker data, besides
        what the archive held, unless it was built of constants or of what the server
        fetched (`held` empty: the application's own), or a command of its user's opened it
        (`privilege.command_line_entry`) in a tool that runs as that user."""
        if not held:
            return EMPTY
        top = self
        while top.parent is not None:
            top = top.parent
        own = isinstance(top.node, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            command_line_entry(self.ctx, top.node)
        )
        if own and privileged_tool(self.ctx) is None:
            return held
        return join(self.source(node, spec.description, spec.kind, spec.confidence), held)

    def source(self, node: ast.AST, description: str, kind: str, confidence: str) -> TVal:
        location = self.ctx.location(node)
        label = Src(kind, description, location, confidence, self.summary.qualname)
        return {
            label: Flow(
                (TraceStep(location, f"{self.text(node)} ({description}, source)"),), NO_KINDS
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
        out.assumed = first.assumed.intersection(*(s.assumed for s in states[1:])) or NO_KINDS
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
        if self.rebound_names is None:
            self._find_stores()
        return self.rebound_names  # type: ignore[return-value]

    def _find_stores(self) -> None:
        """`rebound_names` and `_item_targets`: a function's from the module's stores by
        position (`scopes.Stores`), else from one walk of it (a walk each was a third of
        the per-file phase's walking). The module's own code assigns no parameter, and its
        items are those of its statements, not its functions' and classes'."""
        rebound: set[str] = set()
        items: set[str] = set()
        found = self.mod.stores.within(self.node) if self.node is not None else None
        if found is not None:  # the body's by position; the decorators' walked below
            rebound, items = found
            scope: list[ast.AST] = list(self.node.decorator_list)  # type: ignore[union-attr]
        elif self.node is not None:
            scope = [self.node]
        else:
            scope = [s for s in self.ctx.tree.body if not isinstance(s, _DEFINITIONS)]
        for top in scope:
            for node in walk(top):
                kind = type(node)
                if kind is ast.Name:
                    if type(node.ctx) is not ast.Load:  # type: ignore[attr-defined]
                        rebound.add(node.id)  # type: ignore[attr-defined]
                elif (
                    kind is ast.Subscript
                    and type(node.ctx) is ast.Store  # type: ignore[attr-defined]
                    and type(node.value) is ast.Name  # type: ignore[attr-defined]
                    and type(node.slice) is ast.Constant  # type: ignore[attr-defined]
                ):
                    items.add(node.value.id)  # type: ignore[attr-defined]
        self.rebound_names = frozenset(rebound) if self.node is not None else frozenset()
        self._item_targets = items

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
        value = self.expr(stmt.iter)
        if self._tar_archive(stmt.iter):
            # `for member in tar:` a tar archive yields its members, as `getmembers()` does
            value = self.archive_names(stmt.iter, self.spec.call_sources[".getmembers"], value)
        self.iterated[id(stmt)] = value

    def _tar_archive(self, node: ast.expr) -> bool:
        """`node` is a tar archive object (`tar = tarfile.open(path)`, `tarfile.open(p)`)."""
        if isinstance(node, ast.Name):
            tag = self.state.types.get(node.id)
        elif isinstance(node, ast.Call):
            tag = self.call_tag(node)
        else:
            return False
        return tag in _TAR_TYPES

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

    def _filled_by_key(self, name: str, value: ast.expr) -> bool:
        """A dict a call made (`dict()`, `get_settings()`) that this function then fills
        key by key (`settings["mode"] = m`): its keys are tracked from here on, what the
        call gave under any other key."""
        if not isinstance(value, ast.Call):
            return False
        if self._item_targets is None:
            self._find_stores()
        return name in self._item_targets  # type: ignore[operator]

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

    def nested_function(self, node: FunctionNode) -> None:
        """Closures and local callbacks: walk the body now, seeing the enclosing variables
        (its parameters empty), and have it analysed as a function of its own later (see
        the class's docstring). Its name holds the function and what calling it yields
        of what it captured."""
        qualname = f"{self.qualname}.<locals>.{node.name}"
        args = node.args
        own = bool(args.posonlyargs or args.args or args.kwonlyargs or args.vararg or args.kwarg)
        function = {Fn(qualname): NO_FLOW}
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
        value: TVal = {Fn(qualname): NO_FLOW}
        for decorator in reversed(node.decorator_list):
            callees: tuple[str, ...] = ()
            func: TVal | None = None
            if isinstance(decorator, ast.Call):
                self.expr(decorator)  # `@retry(3)`: the decorator is what the call returns
                made = self.call_sites.get(id(decorator))
                if made is None:
                    return  # a library's decorator: the function is its business now
                func = {CallRet(made): NO_FLOW}
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
            value = {CallRet(index): NO_FLOW}

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
                            _in_query(
                                conditions.placed_after_text(
                                    part, any(_named(p) for p in pieces[: 2 * i + 1] if p)
                                ),
                                pieces[: 2 * i + 1],
                            )
                            for i, part in enumerate(parts)
                        ]
                    value = join(self.expr(left), *parts)
                    fixed = query_only(pieces, parts)
                else:
                    before, after = self.expr(left), self.expr(right)
                    after = conditions.placed_after_text(after, self._surely_text(left))
                    if has_query_mark(left):  # a + "?q=" + x: x is in the query, whatever a is
                        after = extend(after, clears=HOST_FIXED)
                    value = join(before, after)
                    fixed = False
                fixed = fixed or self._fixed_url(left)
                return extend(value, clears=HOST_FIXED) if fixed else value
            case ast.BoolOp(values=values):
                return join(*(self.expr(v) for v in values))
            case ast.UnaryOp(operand=operand):
                value = self.expr(operand)
                return EMPTY if isinstance(node.op, (ast.Not, ast.USub, ast.Invert)) else value
            case ast.Compare(left=left, comparators=comparators):
                operands = [left, *comparators]
                parts = [self.expr(o) for o in operands]
                predictable.compared(self, node, operands, parts)  # `md5(b) == expected_md5`
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
                    _in_query(
                        conditions.placed_after_text(
                            self.expr(v),
                            any(
                                isinstance(c, ast.Constant) and _named(c.value) for c in values[:i]
                            ),
                        ),
                        [c.value for c in values[:i] if isinstance(c, ast.Constant)],
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
            return {Fn(f"{self.mod.module}.{name}"): NO_FLOW}
        qualified = self.ctx.symbols.alias(name, getattr(node, "lineno", 0))
        if qualified is not None:
            source = self._source_for(qualified, node)
            if source is not None:
                return source
            if self.mod.is_internal(qualified):
                return self._global(qualified, node)
        return EMPTY

    def _global(self, qualified: str, node: ast.AST) -> TVal:
        return {GlobalRead(qualified): NO_FLOW}

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
                if spec.kind == CLI:
                    return self.cli_source(node, spec) or EMPTY
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
                    later = {FieldRead(tag, node.attr, built): NO_FLOW}  # type: ignore[arg-type]
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

    def asgi_server_key(self, mapping: ast.expr, key: ast.expr) -> bool:
        """`scope["type"]` (or `.get`) in an ASGI application: a key the server sets."""
        return (
            isinstance(mapping, ast.Name)
            and mapping.id == "scope"
            and self.handler is not None
            and self.handler.spec.framework == "asgi"
            and isinstance(key, ast.Constant)
            and key.value in self.spec.scope_server_keys
        )

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
        handler = self.self_handler
        if handler is not None and node.attr in handler.self_sources:
            return self.source(node, f"{handler.description} data", "http", "high")
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
        if self.asgi_server_key(value, index):
            self.expr(value)
            return EMPTY  # scope["type"] of ASGI: set by the server, not the client
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


def _in_query(part: TVal, before: list[str | None]) -> TVal:
    """A part placed after a literal `?` or `#` is in the query or fragment: it cannot
    choose the host, whatever the text before it holds (a URL a function of the tree
    builds, which only the whole program knows is the site's own)."""
    if part and any(isinstance(p, str) and ("?" in p or "#" in p) for p in before):
        return extend(part, clears=HOST_FIXED)
    return part


def _named(text: object) -> bool:
    """Text with something other than path separators in it."""
    return isinstance(text, str) and bool(text.strip("/\\"))


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
