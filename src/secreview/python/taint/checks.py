"""Pass 4, checks: what a test proves about the values it looks at, on each branch.

`guards(test)` answers, for an `if`/`while` test, an `x if … else …`, or an `assert`-free
condition kept in a variable, which variables (or expressions read in place) are safe for
which sink kinds when the test is true, and when it is false. A check protects only the
branch where it holds; the other branch keeps the data as it was. What protects:

- membership in a constant collection (`x in ALLOWED`, `x not in {"a", "b"}`), equality
  with a constant (`x == "png"`), and the same of a URL's parsed host;
- the checks the specs name as guards (`url_has_allowed_host_and_scheme(url)`,
  `x.isdigit()`, `re.fullmatch(P, x)`), with their conditions (a regex must be anchored
  at the end);
- `isinstance(x, (int, uuid.UUID))`: a number or UUID holds no text;
- containment of a normalised path (`realpath(p).startswith(base)`, `commonpath`);
- a check's result kept in a variable (`ok = is_safe_url(url)`, then `if ok:`).

The protection follows the checked value through assignments and into callees (it is a
property of the data, `Flow.cleared`). Assumes the checked variable is not reassigned
between the check and the use (an assignment ends what a check kept in a variable said).
"""

from __future__ import annotations

import ast
import re
from functools import cache

from secreview import lazyre
from secreview.python import values as consts
from secreview.python.context import ModuleContext, argument, keyword, walk
from secreview.python.taint.conditions import DOTS_GONE, RELATIVE, SEPARATORS_GONE
from secreview.python.taint.shapes import guarded_name, names_in
from secreview.python.taint.spec import ALL
from secreview.python.taint.summary import MAC, VERDICT, CallRet, FieldRead, GlobalRead
from secreview.python.taint.weak import WeakChecks
from secreview.rules.support.regex import regex_of_call

Clears = dict[str, frozenset[str]]  # variable (or `CHECKED` expression) -> sink kinds
Proof = tuple[Clears, Clears]  # (when the test is true, when it is false)
CHECKED = "@"  # marks a guard's key that is an expression, not a variable
NORMALIZERS = frozenset(
    # `.resolve`: Path.resolve() on a path of a type the engine does not know, `(base / x)`
    {"os.path.realpath", "os.path.abspath", "os.path.normpath", "pathlib.Path.resolve", ".resolve"}
)
# sink kinds for which only the destination (scheme and host) of a URL matters
HOST_FIXED = frozenset({"ssrf", "open-redirect"})
# types whose instances hold no text an attacker could shape
_SAFE_TYPES = frozenset(
    {"builtins.int", "builtins.float", "builtins.bool", "builtins.complex", "uuid.UUID",
     "decimal.Decimal", "datetime.date", "datetime.datetime", "datetime.time",
     "ipaddress.IPv4Address", "ipaddress.IPv6Address", "ipaddress.ip_address"}
)  # fmt: skip
# labels of data the server holds or computes: reading them gives no request data
_SERVER_SIDE = (GlobalRead, FieldRead, CallRet)
_REGEX_METHODS = frozenset({"fullmatch", "match", "search"})
_REGEX_FUNCTIONS = frozenset({"re.fullmatch", "re.match", "re.search"})
_END_ANCHORED = lazyre.compile(r"(?<!\\)(\$|\\Z)\)*$")


def _union(proofs: list[Clears]) -> Clears:
    merged: Clears = {}
    for proof in proofs:
        for name, kinds in proof.items():
            merged[name] = merged.get(name, frozenset()) | kinds
    return merged


def _meet(proofs: list[Clears]) -> Clears:
    """What every one of the proofs says (a name all of them clear, for the kinds all do)."""
    if not proofs:
        return {}
    out = dict(proofs[0])
    for proof in proofs[1:]:
        out = {name: kinds & proof[name] for name, kinds in out.items() if name in proof}
    return {name: kinds for name, kinds in out.items() if kinds}


