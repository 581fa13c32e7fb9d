"""The vocabulary of taint specifications: sources, sinks, sanitizers, guards, handlers.

Specs are data, grouped by framework in `taint/specs/`; the engine reads them through
`SpecIndex` and never names a library itself. A spec names things by qualified name as
`SymbolTable.resolve` produces it (`flask.request.args`, `subprocess.run`), or, for methods
called on receivers of unknown type, by `.method` with a receiver predicate.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from secreview.model import Confidence

ALL = "*"  # a sanitizer or guard that clears every sink kind
ARCHIVE = "archive"  # the source kind of archive member names (zip slip)
CLI = "cli"  # the source kind of the command line and `input()` (see `privilege.py`)
# the sinks text read from a server's file cannot attack: those that need the attacker's
# own text (a file's content that is itself the attack, a pickle, code or XML, stays
# tainted when the attacker chose the file)
FILE_TEXT = frozenset(
    {
        "xss", "sql-injection", "command-injection", "ldap-injection", "xpath-injection",
        "ssrf", "open-redirect", "header-injection", "log-injection", "path-traversal",
        "trust-boundary-violation",
    }
)  # fmt: skip
# the same for an archive's members: their names are the archive's content, and a name
# that climbs out of the directory it is extracted to is the attack (zip slip)
ARCHIVE_TEXT = FILE_TEXT - {"path-traversal"}
# the rules a line break makes harmful: text with none cannot split a header or a log entry
LINE_BREAK_RULES = frozenset({"header-injection", "log-injection"})


@dataclass(frozen=True, slots=True)
class Source:
    """Attacker data: an attribute chain prefix (`flask.request`) or a call's result (`input`)."""

    name: str
    kind: str  # http, cli, env, network, file
    description: str
    confidence: Confidence = "high"
    call: bool = False  # the call's result is the source (else: any attribute read below name)
    safe_attrs: frozenset[str] = frozenset()  # attributes below `name` that are not attacker data
    line_free_attrs: frozenset[str] = frozenset()  # see `RequestObject.line_free_attrs`
    # the call is also an ordinary call: its arguments reach its sinks and its result
    # (`jwt.encode(claims, key)` is a credential, holds the claims and is keyed by `key`)
    also_call: bool = False


@dataclass(frozen=True, slots=True)
class Sink:
    """A call that does harm with attacker data in `args`.

    `args` holds positions and keyword names; "*" means every argument, "receiver" the
    object the method is called on. `condition` names a predicate in `conditions.py` that
    must hold (e.g. "shell" for shell=True); `receiver` names a predicate on the receiver
    for `.method` specs (e.g. "db" for cursors).
    """

    name: str
    rule: str
    args: tuple[int | str, ...] = (0,)
    condition: str | None = None
    receiver: str | None = None
    confidence: Confidence | None = None


@dataclass(frozen=True, slots=True)
class Sanitizer:
    """A call whose result is safe for the sink kinds in `clears` ("*" = all kinds).

    `condition` names a predicate in `conditions.SANITIZES` the call must satisfy, for
    calls that neutralise only with some arguments (`.replace("\\n", "")`); `receiver`
    a predicate in `conditions.RECEIVERS` the object of a `.method` must satisfy.

    A call that fetches data (rows of a query, an HTTP response, a command's output) is a
    sanitizer for every kind: what it returns is what the server fetched, not what went
    into it (the request chose which row, not what the row holds)."""

    name: str
    clears: frozenset[str] = frozenset({ALL})
    condition: str | None = None
    receiver: str | None = None
    # a function in `conditions.COMPUTED_CLEARS` that works out from the call what it
    # clears (`re.sub(r"[^a-z0-9]", "", x)`), added to `clears`
    computes: str | None = None


@dataclass(frozen=True, slots=True)
class Guard:
    """A check that, when true in an `if`, makes its argument safe for `clears`.

    `arg` is the position of the checked value, or "receiver" for `x.isdigit()`-style
    methods (named `.isdigit`); `keyword` its name when passed by keyword (`url=`).
    """

    name: str
    clears: frozenset[str] = frozenset({ALL})
    arg: int | str = 0
    keyword: str | None = None


@dataclass(frozen=True, slots=True)
class Invoker:
    """A library call that calls a function it is given: `map(f, xs)`,
    `Thread(target=f, args=(x,))`, `pool.submit(f, x)`; or gives it arguments for later
    (`functools.partial(f, x)`). The engine follows the call into the function when it
    is one of the tree's.

    `function`: the position of the function among the arguments, `keyword` its name when
    passed by keyword. `args` says what the function is called with: "rest", the
    arguments after it (and the keywords but its own); "elements", an element of each
    other positional argument (`map`); "packed", the tuple at `packed[0]` and the dict at
    `packed[1]` (each a position and a keyword name). `result`: "call", what the function
    returns; "partial", the function with the arguments given; "same", what the call
    gives anyway (a thread object, the elements a `filter` keeps)."""

    name: str
    function: int = 0
    keyword: str | None = None
    args: str = "rest"
    packed: tuple[tuple[int, str], tuple[int, str]] | None = None
    result: str = "call"


