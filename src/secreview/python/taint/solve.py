"""Phase 2 and 3: resolve calls across modules, iterate summaries to a fixpoint, report flows.

Each function's summary is rewritten in terms of its own parameters and concrete sources
only: results of calls are replaced by the callee's return summary with the call's
arguments substituted, field and global reads by what any function stores there. Sinks
reached from parameters climb to every caller, until a source meets them. The loop is a
worklist over callers; it converges because label sets only grow and sanitised-for sets
only shrink, and each function is recomputed a bounded number of times.

Calls resolve by name (`Program.lookup`: imports, re-exports, namespace packages, classes'
MROs, module-level objects) or by value: a function is a value (`Fn`: a module-level
function a name holds, a bound method `obj.run`, a closure, a `functools.partial`) carried
like data to where it is called, whose callees are the `Fn` labels the value called holds
there (`_Resolution.targets`; the caller becomes a caller of each). A call of what a
parameter holds (`callback(item)`) is left to the callers, which know what they pass
(`Resolved.indirect`, run by `Solver._entered` any depth up). Exceptions climb the same
way: what a function's callees raise and its handlers do not keep is what it raises.

Objects are told apart by where they were built (see `objects.py`). A method every call of
which is on an object its caller knows (one the caller built, or the caller's own `self`)
is *closed*: its `self.attr` stays a parameter, `Param(0, "self", key="attr")`, filled in
by each caller from that object's fields, and what it stores in `self` is `self_writes`,
which each caller applies to that object only. Other methods are *open* (the framework
may call them, or some caller holds an object of unknown origin): their `self.attr` is what
any code stores in that field of the class (`field_store`). An object a function built
holds what its constructor and the methods called on it stored, and what code that did not
know which object it wrote stored (`escaped_field_store`), never another object's data.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace

from secreview.model import Location, TraceStep
from secreview.python.symbols import namespace_names
from secreview.python.taint import sessions
from secreview.python.taint.access import ADMIN_DECORATORS, ADMIN_MARK
from secreview.python.taint.conditions import RECEIVERS, may_catch, service_client
from secreview.python.taint.handlers import inherited_class_handler, inherited_handler
from secreview.python.taint.markdown_ext import cleaning_postprocessor
from secreview.python.taint.spec import ARCHIVE_TEXT, CLI, spec_index
from secreview.python.taint.summary import (
    ANSWER,
    AS_IS,
    ASSUMES,
    EMPTY,
    EXTENSION,
    MAC,
    NAMED,
    NO_FLOW,
    NO_KINDS,
    NORETURN,
    OPENED,
    OWN_OBJECT,
    RECEIVER,
    VALIDATED,
    VERDICT,
    WEAK,
    WHOLE_REQUEST,
    ArgWrite,
    CallRaise,
    CallRet,
    CallSite,
    FieldRead,
    Flow,
    Fn,
    FunctionSummary,
    GlobalRead,
    ModuleSummary,
    Param,
    ReceiverTest,
    SinkEvent,
    Src,
    TVal,
    clip,
    extend,
    field_of,
    is_cleared,
    join,
    meet,
    merge,
    union,
)

MAX_RECOMPUTE = 12
MAX_CALLBACK_DEPTH = 3  # functions given to functions given to functions ...
SinkKey = tuple[str, Location]
# which object a method is called on, as the caller knows it (`_Resolution.receiver_kind`)
BUILT, OWN, OTHER = "built", "own", "other"
# bases outside the tree that do not call the methods of their subclasses
_INERT_BASES = frozenset({"builtins.object", "typing.Generic", "abc.ABC"})
# the methods that run on the object a constructor call is building
_BUILDING = frozenset({"__init__", "__post_init__"})


@dataclass(slots=True)
class Resolved:
    """A function's summary with only `Param` and `Src` labels left."""

    ret: TVal = field(default_factory=dict)
    ret_parts: tuple[TVal, ...] | None = None  # see `FunctionSummary.return_parts`
    ret_keys: dict[str, TVal] | None = None  # see `FunctionSummary.return_keys`
    # the fields of a returned tuple's elements, where they are objects whose fields are
    # returned apart (`return meta, None` with `meta` a named tuple; see `_named_fields`)
    ret_part_keys: tuple[dict[str, TVal] | None, ...] | None = None
    sinks: dict[SinkKey, tuple[SinkEvent, TVal]] = field(default_factory=dict)
    fields: dict[tuple[str, str], TVal] = field(default_factory=dict)
    # what constructors called here (or in callees) stored on the objects they built
    built_fields: dict[tuple[str, str], TVal] = field(default_factory=dict)
    param_writes: dict[int, TVal] = field(default_factory=dict)  # see FunctionSummary
    param_key_writes: dict[int, dict[str, TVal]] = field(default_factory=dict)
    # what a method stores in the fields of the object it runs on, by field ("": a field
    # whose name is not known), in terms of its parameters (`Param(0, "self", key=f)`: what
    # field f of the object held); applied by each caller that knows the object
    self_writes: dict[str, TVal] = field(default_factory=dict)
    raises: dict[str, TVal] = field(default_factory=dict)  # by exception class
    # the same without what `self`'s fields hold (`raise Error(f"{self.name} ...")`): a
    # field of the class is what any object of it may hold, which a handler around a call
    # of the method may see, but not every handler further up (see `_compute`)
    raises_up: dict[str, TVal] = field(default_factory=dict)
    globals: dict[str, TVal] = field(default_factory=dict)
    # calls of functions its callers give it (`callback(item)`), by place: see `Indirect`
    indirect: dict[tuple[Location, str], Indirect] = field(default_factory=dict)


@dataclass(slots=True)
class Indirect:
    """A call of a function that a caller passes in (`callback(item)` with `callback` a
    parameter), in the function's own terms: the callers, which know what they pass,
    run it (`Solver._entered`)."""

    func: TVal  # the value called: `Param` labels
    call: CallSite  # the call, its arguments in the function's own terms


_RESOLVED_DICTS = tuple(
    f.name for f in fields(Resolved) if f.name not in ("ret_parts", "ret_part_keys", "ret_keys")
)


def _share_empty(out: Resolved) -> None:
    """A computed function's empty dicts as the one shared `EMPTY`: nothing writes to a
    `Resolved` once `_compute` returns it, and most of its eleven dicts stay empty (on
    nova, 79 000 of them, 5 MB held to the end of phase 2)."""
    for name in _RESOLVED_DICTS:
        if not getattr(out, name):
            setattr(out, name, EMPTY)


def _reaches(resolved: Resolved) -> bool:
    """Whether what a call passes a function may reach anything beyond its result."""
    return bool(
        resolved.sinks or resolved.fields or resolved.built_fields or resolved.globals
        or resolved.indirect or resolved.self_writes
    )  # fmt: skip


def _pass_up(out: Resolved, func: TVal, call: CallSite) -> None:
    """Keep a call of a function given by a caller (`func`'s `Param` labels) for the
    callers, when it passes any data."""
    passed = {label: flow for label, flow in func.items() if type(label) is Param}
    if not passed or not any(
        type(label) is not Fn for value in _inputs_of(call) for label in value
    ):
        return
    key = (call.location, call.text)
    old = out.indirect.get(key)
    if old is None:
        out.indirect[key] = Indirect(passed, call)
        return
    site = old.call
    merged = CallSite(
        callees=(),
        args=tuple(join(a, b) for a, b in zip(site.args, call.args, strict=False)),
        kwargs=tuple((k, join(v, dict(call.kwargs).get(k, EMPTY))) for k, v in site.kwargs),
        star=join(site.star, call.star),
        receiver=None,
        bound=False,
        location=site.location,
        text=site.text,
    )
    out.indirect[key] = Indirect(join(old.func, passed), merged)


