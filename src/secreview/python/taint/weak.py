"""Pass 4b, checks that look protective but are not: which ones, and an input that passes.

`Checks.guards` says what a test proves. This pass looks at the tests that prove nothing for
a sink kind (or less than they seem to), recognises the checks in them by their shape (a
prefix comparison, a block-list, a regex validator, a URL's host compared in part), and runs
the test's own code (`evaluate.Evaluator`) on attack inputs for that kind built from the
check's own constants (`BASE + "/../../etc/passwd"`, `"https://good.example.evil.example"`,
`"abc; id"` for `re.match(r"[a-z]+", x)`). A check is weak for a kind when an input that
attacks it takes the branch where the check let it through: the data on that branch carries
a step naming the check (`TraceStep.check`, a `FailingCheck`) and `summary.WEAK` + kind. A
check no input is found for is left alone: the flow is reported as the sink's own finding.

Sanitizers that do not fit their sink are found the same way, on the call (`weak_call`):
`x.replace("../", "")` gives `../` back for `....//`, `html.escape(x, quote=False)` inside an
attribute keeps its quote, `shlex.quote(x)` inside quotes is unquoted by them.

Assumes a check's other operands are what `values.py` folds (or values it does not know:
an input is kept only if it passes whatever they hold), and that a test's branches are the
check's outcomes (the branch that lets the value through is where the data goes on).
"""

from __future__ import annotations

import ast
import html
import re
import re._parser as sre_parse  # the standard parser of patterns (3.11+)
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from secreview import lazyre
from secreview.model import FailingCheck, TraceStep
from secreview.python import values as consts
from secreview.python.taint import evaluate
from secreview.python.taint.evaluate import (
    Evaluator,
    Symbols,
    Unknown,
    closed_code,
    regex_use,
    symbolic,
)
from secreview.python.taint.shapes import guarded_name, names_in, short, text_pieces
from secreview.python.taint.summary import (
    ONLY,
    WEAK,
    Flow,
    TVal,
    add_step,
    extend,
    is_cleared,
)
from secreview.rules import CHECK_RULES

Clears = dict[str, frozenset[str]]
Proof = tuple[Clears, Clears]
# a guard's `Clears` entry `~@<n>`: the module's failing check n (`ModuleAnalysis.failing`)
MARK = "~@"

PATH = "path-traversal"
URL_KINDS = ("open-redirect", "ssrf")
# attack inputs for each sink kind, the most telling first
ATTACKS: dict[str, tuple[str, ...]] = {
    PATH: ("../../../etc/passwd", "/etc/passwd", ".."),
    "command-injection": ("x; id", "x && id", "x | id", "$(id)", "`id`", "x\nid"),
    "sql-injection": ("x' OR '1'='1", "1 OR 1=1", 'x" OR "1"="1', "1; DROP TABLE users"),
    "xss": (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<ScRiPt>alert(1)</ScRiPt>",
    ),
    "open-redirect": ("//evil.example/", "/\\evil.example/", "https://evil.example/"),
    "ssrf": (
        "http://169.254.169.254/latest/meta-data/",
        "http://127.1/",
        "http://[::1]/",
        "http://2130706433/",
        "https://evil.example/",
    ),
    "ldap-injection": ("*)(uid=*))(|(uid=*", "*"),
    "xpath-injection": ("' or '1'='1", '" or "1"="1'),
    "header-injection": ("x\r\nSet-Cookie: session=evil",),
    "log-injection": ("x\nCRITICAL forged entry",),
    "code-injection": ("x if __import__('os').system('id') else x",),
    "template-injection": ("{{ config }}", "{{7*7}}", "{% debug %}"),
}
# what a block-list looks for when it means to stop an attack of the kind
TOKENS: dict[str, frozenset[str]] = {
    PATH: frozenset({"..", "../", "..\\", "/", "\\", "~", "%2e", "%2f", "/etc", "passwd"}),
    "command-injection": frozenset(
        {";", "|", "&", "$", "`", "\n", "&&", "||", "$(", ">", "<", "rm", "rm ", "sudo"}
    ),
    "sql-injection": frozenset(
        {
            "'",
            '"',
            ";",
            "--",
            "/*",
            "union",
            "select",
            "drop",
            "insert",
            "delete",
            "update",
            " or ",
            "or",
            "1=1",
            "sleep",
            "exec",
        }
    ),
    "xss": frozenset(
        {
            "<",
            ">",
            "<script",
            "<script>",
            "script",
            "javascript:",
            "javascript",
            "onerror",
            "onload",
            "alert",
            "<img",
            "<svg",
            "<iframe",
            "document.cookie",
        }
    ),
    "open-redirect": frozenset({"//", "://", "http", "https", "\\", "@", "javascript:"}),
    "ssrf": frozenset(
        {
            "localhost",
            "127.0.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "::1",
            "[::1]",
            "metadata",
            "file://",
            "gopher://",
            "internal",
            "@",
        }
    ),
    "ldap-injection": frozenset({"*", "(", ")", "\\", "|", "&"}),
    "xpath-injection": frozenset({"'", '"', " or ", "[", "]"}),
    "header-injection": frozenset({"\r", "\n", "\r\n"}),
    "log-injection": frozenset({"\r", "\n", "\r\n"}),
    "code-injection": frozenset({"__import__", "import", "eval", "exec", "os.system", "__"}),
    "template-injection": frozenset({"{{", "}}", "{%", "%}", "${"}),
}
ALL_KINDS = tuple(ATTACKS)

# the rules that report checks that look protective but are not (`taint/rules/`)
PATH_RULE, URL_RULE, REGEX_RULE, BLOCK_RULE, ESCAPE_RULE, CONDITIONAL_RULE = CHECK_RULES
RULES = CHECK_RULES

FIX_PATH = (
    "Resolve the path, then compare whole components: `real = os.path.realpath(os.path.join("
    "BASE, name))` and `os.path.commonpath([BASE, real]) == BASE` (or `Path(BASE, name)"
    ".resolve().is_relative_to(BASE)`); a value meant as a plain file name must hold no "
    "separator and no `..` at all."
)
FIX_URL = (
    "Parse the URL and allow-list what it may be: `parts = urllib.parse.urlsplit(url)` with "
    "`parts.scheme in {'http', 'https'} and parts.hostname in ALLOWED_HOSTS`; a path on this "
    "site has no scheme, no host, and no `/` or `\\` right after its first `/`."
)
FIX_SSRF = (
    "Parse the URL, allow-list its scheme and exact host (`urllib.parse.urlsplit(url)"
    ".hostname in ALLOWED_HOSTS`), resolve the host and check each address with `ipaddress` "
    "(`is_private`, `is_loopback`, `is_link_local`), then connect to the address checked."
)
FIX_REGEX = (
    "Match the whole value with a class that admits none of the sink's special characters: "
    "`re.fullmatch(r'[A-Za-z0-9_-]+', value)` (or end the pattern with `\\Z`, not `$`)."
)
_FIX_BLOCK: dict[str, str] = {
    "sql-injection": "Pass the value as a bound parameter (`cursor.execute(sql, (value,))`) "
    "instead of filtering it.",
    "command-injection": "Pass an argument list without a shell (`subprocess.run(['prog', "
    "value])`), or allow-list the value (`re.fullmatch(r'[A-Za-z0-9_.-]+', value)`).",
    "xss": "Escape on output (`html.escape`, or a template that autoescapes) instead of "
    "filtering tags.",
    PATH: FIX_PATH,
    "ssrf": FIX_SSRF,
    "open-redirect": FIX_URL,
}
FIX_CONDITIONAL = (
    "Run the check on every path to the sink, whatever the settings: validate where the "
    "value is used, and let a setting at most make the check stricter."
)
FIX_BLOCK = (
    "Allow-list what may pass (`re.fullmatch` of a safe pattern, or one of a set of known "
    "values) instead of listing what may not."
)


@dataclass(slots=True)
class Atom:
    """One check inside a test: the part of the test it is, the variable it is about, and
    the truth of that part when the check lets the value through."""

    node: ast.expr
    subject: str
    accepting: bool
    kinds: tuple[str, ...]
    shape: str  # see `_WHY`
    hint: ast.expr | None = None  # the prefix, needle or suffix the check compares with
    tokens: tuple[str, ...] = ()  # what a block-list looks for
    pattern: tuple[str, int] | None = None  # a regex validator's pattern and flags


@dataclass(slots=True)
class _Found:
    atom: Atom
    inputs: dict[str, str] = field(default_factory=dict)  # kind -> input
    tokens: tuple[str, ...] = ()  # what the test's block-lists refuse


