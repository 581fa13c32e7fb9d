"""Per-function taint summaries: the small, picklable data the per-file phase hands on.

A taint value maps *labels* (where the data may come from) to a `Flow`: the trace that
led here inside this function and the sink kinds it was sanitized for. Labels are
- `Src`: attacker data read here (a request field, argv, …);
- `Param`: whatever the caller passes as that parameter;
- `CallRet`: the result of call site N, known only when the callee is resolved;
- `FieldRead` / `GlobalRead`: an instance field or module global written elsewhere;
- `Fn`: not data but a function of the tree, held as a value until it is called.
The whole-program phase replaces the symbolic ones by what they stand for.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cache
from typing import NamedTuple, NoReturn

from secreview._mypyc import mypyc_attr
from secreview.model import Location, TraceStep
from secreview.python.taint.spec import spec_index

Trace = tuple[TraceStep, ...]
MAX_TRACE = 24  # longer paths keep their first and last steps


class Src(NamedTuple):
    kind: str
    description: str
    location: Location
    confidence: str
    function: str = ""  # the qualified name of the function that reads it


class Param(NamedTuple):
    index: int  # type: ignore[assignment]
    name: str
    # what the argument holds under one key: `[note]` of a dict, `[#0]` of a list or tuple,
    # `icon_url` of an object built with that keyword ("" : the whole argument)
    key: str = ""


class CallRet(NamedTuple):
    call: int
    part: int = -1  # `a, b = f()`: element `part` of what call site `call` returns
    # `f()["note"]`, `f().icon_url`: what the result holds under one key (of an object a
    # constructor call built: what the constructor stored in that field)
    key: str = ""


# `ArgWrite.arg` of the object a method is called on (`ctx.set(k, v)` storing into `ctx`)
RECEIVER = -1


class ArgWrite(NamedTuple):
    """What call site `call` put into the list, dict or object passed as its positional
    argument `arg` (`add_filter(clauses, x)` appending to `clauses`), or into the object it
    is called on (`arg` is `RECEIVER`: `ctx.set("theme", x)` storing into a field of `ctx`);
    under one key only: a field of the receiver, a constant key of a positional argument's
    dict (`ctx["user"] = x` in the callee), "" for anything it put in."""

    call: int
    arg: int
    key: str = ""


class CallRaise(NamedTuple):
    """What the exceptions call site `call` raises carry (`raise Invalid(f"{x} ...")` in
    the callee, or deeper down), for an `except ... as error` around the call that catches
    `catches` (qualified class names; empty: every exception) and is not reached by the
    classes `caught`, which a handler nearer the call keeps (an inner `try`)."""

    call: int
    catches: tuple[str, ...] = ()
    caught: tuple[str, ...] = ()


# `FieldRead.built_at` (and the object of a `FunctionSummary.field_writes` key): an object
# of unknown origin, and the object the method runs on (`self`)
UNKNOWN_OBJECT = -1
OWN_OBJECT = -2


class FieldRead(NamedTuple):
    """Field `attr` of an object of the tree's class `cls`, as what code stores there
    makes it (the whole-program phase's field stores)."""

    cls: str
    attr: str
    # which object: the call site of this function that built it (`e = Error(...)`, then
    # `e.message`: it holds what code that lost track of it stored, its own constructor's
    # stores are `CallRet(call, key=attr)`), `OWN_OBJECT` (`self.attr` in a method: the
    # caller's object's field where every caller knows the object) or `UNKNOWN_OBJECT`
    built_at: int = UNKNOWN_OBJECT
    # `self.settings["mode"]`: what the field holds under one dict key or list index of the
    # dicts stored there (`[mode]`, `[#0]`); phase 2 keeps them apart where the stores'
    # keys are known (`solve.FIELD_REST`), else the whole field
    key: str = ""


class GlobalRead(NamedTuple):
    name: str


class Fn(NamedTuple):
    """Not data: the function (or class) `name` of the tree as a value, whose first
    `bound` parameters are given already (a bound method's `self`, the arguments of a
    `functools.partial`). Carried like data to where it is called (`callback(item)`,
    `ACTIONS[key](host)`), where phase 2 makes it the call's callee."""

    name: str
    bound: int = 0


Label = Src | Param | CallRet | ArgWrite | CallRaise | FieldRead | GlobalRead | Fn


class Flow(NamedTuple):
    trace: Trace
    cleared: frozenset[str]  # sink kinds (rule ids, or "*") this data is safe for


TVal = dict[Label, Flow]  # treated as immutable once built
EMPTY: TVal = {}
# Python has no empty frozenset singleton: each `frozenset()`, and each union with an empty
# one, is a new 216-byte object. A summary holds tens of thousands of flows safe for
# nothing (60 000 on nova), so they share these, as unions that add nothing share a side.
NO_KINDS: frozenset[str] = frozenset()
NO_FLOW = Flow((), NO_KINDS)


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise TypeError("a finished summary is read-only")


@mypyc_attr(native_class=False)  # a dict subclass: a Python class in the compiled build
class _Unwritten(dict):  # type: ignore[type-arg]
    """The one empty mapping a finished summary's unwritten dict fields share. A summary
    has eleven dict fields and most stay empty: 270 000 empty dicts, 17 MB, in the parent
    of a review of neutron with its tests, where every module's summaries are held at
    once. It refuses writes (a finished summary is read-only) and unpickles as the
    process's own instance, so the parent keeps one, not one a module."""

    __slots__ = ()
    __setitem__ = _refuse
    __delitem__ = _refuse
    setdefault = _refuse
    update = _refuse
    pop = _refuse
    popitem = _refuse
    clear = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_unwritten, ())


