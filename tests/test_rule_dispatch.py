"""How the pattern rules are run: the trigger prefilter, the method filter and the walk.

The analyzer skips rules whose `triggers` a module never mentions, hands a rule only the
method calls it names in `methods`, and iterates over the indexed nodes when a module's
rules look at nothing else. None of that may change what is found: the first test runs
every rule the plain way (every node to every rule that asked for its type, every call
resolved) and compares, finding for finding, on every fixture and on this project.
"""

from __future__ import annotations

import ast
import textwrap
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

import pytest
from _context import module_context

from secreview.python.analyzer import RuleSet, _run_rules, make_finding
from secreview.python.context import (
    INDEXED_TYPES,
    ModuleContext,
    literal_value,
    walk,
    walk_with_parents,
)
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


def _context(text: str, path: str = "pkg/mod.py", module: str | None = None) -> ModuleContext:
    return module_context(text, path, module)


def _plainly(ctx: ModuleContext, rules: Iterable[Rule]) -> list[tuple]:
    """What `_run_rules` did before any of its shortcuts."""
    by_call: dict[str, list[Rule]] = defaultdict(list)
    by_node: dict[type[ast.AST], list[Rule]] = defaultdict(list)
    for rule in rules:
        for name in rule.calls:
            by_call[name].append(rule)
        for node_type in rule.nodes:
            by_node[node_type].append(rule)
    found = []
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Call):
            name = ctx.resolve(node.func)
            if name is not None:
                for rule in by_call.get(name, ()):
                    found += [(rule, hit) for hit in rule.check_call(node, name, ctx)]
        for rule in by_node.get(type(node), ()):
            found += [(rule, hit) for hit in rule.check_node(node, ctx)]
    return [
        _key(make_finding(r.meta, h.node, ctx, h.message, h.severity, h.confidence))
        for r, h in found
    ]


def _key(finding) -> tuple:
    loc = finding.location
    return (finding.rule_id, loc.line, loc.column, loc.end_line, loc.end_column, finding.message)


def _modules() -> list[Path]:
    fixtures = sorted(p for p in FIXTURES.rglob("*.py") if "__pycache__" not in p.parts)
    own = sorted((ROOT / "src" / "secreview").rglob("*.py"))
    return fixtures + own


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shortcuts_find_what_every_rule_finds_on_every_node(path: Path) -> None:
    ruleset = RuleSet.select()
    text = path.read_text(encoding="utf-8")
    relative = path.relative_to(ROOT).as_posix()
    fast = [_key(f) for f in _run_rules(_context(text, relative), ruleset)]
    plain = _plainly(_context(text, relative), ruleset.rules)
    assert fast == plain


# --- the trigger prefilter -------------------------------------------------------------------
_META = RuleMeta(
    id="probe-rule",
    cwe=20,
    severity="low",
    confidence="low",
    title="probe",
    why="probe",
    example="probe",
    fix="probe",
)


class _Probe(Rule):
    """Reports the module when it is run on it."""

    meta = _META
    nodes = (ast.Module,)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        yield Hit(node, "ran")


def _runs(rule: Rule, text: str, **where: str) -> bool:
    return bool(_run_rules(_context(textwrap.dedent(text), **where), RuleSet([rule])))


def _probe(*triggers: str, ignore_case: bool = False) -> Rule:
    cls = type(
        "Probe",
        (_Probe,),
        {"triggers": frozenset(triggers), "triggers_ignore_case": ignore_case},
    )
    return cls()


def test_a_rule_without_triggers_always_runs() -> None:
    assert _runs(_Probe(), "x = 1\n")


def test_a_rule_is_skipped_when_no_trigger_occurs() -> None:
    assert not _runs(_probe("setuid", "setresuid"), "import os\nos.getuid()\n")


@pytest.mark.parametrize(
    "text",
    [
        "import os\nos.setuid(0)\n",  # a whole word
        "from os import setuid as drop\ndrop(0)\n",  # an import, however it is aliased
        "def os_setuid_wrapper(): pass\n",  # part of a word
        "# setuid comes later\n",  # a comment
        "X = 'calls setuid'\n",  # a string
        "X = 'set' 'uid'\n",  # implicitly concatenated strings
        "X = '\\x73etuid'\n",  # an escape in a string
        "X = b'set\\x75id'\n",  # bytes
        "\uff53\uff45\uff54\uff55\uff49\uff44 = 1\n",  # fullwidth: the parser applies NFKC
    ],
)
def test_a_rule_runs_when_a_trigger_occurs(text: str) -> None:
    assert _runs(_probe("setuid"), text)