@cache
def _lead(pattern: str, flags: int) -> str | None:
    """A short text the pattern matches from its start (`^[a-z]+` -> "a"), or None."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError):
        return None
    out: list[str] = []
    if not _walk_lead(list(parsed), out, 0):
        return None
    return "".join(out)


def _walk_lead(items: list, out: list[str], depth: int) -> bool:
    if depth > 20:
        return False
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(arg))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(arg) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            char = _class_char(arg)
            if char is None:
                return False
            out.append(char)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _high, sub = arg
            for _ in range(min(low, 8)):
                if not _walk_lead(list(sub), out, depth + 1):
                    return False
        elif name == "SUBPATTERN":
            if not _walk_lead(list(arg[-1]), out, depth + 1):
                return False
        elif name == "ATOMIC_GROUP":
            if not _walk_lead(list(arg), out, depth + 1):
                return False
        elif name == "BRANCH":
            if not _walk_lead(list(arg[1][0]), out, depth + 1):
                return False
        elif name == "AT":
            continue
        else:
            return False  # look-arounds, back-references: not followed
    return True


def _class_char(items: list) -> str | None:
    """A character of a class, a letter or digit when it admits one."""
    if items and str(items[0][0]) == "NEGATE":
        compiled = None
        for char in "aA0_":
            try:
                compiled = compiled or re.compile("[" + _class_text(items) + "]")
            except re.error:
                return None
            if compiled.fullmatch(char):
                return char
        return None
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            return chr(arg)
        if name == "RANGE":
            return chr(arg[0])
        if name == "CATEGORY":
            return {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}.get(
                str(arg), "a"
            )
    return None


def _class_text(items: list) -> str:
    text = ""
    for op, arg in items:
        name = str(op)
        if name == "NEGATE":
            text += "^"
        elif name == "LITERAL":
            text += re.escape(chr(arg))
        elif name == "RANGE":
            text += f"{re.escape(chr(arg[0]))}-{re.escape(chr(arg[1]))}"
        elif name == "CATEGORY":
            text += {"CATEGORY_DIGIT": r"\d", "CATEGORY_WORD": r"\w", "CATEGORY_SPACE": r"\s"}.get(
                str(arg), ""
            )
    return text


def _path_removal(old: str, new: str) -> bool:
    """A replacement meant to take a path's attack out: of `..` or a separator, by text
    with no separator (`.replace("/", "_")`), not a separator made another one."""
    return _relevant(old, PATH) and "/" not in new and "\\" not in new


def _relevant(token: str, kind: str) -> bool:
    """Does a block-list that looks for `token` mean to stop attacks of `kind`?"""
    text = token.lower()
    tokens = TOKENS[kind]
    if text in tokens:
        return True
    return any(len(t) >= 3 and t in text for t in tokens)


def _url_like(value: object) -> bool:
    return isinstance(value, str) and (
        "://" in value or value.startswith(("http:", "https:", "//")) or value in ("/", "\\")
    )


def _domain_like(value: object) -> bool:
    return (
        isinstance(value, str)
        and "." in value.strip(".")
        and "/" not in value
        and " " not in value
        and any(c.isalpha() for c in value)
        and not value.startswith((".", "<"))
    )


def candidates(
    kind: str, atoms: list[Atom], values: dict[int, object], host: bool, resolved: bool = False
) -> list[str]:
    """Attack inputs for `kind`, fitted to what the check compares with (`values`: the
    evaluated hint of each atom, by `id(atom)`); `host`: the variable holds a host name;
    `resolved`: it holds a resolved path (`realpath(p)`), which has no `..` left."""
    found = _candidates(kind, atoms, values, host)
    if resolved and kind == PATH:
        return [c for c in found if _resolved_form(c)]
    return found


def _resolved_form(path: str) -> bool:
    """Could `realpath` give this (absolute, or a symbol, with no `.`/`..`/empty parts)?"""
    head, tail = (path[0], path[1:]) if path and symbolic(path[0]) else ("", path)
    if not head and not tail.startswith("/"):
        return False
    return not re.search(r"(^|/)\.\.?(/|$)|//|/$", tail)


def _candidates(kind: str, atoms: list[Atom], values: dict[int, object], host: bool) -> list[str]:
    out: list[str] = []
    hinted = [(a.shape, values[id(a)]) for a in atoms if id(a) in values]
    prefixes = [v for shape, v in hinted if shape in ("prefix", "commonprefix")]
    needles = [v for shape, v in hinted if shape == "needle"]
    suffixes = [v for shape, v in hinted if shape == "host-suffix"]
    leads = [
        lead
        for a in atoms
        if a.shape == "regex" and a.pattern is not None
        for lead in [_lead(*a.pattern)]
        if lead
    ]
    if host:
        out += [f"evil{s}" for s in suffixes if isinstance(s, str) and not s.startswith(".")]
        out += [f"{n}.evil.example" for n in needles if isinstance(n, str)]
        return [*out, "evil.example", "127.0.0.1", "169.254.169.254"]
    if kind == PATH:
        for prefix in prefixes:
            for option in prefix if isinstance(prefix, tuple) else (prefix,):
                if not isinstance(option, str) or _url_like(option):
                    continue
                if option.endswith("/"):
                    out.append(option + "../../../etc/passwd")
                else:
                    out += [option + "/../../../etc/passwd", option + "-evil/secret"]
        out += [lead + "/../../../etc/passwd" for lead in leads]
    elif kind in URL_KINDS:
        for prefix in prefixes:
            for option in prefix if isinstance(prefix, tuple) else (prefix,):
                if not isinstance(option, str) or not _url_like(option) or symbolic(option):
                    continue
                if option in ("/", "\\"):
                    continue  # the attacks below start with it
                if option.endswith("://"):
                    out += [option + "169.254.169.254/latest/meta-data/", option + "evil.example/"]
                else:
                    out += [option + ".evil.example/", option + "@evil.example/"]
        for needle in needles:
            if isinstance(needle, str) and not symbolic(needle):
                out += [
                    f"https://evil.example/?{needle}",
                    f"https://{needle}.evil.example/",
                    f"https://{needle}@evil.example/",
                ]
        out += [f"https://evil{s}/" for s in suffixes if isinstance(s, str) and s[:1] != "."]
        out += [lead + ".evil.example/" for lead in leads if "://" in lead]
    else:
        attacks = ATTACKS[kind]
        out += [lead + attack.removeprefix("x") for lead in leads for attack in attacks]
        # `^`/`$` under re.MULTILINE: one good line, the attack on the next
        out += [lead + "\n" + attack for lead in leads for attack in attacks[:2]]
    return [*out, *ATTACKS[kind]]


# why each shape of check fails: (rule, related CWE, sentence)
_WHY: dict[str, tuple[str, int, str]] = {
    "prefix-raw": (
        PATH_RULE,
        180,
        "it compares the text of a path that is not resolved yet, so `..` components climb "
        "out of the base after the check has passed",
    ),
    "prefix-sibling": (
        PATH_RULE,
        187,
        "the base has no trailing separator, so a sibling directory whose name starts with "
        "the base's name passes",
    ),
    "commonprefix": (
        PATH_RULE,
        187,
        "`os.path.commonprefix` compares characters, not path components, so a sibling "
        "directory whose name starts with the base's name passes",
    ),
    "absolute": (PATH_RULE, 184, "refusing absolute paths does not stop `..` components"),
    "path-token": (PATH_RULE, 184, "a block-list of path text misses other ways out"),
    "relative-url": (
        URL_RULE,
        1289,
        "a URL that starts with `/` can still name another host: `//evil.example`, and "
        "`/\\evil.example`, which browsers read as `//evil.example`",
    ),
    "scheme-only": (
        URL_RULE,
        20,
        "it checks only the scheme, and any host, the server's own network included, has a "
        "URL with that scheme",
    ),
    "url-prefix": (
        URL_RULE,
        187,
        "the prefix ends before the host does, so a longer host name or a user part "
        "(`@evil.example`) that starts with it leads elsewhere",
    ),
    "needle": (
        URL_RULE,
        187,
        "any URL can contain the allowed host's name (in its path, query, user part or as a "
        "subdomain of another host)",
    ),
    "host-suffix": (
        URL_RULE,
        187,
        "the host is compared by its end without a `.` before it, so another domain that ends "
        "with the same text passes",
    ),
    "no-host": (
        URL_RULE,
        1289,
        "`urlparse` sees no host in `/\\evil.example`, which browsers read as `//evil.example`",
    ),
    "regex-start": (
        REGEX_RULE,
        20,
        "`match` anchors the pattern only at the start: anything may follow the part it matches",
    ),
    "regex-search": (
        REGEX_RULE,
        20,
        "`search` accepts a value that merely contains a match somewhere",
    ),
    "regex-lines": (
        REGEX_RULE,
        20,
        "under `re.MULTILINE`, `^` and `$` match at every line break, so one good line lets "
        "the rest through",
    ),
    "regex-class": (
        REGEX_RULE,
        20,
        "the pattern's character classes admit the characters the attack needs",
    ),
    "block-regex": (
        BLOCK_RULE,
        184,
        "the pattern looks for some attack text, and the attack has other forms",
    ),
    "token": (BLOCK_RULE, 184, "the block-list misses other forms of the attack"),
}


class WeakChecks:
    """The weak-check part of a function's analysis (mixed into `FunctionAnalysis` through
    `Checks`)."""

    # --- tests -----------------------------------------------------------------------
    def weak_proof(self, test: ast.expr, proof: Proof) -> Proof:
        """The markers of the checks in `test` that let an attack through, on the branch
        where they do (`MARK` entries, merged into `proof`, what `guards` says)."""
        if isinstance(test, (ast.BoolOp, ast.UnaryOp)):
            proof = self._conditional(test, proof)
        atoms = self._atoms(test)
        if not atoms:
            return proof
        env = self.state.env
        by_subject: dict[str, list[Atom]] = {}
        for atom in atoms:
            by_subject.setdefault(atom.subject, []).append(atom)
        out = (dict(proof[0]), dict(proof[1]))
        for subject, own in by_subject.items():
            value = env.get(subject)
            if not value:
                continue
            origin = self.state.derived.get(subject)
            for branch, clears in ((True, out[0]), (False, out[1])):
                marks = self._weak_marks(test, subject, own, value, branch, clears)
                if not marks:
                    continue
                clears[subject] = clears.get(subject, frozenset()) | marks
                if origin is not None and origin[1]:
                    # `host = urlparse(url).hostname`: the URL passed the check too
                    clears[origin[0]] = clears.get(origin[0], frozenset()) | marks
        return out

    def _conditional(self, test: ast.expr, proof: Proof) -> Proof:
        """`if not valid(x) and FLAG: abort()`: a check that decides only when a condition
        that is not about the data holds (a setting, a debug flag). On the branch the data
        takes when the condition skips the check, the kinds the check alone would prove are
        marked weak: the check runs only sometimes."""
        node, negated = test, False
        while isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            node, negated = node.operand, not negated
        if not isinstance(node, ast.BoolOp):
            return proof
        checks = [v for v in node.values if self.may_check(v)]  # cheap, on syntax: first
        if not checks:
            return proof
        env = self.state.env
        data = [v for v in node.values if any(env.get(n) for n in names_in(v))]
        conditions = [v for v in node.values if not any(env.get(n) for n in names_in(v))]
        if not data or not conditions:
            return proof
        checked = {n for v in data for n in names_in(v) if not env.get(n)}
        if any(names_in(c) <= checked or consts.is_constant(self.fold(c)) for c in conditions):
            # `ext not in allowed and '' not in allowed`: the allow-list's own wildcard entry,
            # or a constant, not a condition outside the check
            return proof
        alone = self.guards(ast.BoolOp(node.op, data) if len(data) > 1 else data[0])
        if negated:
            alone = (alone[1], alone[0])
        either = isinstance(node.op, ast.Or)
        branch = either != negated  # the branch the condition sends the data to, unchecked
        actual = proof[0] if branch else proof[1]
        skipped = self._skipped_kinds(alone[0] if branch else alone[1], actual)
        if not skipped:
            return proof
        skips_when = either  # the truth of the condition that lets the data by unchecked
        first = conditions[0]
        if (
            len(conditions) == 1
            and isinstance(first, ast.UnaryOp)
            and isinstance(first.op, ast.Not)
        ):
            shown, skips_when = short(first.operand, self.ctx.lines), not either
        else:
            joiner = " or " if either else " and "
            shown = joiner.join(short(c, self.ctx.lines) for c in conditions)
        why = (
            f"it is skipped whenever `{shown}` is {'true' if skips_when else 'false'}, a "
            "condition that is not about the data"
        )
        out = (dict(proof[0]), dict(proof[1]))
        target = out[0] if branch else out[1]
        for name, kinds in skipped.items():
            mark = self._conditional_check(test, why, name, kinds)
            target[name] = target.get(name, frozenset()) | {mark}
        return out

    def only_when(
        self, test: ast.expr, condition: tuple[ast.expr, bool], when_true: Clears,
        when_false: Clears,
    ) -> Proof:  # fmt: skip
        """`if FLAG:` then `if not SAFE.fullmatch(name): abort()`: what a check that ends
        the path it rejects proves holds on this path only. Each kind it proves is marked
        `ONLY` (with the check's step): where a path that skipped the check joins, the data
        is weak for that kind (`summary.meet`). Conditions about the data are other checks,
        not settings; a test whose branches both go on (`if x == -1:`) is no such check."""
        outer, truth = condition
        env = self.state.env
        if any(env.get(n) for n in names_in(outer)) or consts.is_constant(self.fold(outer)):
            return when_true, when_false
        statement = self.ctx.parent(test)
        if not isinstance(statement, ast.If) or statement.test is not test:
            return when_true, when_false
        if when_false and self._leaves(statement.body):
            when_false = self._only(test, outer, truth, when_false)
        if when_true and self._leaves(statement.orelse):
            when_true = self._only(test, outer, truth, when_true)
        return when_true, when_false

    def _leaves(self, body: list[ast.stmt]) -> bool:
        """The block ends the path: its last statement returns, raises, leaves the loop or
        calls what never returns (`abort(400)`)."""
        if not body:
            return False
        last = body[-1]
        if isinstance(last, (ast.Return, ast.Raise, ast.Continue, ast.Break)):
            return True
        return (
            isinstance(last, ast.Expr)
            and isinstance(last.value, ast.Call)
            and self.never_returns(last.value)
        )

    def _only(self, test: ast.expr, outer: ast.expr, truth: bool, proven: Clears) -> Clears:
        env = self.state.env
        sinks = [k for k in ALL_KINDS if k in self.mod.rules]
        out = dict(proven)
        for name, kinds in proven.items():
            if name.startswith("@") or not env.get(name):
                continue
            have = Flow((), kinds)
            covered = tuple(k for k in sinks if is_cleared(have, k))
            if not covered:
                continue
            shown = short(outer, self.ctx.lines)
            why = (
                f"it runs only when `{shown}` (line {outer.lineno}) is "
                f"{'true' if truth else 'false'}, a condition that is not about the data, and "
                "the other path reaches the sink unchecked"
            )
            out[name] = kinds | {self._conditional_check(test, why, name, covered, ONLY)}
        return out

    def _skipped_kinds(self, alone: Clears, actual: Clears) -> dict[str, tuple[str, ...]]:
        """The sink kinds each variable would be proven safe for by the check alone and is
        not by the whole test, among the sinks the review follows."""
        sinks = [k for k in ALL_KINDS if k in self.mod.rules]
        out: dict[str, tuple[str, ...]] = {}
        for name, kinds in alone.items():
            if name.startswith("@") or not self.state.env.get(name):
                continue
            have = Flow((), actual.get(name, frozenset()))
            proven = Flow((), kinds)
            lost = tuple(k for k in sinks if is_cleared(proven, k) and not is_cleared(have, k))
            if lost:
                out[name] = lost
        return out

    def _weak_marks(
        self,
        test: ast.expr,
        subject: str,
        atoms: list[Atom],
        value: TVal,
        branch: bool,
        clears: Clears,
    ) -> frozenset[str]:
        proven = clears.get(subject, frozenset())
        if "*" in proven:
            return frozenset()
        host = self._holds_host(subject)
        resolved = "." not in subject and self.normalised(ast.Name(subject))
        symbols = Symbols()
        hints = self._hints(atoms, subject, symbols)
        found: dict[str, _Found] = {}  # rule -> what it found
        for kind in sorted({k for a in atoms for k in a.kinds}):
            if kind not in self.mod.rules or is_cleared(Flow((), proven), kind):
                continue
            if all(is_cleared(flow, kind) for flow in value.values()):
                continue
            relevant = [a for a in atoms if kind in a.kinds]
            for candidate in candidates(kind, relevant, hints, host, resolved):
                accepted = self._passes(test, subject, relevant, candidate, branch, symbols)
                if accepted is None:
                    continue
                rule = _WHY[self._shape(accepted, candidate, hints)][0]
                tokens = tuple(dict.fromkeys(t for a in relevant for t in a.tokens))
                entry = found.setdefault(rule, _Found(accepted, tokens=tokens))
                entry.inputs.setdefault(kind, candidate)
                break
        marks = [
            self._failing(test, subject, entry, symbols, hints, branch) for entry in found.values()
        ]
        return frozenset(marks)

    def _passes(
        self,
        test: ast.expr,
        subject: str,
        atoms: list[Atom],
        candidate: str,
        branch: bool,
        symbols: Symbols,
    ) -> Atom | None:
        """The check of `atoms` that lets `candidate` through to `branch`, if one does."""
        run = Evaluator(self.ctx, self.fold, self.normalised, symbols, subject, candidate)
        try:
            if run.truth(test) is not branch:
                return None
        except Unknown:
            return None
        for atom in atoms:
            try:
                if run.truth(atom.node) is atom.accepting:
                    return atom
            except Unknown:
                continue
        return None

    def _hints(self, atoms: list[Atom], subject: str, symbols: Symbols) -> dict[int, object]:
        """The value each atom compares with (a prefix, a needle, a suffix)."""
        run = Evaluator(self.ctx, self.fold, self.normalised, symbols, subject, "")
        out: dict[int, object] = {}
        for atom in atoms:
            if atom.hint is None:
                continue
            try:
                out[id(atom)] = run.eval(atom.hint)
            except Unknown:
                continue
        return out

    def _shape(self, atom: Atom, candidate: str, hints: dict[int, object]) -> str:
        """The shape of check that let `candidate` through, as `_WHY` names it."""
        if atom.shape == "prefix":
            prefix = hints.get(id(atom))
            options = prefix if isinstance(prefix, tuple) else (prefix,)
            if any(_url_like(o) and o in ("/", "\\") for o in options):
                return "relative-url"
            if any(isinstance(o, str) and candidate.startswith(o) and o.endswith("://")
                   for o in options):  # fmt: skip
                return "scheme-only"
            if any(_url_like(o) for o in options):
                return "url-prefix"
            return "prefix-sibling" if self._normalised_subject(atom) else "prefix-raw"
        if atom.shape == "regex":
            pattern, flags = atom.pattern or ("", 0)
            method = _regex_method(atom.node, self.ctx)
            if flags & re.MULTILINE and ("$" in pattern or "^" in pattern):
                return "regex-lines"
            if method == "search" and not pattern.startswith(("^", "\\A")):
                return "regex-search"
            if method == "search":
                method = "match"
            if method == "match" and not re.search(r"(?<!\\)(\$|\\Z)\)*$", pattern):
                return "regex-start"
            return "regex-class"
        if atom.shape == "token":
            return "path-token" if PATH in atom.kinds and len(atom.kinds) == 1 else "token"
        return atom.shape

    def _normalised_subject(self, atom: Atom) -> bool:
        node = atom.node
        receiver = (
            node.func.value
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            else None
        )
        return receiver is not None and self.normalised(receiver)

    def _failing(
        self,
        test: ast.expr,
        subject: str,
        entry: _Found,
        symbols: Symbols,
        hints: dict[int, object],
        branch: bool,
    ) -> str:
        """Register the failing check; its marker for a guard's `Clears`."""
        name = subject.replace(".", "_")
        if not branch and isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test_code, branch = test.operand, True  # `not (not x.startswith(B))` reads badly
        else:
            test_code = test
        code = closed_code(test_code, self.ctx, self.fold, symbols, subject, name)
        if not branch:
            code = f"not ({code})"
        first = next(iter(entry.inputs.values()))
        shape = self._shape(entry.atom, first, hints)
        rule, cwe, why = _WHY[shape]
        if shape in ("token", "path-token"):
            why = _token_why(entry.tokens or entry.atom.tokens, first)
        inputs = tuple(
            (kind, symbols.code(value, names=False), symbols.code(value, names=True))
            for kind, value in entry.inputs.items()
        )
        kinds = tuple(entry.inputs)
        if rule == REGEX_RULE:
            fix = FIX_REGEX
        elif rule == PATH_RULE:
            fix = FIX_PATH
        else:
            fix = _FIX_BLOCK.get(kinds[0], FIX_BLOCK)
        check = FailingCheck(
            rule=rule,
            why=why,
            related_cwe=cwe,
            kinds=kinds,
            fix=fix,
            subject=name,
            test=code,
            inputs=inputs,
            symbols=tuple(c for c, _ in symbols.items),
        )
        step = TraceStep(self.ctx.location(test), f"{short(test, self.ctx.lines)} (check)", check)
        return self.register_failing(step, kinds)

    def _conditional_check(
        self, test: ast.expr, why: str, name: str, kinds: tuple[str, ...], prefix: str = WEAK
    ) -> str:
        """A check that runs only sometimes (`conditional-check`), kept as a failing check
        on `name` at `test`: its marker."""
        check = FailingCheck(
            rule=CONDITIONAL_RULE,
            why=why,
            related_cwe=20,
            kinds=kinds,
            fix=FIX_CONDITIONAL,
            subject=name,
        )
        step = TraceStep(self.ctx.location(test), f"{short(test, self.ctx.lines)} (check)", check)
        return self.register_failing(step, kinds, prefix)

    def register_failing(self, step: TraceStep, kinds: tuple[str, ...], prefix: str = WEAK) -> str:
        """Keep a failing check for this module; the marker a guard's `Clears` names it by
        (`prefix`: `WEAK`, or `ONLY` for a check that holds only on the path it is on)."""
        failing = self.mod.failing
        failing.append((step, frozenset(prefix + kind for kind in kinds)))
        return f"{MARK}{len(failing) - 1}"

    def apply_clears(self, value: TVal, kinds: frozenset[str]) -> TVal:
        """`value` past a check that proved `kinds`: what it proved, and the steps of the
        failing checks its markers name."""
        if not value:
            return value
        marks = [k for k in kinds if k.startswith(MARK)]
        if not marks:
            return extend(value, clears=kinds)
        for mark in sorted(marks):
            step, weak = self.mod.failing[int(mark[len(MARK) :])]
            value = extend(value, step, weak)
        plain = kinds.difference(marks)
        return extend(value, clears=plain) if plain else value

    def _holds_host(self, subject: str) -> bool:
        origin = self.state.derived.get(subject)
        return origin is not None and origin[1]

    # --- sanitizers that do not fit ----------------------------------------------------
    def weak_call(
        self, node: ast.Call, qualified: str | None, method: str | None, value: TVal,
        cleared: frozenset[str] | None,
    ) -> tuple[TVal, frozenset[str] | None]:  # fmt: skip
        """A sanitizer call that lets the attack of a sink through (`x.replace("../", "")`,
        `html.escape(x, quote=False)` inside an attribute, `shlex.quote(x)` inside quotes):
        the data with the call's step marked failing, and what it still clears."""
        found = self._weak_sanitizer(node, qualified or "", method, cleared or frozenset())
        if found is None:
            return value, cleared
        check, _subject, dropped = found
        step = TraceStep(self.ctx.location(node), f"{short(node, self.ctx.lines)} (check)", check)
        value = extend(value, step, frozenset(WEAK + kind for kind in check.kinds))
        if cleared is not None and dropped:
            cleared = cleared - dropped
        return value, cleared

    def _weak_sanitizer(
        self, node: ast.Call, qualified: str, method: str | None, cleared: frozenset[str]
    ) -> tuple[FailingCheck, str, frozenset[str]] | None:
        if method == "replace" and not _chained_on(node, self.ctx):
            return self._weak_replace(node, cleared)
        if qualified in ("os.path.normpath", "posixpath.normpath") and len(node.args) == 1:
            return self._weak_normpath(node, cleared)
        if qualified in _HTML_ESCAPES:
            return self._weak_html_escape(node, qualified)
        if qualified in ("shlex.quote", "pipes.quote"):
            return self._weak_shell_quote(node)
        if qualified == "re.escape":
            return self._weak_re_escape(node, cleared)
        return None

    def _subject_node(self, node: ast.expr) -> tuple[ast.expr, str] | None:
        """The tainted value a sanitizer works on: a variable, or the read itself."""
        name = guarded_name(node)
        if name is not None and not self.state.env.get(name):
            return None
        return node, name or ast.unparse(node)

    def _inputs(
        self,
        call: ast.expr,
        subject: ast.expr,
        kinds: list[tuple[str, list[str]]],
        still: dict[str, Outcome],
        substitute: dict[int, ast.expr] | None = None,
    ) -> tuple[dict[str, str], Symbols] | None:
        """Which candidate of each kind the call leaves an attack (`still[kind]`, of the
        call's result): kind -> input."""
        symbols = Symbols()
        out: dict[str, str] = {}
        for kind, options in kinds:
            for candidate in options:
                run = Evaluator(self.ctx, self.fold, self.normalised, symbols, "", candidate)
                run.subject_node = subject
                run.substitute = substitute or {}
                try:
                    result = run.eval(call)
                except Unknown:
                    continue
                if isinstance(result, str) and not symbolic(result) and _holds(still[kind], result):
                    out[kind] = candidate
                    break
        return (out, symbols) if out else None

    def _sanitizer_check(
        self,
        call: ast.expr,
        subject: tuple[ast.expr, str],
        inputs: dict[str, str],
        symbols: Symbols,
        why: tuple[str, int, str],
        still: dict[str, Outcome],
        fix: str,
        substitute: dict[int, ast.expr] | None = None,
    ) -> FailingCheck:
        node, shown_name = subject
        name = "value" if not shown_name.isidentifier() else shown_name
        closer_subject = guarded_name(node) or ""
        code = closed_code(
            call, self.ctx, self.fold, symbols, closer_subject, name, substitute, node
        )
        outcome = " or ".join(f"({still[kind].code})" for kind in inputs)
        rule, cwe, sentence = why
        return FailingCheck(
            rule=rule,
            why=sentence,
            related_cwe=cwe,
            kinds=tuple(inputs),
            fix=fix,
            subject=name,
            test=f"(lambda r: {outcome})({code})",
            inputs=tuple(
                (k, symbols.code(v, names=False), symbols.code(v, names=True))
                for k, v in inputs.items()
            ),
            symbols=tuple(c for c, _ in symbols.items),
        )

    def _weak_replace(
        self, node: ast.Call, cleared: frozenset[str]
    ) -> tuple[FailingCheck, str, frozenset[str]] | None:
        """`x.replace("../", "")`: a removal made once puts the attack back together."""
        from secreview.python.taint.conditions import _replacements, doubles_quotes

        pairs = _replacements(node)
        if not pairs:
            return None
        inner: ast.expr = node
        while isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute):
            if inner.func.attr != "replace":
                break
            inner = inner.func.value
        subject = self._subject_node(inner)
        if subject is None:
            return None
        mysql = doubles_quotes(node) and self._mysql()
        wanted: list[tuple[str, list[str]]] = []
        for kind in (PATH, "xss", "sql-injection", "command-injection"):
            if kind not in self.mod.rules:
                continue
            if is_cleared(Flow((), cleared), kind) and not (mysql and kind == "sql-injection"):
                continue
            if not any(_relevant(old, kind) for old, _ in pairs):
                continue
            if kind == PATH and not any(_path_removal(old, new) for old, new in pairs):
                continue  # `.replace("\\", "/")`: a path's separators made one kind, no check
            options = [*ATTACKS[kind], *(_nested(attack, pairs) for attack in ATTACKS[kind])]
            if kind == "sql-injection" and mysql:
                options = ["\\' OR 1=1 -- "]
            wanted.append((kind, options))
        still = {**_STILL, "sql-injection": _MYSQL_OUT} if mysql else _STILL
        found = self._inputs(node, subject[0], wanted, still) if wanted else None
        if found is None:
            return None
        inputs, symbols = found
        kind = next(iter(inputs))
        value = inputs[kind]
        if kind == PATH:
            dots = any(".." in old for old, _ in pairs)
            why = _REPLACE_WHY[
                "path-abs" if value.startswith("/") else "path-once" if dots else "path-dots"
            ]
            fix = FIX_PATH
        elif kind == "sql-injection":
            other = any(old == '"' and new == '""' for old, new in pairs)
            why = _REPLACE_WHY["sql-mysql" if mysql else "sql-other" if other else "sql-strip"]
            fix = _FIX_BLOCK[kind]
        else:
            why = _REPLACE_WHY["removal"]
            fix = _FIX_BLOCK.get(kind, FIX_BLOCK)
        check = self._sanitizer_check(node, subject, inputs, symbols, why, still, fix)
        return check, subject[1], frozenset({"sql-injection"} if mysql else ())

    def _mysql(self) -> bool:
        """A MySQL driver in the module: a backslash escapes a quote in its string literals."""
        return any(self.ctx.symbols.imports(m) for m in ("pymysql", "MySQLdb", "mysql", "aiomysql"))

    def _weak_normpath(
        self, node: ast.Call, cleared: frozenset[str]
    ) -> tuple[FailingCheck, str, frozenset[str]] | None:
        """`os.path.normpath(os.path.join(BASE, name))` (a path normalised, as if to check
        it, and never checked) or `os.path.join(BASE, os.path.normpath(name))` (a name
        normalised as if that took its `..` out): `normpath` collapses `..` and keeps where
        they lead. A `normpath` of another use (a path shown to an administrator's file
        browser, one `safe_join` checks next) is not a check."""
        if PATH not in self.mod.rules or is_cleared(Flow((), cleared), PATH):
            return None
        argument = node.args[0]
        inner = argument
        base: ast.expr | None = None
        if (
            isinstance(argument, ast.Call)
            and self.qualified(argument.func) in ("os.path.join", "posixpath.join")
            and len(argument.args) == 2
        ):
            base, inner = argument.args
        if base is None and not self._joined_onto_base(node):
            return None
        subject = self._subject_node(inner)
        if subject is None:
            return None
        still = dict(_STILL)
        if base is not None:
            still[PATH] = Outcome("r == '/etc/passwd'", lambda r: r == "/etc/passwd")
        found = self._inputs(node, subject[0], [(PATH, ["../../../../../../etc/passwd"])], still)
        if found is None:
            return None
        inputs, symbols = found
        why = _REPLACE_WHY["normpath" if base is not None else "normpath-name"]
        check = self._sanitizer_check(node, subject, inputs, symbols, why, still, FIX_PATH)
        return check, subject[1], frozenset()

    def _joined_onto_base(self, node: ast.expr) -> bool:
        """`node` is what follows a base in a path: `os.path.join(BASE, node)`, `BASE + node`."""
        parent = self.ctx.parent(node)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
            return parent.right is node
        return (
            isinstance(parent, ast.Call)
            and self.qualified(parent.func) in ("os.path.join", "posixpath.join")
            and node in parent.args[1:]
        )

    def _weak_html_escape(
        self, node: ast.Call, qualified: str
    ) -> tuple[FailingCheck, str, frozenset[str]] | None:
        """HTML escaping where the text lands in an attribute it does not fit (there, or
        where the variable it is assigned to is written)."""
        if "xss" not in self.mod.rules or not node.args:
            return None
        context = script = None
        for place in _landings(node, self.ctx):
            before = _text_before(place, self.ctx, self.fold)
            script = _script_context(before)
            context = _html_context(before) if script is None else None
            if context is not None or script is not None:
                break
        quotes = self._quote_flag(node, qualified)
        if script is not None:
            return self._weak_in_script(node, script, quotes)
        if context is None:
            return None
        attribute, quote, starts = context
        subject = self._subject_node(node.args[0])
        if subject is None:
            return None
        if attribute.startswith("on"):
            shape, option = "event", "');alert(1);//"
        elif attribute in _URL_ATTRIBUTES and starts:
            shape, option = "url", "javascript:alert(1)"
        elif not quote:
            shape, option = "unquoted", "x onmouseover=alert(1)"
        elif not quotes:
            shape, option = "quote", f"x{quote} onmouseover={quote}alert(1)"
        else:
            return None
        still = _ESCAPED_OUT[quote if shape == "quote" else shape]
        found = self._inputs(node, subject[0], [("xss", [option])], {"xss": still})
        if found is None:
            return None
        inputs, symbols = found
        why, fix = _ESCAPE_WHY[shape], _ESCAPE_FIX[shape]
        check = self._sanitizer_check(node, subject, inputs, symbols, why, {"xss": still}, fix)
        return check, subject[1], frozenset({"xss"})

    def _weak_in_script(
        self, node: ast.Call, quote: str, quotes: bool
    ) -> tuple[FailingCheck, str, frozenset[str]] | None:
        """HTML escaping of a value written into a `<script>` element: outside a string
        literal (or in a template literal) JavaScript needs no `<` or quote to run."""
        if quote in ("'", '"') and quotes:
            return None  # inside a JS string whose quote the escaping turns into an entity
        subject = self._subject_node(node.args[0])
        if subject is None:
            return None
        option = {"": "1;alert(1)//", "`": "${alert(1)}"}.get(quote, f"{quote};alert(1);//")
        still = _ESCAPED_OUT["script" if quote == "" else quote]
        found = self._inputs(node, subject[0], [("xss", [option])], {"xss": still})
        if found is None:
            return None
        inputs, symbols = found
        why, fix = _ESCAPE_WHY["script"], _ESCAPE_FIX["script"]
        check = self._sanitizer_check(node, subject, inputs, symbols, why, {"xss": still}, fix)
        return check, subject[1], frozenset({"xss"})

    def _quote_flag(self, node: ast.Call, qualified: str = "html.escape") -> bool:
        """Whether the escaping turns quotes into entities: `html.escape(x, quote=...)`
        unless the call turns it off, `cgi.escape(x, quote=...)` only when it turns it
        on, the others always."""
        if qualified not in ("html.escape", "cgi.escape"):
            return True
        flag = (
            node.args[1]
            if len(node.args) > 1
            else next((k.value for k in node.keywords if k.arg == "quote"), None)
        )
        if qualified == "cgi.escape":
            return flag is not None and self.fold(flag) not in (False, 0, None)
        return flag is None or self.fold(flag) is not False

    def _weak_shell_quote(self, node: ast.Call) -> tuple[FailingCheck, str, frozenset[str]] | None:
        """`shlex.quote(x)` inside quotes of the shell text: the quotes undo its own."""
        if "command-injection" not in self.mod.rules or len(node.args) != 1:
            return None
        quote, place = None, node
        for place in _landings(node, self.ctx):
            before = _text_before(place, self.ctx, self.fold)
            quote = _open_quote(before) if before is not None else None
            if quote is not None:
                break
        whole = _enclosing_text(place, self.ctx) if quote is not None else None
        subject = self._subject_node(node.args[0])
        if whole is None or subject is None or quote is None:
            return None
        substitute = {id(place): node} if place is not node else {}
        option = "x; id" if quote == "'" else "$(id)"
        still = {"command-injection": _SHELL_OUT[quote]}
        wanted = [("command-injection", [option])]
        found = self._inputs(whole, subject[0], wanted, still, substitute)
        if found is None:
            return None
        inputs, symbols = found
        why = _ESCAPE_WHY["shell-single" if quote == "'" else "shell-double"]
        check = self._sanitizer_check(
            whole, subject, inputs, symbols, why, still, _ESCAPE_FIX["shell"], substitute
        )
        return check, subject[1], frozenset({"command-injection"})

    def _weak_re_escape(
        self, node: ast.Call, cleared: frozenset[str]
    ) -> tuple[FailingCheck, str, frozenset[str]] | None:
        """`re.escape(x)` used as if it escaped for SQL, a shell or HTML."""
        if len(node.args) != 1:
            return None
        subject = self._subject_node(node.args[0])
        if subject is None:
            return None
        wanted = [
            (kind, list(options))
            for kind, options in _RE_ESCAPE_ATTACKS.items()
            if kind in self.mod.rules and not is_cleared(Flow((), cleared), kind)
        ]
        found = self._inputs(node, subject[0], wanted, _RE_ESCAPE_STILL) if wanted else None
        if found is None:
            return None
        inputs, symbols = found
        check = self._sanitizer_check(
            node, subject, inputs, symbols, _ESCAPE_WHY["re-escape"], _RE_ESCAPE_STILL,
            _ESCAPE_FIX["re-escape"],
        )  # fmt: skip
        return check, subject[1], frozenset()

    def may_weak(self, value: ast.AST) -> bool:
        """Could `value`, kept in a variable, be a block-list or a URL's host tested
        `weak_proof` reads (one that `Checks.may_check` leaves out: `"<script" in
        text.lower()`, `not urlparse(url).netloc`)?"""
        match value:
            case ast.Compare(left=ast.Constant(value=str()), ops=[ast.In() | ast.NotIn()]):
                return True
            case ast.Compare(left=left, ops=[ast.Eq() | ast.NotEq()]):
                return _url_part(left, self.ctx)  # `urlparse(url).netloc == ""`
            case ast.Attribute():
                return _url_part(value, self.ctx)  # `not urlparse(url).netloc`
            case ast.BoolOp(values=values):
                return any(self.may_weak(v) for v in values)
            case ast.UnaryOp(op=ast.Not(), operand=operand):
                return self.may_weak(operand)
        return False

    def decoded(self, node: ast.Call, value: TVal) -> TVal:
        """`unquote(p)` after a check that admits percent escapes (`ENCODED` beside the
        kinds it proved): the decoded text is not what was checked, and the kinds go. For a
        path, the decoder is the check that fails, with an encoded climb that decodes to
        one (shape 1's "checked raw, used decoded")."""
        from secreview.python.taint.checks import ENCODED

        if not any(k[0] == ENCODED for flow in value.values() for k in flow.cleared):
            return value
        step: TraceStep | None = None
        weak: frozenset[str] = frozenset()
        undone = {
            k[1:].split("/", 1)[0]  # `path-traversal/separators`: its kind
            for flow in value.values()
            for k in flow.cleared
            if k[0] == ENCODED
        }
        subject = self._subject_node(node.args[0]) if node.args else None
        if subject is not None and PATH in self.mod.rules and (PATH in undone or "*" in undone):
            found = self._inputs(node, subject[0], [(PATH, [_escaped(ATTACKS[PATH][0])])], _STILL)
            if found is not None:
                inputs, symbols = found
                check = self._sanitizer_check(
                    node, subject, inputs, symbols, _DECODED_WHY, _STILL, FIX_DECODED
                )
                step = TraceStep(
                    self.ctx.location(node), f"{short(node, self.ctx.lines)} (check)", check
                )
                weak = frozenset({WEAK + PATH})
        out: TVal = {}
        for label, flow in value.items():
            gone = {k for k in flow.cleared if k[0] == ENCODED}
            gone |= {k[1:] for k in gone}
            trace = add_step(flow.trace, step) if step is not None else flow.trace
            out[label] = Flow(trace, (flow.cleared - gone) | weak)
        return out

    # --- the checks in a test ---------------------------------------------------------
    def _atoms(self, test: ast.expr) -> list[Atom]:
        out: list[Atom] = []
        stack = [test]
        while stack:
            node = stack.pop()
            match node:
                case ast.BoolOp(values=values):
                    stack.extend(values)
                case ast.UnaryOp(op=ast.Not(), operand=operand):
                    stack.append(operand)
                case ast.NamedExpr(value=value):
                    stack.append(value)
                case ast.Compare(
                    left=ast.Call() as call,
                    ops=[ast.Is() | ast.IsNot()],
                    comparators=[ast.Constant(value=None)],
                ):
                    stack.append(call)  # `PATTERN.match(x) is not None`: the call decides
                case ast.Compare(ops=[_], comparators=[_]):
                    out += self._compare_atoms(node)
                case ast.Call(func=ast.Name(id="bool"), args=[argument], keywords=[]):
                    stack.append(argument)  # `bool(re.fullmatch(P, x))`
                case ast.Call():
                    out += self._call_atoms(node)
                case ast.Attribute():
                    atom = self._url_part_atom(node, node, truthy=True)
                    if atom is not None:
                        out.append(atom)
        return out[::-1]

    def _compare_atoms(self, node: ast.Compare) -> list[Atom]:
        left, op, right = node.left, node.ops[0], node.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)):
            subject = _subject(right)
            token = self.fold(left)
            if subject is not None and isinstance(token, str) and token:
                return self._token_atoms(node, subject, (token,), isinstance(op, ast.In), left)
            return self._blocked_values(node, left, right, isinstance(op, ast.In))
        if isinstance(op, (ast.Eq, ast.NotEq)):
            for a, b in ((left, right), (right, left)):
                if isinstance(a, ast.Call) and self.qualified(a.func) == "os.path.commonprefix":
                    names = {_subject(x) for arg in a.args for x in _elements(arg)} - {None}
                    accepting = isinstance(op, ast.Eq)
                    return [
                        Atom(node, name, accepting, (PATH,), "commonprefix", b)
                        for name in names
                        if name
                    ]
                atom = self._url_part_atom(node, a, truthy=False, op=op, other=b)
                if atom is not None:
                    return [atom]
        return []

    def _token_atoms(
        self,
        node: ast.expr,
        subject: str,
        tokens: tuple[str, ...],
        positive: bool,
        hint: ast.expr | None,
    ) -> list[Atom]:
        """`"<script>" in x` (a block-list: the check lets the value through when it is
        absent), or `"good.example" in url` (a host looked for in a URL); `positive`: the
        part is true when the text is there (`in`, not `not in`)."""
        out: list[Atom] = []
        if len(tokens) == 1 and _domain_like(tokens[0]) and hint is not None:
            # `'good.example' in url`: looked for, not refused
            out.append(Atom(node, subject, positive, URL_KINDS, "needle", hint))
        kinds = tuple(k for k in ALL_KINDS if any(_relevant(t, k) for t in tokens))
        if kinds:
            out.append(Atom(node, subject, not positive, kinds, "token", None, tokens))
        return out

    def _blocked_values(
        self, node: ast.expr, left: ast.expr, right: ast.expr, positive: bool
    ) -> list[Atom]:
        """`host in ("localhost", "127.0.0.1")`: whole values refused, each one attack text
        of a kind (an allow-list of ordinary values is a check `guards` knows)."""
        values = self.fold(right)
        if isinstance(values, frozenset):
            values = tuple(sorted(values, key=repr))
        if not isinstance(values, tuple) or not values:
            return []
        if not all(isinstance(v, str) and v for v in values):
            return []
        if _url_part(left, self.ctx):
            subject = _subject(left.value.args[0]) if left.value.args else None  # type: ignore[attr-defined]
        else:
            subject = _subject(left)
        kinds = tuple(k for k in ALL_KINDS if all(_relevant(v, k) for v in values))
        if subject is None or not kinds:
            return []
        return [Atom(node, subject, not positive, kinds, "token", None, values)]

    def _call_atoms(self, node: ast.Call) -> list[Atom]:
        func = node.func
        qualified = self.qualified(func) or ""
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("startswith", "endswith")
            and not _url_part(func.value, self.ctx)
        ):
            subject = _subject(func.value)
            if subject is None or len(node.args) != 1 or node.keywords:
                return []
            if func.attr == "startswith":
                prefix = self.fold(node.args[0])
                url = _url_like(prefix) or (
                    isinstance(prefix, tuple) and any(_url_like(p) for p in prefix)
                )
                if url:
                    return [Atom(node, subject, True, URL_KINDS, "prefix", node.args[0])]
                if self._holds_host(subject):
                    return []
                return [Atom(node, subject, True, (PATH,), "prefix", node.args[0])]
            if self._holds_host(subject):
                return [Atom(node, subject, True, URL_KINDS, "host-suffix", node.args[0])]
            return []
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "endswith"
            and _url_part(func.value, self.ctx)
        ):  # `urlparse(url).hostname.endswith("good.example")`
            url = func.value.value.args[0] if func.value.value.args else None  # type: ignore[attr-defined]
            subject = _subject(url)
            if subject is None or len(node.args) != 1:
                return []
            return [Atom(node, subject, True, URL_KINDS, "host-suffix", node.args[0])]
        if qualified in ("os.path.isabs", "posixpath.isabs") and len(node.args) == 1:
            subject = _subject(node.args[0])
            return [Atom(node, subject, False, (PATH,), "absolute")] if subject else []
        if qualified in ("builtins.any",) and len(node.args) == 1:
            return self._any_atoms(node)
        method = _regex_method(node, self.ctx)
        if method is not None:
            return self._regex_atoms(node, method)
        return []

    def _any_atoms(self, node: ast.Call) -> list[Atom]:
        """`any(word in x.lower() for word in BLOCKED)`: a block-list."""
        argument = node.args[0]
        if not isinstance(argument, ast.GeneratorExp) or len(argument.generators) != 1:
            return []
        generator = argument.generators[0]
        element = argument.elt
        if not (
            isinstance(generator.target, ast.Name)
            and isinstance(element, ast.Compare)
            and len(element.ops) == 1
            and isinstance(element.ops[0], ast.In)
            and isinstance(element.left, ast.Name)
            and element.left.id == generator.target.id
        ):
            return []
        tokens = self.fold(generator.iter)
        if isinstance(tokens, frozenset):
            tokens = tuple(sorted(tokens))
        subject = _subject(element.comparators[0])
        if subject is None or not isinstance(tokens, tuple) or not tokens:
            return []
        if not all(isinstance(t, str) and t for t in tokens):
            return []
        return self._token_atoms(node, subject, tokens, True, None)

    def _regex_atoms(self, node: ast.Call, method: str) -> list[Atom]:
        use = regex_use(node, self.ctx)
        if use is None or not isinstance(use.pattern, str):
            return []
        name = self.ctx.resolve(node.func) or ""
        position = 1 if name.startswith("re.") else 0
        if len(node.args) <= position:
            return []
        subject = _subject(node.args[position])
        if subject is None:
            return []
        pattern = (use.pattern, use.flags)
        anchored = use.pattern.startswith(("^", "\\A")) or method != "search"
        if not anchored and _finds_attack(use.pattern, use.flags):
            # `re.search(r"<script", x)`: a pattern that looks for attack text, a block-list
            kinds = tuple(k for k in ALL_KINDS if _finds_attack(use.pattern, use.flags, k))
            return [Atom(node, subject, False, kinds, "block-regex", None, (), pattern)]
        return [Atom(node, subject, True, ALL_KINDS, "regex", None, (), pattern)]

    def _url_part_atom(
        self,
        node: ast.expr,
        part: ast.expr,
        truthy: bool,
        op: ast.cmpop | None = None,
        other: ast.expr | None = None,
    ) -> Atom | None:
        """`not urlparse(url).netloc` (a relative URL), `urlparse(url).netloc == ""`."""
        if not _url_part(part, self.ctx):
            return None
        subject = (
            _subject(part.value.args[0])
            if isinstance(part, ast.Attribute)
            and isinstance(part.value, ast.Call)
            and part.value.args
            else None
        )
        if subject is None:
            return None
        if truthy:
            return Atom(node, subject, False, URL_KINDS, "no-host")
        if other is not None and self.fold(other) == "":
            return Atom(node, subject, isinstance(op, ast.Eq), URL_KINDS, "no-host")
        return None