@dataclass(frozen=True, slots=True)
class Handler:
    """How a framework marks request handlers whose parameters carry attacker data.

    A function is a handler when its parameters start with `signature`, or its module
    imports one of `imports` (any module when empty) and it has a
    decorator whose last attribute is in `decorator_attrs` (`@app.route`) or whose
    qualified name is in `decorators`, or it is a method named in `methods` of a class
    whose base's last name is in `bases`. `params` says which parameters are tainted:
    "all" (but self/cls), or a tuple of names.
    """

    framework: str
    imports: tuple[str, ...]
    description: str
    decorator_attrs: frozenset[str] = frozenset()
    decorators: frozenset[str] = frozenset()
    bases: frozenset[str] = frozenset()
    methods: frozenset[str] = frozenset()
    params: str | tuple[str, ...] = "all"
    skip_params: frozenset[str] = frozenset({"self", "cls"})
    self_sources: frozenset[str] = frozenset()  # `self.<attr>` reads that are attacker data
    # ... in every method of the class, not only in `methods` (`prepare`, `on_finish`, the
    # class's own helpers): the framework fills them before any method runs
    every_method: bool = False
    self_calls: frozenset[str] = frozenset()  # `self.<method>()` results that are attacker data
    confidence: Confidence = "high"
    returns_html: bool = False  # a returned str becomes the HTML response body
    signature: tuple[str, ...] = ()  # parameters (after self) that mark a handler: WSGI apps
    # `signature` handlers only in modules with a dotted part ending in one of these
    # (Django's `views`), and only public functions there: `def _page(request, qs)` is a helper
    view_modules: tuple[str, ...] = ()
    # parameters annotated with these types are converted and validated by the framework
    # (FastAPI's `item_id: int`): not free text
    safe_annotations: frozenset[str] = frozenset()
    # the kind of the parameters' sources: "http", or e.g. "privsep" for data that crosses a
    # privilege boundary, which SOURCE_KIND_RULES may route to rules of its own
    source_kind: str = "http"


@dataclass(frozen=True, slots=True)
class RequestObject:
    """A handler parameter that *is* the request: its attributes are attacker data,
    except `safe_attrs` (server-side state such as the authenticated user), or, when
    `source_attrs` is given, only those are (what the client sent), and every other
    attribute is the framework's or a middleware's (`request.tenant`)."""

    framework: str
    imports: tuple[str, ...]
    param_names: frozenset[str]
    safe_attrs: frozenset[str]
    description: str
    annotation_names: frozenset[str] = frozenset()  # `request: Request` marks one too
    session_attr: str | None = None  # `request.session`: the server-side session store
    source_attrs: frozenset[str] | None = None
    # attacker data that cannot hold a line break: the framework percent-encodes it (the
    # request's URL) or the request line could not carry one (the raw query string)
    line_free_attrs: frozenset[str] = frozenset()
    # view classes (a base's last name in `view_bases`, or ending in "View"/"ViewSet") hold
    # the request in `self.<self_attr>` too (Django's class-based views, DRF's)
    self_attr: str | None = None
    view_bases: frozenset[str] = frozenset()
    # or classes decorated with one of these, or holding a method that is (Pyramid's
    # `@view_defaults` class, `@view_config` methods)
    view_decorators: frozenset[str] = frozenset()
    # methods that build an absolute URL on the request's validated host from their
    # argument (Django's `build_absolute_uri(location)`): called with one, the result holds
    # the argument's data only (without one, it is the request's own URL: request data)
    host_urls: frozenset[str] = frozenset()
    # the first `direct_imports` of `imports` are the framework's own packages; the others
    # are projects it serves, where only the HTTP-facing modules take a `request` parameter
    # for it (0: every one of `imports` is the framework's)
    direct_imports: int = 0

    def server_side(self, attr: str) -> bool:
        """Is `request.<attr>` the server's data rather than the client's?"""
        if attr in self.safe_attrs or attr == self.session_attr:
            return True
        return self.source_attrs is not None and attr not in self.source_attrs