def with_checked(checked: Clears, clears: Clears) -> Clears:
    """The checked expressions in force once a guard's `clears` hold."""
    found = {key: kinds for key, kinds in clears.items() if key.startswith(CHECKED)}
    return {**checked, **found} if found else checked


# platforms a server is not expected to run on, as `os.name`, `sys.platform` and
# `platform.system()` name them
_OTHER_PLATFORMS = ("nt", "win32", "windows", "cygwin", "darwin", "java", "msys")


def platform_condition(test: ast.expr, ctx: ModuleContext) -> tuple[str | None, str | None]:
    """Whether a test picks another platform than the server's (Windows, macOS): the
    condition in force on each branch, as code to name in a finding (None: the branch
    runs on any platform). `if os.name == "nt":` is ("os.name == 'nt'", None)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        when_true, when_false = platform_condition(test.operand, ctx)
        return when_false, when_true
    subject: ast.expr | None = None
    value: object = None
    positive = True
    if isinstance(test, ast.Compare) and len(test.ops) == 1:
        subject, other = test.left, test.comparators[0]
        value = other.value if isinstance(other, ast.Constant) else None
        positive = isinstance(test.ops[0], (ast.Eq, ast.Is, ast.In))
        if not isinstance(test.ops[0], (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
            return None, None
    elif (
        isinstance(test, ast.Call)
        and isinstance(test.func, ast.Attribute)
        and test.func.attr == "startswith"
        and test.args
        and isinstance(test.args[0], ast.Constant)
    ):
        subject, value = test.func.value, test.args[0].value
    if subject is None or not isinstance(value, str):
        return None, None
    if isinstance(subject, ast.Call):
        subject = subject.func
    name = ctx.resolve(subject) or ""
    if name not in ("os.name", "sys.platform", "platform.system"):
        return None, None
    if not value.lower().startswith(_OTHER_PLATFORMS):
        return None, None
    shown = ast.unparse(test)
    return (shown, None) if positive else (None, f"not ({shown})")


_PATH_PARTS = {"..": DOTS_GONE, "/": SEPARATORS_GONE}
# keyed MACs of a message: the function and where its message goes
_MACS = {"hmac.new": (1, "msg"), "hmac.digest": (1, "msg")}
_COMPARE_DIGEST = ("hmac.compare_digest", "secrets.compare_digest")
SIGNED = "="  # check_vars key prefix: `=h` holds what `h == <the client's value>` proves
# calls whose results `weak.py` may find to be checks that are not (`may_check`)
_WEAK_CHECK_CALLS = frozenset({"endswith", "search", "any", "isabs", "commonprefix"})


class Checks(WeakChecks):
    """The check part of a function's analysis (mixed into `FunctionAnalysis`)."""

    def guards(self, test: ast.expr) -> Proof:
        """Variables a test validates: (when the test is true, when it is false)."""
        match test:
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                when_true, when_false = self.guards(operand)
                return when_false, when_true
            case ast.BoolOp(op=ast.And(), values=values):
                # all parts true: what each proves; some part false: what every one proves
                # when false (`x != "a" and x != "b"` false: x is "a" or "b")
                proofs = [self.guards(value) for value in values]
                return _union([p[0] for p in proofs]), _meet([p[1] for p in proofs])
            case ast.BoolOp(op=ast.Or(), values=values):
                proofs = [self.guards(value) for value in values]
                return _meet([p[0] for p in proofs]), _union([p[1] for p in proofs])
            case ast.Compare(
                left=ast.Name(id=name), ops=[ast.Is() | ast.IsNot() as op],
                comparators=[ast.Constant(value=None)],
            ) if name in self.state.check_vars:  # fmt: skip
                # `found = re.search(P, x)`, then `if found is None:` (not found)
                when_true, when_false = self.state.check_vars[name]
                if isinstance(op, ast.Is):
                    return when_false, when_true
                return when_true, when_false
            case ast.Compare(
                left=ast.Call() as call, ops=[op], comparators=[ast.Constant(value=None)]
            ):
                # `PATTERN.fullmatch(x) is None`: the check failed when the result is None
                proven = self._call_guard(call)
                if isinstance(op, (ast.Is, ast.Eq)):
                    return {}, proven
                if isinstance(op, (ast.IsNot, ast.NotEq)):
                    return proven, {}
                return {}, {}
            case ast.Compare(left=left, ops=[op], comparators=[right]):
                return self._compare_guard(left, op, right)
            case ast.Call(args=[argument], keywords=[]) if (
                self.qualified(test.func) == "builtins.bool"
            ):
                return self.guards(argument)  # `bool(re.fullmatch(P, x))`
            case ast.Call(args=[left, right], keywords=[]) if (
                self.qualified(test.func) in _COMPARE_DIGEST
            ):
                return self._compare_guard(left, ast.Eq(), right)  # a constant-time ==
            case ast.Call():
                when_true, when_false = self._verdict_marks(test)
                return (
                    _union([self._call_guard(test), when_true]),
                    _union([self._relative(test), when_false]),
                )
            case ast.Name(id=name) if name in self.state.check_vars:
                return self.state.check_vars[name]  # `ok = is_safe_url(url)`, then `if ok:`
            case ast.NamedExpr(value=value):
                return self.guards(value)
        return {}, {}

    def may_check(self, value: ast.AST) -> bool:
        """Could `value` be a check `guards` knows (a cheap test before asking it)?"""
        match value:
            case ast.Call(func=ast.Name(id="bool"), args=[argument]):
                return self.may_check(argument)
            case ast.Call(func=ast.Attribute(attr=name) | ast.Name(id=name)):
                return (
                    name in self.mod.guard_names
                    or name == "isinstance"
                    or name in _WEAK_CHECK_CALLS
                    or id(value) in self.call_sites  # a function of the tree: its verdict
                )
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return self.may_check(operand)
            case ast.BoolOp(values=values):
                return any(self.may_check(v) for v in values)
            case ast.Compare(comparators=comparators):
                # `guards` evaluates the right side again: not when that records calls twice
                return not any(type(n) is ast.Call for c in comparators for n in walk(c))
        return False

    def forget_checks(self, name: str) -> None:
        """`name` is assigned: a check kept in it, or a check about it, no longer holds."""
        check_vars = self.state.check_vars
        prefix = f"{name}."
        stale = {
            var
            for var, (when_true, when_false) in check_vars.items()
            if var in (name, SIGNED + name)
            or any(key == name or key.startswith(prefix) for key in (*when_true, *when_false))
        }
        if stale:  # shared with other paths' states: replaced, not changed in place
            self.state.check_vars = {k: v for k, v in check_vars.items() if k not in stale}

    def _compare_guard(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Proof:
        proof = self._one_sided(left, op, right)
        if proof == ({}, {}) and isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)):
            proof = self._one_sided(right, op, left)  # `entry.format == fmt`: either side
        if proof == ({}, {}) and isinstance(op, (ast.Eq, ast.NotEq)):
            signed = self.signed(left) or self.signed(right)
            if signed:
                return (signed, {}) if isinstance(op, ast.Eq) else ({}, signed)
        return proof

    def signed(self, node: ast.expr) -> Clears:
        """What `node == <the client's value>` proves when `node` is a keyed MAC of a
        value (`hmac.new(KEY, url, sha256).hexdigest()`, a function of the tree that
        returns one, or a variable holding either): the server signed that value, so the
        client could not have chosen it. A plain hash proves nothing: anyone computes it."""
        if isinstance(node, ast.Name):
            kept = self.state.check_vars.get(SIGNED + node.id)
            return kept[0] if kept else {}
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("hexdigest", "digest")
            and not node.args
        ):
            node = node.func.value  # `hmac.new(...).hexdigest()`
        if not isinstance(node, ast.Call):
            return {}
        place = _MACS.get(self.qualified(node.func) or "")
        if place is not None:
            name = guarded_name(message(argument(node, *place)))
            return {name: frozenset({ALL})} if name and self.state.env.get(name) else {}
        index = self.call_sites.get(id(node))
        if index is None:
            return {}
        return {
            arg.id: frozenset({f"{MAC}{index}:{position}"})
            for position, arg in enumerate(node.args)
            if isinstance(arg, ast.Name) and self.state.env.get(arg.id)
        }

    def _one_sided(self, left: ast.expr, op: ast.cmpop, right: ast.expr) -> Proof:
        """What `left <op> right` proves of the value `left` reads."""
        name = guarded_name(left)
        if isinstance(op, (ast.In, ast.NotIn)) and isinstance(left, ast.Constant):
            return self._absent_part(left, op, right)
        if isinstance(left, ast.Call) and self.qualified(left.func) == "os.path.commonpath":
            # commonpath does not collapse `..`: only normalised paths are proven contained
            # (`commonprefix` compares characters, not components: `weak.py` says so)
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
            parsed = left.value.args[0] if left.value.args else None
            name, kinds = guarded_name(parsed), HOST_FIXED
        if name is None:
            return {}, {}
        invariant = self._invariant_under(right, left)
        if invariant:
            # `vendor == os.path.basename(vendor)`: the value is what the sanitizer would
            # make of it, so it holds nothing the sanitizer removes
            kinds = invariant
        elif not self._constant_side(right, name):
            return {}, {}
        cleared = {name: kinds}
        base, dotted = name.split(".", 1)[0], "." in name
        origin, part = self.state.derived.get(base, ("", False))
        if origin and part != dotted:
            # `host = urlparse(url).hostname` / `parsed = urlparse(url)`, then `host` or
            # `parsed.hostname` is allow-listed: `url` (and `parsed`) point where allowed
            for fixed in {base, origin} - {name}:
                cleared[fixed] = cleared.get(fixed, frozenset()) | HOST_FIXED
        if isinstance(op, (ast.In, ast.Eq, ast.Is)):
            return cleared, {}
        if isinstance(op, (ast.NotIn, ast.NotEq, ast.IsNot)):
            return {}, cleared
        return {}, {}

    def _absent_part(self, left: ast.Constant, op: ast.cmpop, right: ast.expr) -> Proof:
        """`'..' not in p`: no `..` left (one part of a path check, `summary.PARTS`)."""
        part = _PATH_PARTS.get(left.value) if isinstance(left.value, str) else None
        name = guarded_name(right)
        if part is None or name is None:
            return {}, {}
        proven = {name: frozenset({part})}
        return (proven, {}) if isinstance(op, ast.NotIn) else ({}, proven)

    def _invariant_under(self, right: ast.expr, left: ast.expr) -> frozenset[str]:
        """The sink kinds a sanitizer call on the other side clears, when it is applied to
        the very expression compared (`x == secure_filename(x)`); else nothing."""
        if not isinstance(right, ast.Call) or not right.args:
            return frozenset()
        if ast.dump(right.args[0]) != ast.dump(left):
            return frozenset()
        sanitizer = self.spec.sanitizers.get(self.qualified(right.func) or "")
        if sanitizer is None or sanitizer.condition is not None:
            return frozenset()
        return sanitizer.clears

    def _constant_side(self, right: ast.expr, name: str) -> bool:
        """The other side of a comparison is the program's own value: fixed in the source (a
        literal, a constant, an allow-list), or server-side data (configuration, a field, a
        global, what a call of the tree returns: `fmt == db.get_format(book_id)`,
        `sort in Model.__table__.columns.keys()`) that is not derived from the checked
        value itself. Assumes what a function of the tree returns to a comparison is the
        server's (a lookup), not request data it was handed."""
        if consts.is_constant(self.fold(right)):
            return True
        if name.split(".", 1)[0] in names_in(right):
            return False  # `x == x.strip()` says nothing of what x holds
        return all(isinstance(label, _SERVER_SIDE) for label in self.expr(right))

    def _call_guard(self, call: ast.Call) -> Clears:
        qualified = self.qualified(call.func)
        if qualified == "builtins.isinstance":
            return self._isinstance_guard(call)
        method = call.func.attr if isinstance(call.func, ast.Attribute) else None
        if method in _REGEX_METHODS or qualified in _REGEX_FUNCTIONS:
            proven = self._regex_guard(call)
            if proven is not None:
                return proven
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
            elif "path-traversal" in clears and not self.normalised(subject):
                clears = clears - {"path-traversal"}  # `..` defeats a lexical containment check
        else:
            subject = (
                argument(call, guard.arg, guard.keyword)
                if isinstance(guard.arg, int)
                else keyword(call, guard.arg)
            )
            clears = guard.clears
        return self._about(subject, clears)

    def _verdict_marks(self, call: ast.Call) -> Proof:
        """`is_commit_id(c)` of a function of the tree: each variable passed is what the
        callee's verdict proves of it, true on one branch and false on the other (`VERDICT`
        marks, settled in phase 2 by the callee's `verdicts`)."""
        index = self.call_sites.get(id(call))
        if index is None:
            return {}, {}
        env = self.state.env
        when_true: Clears = {}
        when_false: Clears = {}
        for position, arg in enumerate(call.args):
            if isinstance(arg, ast.Name) and env.get(arg.id):
                when_true[arg.id] = frozenset({f"{VERDICT}{index}:{position}:1"})
                when_false[arg.id] = frozenset({f"{VERDICT}{index}:{position}:0"})
        return when_true, when_false

    def _relative(self, call: ast.Call) -> Clears:
        """What a call proves when it is false: `os.path.isabs(p)` or `p.startswith("/")`
        false, a relative path (one part of a path check, `summary.PARTS`)."""
        func = call.func
        if len(call.args) != 1 or call.keywords:
            return {}
        if isinstance(func, ast.Attribute) and func.attr == "startswith":
            if self.fold(call.args[0]) not in ("/", ("/", "\\"), ("\\", "/")):
                return {}
            name = guarded_name(func.value)
        elif self.qualified(func) in ("os.path.isabs", "posixpath.isabs"):
            name = guarded_name(call.args[0])
        else:
            return {}
        return {name: frozenset({RELATIVE})} if name else {}

    def _about(self, subject: ast.expr | None, clears: frozenset[str]) -> Clears:
        """What a check on `subject` clears: a variable, or a read checked in place."""
        name = guarded_name(subject) if subject is not None else None
        if name is None and isinstance(subject, (ast.Call, ast.Attribute, ast.Subscript)):
            name = CHECKED + ast.dump(subject)  # a read checked in place (`checked_expression`)
        return {name: clears} if name and clears else {}

    def _isinstance_guard(self, call: ast.Call) -> Clears:
        """`isinstance(x, int)` / `isinstance(x, (int, uuid.UUID))`: a number holds no text."""
        if len(call.args) != 2:
            return {}
        kinds = call.args[1]
        items = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds]
        names = [self.ctx.resolve(item) for item in items]
        if not names or any(n not in _SAFE_TYPES for n in names):
            return {}
        return self._about(call.args[0], frozenset({ALL}))

    def _regex_guard(self, call: ast.Call) -> Clears | None:
        """`re.fullmatch(P, x)` / `PATTERN.fullmatch(x)`, or `match` with P anchored at the
        end (`$`, `\\Z`; `$` not under re.MULTILINE), or `search` anchored at both ends: the
        whole value matched a pattern of the program. `re.search` otherwise and
        an unanchored `re.match` are no check (`^[a-z]+` accepts "abc; rm -rf /"), and a
        pattern whose classes admit an attack's characters proves nothing for that attack
        (`pattern_clears`). None: not a regex call this module shows the pattern of."""
        use = regex_of_call(call, self.ctx)
        if use is None:
            return None
        name = self.ctx.resolve(call.func) or ""
        function = name[3:] if name.startswith("re.") else ""
        method = function or getattr(call.func, "attr", "")
        pattern = use.pattern if isinstance(use.pattern, str) else None
        if pattern is None or method not in ("match", "fullmatch", "search"):
            return {}
        if method == "search" and not pattern.startswith(("\\A", "^")):
            return {}  # `re.search` finds the pattern anywhere: only anchored at both ends
        if not use.full_match and not _END_ANCHORED.search(pattern):
            return {}
        if use.flags & re.MULTILINE and not use.full_match and not pattern.endswith("\\Z"):
            return {}  # `^`/`$` match at every line break: "abc\n; id" passes
        if method == "search" and use.flags & re.MULTILINE and pattern.startswith("^"):
            return {}
        clears = pattern_clears(pattern)
        if "path-traversal" not in clears and not _admits_separator(pattern, use.flags):
            clears = clears | {SEPARATORS_GONE}  # a name, not a path: one part of a path check
        if clears and _admits_percent_escapes(pattern, use.flags):
            # what the pattern lets through may carry `%2e%2e%2f`: safe only until decoded
            clears = clears | {ENCODED + kind for kind in clears}
        subject = argument(call, 1 if function else 0, "string")
        return self._about(subject, clears) if clears else {}

    def normalised(self, node: ast.expr) -> bool:
        """`realpath(x)`/`Path(x).resolve()`, or a variable assigned from one."""
        if isinstance(node, ast.Call):
            return self.call_tag(node) in NORMALIZERS
        return isinstance(node, ast.Name) and self.state.types.get(node.id) in NORMALIZERS

    def _normalised_names(self, node: ast.expr) -> set[str]:
        """Variables a containment check on `node` is about, when their path is normalised."""
        out: set[str] = set()
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Name, ast.Call)) and self.normalised(sub):
                out |= names_in(sub) if isinstance(sub, ast.Call) else {sub.id}
        return out

    def _startswith_clears(self, call: ast.Call) -> frozenset[str]:
        """`real.startswith(base)` proves containment only for a normalised path."""
        receiver = call.func.value  # type: ignore[attr-defined]
        kinds: set[str] = set()
        prefix = call.args[0] if call.args else None
        if self.normalised(receiver) and not self._sibling_prefix(prefix):
            kinds.add("path-traversal")
        if (
            isinstance(prefix, ast.Constant)
            and isinstance(prefix.value, str)
            and "://" in prefix.value
        ):
            host = prefix.value.split("://", 1)[1]
            if "/" in host and host.split("/", 1)[0]:
                kinds.update({"ssrf", "open-redirect"})
        return frozenset(kinds)

    def _sibling_prefix(self, prefix: ast.expr | None) -> bool:
        """A prefix known to end without a separator, which a sibling directory's path also
        starts with (`/srv/files-old`): a constant, or a normalised path (`realpath(BASE)`
        never ends with one). A prefix of unknown text is taken to end with one."""
        if prefix is None:
            return False
        value = self.fold(prefix)
        options = value if isinstance(value, tuple) else (value,)
        if all(isinstance(option, str) for option in options):
            return any(option != "/" and not option.endswith("/") for option in options)
        return self.normalised(prefix)

    def checked_expression(self, node: ast.expr, value: dict) -> dict:
        kinds = self.state.checked.get(CHECKED + ast.dump(node)) if value else None
        return self.apply_clears(value, kinds) if kinds else value