def _substituted(call: CallSite, arguments: Arguments, step: TraceStep) -> CallSite:
    """A call in a callee's terms, in its caller's: its arguments' parameters replaced."""
    return CallSite(
        callees=(),
        args=tuple(_substitute(value, arguments, step) for value in call.args),
        kwargs=tuple((k, _substitute(v, arguments, step)) for k, v in call.kwargs),
        star=_substitute(call.star, arguments, step),
        receiver=None,
        bound=False,
        location=call.location,
        text=call.text,
    )


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
        self.named_tuples: dict[str, tuple[str, ...]] = {}  # named tuple type -> fields
        self.admin_classes: set[str] = set()
        self.markdown_postprocessors: dict[str, tuple[str, ...]] = {}  # see markdown_ext
        self._hooks: dict[str, str] | None = None
        # session keys some module reads as trusted (`sessions.trusted_reads`)
        self.trusted_session_reads: tuple[tuple[str, Location, str], ...] = ()
        self.bound_names: set[str] = set()  # callee names that went through such an object
        # `services.reports.archive` -> `archive`: a module's names through namespace
        # packages (directories without `__init__.py`), which no module of the tree has
        self.namespaces: dict[str, str] = {}
        packages = {
            module.path.removesuffix("/__init__.py"): module.module
            for module in modules
            if module.path.endswith("/__init__.py")
        }
        for module in modules:
            for name in namespace_names(module.path, module.module, packages):
                self.namespaces.setdefault(name, module.module)
        for module in modules:
            self.namespaces.pop(module.module, None)
            self.exports[module.module] = module.exports
            self.field_types.update(module.field_types)
            self.instances.update(module.instances)
            self.named_tuples.update(module.named_tuples)
            self.classes.update(module.classes)
            self.admin_classes.update(module.admin_classes)
            self.markdown_postprocessors.update(module.markdown_postprocessors)
            self.trusted_session_reads += module.trusted_session_reads
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
        self._values_cache: dict[str, Fn | None] = {}
        self._cleaning_cache: dict[str, str | None] = {}
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
        if self.namespaces:
            for cut in range(len(parts) - 1, 0, -1):
                module = self.namespaces.get(".".join(parts[:cut]))
                if module is not None:
                    return self._follow(".".join([module, *parts[cut:]]), depth + 1)
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

    def cleaning_postprocessor(self, cls: str) -> str | None:
        """The postprocessor that cleans the HTML a Markdown extension of class `cls`
        renders (see `markdown_ext.py`), None when it registers none."""
        if cls not in self._cleaning_cache:
            self._cleaning_cache[cls] = cleaning_postprocessor(
                self.mro(cls), self.markdown_postprocessors, self.method, self.lookup
            )
        return self._cleaning_cache[cls]

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

    def function_value(self, name: str) -> Fn | None:
        """The function a module-level name of the tree is, as a value (`Fn`), if it is
        one (a module's function, not a class or a module)."""
        found = self._values_cache.get(name, False)
        if found is False:
            function = self.functions.get(name)
            found = None
            if function is not None and function.kind == "function" and function.cls is None:
                found = Fn(function.qualname)
            self._values_cache[name] = found
        return found  # type: ignore[return-value]

    def method_value(self, cls: str, attr: str) -> Fn | None:
        """`obj.attr` where `attr` is a method of `cls` (not a property): the bound method
        as a value, its first parameter given (a static method's: none)."""
        key = f"{cls}:{attr}"
        found = self._values_cache.get(key, False)
        if found is False:
            method = self.method(cls, attr) if cls in self.classes else None
            found = None
            if method is not None and not any(d.endswith("property") for d in method.decorators):
                found = Fn(method.qualname, 0 if method.kind == "staticmethod" else 1)
            self._values_cache[key] = found
        return found  # type: ignore[return-value]

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
    call: CallSite,
    callee: FunctionSummary,
    constructor: bool,
    bound: bool = False,
    given: tuple[int, TVal] = (0, EMPTY),
) -> dict[int, TVal]:
    """What the call passes for each of the callee's parameters (by parameter index);
    `bound`: the callee's name went through an object (`Program.bound_names`); `given`:
    how many first parameters a function value has given already, and what it holds
    (a bound method's object, a `functools.partial`'s arguments)."""
    index = _param_index(callee)
    params = callee.params
    offset = receiver_offset(call, callee, constructor, bound)
    out: dict[int, TVal] = {}
    if offset and call.receiver is not None:
        out[0] = call.receiver
    shift, held = given
    if shift:
        for slot in range(offset, min(offset + shift, len(params))):
            if held:
                out[slot] = held
        offset += shift
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
        # what any code stores in a field of a class: what a reader that does not know
        # which object it reads may see
        self.field_store: dict[tuple[str, str], TVal] = {}
        # the same, stored by code that did not know which object it wrote (not by a
        # constructor call, nor on an object the writer built or its own `self` in a
        # closed method): all an object whose origin its reader knows can hold besides
        # what was stored on it where it was known
        self.escaped_field_store: dict[tuple[str, str], TVal] = {}
        self.global_store: dict[str, TVal] = {}
        self.callers: dict[str, set[str]] = defaultdict(set)
        self.field_readers: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.global_readers: dict[str, set[str]] = defaultdict(set)
        self._field_key_cache: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self._admin_cache: dict[str, str | None] = {}
        # (exception class, classes an `except` names) -> whether it catches it
        self.catch_cache: dict[tuple[str, tuple[str, ...]], bool] = {}
        self._factories: dict[str, bool] = {}
        self._index_dependencies()
        self.open_methods: set[str] = set()  # (worked out from call sites, not used for it)
        self.open_methods = self._open_methods()
        self._seed_framework_fields()

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
                    attrs = (label.attr, label.attr + label.key, label.attr + FIELD_REST)
                    for attr in attrs if label.key else attrs[:1]:
                        for key in self._field_keys(FieldRead(label.cls, attr)):
                            self.field_readers[key].add(function.qualname)
                elif isinstance(label, GlobalRead):
                    self.global_readers[self.program._canonical(label.name)].add(function.qualname)

    def _seed_framework_fields(self) -> None:
        """What a framework's handler base stores in `self` before any method runs
        (`self.request` of Tornado, `self.path` of http.server): request data, in every
        class of the tree that derives from such a base through a class of another module
        (phase 1 saw only its own module's bases)."""
        spec = spec_index()
        first: dict[str, FunctionSummary] = {}
        for function in self.program.functions.values():
            if function.cls is not None and (
                function.cls not in first or function.line < first[function.cls].line
            ):
                first[function.cls] = function
        for cls, bases in self.program.classes.items():
            if all(b in self.program.classes for b in bases):
                continue  # only where the framework's base is entered
            # the trace starts at the class's first method (or a subclass's: `class
            # BaseTool(BaseHTTPRequestHandler): pass`)
            located = next(
                (first[c] for c in (cls, *self.program._all_subclasses(cls)) if c in first), None
            )
            if located is None:
                continue
            handler = inherited_class_handler(spec, self.program.library_ancestors(cls))
            if handler is None:
                continue
            where = Location(located.path, located.line)
            short = cls.rpartition(".")[2]
            for attr in handler.self_sources:
                source = Src("http", f"{handler.description} data", where, "high", cls)
                note = f"self.{attr} of {short} ({source.description}, source)"
                self.field_store[(cls, attr)] = {source: Flow((TraceStep(where, note),), NO_KINDS)}

    def inherited_source(self, callees: tuple[str, ...]) -> Src | None:
        """`self.get_argument(...)` of a class whose framework base (a source's class) is
        inherited through a class of another module: the call's result is request data."""
        spec = spec_index()
        for name in callees:
            owner, _, method = self.program._canonical(name).rpartition(".")
            if owner not in self.program.classes:
                continue
            ancestors = self.program.library_ancestors(owner)
            handler = inherited_class_handler(spec, ancestors)
            known = next(
                (s for a in ancestors if (s := spec.call_sources.get(f"{a}.{method}"))), None
            )
            if known is not None and known.kind != CLI:  # the command line: `privilege.py`
                return Src(known.kind, known.description, Location("", 0), known.confidence)
            if handler is not None and method in handler.self_calls:
                return Src("http", handler.description, Location("", 0), "high")
        return None

    def _field_keys(self, label: FieldRead) -> tuple[tuple[str, str], ...]:
        """The store keys a read of the field may see: the field of the class, its bases
        and subclasses."""
        key = (label.cls, label.attr)
        found = self._field_key_cache.get(key)
        if found is None:
            classes = self.program.mro(label.cls) or (label.cls,)
            classes += self.program._all_subclasses(label.cls)
            found = self._field_key_cache[key] = tuple((cls, label.attr) for cls in classes)
        return found

    def _open_methods(self) -> set[str]:
        """Methods whose `self` may be an object no caller of the tree knows: a method
        the framework may call (no call of the tree reaches it, it is decorated, a special
        method, or a class outside the tree is among its bases), or one some call reaches
        on an object of unknown origin. Every other method is closed (see the module
        docstring)."""
        kinds: dict[str, set[str]] = defaultdict(set)
        for function in self.program.functions.values():
            context = _Resolution(self, function)
            for index, call in enumerate(function.calls):
                if call is None:
                    continue
                for callee, constructor in context.targets(index):
                    if callee.kind == "method":
                        kinds[callee.qualname].add(
                            context.receiver_kind(index, callee, constructor)
                        )
        out: set[str] = set()
        for function in self.program.functions.values():
            if function.kind == "classmethod":
                out.add(function.qualname)  # `cls.attr`: the class's, shared by all
            if function.kind != "method":
                continue
            name = function.qualname.rsplit(".", 1)[-1]
            seen = kinds.get(function.qualname)
            if (
                not seen
                or OTHER in seen
                or function.decorators
                or function.handler
                or (name.startswith("__") and name.endswith("__") and name not in _BUILDING)
                or (name not in _BUILDING and self._framework_class(function.cls))
            ):
                out.add(function.qualname)
        return out

    def returns_built(self, function: FunctionSummary) -> bool:
        """The function returns only an object it built with a constructor call of the
        tree's class (a factory)."""
        found = self._factories.get(function.qualname)
        if found is None:
            context = _Resolution(self, function)
            labels = [label for label in function.returns if type(label) is not ArgWrite]
            found = bool(labels) and all(
                type(label) is CallRet
                and label == CallRet(label.call)
                and context.built_class(label.call) is not None
                for label in labels
            )
            self._factories[function.qualname] = found
        return found

    def _framework_class(self, cls: str | None) -> bool:
        """A class with a base outside the tree that may call its methods itself."""
        if cls is None:
            return False
        return any(base not in _INERT_BASES for base in self.program.library_ancestors(cls))

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
            up = context.resolve(value, class_fields=False)
            if up:
                out.raises_up[cls] = up
        for index, kept in function.escapes.items():  # what callees raise goes on up
            for cls, value in context.escaping(index, kept).items():
                if value:
                    out.raises[cls] = join(out.raises.get(cls, EMPTY), value)
                    out.raises_up[cls] = join(out.raises_up.get(cls, EMPTY), value)
        for index, value in function.param_writes.items():
            resolved_value = context.resolve(value)
            if resolved_value:
                out.param_writes[index] = resolved_value
        for index, keys in function.param_key_writes.items():
            out.param_key_writes[index] = {k: context.resolve(v) for k, v in keys.items()}
        if function.return_parts is not None:
            out.ret_parts = tuple(map(context.resolve, function.return_parts))
        if function.return_keys is not None:
            out.ret_keys = {k: context.resolve(v) for k, v in function.return_keys.items()}
        self._named_fields(function, context, out)
        for event in function.sinks:
            if event.when and not any(map(self.program.receiver_holds, event.when)):
                continue  # a method of another type than the sink's
            value = {
                label: flow
                for label, flow in context.resolve(event.taint).items()
                if not is_cleared(flow, event.rule) and type(label) is not Fn
            }
            if value:
                key = (event.rule, event.location)
                other = out.sinks.get(key)  # another argument choice of the same call
                if other is not None:
                    event, value = other[0], join(other[1], value)
                out.sinks[key] = (event, value)
        touched: set[str] = set()
        own_writes = out.self_writes
        for (cls, attr, obj), value in function.field_writes.items():
            resolved_value = context.resolve(value)
            if obj == OWN_OBJECT:
                _merge(own_writes, attr, resolved_value)
                continue
            # on an object this function built: its constructor call knows it
            built = obj >= 0 and context.built_class(obj) is not None
            store = out.built_fields if built else out.fields
            self._store_field(store, (cls, attr), resolved_value, touched, built=built)
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
            direct = {c.qualname: k for c, k in context.targets(index)}
            for callee, constructor, resolved, arguments, step in self._entered(
                function, context, index, out
            ):
                offset = None
                if direct.get(callee.qualname) == constructor:
                    offset = receiver_offset(call, callee, constructor, context._bound(index))
                for key, (event, value) in resolved.sinks.items():
                    for label, flow in value.items():
                        if not isinstance(label, Param):
                            continue
                        if flow.cleared and not _reached(flow, call, callee, offset):
                            continue  # the path to the sink needs other parameters
                        for arg_label, arg_flow in arguments.of(label).items():
                            merged = _chain(arg_flow, step, flow)
                            if is_cleared(merged, event.rule):
                                continue
                            merged = _assuming(merged, call.assumed)
                            entry = out.sinks.setdefault(key, (event, {}))
                            _add(entry[1], arg_label, merged)
                for key, value in resolved.fields.items():
                    # a constructor's stores are on the object it builds
                    own = out.built_fields if constructor else out.fields
                    substituted = _substitute(value, arguments, step)
                    parts = _keyed_parts(value, arguments, step, key, resolved.fields)
                    self._store_field(own, key, substituted, touched, constructor, parts)
                for key, value in resolved.built_fields.items():
                    substituted = _substitute(value, arguments, step)
                    parts = _keyed_parts(value, arguments, step, key, resolved.built_fields)
                    self._store_field(out.built_fields, key, substituted, touched, True, parts)
                if resolved.self_writes and callee.cls is not None:
                    kind = context.receiver_kind(index, callee, constructor)
                    for attr, value in resolved.self_writes.items():
                        if kind == OTHER:
                            break  # an open method: it stored them itself
                        substituted = _substitute(value, arguments, step)
                        if kind == OWN:  # `self.helper()`: this function's own object
                            _merge(own_writes, attr, substituted)
                        else:  # on an object this function knows
                            key = (callee.cls, attr)
                            parts = _keyed_parts(value, arguments, step)
                            self._store_field(
                                out.built_fields, key, substituted, touched, True, parts
                            )
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
        if own_writes and function.cls is not None and function.qualname in self.open_methods:
            # `self` may be any object of the class: every reader of the field may see it
            for attr, value in own_writes.items():
                self._store_field(out.fields, (function.cls, attr), value, touched, built=False)
        # each `Arguments` holds its context, which holds it: left as it is, the cycle keeps
        # every memo of the function alive until a collection, and the review runs without
        # automatic ones (`pipeline._fewer_collections`): on nova, 680 000 objects, 90 MB
        context.args_memo.clear()
        _share_empty(out)
        return out, touched

    def _entered(
        self, function: FunctionSummary, context: _Resolution, index: int, out: Resolved
    ) -> Iterator[tuple[FunctionSummary, bool, Resolved, Arguments, TraceStep]]:
        """The functions call site `index` runs, each with what it gets: its callees, and
        the functions they call that the call gave them (`for_each(names, delete)` calling
        `callback(item)`), any depth down. A call of a function this one was given (a
        parameter's) is left to its callers, which know which (`Resolved.indirect`)."""
        call = function.calls[index]
        assert call is not None
        if call.func and not call.partial:
            passed = context.function_value(index)
            if any(type(label) is Param for label in passed):
                _pass_up(out, passed, context.site(index))
        pending: list[tuple[FunctionSummary, bool, Resolved, Arguments, TraceStep, int]] = []
        for callee, constructor in context.targets(index):
            resolved = self.resolved.get(callee.qualname)
            if resolved is not None and _reaches(resolved):
                arguments = context.arguments(index, callee, constructor)
                step = TraceStep(call.location, f"passed to {call.text}")
                pending.append((callee, constructor, resolved, arguments, step, 0))
        while pending:
            callee, constructor, resolved, arguments, step, depth = pending.pop()
            if (
                resolved.sinks
                or resolved.fields
                or resolved.built_fields
                or resolved.globals
                or resolved.self_writes
            ):
                yield callee, constructor, resolved, arguments, step
            if depth >= MAX_CALLBACK_DEPTH:
                continue
            for indirect in resolved.indirect.values():
                func = _substitute(indirect.func, arguments, step)
                site = _substituted(indirect.call, arguments, step)
                _pass_up(out, func, site)
                held = {label: flow for label, flow in func.items() if type(label) is not Fn}
                for label in func:
                    if type(label) is not Fn:
                        continue
                    for target, built in self.program.lookup(label.name):
                        self.callers[target.qualname].add(function.qualname)
                        done = self.resolved.get(target.qualname)
                        if done is None or not _reaches(done):
                            continue
                        given = (label.bound, held if label.bound else EMPTY)
                        passed = Arguments(None, bind(site, target, built, False, given), {})
                        into = TraceStep(site.location, f"passed to {site.text}")
                        pending.append((target, built, done, passed, into, depth + 1))

    def _named_fields(self, function: FunctionSummary, context: _Resolution, out: Resolved) -> None:
        """A function returning a named tuple (`return Meta(path, title)`, or what a callee
        returning one returned), maybe as an element of a tuple (`return meta, None`): its
        fields are returned apart, so that its callers' `meta.title` is the title alone
        (labels resolved, a field read of the whole would be every argument the tuple
        was built with)."""
        keys = out.ret_keys or {}
        if not any(k.startswith("[") for k in keys):
            rest = function.return_keys.get("", EMPTY) if function.return_keys else function.returns
            found = self._fields_apart(rest, keys, out.ret, function, context)
            if found is not None:
                out.ret_keys = found
        if function.return_parts is not None and out.ret_parts is not None:
            parts = tuple(
                self._fields_apart(value, {}, resolved, function, context)
                for value, resolved in zip(function.return_parts, out.ret_parts, strict=True)
            )
            if any(part is not None for part in parts):
                out.ret_part_keys = parts

    def _fields_apart(
        self,
        value: TVal,
        keys: dict[str, TVal],
        whole: TVal,
        function: FunctionSummary,
        context: _Resolution,
    ) -> dict[str, TVal] | None:
        """`keys` with the fields of the named tuples `value` (a function's own labels)
        holds added, each resolved; None when it holds none that `keys` lacks."""
        names: set[str] = set()
        for label in value:
            if type(label) is not CallRet or label.key:
                continue
            call = function.calls[label.call]
            if call is None:
                continue
            if label.part == -1:
                names.update(context._tuple_fields(call))
            for callee, constructor in context.targets(label.call):
                done = self.resolved.get(callee.qualname)
                if constructor or done is None:
                    continue
                returned = done.ret_keys
                if label.part != -1:
                    part_keys = done.ret_part_keys
                    returned = (
                        part_keys[label.part]
                        if part_keys is not None and 0 <= label.part < len(part_keys)
                        else None
                    )
                if returned:
                    names.update(k for k in returned if k and not k.startswith("["))
        missing = names - keys.keys()
        if not missing:
            return None
        found = dict(keys)
        for name in missing:
            found[name] = context.resolve(field_of(value, name))
        found.setdefault("", whole)
        return found

    def _store_field(
        self,
        own: dict,
        key: tuple[str, str],
        value: TVal,
        touched: set[str],
        built: bool,
        parts: dict[str, TVal] | None = None,
    ) -> None:
        """A field write; `built`: on an object the writer knows (see `escaped_field_store`).
        A write of a field whose name is not known (`setattr(self, name, v)`) stays with
        the object where it is known (`self_writes`): in the class's stores it would reach
        every field of every object of the class (a settings object filled from a form).
        `parts`: the dict (or list) stored, key by key, where the writer knows them: a read
        of one key (`self.settings["mode"]`) sees what was stored under it and what writes
        of unknown keys stored (`FIELD_REST`), not the other keys' data."""
        if not key[1]:
            return
        self._store(own, self.field_store, key, value, touched, self.field_readers)
        if not built:
            self._store({}, self.escaped_field_store, key, value, touched, self.field_readers)
        cls, attr = key
        if "[" in attr:
            own.setdefault(key, {})  # a callee's store of one key: the callers' too
            return
        if parts is None:  # the whole value: under any key; its parameters' callers split it
            where = (cls, attr + FIELD_REST)
            self._store({}, self.field_store, where, value, touched, self.field_readers)
            return
        for part, held in parts.items():
            where = (cls, attr + (part or FIELD_REST))
            self._store(own, self.field_store, where, held, touched, self.field_readers)
        own.setdefault((cls, attr + FIELD_REST), {})  # split: its callers see that it is

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
        # a function a module global holds (`ACTIONS = {"ping": ping}`) is stored as a source
        # is; not one a field holds: the store keeps what any object of the class holds,
        # and every registry (`signal.connect(receiver)`) would call every receiver
        kept = (Src, Fn) if store is self.global_store else Src
        sources = {label: flow for label, flow in value.items() if isinstance(label, kept)}
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
                if event.rule == "trust-boundary-violation":
                    trusted = self._trusted_session_key(event)
                    if trusted is None:
                        continue  # nothing reads that key as the server's
                    event = trusted
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

    def _trusted_session_key(self, event: SinkEvent) -> SinkEvent | None:
        """A session write whose key some code reads as trusted (a guard, a lookup, a
        sink: `sessions.trusted_reads`), its note naming that read; None when no code
        does, or the key cannot be told."""
        for pattern, where, code in self.program.trusted_session_reads:
            if sessions.matches(event.key, pattern):
                place = f"{where.path}:{where.line}"
                note = f"{event.note}, read as trusted at {place} ({code})"
                return replace(event, note=note)
        return None

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
    for old_keys, new_keys in zip(
        (old.ret_keys or {}, *(old.ret_part_keys or ())),
        (new.ret_keys or {}, *(new.ret_part_keys or ())),
        strict=False,
    ):
        old_keys, new_keys = old_keys or {}, new_keys or {}
        if old_keys.keys() != new_keys.keys() or any(
            _signature(old_keys[k]) != _signature(new_keys[k]) for k in new_keys
        ):
            return True
    if (old.ret_part_keys is None) != (new.ret_part_keys is None):
        return True
    if old.sinks.keys() != new.sinks.keys():
        return True
    if old.indirect.keys() != new.indirect.keys() or any(
        _indirect_signature(old.indirect[k]) != _indirect_signature(new.indirect[k])
        for k in new.indirect
    ):
        return True
    if any(_signature(old.sinks[k][1]) != _signature(new.sinks[k][1]) for k in new.sinks):
        return True
    for mine, theirs in (
        (old.raises, new.raises),
        (old.raises_up, new.raises_up),
        (old.param_writes, new.param_writes),
        (
            {(i, k): v for i, keys in old.param_key_writes.items() for k, v in keys.items()},
            {(i, k): v for i, keys in new.param_key_writes.items() for k, v in keys.items()},
        ),
        (old.fields, new.fields),
        (old.built_fields, new.built_fields),
        (old.self_writes, new.self_writes),
        (old.globals, new.globals),
    ):
        if mine.keys() != theirs.keys() or any(
            _signature(mine[k]) != _signature(theirs[k]) for k in theirs
        ):
            return True
    return False