def test_the_module_name_counts() -> None:
    """Relative imports and a module's own definitions resolve through its package name."""
    rule = _probe("requests")
    assert _runs(rule, "from .api import get\n", path="requests/sessions.py")
    assert not _runs(rule, "from .api import get\n", path="client/sessions.py")


@pytest.mark.parametrize(
    ("trigger", "text", "runs"),
    [
        ("://", "URL = 'https://example.org'\n", True),
        ("://", "URL = 'https:' '//example.org'\n", True),
        ("://", "URL = 'https:\\x2f/example.org'\n", True),
        ("://", "URL = 'https:/example.org'\n", False),
        ("/tmp", "open('/tmp/x', 'w')\n", True),
        ("/tmp", "open('tmp/x', 'w')\n", False),
    ],
)
def test_triggers_beyond_identifiers(trigger: str, text: str, runs: bool) -> None:
    assert _runs(_probe(trigger), text) is runs


def test_triggers_may_ignore_case() -> None:
    text = "H = {'Access-Control-Allow-CREDENTIALS': 'true'}\n"
    assert _runs(_probe("credentials", ignore_case=True), text)
    assert not _runs(_probe("credentials"), text)


def test_what_a_word_holds_is_remembered_across_modules() -> None:
    rule = _probe("setuid")
    ruleset = RuleSet([rule])
    for text, runs in [
        ("def os_setuid_wrapper(): pass\n", True),
        ("def os_setuid_wrapper(): pass\nother = 1\n", True),
        ("other = 1\n", False),
        ("other = 1\nos_setuid_wrapper()\n", True),
    ]:
        assert bool(_run_rules(_context(text), ruleset)) is runs, text