# characters each sink kind needs an attacker to get through
_ATTACK_CHARACTERS: dict[str, str] = {
    "command-injection": ";|&$`\n<>(){}' \"\\*?",
    "sql-injection": "'\";-\\ ",
    "path-traversal": "/\\",  # and ".." itself (see `pattern_clears`)
    "xss": "<>\"'&",
    "open-redirect": "/\\:",
    "ssrf": "/\\:@",
    "ldap-injection": "*()\\\0",
    "xpath-injection": "'\"[]()/",
    "header-injection": "\r\n",
    "log-injection": "\r\n",
    "code-injection": "()'\"._[]",
    "template-injection": "{}%",
}


# `Flow.cleared` holds ENCODED + kind beside a kind a check proved of text that may hold
# percent escapes (`[\w%.-]+`): a decoder (`unquote`) after the check undoes it (`weak.py`)
ENCODED = "%"


def _admits_percent_escapes(pattern: str, flags: int) -> bool:
    """Does a full match of the pattern admit `%2e%2e%2f` (text a decoder turns into `../`)?"""
    try:
        return re.compile(pattern, flags).fullmatch("%2e%2e%2f") is not None or (
            re.compile(pattern, flags).fullmatch("a%2e%2e%2f") is not None
        )
    except re.error:
        return False