def _unwritten() -> _Unwritten:
    return UNWRITTEN


UNWRITTEN = _Unwritten()


def union(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """`a | b`, as one of them when the other adds nothing (see `NO_KINDS`)."""
    if not b:
        return a
    return a | b if a else b


# `Flow.cleared` holds WEAK + kind when every path the data took to here passed a check for
# that sink kind that does not protect it (`p.startswith(BASE)` before a path sink): the
# check is a step of the trace (`TraceStep.check`), reported by its own rule. As the kinds
# beside it, it meets away when a path without such a check joins.
WEAK = "~"
# `Flow.cleared` holds ONLY + kind beside the kind when a check proved it on a path a condition
# that is not about the data chose (`if FLAG:` around it): where a path without the kind joins,
# the check was skipped there, and the data is WEAK for the kind (its step is in the trace).
ONLY = "^"


def join(*values: TVal) -> TVal:
    """May-union: a label present on any path; safe only if safe on every path."""
    present = [v for v in values if v]
    if not present:
        return EMPTY
    first = present[0]
    if len(present) == 1 or all(v is first for v in present):
        return first  # branches that left a variable alone share its value: nothing to merge
    out: TVal = dict(first)
    for value in present[1:]:
        for label, flow in value.items():
            old = out.get(label)
            if old is None:
                out[label] = flow
            elif flow.cleared != old.cleared:
                out[label] = merge(old, flow)
    return out


def _skipped(checked: frozenset[str], other: frozenset[str]) -> frozenset[str]:
    """`other`, and WEAK for what a check proved on `checked`'s path only (`ONLY`) that the
    other path lacks: it skipped the check."""
    if "*" in other:
        return other
    skipped = {WEAK + k[1:] for k in checked if k[0] == ONLY and k[1:] not in other}
    return other | skipped if skipped else other


def merge(old: Flow, new: Flow) -> Flow:
    """The data of two paths as one flow: safe for what both are, with the shorter trace,
    or, when the paths still unsafe all crossed a check that fails, the trace of one of them
    (its step names the check)."""
    cleared = meet(old.cleared, new.cleared)
    keep = old if len(old.trace) <= len(new.trace) else new
    # a path safe for every kind the other is safe for, and more, is never the one to a sink
    # the merged data still reaches: keep the other's trace (one feasible path per finding)
    safe_old, safe_new = _plain(old.cleared), _plain(new.cleared)
    if safe_old < safe_new:
        keep = old
    elif safe_new < safe_old:
        keep = new
    weak = [k for k in cleared if k[0] == WEAK]
    if weak:
        for flow in (old, new):
            mine = flow.cleared
            if any((k in mine and k[1:] not in mine) or ONLY + k[1:] in mine for k in weak):
                keep = flow
                break
    return Flow(keep.trace, cleared)


def _plain(cleared: frozenset[str]) -> frozenset[str]:
    """The sink kinds a flow is safe for, without the marks phase 2 settles or weak checks."""
    return frozenset(k for k in cleared if k[0] not in "~^?")


def meet(a: frozenset[str], b: frozenset[str]) -> frozenset[str]:
    """What data safe for `a` on one path and for `b` on another is safe for: both ("*",
    every kind, meets anything as that thing). A check that fails for a kind (`WEAK` +
    kind) stays when the other path is safe for that kind: only unsafe paths crossed it."""
    if "*" in a:
        return b if len(a) == 1 else _skipped(a, b)
    if "*" in b:
        return a if len(b) == 1 else _skipped(b, a)
    both = (a & b) or NO_KINDS  # see `NO_KINDS`
    for kind in a ^ b:
        other = b if kind in a else a
        if kind[0] == WEAK and kind[1:] in other:
            both |= {kind}
        elif kind[0] == ONLY and kind[1:] not in other:
            both |= {WEAK + kind[1:]}  # the other path skipped the check
    return both


# Conditions phase 2 settles (`solve._Resolution.settle`), kept in `Flow.cleared` until then:
# the path exists only if call site N returns (a helper that always aborts ends it), and
# the data passed call site N's check (a validator that raises when it fails).
NORETURN = "?noreturn:"
VALIDATED = "?validated:"
# `?param:<index>:<truthy|falsy|none|set>` on a sink's data: the path to the sink exists
# only if the parameter is so (`if not dry_run: os.remove(path)`); a caller passing a
# constant that says otherwise does not reach it (settled at each call, `Solver._entered`)
ASSUMES = "?param:"
# the data is on the branch where call site N's verdict on it was true (`:1`) or false
# (`:0`): `?verdict:N:position:1` (a validator that returns its verdict)
VERDICT = "?verdict:"
# the data equals a value the client sent once call site N's result, a keyed MAC of its
# argument at `position`, did (`if sign(url) != request.args["sig"]: abort(403)`): the
# server signed it, so the client could not choose it (`?mac:N:position`)
MAC = "?mac:"
# the data is what a method of an object returned whose type phase 1 knows only as what a
# function of the tree gave (`client = volume_client(token)`, then `client.volumes.create(
# name)`): another service's answer, not what it was sent, if that is a service client
# (`conditions.service_client`): `?answer:<type tag>`
ANSWER = "?answer:"
# the data went through a Markdown render given the extension call site N builds
# (`?mdext:N`): safe for xss if that extension registers a postprocessor that cleans the
# HTML (`markdown_ext.py`)
EXTENSION = "?mdext:"
# data of an archive or file opened on a parameter as passed (`zipfile.ZipFile(path)`):
# the file's, not the name's, if the caller passes a file name there. Phase 2 meets it
# with what the call passes (`CallSite.passes`, put on the argument's flows): a name
# (NAMED) makes it safe for `spec.ARCHIVE_TEXT`, the caller's own parameter as passed
# (AS_IS) keeps the question for the caller's callers; anything else (an upload's stream,
# bytes) ends it (`solve._chain`)
OPENED = "<opened>"
NAMED = "<name>"
AS_IS = "<as-is>"
# a request object given whole to a function of the tree (`helpers.save(request)`): what
# the function reads from it is the client's data; a call phase 2 cannot resolve does not
# return it (`get_prev(request)` of a field of unknown class gives no request data back)
WHOLE_REQUEST = "<request>"


def extend(
    value: TVal, step: TraceStep | None = None, clears: frozenset[str] = frozenset()
) -> TVal:
    """The same data one hop further (an assignment, a call) and/or sanitized for `clears`."""
    if not value or (step is None and not clears):
        return value
    return {
        label: Flow(add_step(flow.trace, step) if step else flow.trace, union(flow.cleared, clears))
        for label, flow in value.items()
    }


def field_of(value: TVal, key: str) -> TVal:
    """What the object `value` holds under field or key `key`, as far as its labels tell:
    a parameter's, a call's result's, or what a call put into it, under that key (the
    whole-program phase knows them); other labels (data in the object as a whole) as they
    are. Labels already under a key stay so: they are not objects with fields of their own."""
    if not any(_keyable(label) for label in value):
        return value
    out: TVal = {}
    for label, flow in value.items():
        if _keyable(label):
            label = label._replace(key=key)  # type: ignore[union-attr, call-arg]
        old = out.get(label)
        if old is None:
            out[label] = flow
        elif flow.cleared != old.cleared:
            keep = old if len(old.trace) <= len(flow.trace) else flow
            out[label] = Flow(keep.trace, old.cleared & flow.cleared)
    return out


def _keyable(label: Label) -> bool:
    """A whole parameter, call result (or one element of it: `meta, error = load()`, then
    `meta.cover`) or call's write."""
    kind = type(label)
    if kind is CallRet:
        return not label.key  # type: ignore[union-attr]
    return (kind is Param or kind is ArgWrite) and not label.key  # type: ignore[union-attr]


def add_step(trace: Trace, step: TraceStep) -> Trace:
    if (
        trace
        and trace[-1].location.line == step.location.line
        and trace[-1].location.path == step.location.path
    ):
        if step.check is not None and trace[-1].check is None:
            return (*trace[:-1], step)  # the check that fails says more about the line
        return trace  # one step per line keeps traces readable
    return clip((*trace, step))


def clip(trace: Trace) -> Trace:
    if len(trace) <= MAX_TRACE:
        return trace
    half = MAX_TRACE // 2
    kept = trace[:half] + trace[-half:]
    dropped = [step for step in trace[half:-half] if step.check is not None]
    if dropped:  # a check that fails is what its finding is about: it stays
        kept = trace[: half - len(dropped[-half:])] + tuple(dropped[-half:]) + trace[-half:]
    return kept


def failing_steps(trace: Trace, rule: str) -> list[TraceStep]:
    """The steps of checks that do not protect a `rule` sink, in trace order."""
    return [s for s in trace if s.check is not None and rule in s.check.kinds]


# sink kinds cleared in parts, each part by a different step, any one set of parts enough:
# a path with no `..` left cannot climb, and then neither one with no separator left (a
# file name cannot leave its directory) nor a relative one (`'..' not in p and not
# os.path.isabs(p)`; text placed after the program's own, `stem + "." + ext`) gets out
PARTS = {
    "path-traversal": (
        frozenset({"path-traversal/separators", "path-traversal/dots"}),
        frozenset({"path-traversal/relative", "path-traversal/dots"}),
    )
}


def is_cleared(flow: Flow, rule: str) -> bool:
    cleared = flow.cleared
    if "*" in cleared or rule in cleared:
        return True
    if any(parts <= cleared for parts in PARTS.get(rule, ())):
        return True
    alias = spec_index().cleared_as.get(rule)  # a rule that sanitizers know by another name
    return alias is not None and alias in cleared


@mypyc_attr(native_class=False)  # read field by field by code that is not compiled
class _Compact:
    """Pickled as its class and field values in order (as `Location` is): a summary holds
    thousands of these, sent from every worker process, and a tuple is smaller and faster
    to load than the per-field state slotted dataclasses use by default."""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        names = _FIELD_NAMES.get(type(self))
        if names is None:
            names = _FIELD_NAMES[type(self)] = tuple(f.name for f in fields(self))  # type: ignore[arg-type]
        return (type(self), tuple(getattr(self, name) for name in names))


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


@mypyc_attr(native_class=False)  # read field by field by code that is not compiled
@dataclass(slots=True)
class CallSite(_Compact):
    """A call whose callee may be a function of the reviewed tree."""

    callees: tuple[str, ...]  # candidate qualified names (functions, methods or classes)
    args: tuple[TVal, ...]
    kwargs: tuple[tuple[str, TVal], ...]
    star: TVal  # taint of *args / **kwargs expansions
    receiver: TVal | None  # bound-method receiver (becomes `self`), None for plain calls
    bound: bool  # `obj.meth(...)`: positional args start at parameter 1
    location: Location
    text: str  # short call text for trace notes, e.g. "run_ping(host)"
    # `x.get(key)`: if no function of the tree answers it, the result is not the key's data
    key_lookup: bool = False
    # what the positional arguments hold key by key, where that is known (a dict literal or
    # a dict whose keys are tracked): for the callee's `param["note"]`
    arg_keys: tuple[dict[str, TVal] | None, ...] = ()
    # a call by value: the value called (`callback(item)`, `ACTIONS[key](host)`), whose
    # `Fn` labels phase 2 makes the callees; `callees` is then empty
    func: TVal | None = None
    # `functools.partial(func, *args)`: the result is `func` with these arguments given
    partial: bool = False

    # what the object a method is called on holds field by field where this function wrote
    # them (`self.title = x; self.render()`), "" for the others (None: the receiver as is)
    receiver_keys: dict[str, TVal] | None = None
    # the constants passed (`gdrive=True`, `delete(path, False)`), by position or keyword,
    # for the callee's paths that need another value (see `ASSUMES`)
    consts: tuple[tuple[int | str, object], ...] = ()
    # what the path to the call needs of the caller's parameters (`ASSUMES` marks)
    assumed: frozenset[str] = frozenset()
    # arguments that are a file name (NAMED) or the caller's own parameter as passed
    # (AS_IS), by position or keyword: for the callee's `OPENED` data
    passes: tuple[tuple[int | str, str], ...] = ()


class ReceiverTest(NamedTuple):
    """When a sink on a method (`conn.execute(q)`) applies, if its receiver's class is known
    only to the whole-program phase: the receiver is a function's result
    (`conn = get_conn()`), an object of the tree, or a field typed elsewhere."""

    type: str  # the receiver's type tag, symbolic (see `TypeTags.deferred_type`)
    text: str  # the receiver as written, for the receiver predicates that read names
    method: str
    # "=<type>": the sink is named `<type>.<method>` (`=requests.Session`); "?<predicate>":
    # a `.method` sink whose receiver predicate (`conditions.RECEIVERS`) must hold
    test: str
    default: bool  # whether it applies while the type stays unknown (by the names)


@mypyc_attr(native_class=False)  # read field by field by code that is not compiled
@dataclass(slots=True)
class SinkEvent(_Compact):
    rule: str
    taint: TVal
    location: Location
    note: str  # "subprocess.run(cmd, shell=True)"
    snippet: str
    scope: str
    region: tuple[int, int]
    confidence: str | None = None
    # the condition that confines the sink to another platform (`os.name == 'nt'`)
    condition: str = ""
    # the event holds if any of these holds (none: it always holds)
    when: tuple[ReceiverTest, ...] = ()
    # trust-boundary-violation: the session key written, as a glob ("" if not known)
    key: str = ""


@mypyc_attr(native_class=False)  # read field by field by code that is not compiled
@dataclass(slots=True)
class FunctionSummary(_Compact):
    qualname: str
    path: str
    params: tuple[str, ...]  # positional-or-keyword parameters in order (incl. self)
    vararg: str | None = None
    kwarg: str | None = None
    kwonly: tuple[str, ...] = ()
    cls: str | None = None  # defining class, for methods
    kind: str = "function"  # function, method, staticmethod, classmethod, module
    line: int = 0  # of the `def`, where a parameter that is a source is reported
    # parameters' constant defaults by index (a call that leaves one out passes it)
    defaults: tuple[tuple[int, object], ...] = ()
    handler: bool = False  # phase 1 recognised it as a request handler
    # a handler's parameters that phase 1 made sources, with their labels
    param_sources: tuple[tuple[str, Src], ...] = ()
    # not a handler, but takes `request` first: the parameters a Django function view would
    # take from its URL, should an urlconf of the tree route to it (phase 2 knows)
    url_params: tuple[str, ...] = ()
    # the parameters phase 1 read as the framework's request object (by name or annotation):
    # a request passed whole there (`WHOLE_REQUEST`) is read through them already
    request_slots: tuple[int, ...] = ()
    returns: TVal = field(default_factory=dict)
    # each element's data when every `return` gives a tuple of the same length
    return_parts: tuple[TVal, ...] | None = None
    # each key's data (`[note]`, `[#0]`, `icon_url`; "" for every other key) when every
    # `return` gives a dict, tuple or keyword-built object whose keys are known
    return_keys: dict[str, TVal] | None = None
    # the type tag of what it returns (`requests.Session`, `pkg.models.Book`, another
    # function of the tree whose result it returns), None when unknown: see `Program.type_of`
    return_type: str | None = None
    sinks: list[SinkEvent] = field(default_factory=list)
    calls: list[CallSite | None] = field(default_factory=list)  # None: see `finish`
    # what it stores in fields of objects of the tree's classes, by (class, field, object),
    # the object as `FieldRead.built_at` names it (field "": one whose name is not known,
    # `setattr(obj, name, v)`)
    field_writes: dict[tuple[str, str, int], TVal] = field(default_factory=dict)
    global_writes: dict[str, TVal] = field(default_factory=dict)
    # what it puts into the objects its parameters hold (`clauses.append(x)`), by index;
    # and under constant keys (`ctx["user"] = x`), by index and key
    param_writes: dict[int, TVal] = field(default_factory=dict)
    param_key_writes: dict[int, dict[str, TVal]] = field(default_factory=dict)
    # what the exceptions its own `raise` statements raise carry (not its callees'), by
    # the qualified name of their class ("" when it is not known)
    raises: dict[str, TVal] = field(default_factory=dict)
    # the call sites whose callees' exceptions may leave it, each with the classes that
    # handlers on the way out keep (phase 2 adds what those callees raise to `raises`)
    escapes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    # its decorators by qualified name (`access.ADMIN_MARK` for admin-only arguments), and
    # whether its body leaves unless the user is an administrator (see `access.py`)
    decorators: tuple[str, ...] = ()
    admin_check: bool = False
    # no path returns normally (it always raises or aborts): a call of it ends the caller's
    # path; and, by parameter index, the sink kinds a check proved on every normal exit
    # (a validator that raises when the check fails protects its argument in the caller)
    never_returns: bool = False
    validates: dict[int, frozenset[str]] = field(default_factory=dict)
    # by parameter index, the check it passed on every normal exit that does not protect it
    # (its `validates` holds `WEAK` kinds): a step of the caller's trace
    failing_checks: dict[int, TraceStep] = field(default_factory=dict)
    # by parameter index, the sink kinds a check proved of it on every `return` of a true
    # value, and on every `return` of a false value (a validator that returns its verdict,
    # `return SHA.fullmatch(v) is not None`, protects its argument on the caller's branch
    # where the verdict holds); by (index, truth), the check passed there that does not
    # protect it
    verdicts: dict[int, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    verdict_checks: dict[tuple[int, bool], TraceStep] = field(default_factory=dict)
    # the parameter every `return` gives a keyed MAC of (`hmac.new(KEY, value, sha256)
    # .hexdigest()`): a caller comparing it with what the client sent checks a signature
    signs: int | None = None
    # the fields and globals it reads (`FieldRead`/`GlobalRead` labels anywhere above),
    # listed here, in parallel, so that the whole-program phase need not look for them
    reads: tuple[FieldRead | GlobalRead, ...] = ()

    def finish(self) -> None:
        """Drop the call sites that carry nothing, list the reads: the summary is final."""
        values = self._values()
        used = {label.call for value in values for label in value if type(label) in _CALL_LABELS}  # type: ignore[union-attr]
        used.update(
            label.built_at for value in values for label in value
            if type(label) is FieldRead and label.built_at >= 0
        )  # fmt: skip
        used.update(_marked_calls(values))
        for index, call in enumerate(self.calls):
            # passes no data and its result is not used: no data can flow through it
            if call is not None and index not in used and not _inputs(call):
                self.calls[index] = None  # the others keep their indexes
        found = dict.fromkeys(label for value in values for label in value if type(label) in _READS)
        self.reads = tuple(found)  # type: ignore[arg-type]
        if self.escapes:
            calls = self.calls
            self.escapes = {i: caught for i, caught in self.escapes.items() if calls[i] is not None}
        for name in _dict_fields():
            if not getattr(self, name):
                setattr(self, name, UNWRITTEN)

    def _values(self) -> list[TVal]:
        values = [self.returns, *(self.return_parts or ()), *(e.taint for e in self.sinks)]
        values += (self.return_keys or {}).values()
        values += [*self.field_writes.values(), *self.global_writes.values()]
        values += self.param_writes.values()
        for keys in self.param_key_writes.values():
            values += keys.values()
        values += self.raises.values()
        for call in self.calls:
            if call is not None:
                values += _inputs(call)
        return values


@cache
def _dict_fields() -> tuple[str, ...]:
    """The fields of `FunctionSummary` that start as an empty dict."""
    return tuple(f.name for f in fields(FunctionSummary) if f.default_factory is dict)


def _marked_calls(values: list[TVal]) -> set[int]:
    """The call sites `NORETURN`/`VALIDATED` marks name (phase 2 asks their callees)."""
    out: set[int] = set()
    for value in values:
        for flow in value.values():
            for kind in flow.cleared:
                if kind[0] == "?":
                    head = kind.split(":", 2)[1]
                    if head.isdigit():  # not `ANSWER`'s type tag
                        out.add(int(head))
    return out


def _inputs(call: CallSite) -> list[TVal]:
    """The call's arguments and receiver that carry data."""
    values = [*call.args, *(v for _, v in call.kwargs), call.star, call.receiver or EMPTY]
    values.append(call.func or EMPTY)
    for keys in call.arg_keys:
        if keys:
            values += keys.values()
    if call.receiver_keys:
        values += call.receiver_keys.values()
    return [value for value in values if value]


_READS = (FieldRead, GlobalRead)
_CALL_LABELS = (CallRet, ArgWrite, CallRaise)


@mypyc_attr(native_class=False)  # read field by field by code that is not compiled
@dataclass(slots=True)
class ModuleSummary(_Compact):
    module: str
    path: str
    functions: list[FunctionSummary] = field(default_factory=list)
    classes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # class -> base qualnames
    exports: dict[str, str] = field(default_factory=dict)  # imported name -> qualified name
    field_types: dict[tuple[str, str], str] = field(default_factory=dict)  # (class, attr) -> type
    # Django urlconf entries: (view, route, parameters the route converts to numbers/slugs)
    routes: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # module-level objects of the tree's classes (`db = Library()`): qualified name -> class
    instances: dict[str, str] = field(default_factory=dict)
    # module-level named tuple types (`Meta = namedtuple("Meta", "path title")`): their
    # fields in order, so that `Meta(p, t).title` is `t` alone
    named_tuples: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # view classes only administrators enter (admin permission classes, access methods)
    admin_classes: tuple[str, ...] = ()
    # Markdown extension classes -> the postprocessor classes their `extendMarkdown`
    # registers to run after the raw HTML is back (`markdown_ext.registered_postprocessors`)
    markdown_postprocessors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # functions (name, line) whose data flow was not followed: nested too deeply to walk
    too_deep: tuple[tuple[str, int], ...] = ()
    # session keys (globs) this module reads as trusted, where and how (`sessions.py`)
    trusted_session_reads: tuple[tuple[str, Location, str], ...] = ()