class Outcome(NamedTuple):
    """When what a sanitizer gave (`r`) still carries the attack: as code, for the report and
    for the test that runs the sanitizer on the input, and as the function this pass runs."""

    code: str
    holds: Callable[[str], bool]


_TAG_LEFT = lazyre.compile(r"<\s*[a-z]|javascript:|\son\w+\s*=", re.I)
_OR = lazyre.compile(r"\bOR\b", re.I)
_STILL: dict[str, Outcome] = {
    PATH: Outcome(
        "'../' in r or r.startswith('/') or r == '..'",
        lambda r: "../" in r or r.startswith("/") or r == "..",
    ),
    "xss": Outcome(
        "re.search(r'<\\s*[a-z]|javascript:|\\son\\w+\\s*=', r, re.I) is not None",
        lambda r: _TAG_LEFT.search(r) is not None,
    ),
    "sql-injection": Outcome(
        "\"\\\\''\" in r or re.search(r'\\bOR\\b', r, re.I) is not None",
        lambda r: "\\''" in r or _OR.search(r) is not None,
    ),
    "command-injection": Outcome(
        "any(c in r for c in ';|&$`\\n')", lambda r: any(c in r for c in ";|&$`\n")
    ),
}
# MySQL reads `\\'` as an escaped quote: after doubling, `\\''` is one escaped quote and one
# that ends the literal
_MYSQL_OUT = Outcome("\"\\\\''\" in r", lambda r: "\\''" in r)
_ESCAPED_OUT: dict[str, Outcome] = {
    "event": Outcome('"\'" in html.unescape(r)', lambda r: "'" in html.unescape(r)),
    "url": Outcome("r.startswith('javascript:')", lambda r: r.startswith("javascript:")),
    "script": Outcome("'alert(1)' in r", lambda r: "alert(1)" in r),
    "`": Outcome("'${alert(1)}' in r", lambda r: "${alert(1)}" in r),
    "unquoted": Outcome("' ' in r", lambda r: " " in r),
    '"': Outcome("'\"' in r", lambda r: '"' in r),
    "'": Outcome('"\'" in r', lambda r: "'" in r),
}
_SHELL_OUT: dict[str, Outcome] = {
    "'": Outcome(
        "';' in list(shlex.shlex(r, posix=True, punctuation_chars=True))",
        lambda r: ";" in list(shlex.shlex(r, posix=True, punctuation_chars=True)),
    ),
    '"': Outcome("'\"\\'$(id)\\'\"' in r", lambda r: "\"'$(id)'\"" in r),
}
_DECODED_WHY = (
    PATH_RULE,
    179,
    "the value is decoded after it was checked, and the check lets percent escapes through: "
    "the decoded text is not what was checked",
)
FIX_DECODED = (
    "Decode first, then check the decoded value (and use that same value), or check with a "
    "pattern that admits no `%`."
)
_REPLACE_WHY: dict[str, tuple[str, int, str]] = {
    "path-once": (
        PATH_RULE,
        184,
        "the replacement runs once over the text, so `....//` becomes `../` after it",
    ),
    "path-dots": (
        PATH_RULE,
        184,
        "it takes the separators out but leaves `..`, a name that climbs one directory on its own",
    ),
    "path-abs": (
        PATH_RULE,
        184,
        "it takes `..` out but leaves an absolute path, which `os.path.join` puts in the "
        "base's place",
    ),
    "normpath": (
        PATH_RULE,
        20,
        "`normpath` collapses `..` components but keeps where they lead, and nothing checks "
        "that the result stays in the base",
    ),
    "normpath-name": (
        PATH_RULE,
        20,
        "`normpath` keeps the `..` a relative name starts with, and joined onto the base they "
        "climb out of it",
    ),
    "removal": (
        BLOCK_RULE,
        184,
        "removing some attack text once leaves other forms of the attack, and what the "
        "removal itself puts together",
    ),
    "sql-strip": (
        ESCAPE_RULE,
        838,
        "taking quotes out does not stop SQL that needs none, such as `1 OR 1=1` in a number's "
        "place",
    ),
    "sql-other": (
        ESCAPE_RULE,
        838,
        "it doubles `\"`, but a `'` still ends a `'...'` string literal",
    ),
    "sql-mysql": (
        ESCAPE_RULE,
        838,
        "MySQL reads a backslash as an escape in string literals, so `\\'` turns a doubled "
        "quote back into an escaped quote and a closing one",
    ),
}
_ESCAPE_WHY: dict[str, tuple[str, int, str]] = {
    "quote": (
        ESCAPE_RULE,
        838,
        "`quote=False` leaves quotes as they are, and the value lands inside a quoted "
        "attribute, which a quote closes",
    ),
    "unquoted": (
        ESCAPE_RULE,
        838,
        "the value lands in an attribute without quotes, which a space ends; HTML escaping "
        "leaves spaces",
    ),
    "url": (
        ESCAPE_RULE,
        838,
        "the value is a link's URL, and HTML escaping leaves a `javascript:` URL as it is",
    ),
    "event": (
        ESCAPE_RULE,
        838,
        "the value lands in an event handler's JavaScript, which the browser reads after "
        "decoding HTML entities, so an escaped quote is a quote again",
    ),
    "script": (
        ESCAPE_RULE,
        838,
        "the value lands in a `<script>` element's JavaScript, outside a string literal (or "
        "in a template literal), where code runs without any `<` or quote to escape",
    ),
    "shell-single": (
        ESCAPE_RULE,
        838,
        "`shlex.quote` adds its own single quotes, which the single quotes around it in the "
        "command close and reopen, so the value is outside any quotes",
    ),
    "shell-double": (
        ESCAPE_RULE,
        838,
        "inside double quotes the shell still runs `$(...)`, and the single quotes "
        "`shlex.quote` adds are plain characters there",
    ),
    "re-escape": (
        ESCAPE_RULE,
        838,
        "`re.escape` escapes what is special in a regular expression, not quotes for SQL, `;` "
        "for a shell or `<` for HTML",
    ),
}
_ESCAPE_FIX = {
    "quote": "Escape with quotes for an attribute: `html.escape(x)` (quote=True, the "
    "default), or let an autoescaping template write it.",
    "unquoted": 'Quote the attribute (`title="{html.escape(x)}"`), or let an autoescaping '
    "template write it.",
    "url": "Allow-list the URL's scheme before writing it into a link (`urlsplit(x).scheme in "
    "{'http', 'https'}`), then escape it.",
    "event": "Do not write data into an event handler: pass it in a `data-` attribute (escaped "
    "with `html.escape`) and read it from a script, or JSON-encode it for JavaScript.",
    "script": "Do not build JavaScript from data: JSON-encode it (`json.dumps(x)` with `<`, "
    "`>` and `&` escaped, or Jinja's `|tojson`) inside the script, or pass it in an escaped "
    "`data-` attribute.",
    "shell": "Use `shlex.quote(x)` on its own, never inside quotes; better, pass an argument "
    "list without a shell (`subprocess.run(['prog', x])`).",
    "re-escape": "Escape for the sink, not for regular expressions: bound SQL parameters, an "
    "argument list without a shell, `html.escape` for HTML.",
}
_RE_ESCAPE_ATTACKS = {
    "sql-injection": ("'OR'1'='1",),
    "command-injection": ("x;id",),
    "xss": ("<svg/onload=alert`1`>",),
}
_RE_ESCAPE_STILL: dict[str, Outcome] = {
    "sql-injection": Outcome("\"'OR'\" in r", lambda r: "'OR'" in r),
    "command-injection": Outcome("';id' in r", lambda r: ";id" in r),
    "xss": Outcome("'<svg/onload=' in r", lambda r: "<svg/onload=" in r),
}
_HTML_ESCAPES = frozenset(
    {"html.escape", "markupsafe.escape", "flask.escape", "django.utils.html.escape", "cgi.escape"}
)
# what turns percent escapes back into the characters they stand for
DECODERS = frozenset({"urllib.parse.unquote", "urllib.parse.unquote_plus"})
# the calls `WeakChecks.weak_call` looks at
WEAK_FUNCTIONS = frozenset(
    {"os.path.normpath", "posixpath.normpath", "shlex.quote", "pipes.quote", "re.escape"}
    | _HTML_ESCAPES
)
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
)