@dataclass(slots=True)
class SpecIndex:
    """Every framework's specs, indexed for the engine's lookups."""

    sources: dict[str, Source] = field(default_factory=dict)
    call_sources: dict[str, Source] = field(default_factory=dict)
    sinks: dict[str, list[Sink]] = field(default_factory=lambda: defaultdict(list))
    method_sinks: dict[str, list[Sink]] = field(default_factory=lambda: defaultdict(list))
    # the sinks named by qualified name (`requests.Session.get`), by their last name: what
    # a method may be once the whole-program phase knows its receiver's type
    class_sinks: dict[str, list[Sink]] = field(default_factory=lambda: defaultdict(list))
    sanitizers: dict[str, Sanitizer] = field(default_factory=dict)
    # by method name; several for one name apply by their conditions (`.replace`)
    method_sanitizers: dict[str, list[Sanitizer]] = field(default_factory=lambda: defaultdict(list))
    guards: dict[str, Guard] = field(default_factory=dict)
    method_guards: dict[str, Guard] = field(default_factory=dict)
    handlers: list[Handler] = field(default_factory=list)
    request_objects: list[RequestObject] = field(default_factory=list)
    non_propagating_methods: set[str] = field(default_factory=set)
    key_lookups: set[str] = field(default_factory=set)  # `.get(key)`: see KEY_LOOKUP_METHODS
    session_objects: set[str] = field(default_factory=set)  # server-side session stores
    response_types: set[str] = field(default_factory=set)  # constructors of HTTP responses
    environ_keys: tuple[str, ...] = ()  # WSGI environ keys (prefixes) that carry attacker data
    scope_server_keys: frozenset[str] = frozenset()  # ASGI scope keys the server sets
    # source kind -> the only rules that report its data (SOURCE_KIND_RULES in a spec module)
    kind_rules: dict[str, frozenset[str]] = field(default_factory=dict)
    # rule -> the only source kinds it reports (RULE_SOURCE_KINDS in a spec module)
    rule_kinds: dict[str, frozenset[str]] = field(default_factory=dict)
    # rule -> the rule whose sanitizers and guards also clear it (CLEARED_AS in a spec module)
    cleared_as: dict[str, str] = field(default_factory=dict)
    # source kinds whose data stays inside the handler's run: not returned to its callers
    call_scoped: set[str] = field(default_factory=set)
    # calls that call a function they are given, by qualified name and (`.method`) by method
    invokers: dict[str, Invoker] = field(default_factory=dict)
    method_invokers: dict[str, Invoker] = field(default_factory=dict)
    # sanitizers whose result is computed from their arguments alone (`hashlib.md5`,
    # `.hexdigest`, `int`): a predictable value stays predictable through them (DERIVED)
    derived: set[str] = field(default_factory=set)

    def reports(self, kind: str, rule: str) -> bool:
        """Does `rule` report data of source kind `kind`?"""
        rules = self.kind_rules.get(kind)
        kinds = self.rule_kinds.get(rule)
        return (rules is None or rule in rules) and (kinds is None or kind in kinds)

    def add_module(self, module: object) -> None:
        for item in getattr(module, "SOURCES", ()):
            (self.call_sources if item.call else self.sources)[item.name] = item
        for sink in getattr(module, "SINKS", ()):
            if sink.name.startswith("."):
                self.method_sinks[sink.name[1:]].append(sink)
            else:
                self.sinks[sink.name].append(sink)
                if "." in sink.name:
                    self.class_sinks[sink.name.rpartition(".")[2]].append(sink)
        for item in getattr(module, "SANITIZERS", ()):
            if item.name.startswith("."):
                self.method_sanitizers[item.name[1:]].append(item)
            else:
                self.sanitizers[item.name] = item
        for item in getattr(module, "GUARDS", ()):
            if item.name.startswith("."):
                self.method_guards[item.name[1:]] = item
            else:
                self.guards[item.name] = item
        self.handlers.extend(getattr(module, "HANDLERS", ()))
        self.request_objects.extend(getattr(module, "REQUEST_OBJECTS", ()))
        self.non_propagating_methods.update(getattr(module, "NON_PROPAGATING_METHODS", ()))
        self.key_lookups.update(getattr(module, "KEY_LOOKUP_METHODS", ()))
        self.session_objects.update(getattr(module, "SESSION_OBJECTS", ()))
        self.response_types.update(getattr(module, "RESPONSE_TYPES", ()))
        self.environ_keys += tuple(getattr(module, "ENVIRON_KEYS", ()))
        self.scope_server_keys |= frozenset(getattr(module, "SCOPE_SERVER_KEYS", ()))
        self.kind_rules.update(getattr(module, "SOURCE_KIND_RULES", {}))
        self.rule_kinds.update(getattr(module, "RULE_SOURCE_KINDS", {}))
        self.cleared_as.update(getattr(module, "CLEARED_AS", {}))
        self.call_scoped.update(getattr(module, "CALL_SCOPED_KINDS", ()))
        self.derived.update(getattr(module, "DERIVED", ()))
        for item in getattr(module, "INVOKERS", ()):
            if item.name.startswith("."):
                self.method_invokers[item.name[1:]] = item
            else:
                self.invokers[item.name] = item


@cache
def spec_index() -> SpecIndex:
    """Load every module in `taint/specs/` once per process."""
    from secreview.python.taint import specs

    index = SpecIndex()
    for info in sorted(pkgutil.iter_modules(specs.__path__), key=lambda i: i.name):
        index.add_module(importlib.import_module(f"{specs.__name__}.{info.name}"))
    return index