def _admits_separator(pattern: str, flags: int) -> bool:
    """Can a full match of the pattern hold `/` or `\\` (unsure: yes)?"""
    pieces = _atoms(pattern)
    if pieces is None:
        return True
    return any(piece.fullmatch(sep) for piece in pieces for sep in "/\\")


def charset_clears(kept: set[str]) -> frozenset[str]:
    """The sink kinds text made only of the characters `kept` cannot attack: every kind but
    those whose attack characters are kept (a path also needs no `.`, or `..` climbs)."""
    exposed = {kind for kind, chars in _ATTACK_CHARACTERS.items() if set(chars) & kept}
    if "." in kept:
        exposed.add("path-traversal")
    if not exposed:
        return frozenset({ALL})
    return _taint_rules() - exposed


def pattern_clears(pattern: str) -> frozenset[str]:
    """The sink kinds a full match of `pattern` protects: every kind but those whose attack
    characters the pattern can match (tried one character at a time against the pattern's
    own pieces: `[a-z0-9_-]+` admits no `/` or `;`, `[\\w.-]+` admits `..`)."""
    try:
        compiled = re.compile(pattern)
    except re.error:
        return frozenset()
    pieces = _atoms(pattern)
    if pieces is None:
        return frozenset()
    admitted = {
        char
        for chars in _ATTACK_CHARACTERS.values()
        for char in chars
        if any(piece.fullmatch(char) for piece in pieces)
    }
    exposed = {kind for kind, chars in _ATTACK_CHARACTERS.items() if set(chars) & admitted}
    if compiled.fullmatch("..") or compiled.fullmatch("."):
        exposed.add("path-traversal")  # a whole component of dots climbs without a slash
    if not exposed:
        return frozenset({ALL})
    return _taint_rules() - exposed