def _escaped(text: str) -> str:
    """Every character but letters and digits as a percent escape (`..` too: a check that
    refuses `..` in the raw text lets `%2E%2E` through)."""
    return "".join(c if c.isascii() and c.isalnum() else f"%{ord(c):02X}" for c in text)


def _holds(outcome: Outcome, result: str) -> bool:
    try:
        return outcome.holds(result)
    except ValueError:  # text a shell would not parse (an unclosed quote): no attack shown
        return False


def _nested(attack: str, pairs: list[tuple[str, str]]) -> str:
    """`attack` written so that removing each `old` once gives it back (`....//`)."""
    for old, new in pairs:
        if old and not new and old in attack:
            half = len(old) // 2 or 1
            attack = attack.replace(old, old[:half] + old + old[half:])
    return attack


def _chained_on(node: ast.Call, ctx) -> bool:
    """`node` is the receiver of another `.replace(...)` (the chain is judged whole)."""
    parent = ctx.parent(node)
    return (
        isinstance(parent, ast.Attribute)
        and parent.attr == "replace"
        and isinstance(ctx.parent(parent), ast.Call)
    )


def _landings(node: ast.expr, ctx) -> list[ast.expr]:
    """Where a value lands in text: the call itself, and, when it is assigned to a variable
    (`quoted = shlex.quote(p)`), the reads of that variable later in the function."""
    out = [node]
    parent = ctx.parent(node)
    if not (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(parent.targets[0], ast.Name)
    ):
        return out
    name = parent.targets[0].id
    scope = parent
    while scope is not None and not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)):
        scope = ctx.parent(scope)
    if scope is None:
        return out
    for read in ast.walk(scope):
        if (
            isinstance(read, ast.Name)
            and read.id == name
            and isinstance(read.ctx, ast.Load)
            and read.lineno > parent.lineno
        ):
            out.append(read)
    return out