def _indirect_signature(indirect: Indirect) -> tuple:
    call = indirect.call
    return (
        _signature(indirect.func),
        tuple(map(_signature, call.args)),
        tuple((k, _signature(v)) for k, v in call.kwargs),
        _signature(call.star),
    )


def _merge(out: dict[str, TVal], key: str, value: TVal) -> None:
    if value:
        out[key] = join(out.get(key, EMPTY), value)


def _inserted(
    trace: tuple[TraceStep, ...], step: TraceStep, where: Location | None = None
) -> tuple[TraceStep, ...]:
    """`trace` with `step` before the first step after `where` (the step's own place, or
    the call that made it) in its file (else at the end)."""
    where = where or step.location
    at = next(
        (
            i
            for i, s in enumerate(trace)
            if s.location.path == where.path and s.location.line > where.line
        ),
        len(trace),
    )
    return clip((*trace[:at], step, *trace[at:]))


def _chain(first: Flow, step: TraceStep | None, second: Flow) -> Flow:
    trace = first.trace + ((step,) if step else ()) + second.trace
    cleared = union(first.cleared, second.cleared)
    if OPENED in second.cleared or not _PASSES.isdisjoint(first.cleared):
        cleared = _opened(first.cleared, second.cleared)
    return Flow(clip(trace), cleared)