# --- the method filter -------------------------------------------------------------------------
class _CallProbe(Rule):
    meta = _META
    nodes = (ast.Call,)
    methods: ClassVar[frozenset[str]] = frozenset({"read"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        yield Hit(node, "call")


def test_methods_limit_the_calls_a_rule_sees() -> None:
    found = _run_rules(
        _context("f.read()\nf.write(x)\nread()\ng().read(1)\n"), RuleSet([_CallProbe()])
    )
    assert [f.location.line for f in found] == [1, 4]


def test_a_rule_without_methods_sees_every_call() -> None:
    probe = type("AllCalls", (_CallProbe,), {"methods": frozenset()})()
    found = _run_rules(_context("f.read()\nf.write(x)\nread()\n"), RuleSet([probe]))
    assert [f.location.line for f in found] == [1, 2, 3]


# --- triggers of particular rules --------------------------------------------------------------
def test_secret_in_source_triggers_cover_every_marker() -> None:
    from secreview.rules.secrets.secret_in_source import SecretInSource
    from secreview.rules.support.secret_formats import FORMATS, MARKERS

    assert all(any(t in marker for t in SecretInSource.triggers) for marker in MARKERS)
    assert {m for fmt in FORMATS for m in fmt.markers} == set(MARKERS)


def test_insecure_tls_version_triggers_cover_every_constant() -> None:
    from secreview.rules.network import insecure_tls_version as rule

    tables = (rule._PROTOCOLS, rule._PYOPENSSL_METHODS, rule._PYOPENSSL_VERSIONS)
    names = [n for table in (*tables, rule._VERSIONS, rule._OP_NO) for n in table]
    triggers = rule.InsecureTlsVersion.triggers
    assert all(any(t in name.rsplit(".", 1)[1] for t in triggers) for name in names)


# --- the walk and literal values ---------------------------------------------------------------
# the parser shares one instance of each of these among all its uses: no single parent
_SHARED = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop)


def test_the_walk_is_ast_walk_with_parents_strings_and_indexed_nodes() -> None:
    ctx = _context((ROOT / "src" / "secreview" / "python" / "analyzer.py").read_text())
    expected = [n for n in ast.walk(ctx.tree) if not isinstance(n, _SHARED)]
    assert [id(n) for n in ctx.nodes] == [id(n) for n in expected]
    assert [id(n) for n in walk(ctx.tree)] == [id(n) for n in expected]
    _, parents = walk_with_parents(ctx.tree)
    for node in expected:
        for child in ast.iter_child_nodes(node):
            if not isinstance(child, _SHARED):
                assert parents[id(child)] is node
    indexed = [n for n in expected if type(n) in INDEXED_TYPES]
    assert [id(n) for n in ctx.indexed_nodes] == [id(n) for n in indexed]
    strings = [n.value for n in expected if isinstance(n, ast.Constant)]
    assert ctx.string_values == [
        s.decode("latin-1") if isinstance(s, bytes) else s
        for s in strings
        if isinstance(s, (str, bytes))
    ]
    assert ctx.nodes_of(frozenset({ast.Call})) == [n for n in expected if type(n) is ast.Call]
    assert ctx.nodes_of(frozenset({ast.Name})) == [n for n in expected if type(n) is ast.Name]


_ODD_STATEMENTS = """
import os
@decorate(os.getcwd())
@other
class A(Base, metaclass=M):
    @property
    def f(self, x=os.sep, *a, k=1, **kw) -> int:
        a = 1; b = g(x); c = [y for y in x if (z := y)]
        try:
            pass
        except (ValueError, OSError) as exc:
            h(exc)
        else:
            h(2)
        finally:
            h(3)
        match x:
            case {"k": [1, *rest]} if rest:
                h(rest)
            case _:
                h(f"{x!r:>{width}}")
        if a: h(4)
        elif b:
            with open(x) as fh, open(b): h(fh)
        while lambda q=1: q: break
        return (yield)
async def g():
    async for i in aiter():
        async with ctx() as c: await c
    type T = list[int]
"""


@pytest.mark.parametrize(
    "path",
    [
        None,
        ROOT / "src" / "secreview" / "python" / "taint" / "summarize.py",
        ROOT / "src" / "secreview" / "cli.py",
        *sorted((FIXTURES / "taint").glob("*.py"))[:6],
    ],
    ids=lambda p: "odd-statements" if p is None else p.name,
)
def test_statement_and_scope_by_position_match_the_parent_map(path: Path | None) -> None:
    """`parent`, `statement`, `enclosing` and `enclosing_scope` find a node by position,
    without a map of every node's parent: for every node, the answer is the map's."""
    ctx = _context(_ODD_STATEMENTS if path is None else path.read_text())
    _, parent_of = walk_with_parents(ctx.tree)

    def up(node: ast.AST) -> ast.AST | None:
        return parent_of.get(id(node))

    checked = 0
    # the nodes with a position first: one without (`ast.arguments`) is looked up in the
    # map of every node's parent, which then answers for all
    for node in sorted(ctx.nodes, key=lambda n: not hasattr(n, "lineno")):
        if isinstance(node, _SHARED):
            continue  # one instance for many places: no single parent
        assert ctx.parent(node) is up(node), ast.dump(node)[:80]
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = up(current)
        assert ctx.statement(node) is (current or node), ast.dump(node)[:80]
        names = []
        current = up(node)
        while current is not None:
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(current.name)
            current = up(current)
        assert ctx.enclosing_scope(node) == ".".join(reversed(names)), ast.dump(node)[:80]
        for kinds in ((ast.FunctionDef, ast.AsyncFunctionDef), (ast.ClassDef,)):
            current = up(node)
            while current is not None and not isinstance(current, kinds):
                current = up(current)
            assert ctx.enclosing(node, kinds) is current, ast.dump(node)[:80]
        checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    "expression",
    [
        "1",
        "'a'",
        "b'a'",
        "-1",
        "+1.5",
        "1 + 2j",
        "1 - 2j",
        "-1 + 2j",
        "(1, 'a', None)",
        "[1, [2]]",
        "{1, 2}",
        "set()",
        "{'a': 1, 'b': [2]}",
        "{**a}",
        "{[1]: 2}",
        "{[1]}",
        "x",
        "a.b",
        "f()",
        "set(x)",
        "1 + 2",
        "'a' + 'b'",
        "-'a'",
        "not True",
        "f'{x}'",
        "True",
        "...",
    ],
)
def test_literal_value_is_literal_eval(expression: str) -> None:
    node = ast.parse(expression, mode="eval").body

    def outcome(evaluate):
        try:
            return ("value", repr(evaluate(node)))
        except (ValueError, TypeError) as error:
            return ("error", ValueError if isinstance(error, ValueError) else TypeError)

    assert outcome(literal_value) == outcome(ast.literal_eval)