def _enclosing_text(node: ast.expr, ctx) -> ast.expr | None:
    """The text a call's result is written into: the outermost f-string, `+` concatenation,
    `%` or `.format` of a template written in the code that holds it (`text_pieces`)."""
    top: ast.expr | None = None
    current: ast.AST = node
    while True:
        parent = ctx.parent(current)
        if isinstance(parent, (ast.FormattedValue, ast.keyword)):
            parent = ctx.parent(parent)
        elif isinstance(parent, ast.Tuple):
            holder = ctx.parent(parent)
            if isinstance(holder, ast.BinOp) and isinstance(holder.op, ast.Mod):
                parent = holder
        if not isinstance(parent, ast.expr) or getattr(parent, "func", None) is current:
            return top
        if text_pieces(parent) is None or not _before(parent, node, _unknown, 0)[1]:
            return top
        top = current = parent


def _unknown(node: ast.expr) -> None:
    return None


def _text_before(node: ast.expr, ctx, fold) -> str | None:
    """The literal text written before `node` in the text it is part of (other values as
    `x`), None when it is not part of one."""
    whole = _enclosing_text(node, ctx)
    if whole is None:
        return None
    found = _before(whole, node, fold, 0)
    return found[0] if found[1] else None


def _before(text: ast.expr, node: ast.expr, fold, depth: int) -> tuple[str, bool]:
    """(the text `text` writes before `node`, whether `node` is in it); all of its text
    (values as `x`) when `node` is not."""
    pieces = text_pieces(text) if depth < 8 else None
    if pieces is None:
        value = fold(text)
        return (value if isinstance(value, str) else "x"), False
    out = ""
    for piece in pieces:
        if piece is node:
            return out, True
        if isinstance(piece, str):
            out += piece
            continue
        inner, found = _before(piece, node, fold, depth + 1)
        out += inner
        if found:
            return out, True
    return out, False