_PASSES = frozenset({NAMED, AS_IS})


def _opened(given: frozenset[str], callee: frozenset[str]) -> frozenset[str]:
    """What data a callee opened as a file on its parameter (`OPENED`) is safe for, given
    what the call passed there: a file name (`NAMED`), and the file's data is not the
    name's (`ARCHIVE_TEXT`); the caller's own parameter as passed (`AS_IS`), and its
    callers know. The marks of what was passed say nothing past the call."""
    cleared = (given - _PASSES) | (callee - {OPENED})
    if OPENED in callee:
        if NAMED in given:
            cleared |= ARCHIVE_TEXT
        elif AS_IS in given:
            cleared |= {OPENED}
    return cleared or NO_KINDS  # mostly empty: a parameter passed as it came (see NO_KINDS)


# the store of a field's dicts under the keys their writers did not track (and of a field
# written whole): `attr` + FIELD_REST; one key's is `attr` + `[key]` (`_store_field`)
FIELD_REST = "[*]"


class Arguments:
    """What a call passes for each of the callee's parameters: as a whole, and under a
    field or key (`param["note"]`, `self.title` of the object a method is called on): what
    the caller tracked under it, else what the argument's labels hold there (`field_of`)."""

    __slots__ = ("context", "keyed", "memo", "raw", "requests", "whole")

    def __init__(
        self,
        context: _Resolution | None,
        raw: dict[int, TVal],
        keyed: dict[int, dict[str, TVal]],
        requests: tuple[int, ...] = (),
    ):
        """`context` None: `raw` is resolved already (a function value's call, built
        from what its caller resolved). `requests`: the callee's parameters that read a
        request object themselves (`FunctionSummary.request_slots`)."""
        self.context = context
        self.raw = raw  # the caller's own labels, resolved on demand
        self.requests = requests
        self.whole = {
            s: self._own(s, v if context is None else context.resolve(v)) for s, v in raw.items()
        }
        self.keyed = keyed
        self.memo: dict[tuple[int, str], TVal] = {}

    def _own(self, slot: int, value: TVal) -> TVal:
        """A request passed whole to a parameter the callee reads as a request object: the
        callee reads its sources itself (and knows which attributes are the server's)."""
        if slot not in self.requests or not value:
            return value
        return {k: f for k, f in value.items() if WHOLE_REQUEST not in f.cleared}

    def of(self, label: Param) -> TVal:
        """The caller's data for a parameter label (under its key, if it has one)."""
        if not label.key:
            return self.whole.get(label.index, EMPTY)
        memo_key = (label.index, label.key)
        found = self.memo.get(memo_key)
        if found is None:
            self.memo[memo_key] = EMPTY  # a field read back while it is worked out
            keys = self.keyed.get(label.index)
            if keys is None or not _same_kind(keys, label.key):
                value = field_of(self.raw.get(label.index, EMPTY), label.key)
            elif label.key in keys:
                value = keys[label.key]
            else:
                value = field_of(keys.get("", EMPTY), label.key)
            if self.context is not None:
                value = self.context.resolve(value)
            found = self.memo[memo_key] = self._own(label.index, value)
        return found

    def rest(self, index: int) -> TVal:
        """What the caller's argument holds under keys it did not track."""
        value = self.keyed.get(index, {}).get("", EMPTY)
        return self.context.resolve(value) if self.context is not None else value