@cache
def _taint_rules() -> frozenset[str]:
    from secreview.rules import all_rules

    return frozenset(rule for rule, meta in all_rules().items() if meta.kind == "taint")


def _atoms(pattern: str) -> list[re.Pattern[str]] | None:
    """The single-character pieces of a simple pattern (`^[a-z0-9-]+$`, `\\d{1,5}`,
    `(png|jpe?g)`): literal characters, classes, escapes; None for a pattern with `.` or
    anything this does not read (then nothing is proven)."""
    out: list[re.Pattern[str]] = []
    index = 0
    text = pattern
    while index < len(text):
        char = text[index]
        if char in "^$()|?*+":
            index += 1
            continue
        if char == "{":
            end = text.find("}", index)
            if end < 0:
                return None
            index = end + 1
            continue
        if char == ".":
            return None  # any character
        if char == "[":
            end = index + 1
            if end < len(text) and text[end] == "^":
                return None  # a negated class admits nearly everything
            if end < len(text) and text[end] == "]":
                end += 1
            while end < len(text) and text[end] != "]":
                end += 2 if text[end] == "\\" else 1
            if end >= len(text):
                return None
            piece = text[index : end + 1]
            index = end + 1
        elif char == "\\":
            piece = text[index : index + 2]
            if piece in ("\\Z", "\\A", "\\b", "\\B"):
                index += 2
                continue
            if piece in ("\\S", "\\W", "\\D"):
                return None  # admits nearly everything
            index += 2
        else:
            piece = re.escape(char)
            index += 1
        try:
            out.append(re.compile(piece))
        except re.error:
            return None
    return out


def message(node: ast.expr | None) -> ast.expr | None:
    """The value a MAC signs, through its encoding: `url.encode()`, `bytes(url, "utf-8")`."""
    while isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "encode":
            node = func.value
        elif isinstance(func, ast.Name) and func.id in ("bytes", "str") and node.args:
            node = node.args[0]
        else:
            break
    return node