_TAG = lazyre.compile(r"<([a-zA-Z][\w:-]*)([^<>]*)$")


_SCRIPT_OPEN = lazyre.compile(r"<script\b[^>]*>", re.I)
_SCRIPT_CLOSE = lazyre.compile(r"</script", re.I)


def _script_context(before: str | None) -> str | None:
    """Inside a `<script>` element's code: the quote of the JavaScript string literal the
    text ends in ("'", '"', "`"), "" outside one; None outside a script element."""
    if before is None:
        return None
    opened = max(_SCRIPT_OPEN.finditer(before), key=lambda m: m.start(), default=None)
    if opened is None or _SCRIPT_CLOSE.search(before, opened.end()):
        return None
    quote, escaped = "", False
    for char in before[opened.end() :]:
        if escaped:
            escaped = False
        elif char == "\\" and quote:
            escaped = True
        elif quote and char == quote:
            quote = ""
        elif not quote and char in "'\"`":
            quote = char
    return quote


def _html_context(before: str | None) -> tuple[str, str, bool] | None:
    """Inside a tag's attribute value: (the attribute, its quote or "", whether the value
    starts here); None elsewhere (text, or not HTML). Text with no tag at all that ends in
    `name="` is a fragment of a tag (`f'title="{x}"'`)."""
    if before is None:
        return None
    tag = _TAG.search(before)
    if tag is not None:
        return _open_attribute(tag.group(2))
    if "<" in before or ">" in before:
        return None
    return _open_attribute(" " + before)


