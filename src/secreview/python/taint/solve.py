"""Phase 2 and 3: resolve calls across modules, iterate summaries to a fixpoint, report flows.

Each function's summary is rewritten in terms of its own parameters and concrete sources
only: results of calls are replaced by the callee's return summary with the call's
arguments substituted, field and global reads by what any function stores there. Sinks
reached from parameters climb to every caller, until a source meets them. The loop is a
worklist over callers; it converges because label sets only grow and sanitised-for sets
only shrink, and each function is recomputed a bounded number of times.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from secreview.model import Location, TraceStep
from secreview.python.taint.access import ADMIN_DECORATORS, ADMIN_MARK
from secreview.python.taint.conditions import RECEIVERS, may_catch
from secreview.python.taint.handlers import inherited_handler
from secreview.python.taint.spec import spec_index
from secreview.python.taint.summary import (
    EMPTY,
    NORETURN,
    VALIDATED,
    WEAK,
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
    ReceiverTest,
    SinkEvent,
    Src,
    TVal,
    clip,
    is_cleared,
    join,
    meet,
    merge,
)

MAX_RECOMPUTE = 12
SinkKey = tuple[str, Location]


@dataclass(slots=True)
class Resolved:
    """A function's summary with only `Param` and `Src` labels left."""

    ret: TVal = field(default_factory=dict)
    ret_parts: tuple[TVal, ...] | None = None  # see `FunctionSummary.return_parts`
    ret_keys: dict[str, TVal] | None = None  # see `FunctionSummary.return_keys`
    sinks: dict[SinkKey, tuple[SinkEvent, TVal]] = field(default_factory=dict)
    fields: dict[tuple[str, str], TVal] = field(default_factory=dict)
    # what constructors called here (or in callees) stored on the objects they built
    built_fields: dict[tuple[str, str], TVal] = field(default_factory=dict)
    param_writes: dict[int, TVal] = field(default_factory=dict)  # see FunctionSummary
    raises: dict[str, TVal] = field(default_factory=dict)  # by exception class
    globals: dict[str, TVal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Flowpath:
    """One source reaching one sink: what phase 3 turns into a finding."""

    event: SinkEvent
    source: Src
    flow: Flow
    # why only administrators reach the source's handler (None: anyone may)
    admin: str | None = None


def _signature(value: TVal) -> frozenset:
    return frozenset((label, flow.cleared) for label, flow in value.items())


def _add(out: TVal, label: object, flow: Flow) -> None:
    old = out.get(label)  # type: ignore[call-overload]
    if old is None:
        out[label] = flow  # type: ignore[index]
    elif flow.cleared != old.cleared:
        out[label] = merge(old, flow)  # type: ignore[index]


class Program:
    """All summaries of the reviewed tree, with the indexes call resolution needs."""

    def __init__(self, modules: list[ModuleSummary]):
        self.functions: dict[str, FunctionSummary] = {}
        self.classes: dict[str, tuple[str, ...]] = {}
        self.exports: dict[str, dict[str, str]] = {}
        self.field_types: dict[tuple[str, str], str] = {}
        self.instances: dict[str, str] = {}  # module-level object -> its class
        self.admin_classes: set[str] = set()
        self._hooks: dict[str, str] | None = None
        self.bound_names: set[str] = set()  # callee names that went through such an object
        for module in modules:
            self.exports[module.module] = module.exports
            self.field_types.update(module.field_types)
            self.instances.update(module.instances)
            self.classes.update(module.classes)
            self.admin_classes.update(module.admin_classes)
            for function in module.functions:
                self.functions.setdefault(function.qualname, function)
        # the program never changes once built: names, MROs and subclass lists are
        # worked out once each, not again for every call site and field read that asks
        self._canonical_cache: dict[str, str] = {}
        self._mro_cache: dict[str, tuple[str, ...]] = {}
        self._subclass_cache: dict[str, tuple[str, ...]] = {}
        self.subclasses: dict[str, list[str]] = defaultdict(list)
        for cls, bases in self.classes.items():
            for base in bases:
                self.subclasses[self._canonical(base)].append(cls)
        self._lookup_cache: dict[str, tuple[tuple[FunctionSummary, bool], ...]] = {}
        # the tree's top-level packages and modules: a type tag outside them is a library's
        self._tops = frozenset(module.module.split(".", 1)[0] for module in modules)
        self._type_cache: dict[str, str] = {}
        self._receiver_cache: dict[ReceiverTest, bool] = {}
        # Django views an urlconf routes to: their first route, and the parameters every
        # route to them converts to numbers, slugs or UUIDs
        self.views: dict[str, tuple[str, frozenset[str]]] = {}
        for module in modules:
            for view, route, converted in module.routes:
                name = self._canonical(view)
                first, safe = self.views.get(name, (route, frozenset(converted)))
                self.views[name] = (first, safe & frozenset(converted))

    def _canonical(self, name: str) -> str:
        """Follow re-exports: `pkg.helper` imported in pkg/__init__ from `pkg.impl`."""
        return _cached(self._canonical_cache, name, lambda n: self._follow(n, 0))

    def _follow(self, name: str, depth: int) -> str:
        if name in self.functions or name in self.classes or depth > 5:
            return name
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            exports = self.exports.get(".".join(parts[:cut]))
            if exports and parts[cut] in exports:
                target = ".".join([exports[parts[cut]], *parts[cut + 1 :]])
                if target != name:
                    return self._follow(target, depth + 1)
        return name

    def mro(self, cls: str) -> tuple[str, ...]:
        return _cached(self._mro_cache, cls, lambda c: tuple(self._mro(c)))

    def _mro(self, cls: str) -> list[str]:
        order: list[str] = []
        queue = [cls]
        while queue:
            current = self._canonical(queue.pop(0))
            if current in order or current not in self.classes:
                continue
            order.append(current)
            queue.extend(self.classes[current])
        return order

    def admin_only(self, qualname: str) -> str | None:
        """Why only administrators reach function `qualname` (a handler), or None: the
        evidence a finding names (its decorator, its own check, its view class)."""
        function = self.functions.get(qualname)
        if function is None:
            return None
        if function.admin_check:
            return f"{_short(qualname)} refuses users who are not administrators"
        for decorator in function.decorators:
            if decorator == ADMIN_MARK:
                return f"a decorator of {_short(qualname)} admits administrators only"
            if decorator in ADMIN_DECORATORS:
                return f"{_short(qualname)} is decorated with @{_short(decorator)}"
            for checker, _ in self.lookup(decorator):
                if checker.admin_check:
                    return (
                        f"{_short(qualname)} is decorated with @{_short(decorator)}, "
                        "which refuses users who are not administrators"
                    )
        if function.cls is not None:
            for cls in self.mro(function.cls) or (function.cls,):
                if cls in self.admin_classes:
                    return f"its view class {_short(cls)} admits administrators only"
        for decorator in function.decorators:
            owner = self._canonical(decorator.rpartition(".")[0])
            hook = self._admin_hooks().get(owner)
            if hook is not None:
                return (
                    f"{_short(qualname)} is a route of {_short(owner)}, whose before_request "
                    f"hook {_short(hook)} admits administrators only"
                )
        return None

    def _admin_hooks(self) -> dict[str, str]:
        """Blueprints and apps (by qualified name) whose `before_request` hook admits
        administrators only, each with the hook: every route they hold is admin-only."""
        if self._hooks is not None:
            return self._hooks
        hooks: dict[str, str] = {}
        for function in self.functions.values():
            registrations = [d for d in function.decorators if d.endswith(".before_request")]
            if not registrations:
                continue
            admin = function.admin_check or any(
                d == ADMIN_MARK
                or d in ADMIN_DECORATORS
                or any(checker.admin_check for checker, _ in self.lookup(d))
                for d in function.decorators
            )
            if admin:
                for registration in registrations:
                    owner = self._canonical(registration.rpartition(".")[0])
                    hooks.setdefault(owner, function.qualname)
        self._hooks = hooks
        return hooks

    def library_ancestors(self, cls: str) -> list[str]:
        """Qualified names of the classes outside the tree that `cls` inherits from."""
        return [
            base
            for klass in self.mro(cls)
            for base in self.classes[klass]
            if self._canonical(base) not in self.classes
        ]

    def method(self, cls: str, name: str) -> FunctionSummary | None:
        for klass in self.mro(cls):
            function = self.functions.get(f"{klass}.{name}")
            if function is not None:
                return function
        return None

    def type_of(self, tag: str) -> str | None:
        """The type of a value phase 1 tagged `tag` (the qualified name of what built it; see
        `typetags.py`), as far as the whole program tells: a class of the tree, a library's
        type tag (`requests.Session`, `sqlite3.connect`), or None when unknown. A function
        of the tree gives what it returns, a method called on an object of the tree what
        that method returns, `field:<class>:<attr>` what the field was assigned."""
        found = _cached(self._type_cache, tag, lambda t: self._type_of(t, 0) or "")
        return found or None

    def _type_of(self, tag: str, depth: int) -> str | None:
        if depth > 8:
            return None  # factories returning factories' results, or a cycle
        if tag.startswith("field:"):
            _, owner, attr = tag.split(":", 2)
            cls = self._type_of(owner, depth + 1)
            for klass in self.mro(cls) if cls is not None else ():
                declared = self.field_types.get((klass, attr))
                if declared is not None:
                    return self._type_of(declared, depth + 1)
            return None
        if tag.split(".", 1)[0] not in self._tops:
            return tag  # a library's type: named as phase 1 names it
        name = self._canonical(tag)
        if name in self.classes:
            return name
        function = self.functions.get(name)
        if function is not None:
            returned = function.return_type
            return self._type_of(returned, depth + 1) if returned else None
        instance = self.instances.get(name)
        if instance is not None:
            return self._type_of(instance, depth + 1)
        owner, _, method = name.rpartition(".")
        owner_type = self._type_of(owner, depth + 1) if owner else None
        if owner_type is None:
            return None
        if owner_type in self.classes:
            # what a method of the object returns (an inherited one: by the MRO)
            function = self.method(owner_type, method)
            returned = function.return_type if function is not None else None
            return self._type_of(returned, depth + 1) if returned else None
        return f"{owner_type}.{method}"  # a library object's method, as phase 1 names it

    def receiver_holds(self, test: ReceiverTest) -> bool:
        """Whether a sink event's receiver test holds (see `summary.ReceiverTest`): the
        receiver's type, known now, is the sink's (a library type; a class of the tree
        only through a library base class it inherits the method from), else the names."""
        cached = self._receiver_cache.get(test)
        if cached is None:
            cached = self._receiver_cache[test] = self._receiver_holds(test)
        return cached

    def _receiver_holds(self, test: ReceiverTest) -> bool:
        resolved = self.type_of(test.type)
        if resolved is None:
            return test.default
        tags = [resolved]
        if resolved in self.classes:
            if self.method(resolved, test.method) is not None:
                return False  # the tree's own method, followed as a call
            tags = self.library_ancestors(resolved) or tags
        kind, name = test.test[0], test.test[1:]
        if kind == "=":
            return name in tags
        check = RECEIVERS.get(name)
        return check is not None and any(check(test.text, tag) for tag in tags)

    def lookup(self, callee: str) -> tuple[tuple[FunctionSummary, bool], ...]:
        """Functions a callee name may run, each with `True` if it is a constructor call."""
        cached = self._lookup_cache.get(callee)
        if cached is None:
            cached = self._lookup_cache[callee] = tuple(self._lookup(callee))
        return cached

    def _lookup(self, callee: str) -> list[tuple[FunctionSummary, bool]]:
        if callee.startswith("field:"):
            # self.<field>.<method>() where a base class (maybe in another module) sets the field
            _, owner, attr, method = callee.split(":")
            cls = self.type_of(owner) or owner  # an object a function of the tree returned
            for klass in self.mro(cls):
                field_type = self.field_types.get((klass, attr))
                if field_type is not None:
                    return [
                        (function, False)
                        for function, constructor in self.lookup(f"{field_type}.{method}")
                        if not constructor
                    ]
            return []
        if callee.startswith("super:"):
            cls, _, name = callee[6:].rpartition(".")
            for klass in self.mro(cls)[1:]:
                function = self.functions.get(f"{klass}.{name}")
                if function is not None:
                    return [(function, False)]
            return []
        name = self._canonical(callee)
        if name in self.functions:
            return [(self.functions[name], False)]
        if name in self.classes:
            init = self.method(name, "__init__")
            return [(init, True)] if init is not None else []
        cls, _, method = name.rpartition(".")
        cls = self._canonical(cls)
        if cls in self.classes:
            found = self.method(cls, method)
            if found is not None:
                return [(found, False)]
            # a template method defined only by subclasses
            out = []
            for sub in self._all_subclasses(cls):
                function = self.functions.get(f"{sub}.{method}")
                if function is not None:
                    out.append((function, False))
            return out[:8]
        instance_of = self.instances.get(cls)
        if instance_of is not None and instance_of != cls:
            # `db.get_book(id)` with `db = Library()` at the top of another module: a
            # method called on an object (its first parameter is the object)
            self.bound_names.add(callee)
            return [(f, c) for f, c in self.lookup(f"{instance_of}.{method}") if not c]
        returned = self.type_of(cls)
        if returned is not None and returned != cls and returned in self.classes:
            # `store = default_store(); store.read(key)`: a method of the object of the
            # tree's class that a function (maybe another module's) returned
            return [(f, c) for f, c in self.lookup(f"{returned}.{method}") if not c]
        return []

    def _all_subclasses(self, cls: str) -> tuple[str, ...]:
        return _cached(self._subclass_cache, cls, lambda c: tuple(self._subclasses_of(c)))

    def _subclasses_of(self, cls: str) -> list[str]:
        seen: list[str] = []
        queue = list(self.subclasses.get(cls, ()))
        while queue and len(seen) < 64:
            current = queue.pop(0)
            if current not in seen:
                seen.append(current)
                queue.extend(self.subclasses.get(current, ()))
        return seen


def _short(qualname: str) -> str:
    """The last two parts of a qualified name (`views.Backoffice.get`), for messages."""
    return ".".join(qualname.split(".")[-2:])


def _cached[Key, Value](
    cache: dict[Key, Value], key: Key, compute: Callable[[Key], Value]
) -> Value:
    """`cache[key]`, computed on the first ask."""
    found = cache.get(key)
    if found is None:
        found = cache[key] = compute(key)
    return found


def _param_index(function: FunctionSummary) -> dict[str, int]:
    names = [*function.params, *function.kwonly]
    if function.vararg:
        names.append(function.vararg)
    if function.kwarg:
        names.append(function.kwarg)
    return {name: index for index, name in enumerate(names)}


def receiver_offset(call: CallSite, callee: FunctionSummary, constructor: bool, bound: bool) -> int:
    """1 when the call's first positional argument lands on the callee's second parameter
    (a method called through its object, or a constructor: `self` is the object)."""
    if callee.kind == "classmethod":
        return 1  # `cls` is the class, however it is called (`Fetcher.from_settings(s)`)
    method = callee.kind == "method"
    return 1 if method and (call.bound or constructor or bound) else 0


def bind(
    call: CallSite, callee: FunctionSummary, constructor: bool, bound: bool = False
) -> dict[int, TVal]:
    """What the call passes for each of the callee's parameters (by parameter index);
    `bound`: the callee's name went through an object (`Program.bound_names`)."""
    index = _param_index(callee)
    params = callee.params
    offset = receiver_offset(call, callee, constructor, bound)
    out: dict[int, TVal] = {}
    if offset and call.receiver is not None:
        out[0] = call.receiver
    extra: list[TVal] = []
    for position, value in enumerate(call.args):
        slot = position + offset
        if slot < len(params):
            out[slot] = value
        else:
            extra.append(value)
    if callee.vararg and extra:
        out[index[callee.vararg]] = join(*extra)
    leftovers: list[TVal] = []
    for name, value in call.kwargs:
        if name in index and name not in (callee.vararg, callee.kwarg):
            out[index[name]] = join(out.get(index[name], EMPTY), value)
        else:
            leftovers.append(value)
    if callee.kwarg and leftovers:
        out[index[callee.kwarg]] = join(*leftovers)
    if call.star:
        # `f(a, *rest, key=b, **options)`: the expansions fill the parameters that `a` and
        # `key=` did not (Python refuses a second value for a parameter)
        named = {index[name] for name, _ in call.kwargs if name in index}
        for slot in range(min(offset + len(call.args), len(params)), len(index)):
            if slot not in named:
                out[slot] = join(out.get(slot, EMPTY), call.star)
    return out


class Solver:
    def __init__(self, program: Program):
        self.program = program
        self.resolved: dict[str, Resolved] = {}
        self.field_store: dict[tuple[str, str], TVal] = {}
        # the same without what constructor calls stored on the objects they built: all
        # an object built by a constructor call can have gained besides that call's own
        self.later_field_store: dict[tuple[str, str], TVal] = {}
        self.global_store: dict[str, TVal] = {}
        self.callers: dict[str, set[str]] = defaultdict(set)
        self.field_readers: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.global_readers: dict[str, set[str]] = defaultdict(set)
        self._field_key_cache: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self._admin_cache: dict[str, str | None] = {}
        self._index_dependencies()

    def _index_dependencies(self) -> None:
        for function in self.program.functions.values():
            for call in function.calls:
                if call is None:
                    continue
                for callee_name in call.callees:
                    for callee, _ in self.program.lookup(callee_name):
                        self.callers[callee.qualname].add(function.qualname)
            for label in function.reads:
                if isinstance(label, FieldRead):
                    for key in self._field_keys(label):
                        self.field_readers[key].add(function.qualname)
                elif isinstance(label, GlobalRead):
                    self.global_readers[self.program._canonical(label.name)].add(function.qualname)

    def _field_keys(self, label: FieldRead) -> tuple[tuple[str, str], ...]:
        key = (label.cls, label.attr)
        found = self._field_key_cache.get(key)
        if found is None:
            classes = self.program.mro(label.cls) or (label.cls,)
            classes += self.program._all_subclasses(label.cls)
            found = self._field_key_cache[key] = tuple((cls, label.attr) for cls in classes)
        return found

    # --- the fixpoint --------------------------------------------------------------------
    def run(self) -> None:
        queue = deque(self._callees_first())
        queued = set(queue)
        counts: dict[str, int] = defaultdict(int)
        while queue:
            name = queue.popleft()
            queued.discard(name)
            counts[name] += 1
            if counts[name] > MAX_RECOMPUTE:
                continue
            function = self.program.functions[name]
            old = self.resolved.get(name)
            new, touched = self._compute(function)
            self.resolved[name] = new
            dependants: set[str] = set(touched)
            if old is None or _changed(old, new):
                dependants |= self.callers.get(name, set())
            for dependant in sorted(dependants):
                if dependant not in queued:
                    queue.append(dependant)
                    queued.add(dependant)

    def _callees_first(self) -> list[str]:
        """Every function after the ones it calls (depth-first post-order; cycles broken
        where met): most summaries are then computed once, not again for each callee that
        settles after them. The fixpoint is the same in any order; this one is cheaper."""
        callees: dict[str, list[str]] = defaultdict(list)
        for callee, callers in self.callers.items():
            for caller in callers:
                callees[caller].append(callee)
        order: list[str] = []
        seen: set[str] = set()
        for root in sorted(self.program.functions):
            if root in seen:
                continue
            seen.add(root)
            stack = [(root, iter(sorted(callees.get(root, ()))))]
            while stack:
                name, pending = stack[-1]
                for callee in pending:
                    if callee not in seen and callee in self.program.functions:
                        seen.add(callee)
                        stack.append((callee, iter(sorted(callees.get(callee, ())))))
                        break
                else:
                    stack.pop()
                    order.append(name)
        return order

    def _compute(self, function: FunctionSummary) -> tuple[Resolved, set[str]]:
        context = _Resolution(self, function)
        out = Resolved()
        out.ret = context.resolve(function.returns)
        for cls, value in function.raises.items():
            resolved_value = context.resolve(value)
            if resolved_value:
                out.raises[cls] = resolved_value
        for index, value in function.param_writes.items():
            resolved_value = context.resolve(value)
            if resolved_value:
                out.param_writes[index] = resolved_value
        if function.return_parts is not None:
            out.ret_parts = tuple(map(context.resolve, function.return_parts))
        if function.return_keys is not None:
            out.ret_keys = {k: context.resolve(v) for k, v in function.return_keys.items()}
        for event in function.sinks:
            if event.when and not any(map(self.program.receiver_holds, event.when)):
                continue  # a method of another type than the sink's
            value = {
                label: flow
                for label, flow in context.resolve(event.taint).items()
                if not is_cleared(flow, event.rule)
            }
            if value:
                key = (event.rule, event.location)
                other = out.sinks.get(key)  # another argument choice of the same call
                if other is not None:
                    event, value = other[0], join(other[1], value)
                out.sinks[key] = (event, value)
        touched: set[str] = set()
        for key, value in function.field_writes.items():
            self._store_field(out.fields, key, context.resolve(value), touched, built=False)
        for key, value in function.global_writes.items():
            self._store(
                out.globals,
                self.global_store,
                key,
                context.resolve(value),
                touched,
                self.global_readers,
            )
        for index, call in enumerate(function.calls):
            if call is None:
                continue
            for callee, constructor in context.targets(index):
                resolved = self.resolved.get(callee.qualname)
                if resolved is None or not (
                    resolved.sinks or resolved.fields or resolved.built_fields or resolved.globals
                ):
                    continue  # nothing the arguments could reach
                arguments = context.arguments(index, callee, constructor)
                step = TraceStep(call.location, f"passed to {call.text}")
                for key, (event, value) in resolved.sinks.items():
                    for label, flow in value.items():
                        if not isinstance(label, Param):
                            continue
                        for arg_label, arg_flow in arguments.of(label).items():
                            merged = _chain(arg_flow, step, flow)
                            if is_cleared(merged, event.rule):
                                continue
                            entry = out.sinks.setdefault(key, (event, {}))
                            _add(entry[1], arg_label, merged)
                for key, value in resolved.fields.items():
                    # a constructor's stores are on the object it builds
                    own = out.built_fields if constructor else out.fields
                    substituted = _substitute(value, arguments, step)
                    self._store_field(own, key, substituted, touched, built=constructor)
                for key, value in resolved.built_fields.items():
                    substituted = _substitute(value, arguments, step)
                    self._store_field(out.built_fields, key, substituted, touched, built=True)
                for key, value in resolved.globals.items():
                    substituted = _substitute(value, arguments, step)
                    self._store(
                        out.globals,
                        self.global_store,
                        key,
                        substituted,
                        touched,
                        self.global_readers,
                    )
        return out, touched

    def _store_field(
        self, own: dict, key: tuple[str, str], value: TVal, touched: set[str], built: bool
    ) -> None:
        """A field write; `built`: a constructor's on the object it built."""
        self._store(own, self.field_store, key, value, touched, self.field_readers)
        if not built:
            self._store({}, self.later_field_store, key, value, touched, self.field_readers)

    def _store(
        self,
        own: dict,
        store: dict,
        key: object,
        value: TVal,
        touched: set[str],
        readers: dict,
    ) -> None:
        """Concrete sources go to the program-wide store; parameter parts stay in the summary."""
        params = {label: flow for label, flow in value.items() if isinstance(label, Param)}
        sources = {label: flow for label, flow in value.items() if isinstance(label, Src)}
        if params:
            own[key] = join(own.get(key, EMPTY), params)
        if sources:
            before = store.get(key, EMPTY)
            after = join(before, sources)
            if _signature(after) != _signature(before):
                store[key] = after
                touched.update(readers.get(key, ()))

    # --- phase 3 -----------------------------------------------------------------------
    def flows(self) -> list[Flowpath]:
        best: dict[SinkKey, Flowpath] = {}
        spec = spec_index()
        converted = self._converted_sources()
        for name, resolved in self.resolved.items():
            function = self.program.functions[name]
            entry = self._inherited_entry(function) or self._routed_entry(function)
            for key, (event, value) in resolved.sinks.items():
                for label, flow in value.items():
                    if isinstance(label, Src):
                        candidate = Flowpath(event, label, flow)
                    elif entry is not None and isinstance(label, Param) and label.name in entry:
                        source = entry[label.name]
                        step = TraceStep(
                            source.location, f"{label.name}: {source.description} (source)"
                        )
                        candidate = Flowpath(event, source, Flow((step, *flow.trace), flow.cleared))
                    else:
                        continue
                    if not spec.reports(candidate.source.kind, event.rule):
                        continue  # e.g. privsep data goes to rules of its own
                    if candidate.source in converted:
                        continue  # `<int:pk>`: the framework let only digits through
                    admin = self.admin_reason(candidate.source.function)
                    if admin is not None:
                        candidate = Flowpath(event, candidate.source, candidate.flow, admin)
                    current = best.get(key)
                    if current is None or _better(candidate, current):
                        best[key] = candidate
        return [best[key] for key in sorted(best, key=lambda k: (k[1].path, k[1].line, k[0]))]

    def admin_reason(self, qualname: str, depth: int = 0) -> str | None:
        """Why only administrators reach function `qualname`: it is an admin-only handler,
        or it is not a handler and every function calling it is reached only by
        administrators (`pathchooser()` called from an `@admin_required` view)."""
        cached = self._admin_cache.get(qualname, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        self._admin_cache[qualname] = None  # a cycle: not proven by itself
        reason = self.program.admin_only(qualname)
        function = self.program.functions.get(qualname)
        if reason is None and function is not None and not function.handler and depth < 4:
            callers = sorted(self.callers.get(qualname, ()))
            reasons = [self.admin_reason(caller, depth + 1) for caller in callers]
            if callers and all(reasons):
                reason = f"{reasons[0]}; {_short(qualname)} is called only from there"
        self._admin_cache[qualname] = reason
        return reason

    def _converted_sources(self) -> set[Src]:
        """The sources of view parameters that every route to the view converts."""
        out: set[Src] = set()
        for function in self.program.functions.values():
            if function.param_sources:
                _, safe = self.program.views.get(function.qualname, ("", frozenset()))
                out.update(src for name, src in function.param_sources if name in safe)
        return out

    def _routed_entry(self, function: FunctionSummary) -> dict[str, Src] | None:
        """Parameters that are URL data because an urlconf of the tree routes to the
        function (phase 1 saw a function taking `request`, not a view by its module)."""
        if not function.url_params or function.qualname not in self.program.views:
            return None
        route, safe = self.program.views[function.qualname]
        where = Location(function.path, function.line)
        return {
            name: Src(
                "http", f"URL parameter '{name}' of {route}", where, "high", function.qualname
            )
            for name in function.url_params
            if name not in safe
        }

    def _inherited_entry(self, function: FunctionSummary) -> dict[str, Src] | None:
        """Parameters that are request data because the method's class inherits a framework
        handler base through classes of the tree (phase 1 saw only the direct bases)."""
        if function.cls is None or function.handler or function.kind != "method":
            return None
        params = [*function.params[1:], *function.kwonly]
        params += [p for p in (function.vararg, function.kwarg) if p]
        method = function.qualname.rsplit(".", 1)[-1]
        found = inherited_handler(
            spec_index(), method, self.program.library_ancestors(function.cls), params
        )
        if found is None or not found[1]:
            return None
        handler, tainted = found
        where = Location(function.path, function.line)
        return {
            name: Src("http", description, where, handler.confidence, function.qualname)
            for name, description in tainted.items()
        }


_CONFIDENCE = {"high": 2, "medium": 1, "low": 0}


def _better(a: Flowpath, b: Flowpath) -> bool:
    """More confident source, then shorter trace, then the earlier source: a total order,
    so the reported path does not depend on the order the fixpoint visited functions."""
    return _rank(a) < _rank(b)


def _rank(path: Flowpath) -> tuple[int, int, int, str, int, tuple[str, ...]]:
    """A source anyone can reach before one only administrators reach, then by confidence,
    length and place."""
    where = path.source.location
    notes = tuple(step.note for step in path.flow.trace)
    return (path.admin is not None, -_CONFIDENCE.get(path.source.confidence, 0),
            len(path.flow.trace), where.path, where.line, notes)  # fmt: skip


def _changed(old: Resolved, new: Resolved) -> bool:
    if _signature(old.ret) != _signature(new.ret):
        return True
    if [_signature(p) for p in old.ret_parts or ()] != [_signature(p) for p in new.ret_parts or ()]:
        return True
    old_keys, new_keys = old.ret_keys or {}, new.ret_keys or {}
    if old_keys.keys() != new_keys.keys() or any(
        _signature(old_keys[k]) != _signature(new_keys[k]) for k in new_keys
    ):
        return True
    if old.sinks.keys() != new.sinks.keys():
        return True
    if any(_signature(old.sinks[k][1]) != _signature(new.sinks[k][1]) for k in new.sinks):
        return True
    for mine, theirs in (
        (old.raises, new.raises),
        (old.param_writes, new.param_writes),
        (old.fields, new.fields),
        (old.built_fields, new.built_fields),
        (old.globals, new.globals),
    ):
        if mine.keys() != theirs.keys() or any(
            _signature(mine[k]) != _signature(theirs[k]) for k in theirs
        ):
            return True
    return False


def _chain(first: Flow, step: TraceStep | None, second: Flow) -> Flow:
    trace = first.trace + ((step,) if step else ()) + second.trace
    return Flow(clip(trace), first.cleared | second.cleared)


class Arguments:
    """What a call passes for each of the callee's parameters: as a whole, and key by key
    where the caller knows the keys (a dict literal for `param["note"]`)."""

    __slots__ = ("keyed", "whole")

    def __init__(self, whole: dict[int, TVal], keyed: dict[int, dict[str, TVal]]):
        self.whole = whole
        self.keyed = keyed

    def of(self, label: Param) -> TVal:
        """The caller's data for a parameter label (under its key, if it has one)."""
        if label.key:
            keys = self.keyed.get(label.index)
            if keys is not None:
                return keys.get(label.key, keys.get("", EMPTY))
        return self.whole.get(label.index, EMPTY)


def _substitute(value: TVal, arguments: Arguments, step: TraceStep) -> TVal:
    out: TVal = {}
    for label, flow in value.items():
        if isinstance(label, Param):
            for arg_label, arg_flow in arguments.of(label).items():
                _add(out, arg_label, _chain(arg_flow, step, flow))
        else:
            _add(out, label, flow)
    return out


class _Resolution:
    """Rewrites one function's labels into `Param`/`Src` labels, memoising call results."""

    def __init__(self, solver: Solver, function: FunctionSummary):
        self.solver = solver
        self.program = solver.program
        self.function = function
        self.memo: dict[tuple[int, int, str], TVal] = {}
        self.args_memo: dict[tuple[int, str], Arguments] = {}
        self.active: set[tuple[int, int, str]] = set()

    def targets(self, index: int) -> list[tuple[FunctionSummary, bool]]:
        out: list[tuple[FunctionSummary, bool]] = []
        call = self.function.calls[index]
        if call is None:
            return out  # carried nothing, and its result was not used
        for name in call.callees:
            out.extend(self.program.lookup(name))
        return out

    def arguments(self, index: int, callee: FunctionSummary, constructor: bool) -> Arguments:
        key = (index, callee.qualname)
        cached = self.args_memo.get(key)
        if cached is None:
            call = self.function.calls[index]
            bound = self._bound(index)
            raw = bind(call, callee, constructor, bound)
            offset = receiver_offset(call, callee, constructor, bound)
            keyed = {
                position + offset: {k: self.resolve(v) for k, v in keys.items()}
                for position, keys in enumerate(call.arg_keys)
                if keys is not None
            }
            cached = self.args_memo[key] = Arguments(
                {slot: self.resolve(value) for slot, value in raw.items()}, keyed
            )
        return cached

    def resolve(self, value: TVal) -> TVal:
        if not value:
            return EMPTY
        out: TVal = {}
        for label, flow in value.items():
            if flow.cleared and self._conditional(flow.cleared):
                flow = self.settle(flow)
            if isinstance(label, (Param, Src)):
                _add(out, label, flow)
            elif isinstance(label, CallRet):
                result = self.call_result(label.call, label.part, label.key)
                for inner, inner_flow in result.items():
                    _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, CallRaise):
                for inner, inner_flow in self.call_raises(label.call, label.catches).items():
                    _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, ArgWrite):
                for inner, inner_flow in self.arg_write(label.call, label.arg).items():
                    _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, FieldRead):
                store = self.solver.field_store
                if label.built_at >= 0 and self._built_here(label.built_at):
                    store = self.solver.later_field_store
                for key in self.solver._field_keys(label):
                    for inner, inner_flow in store.get(key, EMPTY).items():
                        _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, GlobalRead):
                name = self.program._canonical(label.name)
                for inner, inner_flow in self.solver.global_store.get(name, EMPTY).items():
                    _add(out, inner, _chain(inner_flow, None, flow))
        return out

    @staticmethod
    def _conditional(cleared: frozenset[str]) -> bool:
        return any(kind[0] == "?" for kind in cleared)

    def settle(self, flow: Flow) -> Flow:
        """Replace what phase 1 could only mark (`summary.NORETURN`, `VALIDATED`) by what
        the callees do: a path through a call that never returns is no path (safe for
        every kind), data a validator checked is safe for what it proved."""
        cleared: set[str] = set()
        trace = flow.trace
        for kind in flow.cleared:
            if kind.startswith(NORETURN):
                targets = self.targets(int(kind[len(NORETURN) :]))
                if targets and all(c.never_returns and not k for c, k in targets):
                    cleared.add("*")
            elif kind.startswith(VALIDATED):
                call, position = map(int, kind[len(VALIDATED) :].split(":"))
                proven = self._validated(call, position)
                cleared |= proven
                if any(k.startswith(WEAK) for k in proven):
                    trace = self._with_failing_check(trace, call, position)
            else:
                cleared.add(kind)
        return Flow(trace, frozenset(cleared))

    def _with_failing_check(self, trace: tuple[TraceStep, ...], index: int, position: int):
        """`trace` with the step of the check that does not protect the data, made in the
        validator call site `index` called, where that call comes in the trace."""
        call = self.function.calls[index]
        for callee, constructor in self.targets(index):
            slot = position + receiver_offset(call, callee, constructor, self._bound(index))
            step = callee.failing_checks.get(slot)
            if step is None:
                continue
            where = call.location
            at = next(
                (
                    i
                    for i, s in enumerate(trace)
                    if s.location.path == where.path and s.location.line > where.line
                ),
                len(trace),
            )
            return clip((*trace[:at], step, *trace[at:]))
        return trace

    def _validated(self, index: int, position: int) -> frozenset[str]:
        """What every callee of call site `index` proves of its positional argument
        `position` whenever it returns."""
        call = self.function.calls[index]
        found: frozenset[str] | None = None
        for callee, constructor in self.targets(index):
            slot = position + receiver_offset(call, callee, constructor, self._bound(index))
            kinds = callee.validates.get(slot, frozenset())
            found = kinds if found is None else meet(found, kinds)
        return found or frozenset()

    def _bound(self, index: int) -> bool:
        """Call site `index` names its callee through a module-level object."""
        return any(name in self.program.bound_names for name in self.function.calls[index].callees)

    def _from_callees(
        self,
        index: int,
        note: str,
        pick: Callable[[FunctionSummary, bool, Resolved], list[TVal]],
    ) -> TVal:
        """What `pick` takes from each resolved callee of call site `index`, in the
        caller's terms: the callee's parameters replaced by the call's arguments."""
        call = self.function.calls[index]
        out: TVal = {}
        for callee, constructor in self.targets(index):
            resolved = self.solver.resolved.get(callee.qualname)
            values = pick(callee, constructor, resolved) if resolved is not None else []
            if not values:
                continue
            arguments = self.arguments(index, callee, constructor)
            step = TraceStep(call.location, f"{note} {call.text}")
            for value in values:
                for label, flow in _substitute(value, arguments, step).items():
                    _add(out, label, flow)
        return out

    def call_raises(self, index: int, catches: tuple[str, ...]) -> TVal:
        """What the exceptions of classes `catches` names (all, if empty) that call site
        `index`'s callees raise carry."""

        def caught(callee: FunctionSummary, constructor: bool, resolved: Resolved) -> list[TVal]:
            return [v for cls, v in resolved.raises.items() if self._catches(cls, catches)]

        return self._from_callees(index, "raised by", caught)

    def _catches(self, cls: str, catches: tuple[str, ...]) -> bool:
        """Whether `except <catches>` catches a `cls`: by the tree's class hierarchy and,
        for library classes, by name."""
        if not catches or not cls:
            return True
        program = self.program
        names = {cls, *program.mro(cls), *program.library_ancestors(cls)}
        return may_catch({program._canonical(c) for c in catches}, names)

    def arg_write(self, index: int, position: int) -> TVal:
        """What call site `index` put into the object passed as positional argument
        `position`: each callee's `param_writes` for the parameter it lands on."""
        key = (index, -2 - position, "")  # shares the memo with call results, apart from them
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return EMPTY
        self.active.add(key)
        call, bound = self.function.calls[index], self._bound(index)

        def written(callee: FunctionSummary, constructor: bool, resolved: Resolved) -> list[TVal]:
            slot = position + receiver_offset(call, callee, constructor, bound)
            value = resolved.param_writes.get(slot)
            return [value] if value else []

        out = self._from_callees(index, "filled by", written)
        self.active.discard(key)
        self.memo[key] = out
        return out

    def _built_here(self, index: int) -> bool:
        """Call site `index` only constructs objects of the tree's classes."""
        targets = self.targets(index)
        return bool(targets) and all(constructor for _, constructor in targets)

    def call_result(self, index: int, part: int = -1, within: str = "") -> TVal:
        """What call site `index` returns (element `part` of it, for `a, b = f()`; what
        it holds under key `within`, for `f()["name"]`, `f().path`)."""
        key = (index, part, within)
        if key in self.memo:
            return self.memo[key]
        if key in self.active:
            return EMPTY  # a call whose argument is its own result: cannot happen, but be safe
        self.active.add(key)
        call = self.function.calls[index]
        targets = self.targets(index)
        out: TVal = {}
        if not targets or all(constructor for _, constructor in targets):
            # not a function of the reviewed tree (or an object built from the arguments):
            # the result carries whatever went in
            step = TraceStep(call.location, call.text)
            for value in (
                call.receiver or EMPTY,
                *(call.args[1:] if call.key_lookup else call.args),
                *(v for _, v in call.kwargs),
                call.star,
            ):
                for label, flow in self.resolve(value).items():
                    _add(out, label, _chain(flow, step, Flow((), frozenset())))
        for callee, constructor in targets:
            if constructor:
                continue
            resolved = self.solver.resolved.get(callee.qualname)
            if resolved is None:
                continue
            arguments = self.arguments(index, callee, constructor)
            step = TraceStep(call.location, f"passed to {call.text}")
            returned = _returned_part(resolved, part, within)
            for label, flow in returned.items():
                if isinstance(label, Param):
                    for arg_label, arg_flow in arguments.of(label).items():
                        _add(out, arg_label, _chain(arg_flow, step, flow))
                else:
                    _add(out, label, flow)
        self.active.discard(key)
        self.memo[key] = out
        return out


def _returned_part(resolved: Resolved, part: int, within: str) -> TVal:
    """What a callee returns as a whole, as element `part` of a tuple, or under a key."""
    parts = resolved.ret_parts
    if parts is not None and 0 <= part < len(parts):
        return parts[part]  # the element unpacked, not the whole tuple
    if within:
        keys = resolved.ret_keys
        if keys is not None:
            return keys.get(within, keys.get("", EMPTY))
        if parts is not None and within.startswith("[#"):
            index = int(within[2:-1])
            if -len(parts) <= index < len(parts):
                return parts[index]
    return resolved.ret


def solve_program(modules: list[ModuleSummary]) -> list[Flowpath]:
    solver = Solver(Program(modules))
    solver.run()
    return solver.flows()


__all__ = ["Flowpath", "Program", "Solver", "solve_program"]