def _keyed_parts(
    value: TVal,
    arguments: Arguments,
    step: TraceStep,
    key: tuple[str, str] | None = None,
    stored: dict[tuple[str, str], TVal] | None = None,
) -> dict[str, TVal] | None:
    """A field stored from one parameter whose argument's dict keys (or list indexes) the
    caller tracked (`settings["mode"] = "r"`, then `Job(settings)`): what it holds under
    each key, and under any other (""). None: not known key by key; {}: the callee's
    `stored` fields hold it key by key already (their parameters are split there)."""
    if key is not None and stored is not None and (key[0], key[1] + FIELD_REST) in stored:
        return {}
    if len(value) != 1:
        return None
    label, flow = next(iter(value.items()))
    if type(label) is not Param or label.key:
        return None
    keys = arguments.keyed.get(label.index)
    if not keys or not all(k.startswith("[") for k in keys if k):
        return None
    parts = {k: _substitute({label._replace(key=k): flow}, arguments, step) for k in keys if k}
    rest: TVal = {}
    for arg_label, arg_flow in arguments.rest(label.index).items():
        _add(rest, arg_label, _chain(arg_flow, step, flow))
    parts[""] = rest
    return parts


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
        self.writes_memo: dict[tuple[int, int, str], TVal] = {}
        self.args_memo: dict[tuple[int, str], Arguments] = {}
        self.targets_memo: dict[int, list[tuple[FunctionSummary, bool]]] = {}
        self.func_memo: dict[int, TVal] = {}
        # (call site, callee) -> how many first parameters the function value called gave
        self.given: dict[tuple[int, str], int] = {}
        self.active: set[tuple] = set()
        # the parameter that holds the object a method runs on
        self.own = function.params[0] if function.kind == "method" and function.params else None
        # a closed method (see the module docstring): its `self.attr` stays a parameter
        self.closed = self.own is not None and function.qualname not in solver.open_methods

    def targets(self, index: int) -> list[tuple[FunctionSummary, bool]]:
        """What call site `index` may run: the functions its names resolve to, or, for a
        call by value, those the value called holds (`Fn`, which makes this function
        one of their callers from now on)."""
        found = self.targets_memo.get(index)
        if found is not None:
            return found
        call = self.function.calls[index]
        out: list[tuple[FunctionSummary, bool]] = []
        if call is None:
            return out  # carried nothing, and its result was not used
        for name in call.callees:
            out.extend(self.program.lookup(name))
        if call.func and not call.partial:
            callers = self.solver.callers
            for label in self.function_value(index):
                if type(label) is Fn:
                    for callee, constructor in self.program.lookup(label.name):
                        out.append((callee, constructor))
                        self.given.setdefault((index, callee.qualname), label.bound)
                        callers[callee.qualname].add(self.function.qualname)
        self.targets_memo[index] = out
        return out

    def function_value(self, index: int) -> TVal:
        """The value call site `index` calls (a call by value), in this function's terms."""
        found = self.func_memo.get(index)
        if found is None:
            self.func_memo[index] = EMPTY  # a value that is its own call's result: none
            found = self.func_memo[index] = self.resolve(self.function.calls[index].func or EMPTY)
        return found

    def site(self, index: int) -> CallSite:
        """Call site `index` with its arguments in this function's own terms."""
        call = self.function.calls[index]
        assert call is not None
        return CallSite(
            callees=(),
            args=tuple(self.resolve(value) for value in call.args),
            kwargs=tuple((k, self.resolve(v)) for k, v in call.kwargs),
            star=self.resolve(call.star),
            receiver=None,
            bound=False,
            location=call.location,
            text=call.text,
        )

    def held(self, index: int) -> TVal:
        """What the value call site `index` calls holds besides functions (what a
        `functools.partial` was given: its first parameters)."""
        value = self.function_value(index)
        return {label: flow for label, flow in value.items() if type(label) is not Fn}

    def arguments(self, index: int, callee: FunctionSummary, constructor: bool) -> Arguments:
        key = (index, callee.qualname)
        cached = self.args_memo.get(key)
        if cached is None:
            call = self.function.calls[index]
            bound = self._bound(index)
            shift = self.given.get(key, 0)
            held = self.held(index) if shift else EMPTY
            raw = bind(call, callee, constructor, bound, (shift, held))
            offset = receiver_offset(call, callee, constructor, bound) + shift
            if call.passes:
                _mark_passed(raw, call, callee, offset)
            keyed = {
                position + offset: keys
                for position, keys in enumerate(call.arg_keys)
                if keys is not None
            }
            if offset and not constructor:
                if self.own is not None and _super_call(call):
                    raw[0] = {Param(0, self.own): NO_FLOW}  # `super().m()`: on `self`
                if call.receiver_keys is not None:
                    keyed[0] = call.receiver_keys
            cached = self.args_memo[key] = Arguments(self, raw, keyed, callee.request_slots)
        return cached

    def resolve(self, value: TVal, class_fields: bool = True) -> TVal:
        """A value in the function's own terms: its parameters and sources; without
        `class_fields`, without what fields of objects not built here may hold (`self.name`
        in a method: what any object of the class holds), also in what it builds with them
        (`Error(f"{self.name} ...")`)."""
        if not value:
            return EMPTY
        out: TVal = {}
        for label, flow in value.items():
            if flow.cleared and self._conditional(flow.cleared):
                flow = self.settle(flow)
            if isinstance(label, (Src, Fn)):
                _add(out, label, flow)
            elif isinstance(label, Param):
                if label.key and label.index == 0 and label.name == self.own and not self.closed:
                    # a field of `self` in an open method: any object's of the class
                    for inner, inner_flow in self.own_field(label.key).items():
                        _add(out, inner, _chain(inner_flow, None, flow))
                else:
                    _add(out, label, flow)
            elif isinstance(label, CallRet):
                result = self.call_result(label.call, label.part, label.key, class_fields)
                for inner, inner_flow in result.items():
                    _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, CallRaise):
                raised = self.call_raises(label.call, label.catches, label.caught)
                for inner, inner_flow in raised.items():
                    _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, ArgWrite):
                within = "" if label.key == "*" else label.key
                written = self.arg_write(label.call, label.arg, within)
                for inner, inner_flow in written.items():
                    _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, FieldRead):
                method = self.program.method_value(label.cls, label.attr)
                if method is not None:  # `self.run` given as a callback: the bound method
                    _add(out, method, flow)
                if not class_fields and label.built_at < 0:
                    continue
                for inner, inner_flow in self.field_read(label).items():
                    _add(out, inner, _chain(inner_flow, None, flow))
            elif isinstance(label, GlobalRead):
                name = self.program._canonical(label.name)
                for inner, inner_flow in self.solver.global_store.get(name, EMPTY).items():
                    _add(out, inner, _chain(inner_flow, None, flow))
                function = self.program.function_value(name)
                if function is not None:  # an imported function given as a value
                    _add(out, function, flow)
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
            elif kind.startswith(ANSWER):
                if service_client(self.program.type_of(kind[len(ANSWER) :])):
                    cleared.add("*")  # another service's answer (`conditions.service_client`)
            elif kind.startswith(MAC):
                call, position = map(int, kind[len(MAC) :].split(":"))
                if self._signs(call, position):
                    cleared.add("*")  # equal to the client's MAC of it: the server signed it
            elif kind.startswith(EXTENSION):
                step = self._cleaning_extension(int(kind[len(EXTENSION) :]))
                if step is not None:
                    cleared.add("xss")
                    trace = _inserted(trace, step)
            elif kind.startswith(VERDICT):
                call, position, truth = map(int, kind[len(VERDICT) :].split(":"))
                proven = self._verdict(call, position, bool(truth))
                cleared |= proven
                if any(k.startswith(WEAK) for k in proven):
                    trace = self._with_failing_check(trace, call, position, bool(truth))
            else:
                cleared.add(kind)
        return Flow(trace, frozenset(cleared) if cleared else NO_KINDS)

    def _with_failing_check(
        self, trace: tuple[TraceStep, ...], index: int, position: int, truth: bool | None = None
    ):
        """`trace` with the step of the check that does not protect the data, made in the
        validator call site `index` called (`truth`: on the branch where its verdict was
        that), where that call comes in the trace."""
        call = self.function.calls[index]
        for callee, constructor in self.targets(index):
            slot = position + receiver_offset(call, callee, constructor, self._bound(index))
            step = (
                callee.failing_checks.get(slot)
                if truth is None
                else callee.verdict_checks.get((slot, truth))
            )
            if step is None:
                continue
            return _inserted(trace, step, call.location)
        return trace

    def _cleaning_extension(self, index: int) -> TraceStep | None:
        """The step of call site `index` when it builds a Markdown extension that cleans
        the HTML rendered with it (None: it does not)."""
        cls = self.built_class(index)
        postprocessor = self.program.cleaning_postprocessor(cls) if cls is not None else None
        if postprocessor is None:
            return None
        call = self.function.calls[index]
        note = f"{call.text}: its {_short(postprocessor)} cleans the HTML Markdown renders"
        return TraceStep(call.location, f"{note} (sanitizer)")

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

    def _signs(self, index: int, position: int) -> bool:
        """Whether every callee of call site `index` returns a keyed MAC of its positional
        argument `position` (`summary.signs`)."""
        call = self.function.calls[index]
        targets = self.targets(index)
        return bool(targets) and all(
            callee.signs is not None
            and callee.signs == position + receiver_offset(call, callee, constructor,
                                                           self._bound(index))
            for callee, constructor in targets
        )  # fmt: skip

    def _verdict(self, index: int, position: int, truth: bool) -> frozenset[str]:
        """What every callee of call site `index` proves of its positional argument
        `position` whenever it returns a value of that truth."""
        call = self.function.calls[index]
        found: frozenset[str] | None = None
        for callee, constructor in self.targets(index):
            slot = position + receiver_offset(call, callee, constructor, self._bound(index))
            sides = callee.verdicts.get(slot)
            kinds = sides[0 if truth else 1] if sides is not None else frozenset()
            found = kinds if found is None else meet(found, kinds)
        return found or frozenset()

    def field_read(self, label: FieldRead) -> TVal:
        """What a field read holds: of `self`, see `own_field`; of an object this function
        built (or a factory it called built), what code that lost track of it stored (what
        was stored where it was known comes with the object's `CallRet`); of any other
        object, what any code stored."""
        if label.built_at == OWN_OBJECT:
            if self.closed and label.cls == self.function.cls:
                return {Param(0, self.own, key=label.attr): NO_FLOW}  # type: ignore[arg-type]
            return self._read_field(label)
        if label.built_at >= 0 and (
            self.built_class(label.built_at) is not None or self._returns_built(label.built_at)
        ):
            return self.read_store(self.solver.escaped_field_store, label.cls, label.attr)
        return self._read_field(label)

    def _read_field(self, label: FieldRead) -> TVal:
        """The class's store of the field, or of one key of it (`self.settings["mode"]`):
        what was stored under that key and what writes of unknown keys stored."""
        store = self.solver.field_store
        if not label.key:
            return self.read_store(store, label.cls, label.attr)
        return join(
            self.read_store(store, label.cls, label.attr + label.key),
            self.read_store(store, label.cls, label.attr + FIELD_REST),
        )

    def own_field(self, attr: str) -> TVal:
        """Field `attr` of `self` in an open method: what any code stores there."""
        cls = self.function.cls
        return self.read_store(self.solver.field_store, cls, attr) if cls else EMPTY

    def read_store(self, store: dict[tuple[str, str], TVal], cls: str, attr: str) -> TVal:
        """What `store` holds for the field, registering this function as its reader."""
        out: TVal = {}
        readers = self.solver.field_readers
        for key in self.solver._field_keys(FieldRead(cls, attr)):
            readers[key].add(self.function.qualname)
            for label, flow in store.get(key, EMPTY).items():
                _add(out, label, flow)
        return out

    def _bound(self, index: int) -> bool:
        """Call site `index` names its callee through a module-level object."""
        return any(name in self.program.bound_names for name in self.function.calls[index].callees)

    def receiver_kind(self, index: int, callee: FunctionSummary, constructor: bool) -> str:
        """Which object method `callee` runs on at call site `index`: one this call
        builds or this function built (`BUILT`), this method's own `self` (`OWN`), or
        another (`OTHER`: a parameter's, a field's, what a call returned...)."""
        if constructor:
            return BUILT
        call = self.function.calls[index]
        if _super_call(call):
            return OWN if self.own is not None else OTHER
        if receiver_offset(call, callee, constructor, self._bound(index)):
            value = call.receiver
        else:
            value = call.args[0] if call.args else None  # `Base.method(self, ...)`
        return self._object_kind(value or EMPTY, 0)

    def _object_kind(self, value: TVal, depth: int) -> str:
        """`BUILT`, `OWN` or `OTHER` for the object a value is (see `receiver_kind`)."""
        labels = [label for label in value if type(label) is not ArgWrite]
        if len(labels) != 1:
            return OTHER
        label = labels[0]
        if type(label) is Param and label == Param(0, self.own or ""):
            return OWN
        if type(label) is CallRet and label == CallRet(label.call):  # type: ignore[union-attr]
            call = label.call  # type: ignore[union-attr]
            if self.built_class(call) is not None or self._returns_built(call):
                return BUILT
            if depth < 4 and self._returns_receiver(call):  # `Builder(x).arg(y)`
                receiver = self.function.calls[call].receiver  # type: ignore[union-attr]
                return self._object_kind(receiver or EMPTY, depth + 1)
        return OTHER

    def _returns_built(self, index: int) -> bool:
        """Every function call site `index` runs returns an object it built itself (a
        factory: `return Client(url)`), a new one each call."""
        targets = self.targets(index)
        return bool(targets) and all(
            not constructor and self.solver.returns_built(callee) for callee, constructor in targets
        )

    def _returns_receiver(self, index: int) -> bool:
        """Every function call site `index` runs is a method returning `self` only."""
        call = self.function.calls[index]
        if call is None or not call.bound:
            return False
        targets = self.targets(index)
        return bool(targets) and all(
            not constructor
            and callee.kind == "method"
            and callee.params
            and set(callee.returns) == {Param(0, callee.params[0])}
            for callee, constructor in targets
        )

    def built_class(self, index: int) -> str | None:
        """The tree's class call site `index` builds an object of (None: it may run
        anything else)."""
        call = self.function.calls[index]
        if call is None or not call.callees:
            return None
        classes = {self.program._canonical(name) for name in call.callees}
        if len(classes) != 1:
            return None
        (cls,) = classes
        return cls if cls in self.program.classes else None

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

    def call_raises(self, index: int, catches: tuple[str, ...], kept: tuple[str, ...] = ()) -> TVal:
        """What the exceptions of classes `catches` names (all, if empty), but not of
        classes `kept`, that call site `index`'s callees raise carry."""

        def caught(callee: FunctionSummary, constructor: bool, resolved: Resolved) -> list[TVal]:
            return [
                v
                for cls, v in resolved.raises.items()
                if self._catches(cls, catches) and not (kept and self._keeps(cls, kept))
            ]

        return self._from_callees(index, "raised by", caught)

    def escaping(self, index: int, kept: tuple[str, ...]) -> dict[str, TVal]:
        """What call site `index`'s callees raise, by class, but the classes `kept`
        (handlers around the call keep them): what leaves the function through the call."""
        call = self.function.calls[index]
        out: dict[str, TVal] = {}
        for callee, constructor in self.targets(index):
            resolved = self.solver.resolved.get(callee.qualname)
            if resolved is None or not resolved.raises_up:
                continue
            arguments = self.arguments(index, callee, constructor)
            step = TraceStep(call.location, f"passed to {call.text}")
            for cls, value in resolved.raises_up.items():
                if kept and self._keeps(cls, kept):
                    continue
                into = out.setdefault(cls, {})
                for label, flow in _substitute(value, arguments, step).items():
                    _add(into, label, flow)
        return out

    def _catches(self, cls: str, catches: tuple[str, ...]) -> bool:
        """Whether `except <catches>` catches a `cls`: by the tree's class hierarchy and,
        for library classes, by name."""
        if not catches or not cls:
            return True
        cache = self.solver.catch_cache
        found = cache.get((cls, catches))
        if found is None:
            program = self.program
            names = {cls, *program.mro(cls), *program.library_ancestors(cls)}
            found = may_catch({program._canonical(c) for c in catches}, names)
            cache[(cls, catches)] = found
        return found

    def _keeps(self, cls: str, kept: tuple[str, ...]) -> bool:
        """Whether handlers naming `kept` keep a `cls` from going on: a class not known
        goes on (it may be of any class)."""
        return bool(cls) and self._catches(cls, kept)

    def arg_write(self, index: int, position: int, key: str = "") -> TVal:
        """What call site `index` put into the object passed as positional argument
        `position` (each callee's `param_writes` for the parameter it lands on), or into
        the object it is called on (`RECEIVER`: the callees' `self_writes`, of field `key`
        or of any)."""
        memo_key = (index, position, key)
        if memo_key in self.writes_memo:
            return self.writes_memo[memo_key]
        active = ("write", index, position, key)
        if active in self.active:
            return EMPTY
        self.active.add(active)
        call, bound = self.function.calls[index], self._bound(index)

        def written(callee: FunctionSummary, constructor: bool, resolved: Resolved) -> list[TVal]:
            if position == RECEIVER:
                writes = resolved.self_writes
                if key:
                    return [writes.get(key, EMPTY), writes.get("", EMPTY)]
                return list(writes.values())
            slot = position + receiver_offset(call, callee, constructor, bound)
            values = [resolved.param_writes.get(slot, EMPTY)]
            keys = resolved.param_key_writes.get(slot, {})
            # what it wrote under constant keys (`ctx["user"] = x`): the one read, or all
            values += [keys.get(key, EMPTY)] if key else keys.values()
            return [value for value in values if value]

        out = self._from_callees(index, "filled by", written)
        self.active.discard(active)
        self.writes_memo[memo_key] = out
        return out

    def _partial(self, index: int) -> TVal:
        """`functools.partial(f, a, b)`: `f` with two more parameters given, holding what
        `a` and `b` (and what `f` held) hold."""
        call = self.function.calls[index]
        out: TVal = {}
        for label, flow in self.function_value(index).items():
            if type(label) is Fn:
                _add(out, label._replace(bound=label.bound + len(call.args)), flow)
            else:
                _add(out, label, flow)
        step = TraceStep(call.location, call.text)
        for value in _inputs_of(call):
            for label, flow in self.resolve(value).items():
                _add(out, label, _chain(flow, step, NO_FLOW))
        return out

    def _tuple_fields(self, call: CallSite) -> tuple[str, ...]:
        """The fields of the named tuple type a call builds, if it calls one of the tree."""
        for name in call.callees:
            fields = self.program.named_tuples.get(self.program._canonical(name))
            if fields:
                return fields
        return ()

    def call_result(
        self, index: int, part: int = -1, within: str = "", class_fields: bool = True
    ) -> TVal:
        """What call site `index` returns (element `part` of it, for `a, b = f()`; what
        it holds under key `within`, for `f()["name"]`, `f().path`, and for the object a
        constructor call built, what the constructor stored in field `within`);
        `class_fields`: see `resolve`."""
        key = (index, part, within) if class_fields else (index, part, within + "\0")
        if key in self.memo:
            return self.memo[key]
        active = ("result", index, part, within)
        if active in self.active:
            return EMPTY  # a call whose argument is its own result: cannot happen, but be safe
        self.active.add(active)
        call = self.function.calls[index]
        if call.partial:
            out = self._partial(index)
            self.active.discard(active)
            self.memo[key] = out
            return out
        targets = self.targets(index)
        out: TVal = {}
        built = None
        if within and part == -1 and not within.startswith("["):
            built = self.built_class(index)
        keyword = next((value for name, value in call.kwargs if name == within), None)
        if built is not None and not self.solver._framework_class(built):
            # the object this call built: what its constructor stored in the field, and
            # what code that lost track of the object did
            out = self._from_callees(index, "built by", _stored_in(within)) if targets else {}
            escaped = self.read_store(self.solver.escaped_field_store, built, within)
            for label, flow in escaped.items():
                _add(out, label, flow)
        elif built is not None and keyword is not None:
            # `Book(title=x)` of a class whose base is outside the tree: its field of
            # that name holds the keyword's value (the rest may fill any other field)
            step = TraceStep(call.location, call.text)
            for value in (keyword, call.star):
                for label, flow in self.resolve(value).items():
                    _add(out, label, _chain(flow, step, NO_FLOW))
        elif within and part == -1 and not targets and (fields := self._tuple_fields(call)):
            # `Meta(path, title).title` of a named tuple type of the tree: that argument's
            step = TraceStep(call.location, call.text)
            position = fields.index(within) if within in fields else len(fields)
            given = call.args[position] if position < len(call.args) else keyword
            for value in (given or EMPTY, call.star):
                for label, flow in self.resolve(value, class_fields).items():
                    _add(out, label, _chain(flow, step, NO_FLOW))
        elif not targets or all(constructor for _, constructor in targets):
            # not a function of the reviewed tree (or an object built from the arguments;
            # a class outside the tree may store them anywhere): the result carries
            # whatever went in; an object of the tree's is not one of the functions it was
            # given, but calling it runs its class's `__call__`
            step = TraceStep(call.location, call.text)
            built = bool(targets)
            inherited = None if targets else self.solver.inherited_source(call.callees)
            if inherited is not None:  # `self.get_argument("q")` of a handler base's
                where = call.location
                source = inherited._replace(location=where, function=self.function.qualname)
                note = f"{call.text} ({source.description}, source)"
                _add(out, source, Flow((TraceStep(where, note),), NO_KINDS))
            for value in (
                call.receiver or EMPTY,
                *(call.args[1:] if call.key_lookup else call.args),
                *(v for _, v in call.kwargs),
                call.star,
            ):
                for label, flow in self.resolve(value, class_fields).items():
                    if not (built and type(label) is Fn) and WHOLE_REQUEST not in flow.cleared:
                        _add(out, label, _chain(flow, step, NO_FLOW))
            names = [*call.callees, *(f.name for f in self.function_value(index) if type(f) is Fn)]
            for name in names if built else ():
                cls = self.program._canonical(name)
                if cls in self.program.classes:
                    method = self.program.method_value(cls, "__call__")
                    if method is not None:
                        _add(out, method, NO_FLOW)
        for callee, constructor in targets:
            if constructor:
                continue
            resolved = self.solver.resolved.get(callee.qualname)
            if resolved is None:
                continue
            arguments = self.arguments(index, callee, constructor)
            step = TraceStep(call.location, f"passed to {call.text}")
            returned = _returned_part(callee, resolved, part, within)
            for label, flow in returned.items():
                if isinstance(label, Param):
                    for arg_label, arg_flow in arguments.of(label).items():
                        _add(out, arg_label, _chain(arg_flow, step, flow))
                else:
                    _add(out, label, flow)
        self.active.discard(active)
        self.memo[key] = out
        return out