def _open_attribute(text: str) -> tuple[str, str, bool] | None:
    """The attribute whose value `text` (a tag's attributes, cut off) ends inside."""
    index, end = 0, len(text)
    while index < end:
        while index < end and text[index].isspace():
            index += 1
        start = index
        while index < end and not text[index].isspace() and text[index] not in "=>":
            index += 1
        name = text[start:index].lower()
        while index < end and text[index].isspace():
            index += 1
        if index >= end or text[index] != "=":
            continue
        index += 1
        while index < end and text[index].isspace():
            index += 1
        if index >= end:
            return (name, "", True) if name else None
        quote = text[index] if text[index] in "\"'" else ""
        if quote:
            close = text.find(quote, index + 1)
            if close < 0:
                return (name, quote, index + 1 == end) if name else None
            index = close + 1
        else:
            start = index
            while index < end and not text[index].isspace():
                index += 1
            if index >= end:
                return (name, "", start == end) if name else None
    return None


def _open_quote(shell: str) -> str | None:
    """The quote the shell text leaves open at its end (`grep '` -> `'`), or None."""
    quote: str | None = None
    escaped = False
    for char in shell:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote is None and char in "'\"":
            quote = char
        elif char == quote:
            quote = None
    return quote


def _token_why(tokens: tuple[str, ...], example: str) -> str:
    """Why a block-list of `tokens` fails, given an attack that passes it."""
    listed = (
        ", ".join(repr(t) for t in tokens[:6])
        if any("`" in t for t in tokens)
        else ", ".join(f"`{t}`" for t in tokens[:6])
    )
    if any(".." in t for t in tokens) and example.startswith("/"):
        return (
            f"it refuses {listed} but not an absolute path, which `os.path.join` puts in the "
            "base's place"
        )
    more = ", …" if len(tokens) > 6 else ""
    return f"it refuses {listed}{more} and lets other forms of the attack through"