def _inputs_of(call: CallSite) -> list[TVal]:
    """What a call passes: its arguments (not the value it calls)."""
    return [*call.args, *(v for _, v in call.kwargs), call.star]


def _stored_in(attr: str) -> Callable[[FunctionSummary, bool, Resolved], list[TVal]]:
    """For `_from_callees`: what a method stores in field `attr` of its object."""

    def stored(callee: FunctionSummary, constructor: bool, resolved: Resolved) -> list[TVal]:
        writes = resolved.self_writes
        return [writes.get(attr, EMPTY), writes.get("", EMPTY)]

    return stored


def _same_kind(keys: dict[str, TVal], key: str) -> bool:
    """Whether `key` is of the kind the tracked `keys` are: an item (`[note]`, `[#0]`) of
    a dict, list or tuple, or a field of an object. A field read of what holds items (the
    elements of a returned list, iterated) is no lookup of one of them: that value is
    derived from the container, and holds what any of its items does."""
    item = key.startswith("[")
    return all(not k or k.startswith("[") == item for k in keys)


def _super_call(call: CallSite) -> bool:
    return any(name.startswith("super:") for name in call.callees)


def _mark_passed(
    raw: dict[int, TVal], call: CallSite, callee: FunctionSummary, offset: int
) -> None:
    """Put on each argument's flows what it is (`CallSite.passes`: a file name, the caller's
    parameter as passed), for the callee's data opened on it (`_opened`)."""
    index = _param_index(callee)
    for given, mark in call.passes:
        if isinstance(given, int):
            slot = given + offset if given + offset < len(callee.params) else None
        else:
            slot = index.get(given) if given not in (callee.vararg, callee.kwarg) else None
        if slot is not None and slot in raw:
            raw[slot] = extend(raw[slot], clears=frozenset({mark}))