def _elements(node: ast.expr) -> list[ast.expr]:
    return list(node.elts) if isinstance(node, (ast.List, ast.Tuple)) else [node]


def _subject(node: ast.expr | None) -> str | None:
    """The variable a check reads (`x`, `self.x`; through `realpath(x)`, `x.lower()`)."""
    return guarded_name(node)


def _url_part(node: ast.expr, ctx) -> bool:
    """`urlparse(url).netloc` / `.hostname` (urlsplit too)."""
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("netloc", "hostname")
        and isinstance(node.value, ast.Call)
        and (ctx.resolve(node.value.func) or "")
        in ("urllib.parse.urlparse", "urllib.parse.urlsplit")
    )


def _regex_method(node: ast.expr, ctx) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    name = ctx.resolve(func) or ""
    if name in ("re.match", "re.fullmatch", "re.search"):
        return name[3:]
    if isinstance(func, ast.Attribute) and func.attr in ("match", "fullmatch", "search"):
        return func.attr
    return None


_BENIGN = ("report", "hello_world-2024", "a")


def _finds_attack(pattern: str, flags: int, kind: str | None = None) -> bool:
    """Does a searched pattern look for attack text (a block-list: it finds some, and
    nothing in plain words), for `kind` or for any kind?"""
    try:
        compiled = re.compile(pattern, flags)
    except re.error:
        return False
    if any(compiled.search(text) for text in _BENIGN):
        return False
    kinds = (kind,) if kind else ALL_KINDS
    return any(compiled.search(attack) for k in kinds for attack in (*TOKENS[k], *ATTACKS[k]))


__all__ = ["MARK", "RULES", "WeakChecks", "candidates", "evaluate"]