def _reached(flow: Flow, call: CallSite, callee: FunctionSummary, offset: int | None) -> bool:
    """Whether a callee's path to a sink (its `ASSUMES` marks on the data) may be taken when
    called at `call`: not when the call passes a constant, or leaves out a parameter whose
    default is one, that the path's test rules out (`gdrive=True` for `if not gdrive:`).
    `offset`: see `receiver_offset` (None: the callee is not called there directly)."""
    if offset is None:
        return True
    names = [*callee.params, *callee.kwonly]
    for mark in flow.cleared:
        if not mark.startswith(ASSUMES):
            continue
        slot, kind = mark[len(ASSUMES) :].split(":")
        index = int(slot)
        if index >= len(names):
            continue
        position = index - offset if index < len(callee.params) else -1
        value = _passed_constant(call, position, names[index], callee, index)
        if value is not _UNKNOWN and not _ASSUMPTIONS[kind](value):
            return False
    return True


_UNKNOWN = object()
_ASSUMPTIONS: dict[str, Callable[[object], bool]] = {
    "truthy": bool,
    "falsy": lambda value: not value,
    "none": lambda value: value is None,
    "set": lambda value: value is not None,
}


def _passed_constant(
    call: CallSite, position: int, name: str, callee: FunctionSummary, index: int
) -> object:
    """The constant `call` passes for a parameter (by position or name, else its default
    when the call leaves it out), or `_UNKNOWN`."""
    for key, value in call.consts:
        if key in (position, name):
            return value
    given = 0 <= position < len(call.args) or any(k == name for k, _ in call.kwargs)
    if given or call.star:
        return _UNKNOWN
    return next((value for slot, value in callee.defaults if slot == index), _UNKNOWN)


def _assuming(flow: Flow, assumed: frozenset[str]) -> Flow:
    """A callee's flow seen at a call: its marks about the callee's parameters settled
    (`_reached`) and dropped, the call's own path's marks (the caller's) put on."""
    if not any(kind.startswith(ASSUMES) for kind in flow.cleared) and not assumed:
        return flow
    kept = frozenset(kind for kind in flow.cleared if not kind.startswith(ASSUMES))
    return Flow(flow.trace, kept | assumed)


def _returned_part(callee: FunctionSummary, resolved: Resolved, part: int, within: str) -> TVal:
    """What a callee returns as a whole, as element `part` of a tuple (under a key, when
    the element's keys are returned apart), or under a key."""
    parts = resolved.ret_parts
    if parts is not None and 0 <= part < len(parts):
        part_keys = resolved.ret_part_keys
        keys = part_keys[part] if within and part_keys is not None else None
        if keys is not None and _same_kind(keys, within):
            return keys.get(within, keys.get("", EMPTY))
        return parts[part]  # the element unpacked, not the whole tuple
    if part != -1:
        return resolved.ret  # an element of what is not returned element by element
    if within:
        keys = resolved.ret_keys
        if keys is not None and _same_kind(keys, within):
            return keys.get(within, keys.get("", EMPTY))
        if parts is not None and within.startswith("[#"):
            index = int(within[2:-1])
            if -len(parts) <= index < len(parts):
                return parts[index]
        if not within.startswith("["):
            return _returned_field(callee, resolved, within)
    return resolved.ret


def _returned_field(callee: FunctionSummary, resolved: Resolved, attr: str) -> TVal:
    """Field `attr` of what a callee returns: of a parameter's object it returns (`return
    self` of a builder), that object's field with what the callee stored there."""
    out = field_of(resolved.ret, attr)
    for label in resolved.ret:
        if type(label) is not Param or label.key:
            continue
        if label.index == 0 and callee.kind == "method":
            stored = [resolved.self_writes.get(attr, EMPTY), resolved.self_writes.get("", EMPTY)]
        else:
            stored = [resolved.param_writes.get(label.index, EMPTY)]
        out = join(out, *stored)
    return out


def solve_program(modules: list[ModuleSummary]) -> list[Flowpath]:
    solver = Solver(Program(modules))
    solver.run()
    return solver.flows()


__all__ = ["Flowpath", "Program", "Solver", "solve_program"]
