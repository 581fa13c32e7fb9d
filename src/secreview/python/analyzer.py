"""Per-file analysis: parse once, build the symbol table, run every pattern rule in one walk.

This is phase 1 of DESIGN.md's analysis stage; it returns small, picklable results so it
can run in worker processes. The taint engine adds its per-function summaries here.
"""

from __future__ import annotations

import ast
import hashlib
import io
import re
import threading
import tokenize
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from secreview import lazyre
from secreview.model import Diagnostic, Finding, Replacement, SourceFile
from secreview.python import fixtext
from secreview.python.access.views import module_facts
from secreview.python.context import INDEXED_TYPES, ModuleContext, is_test_path
from secreview.python.parse import KEEP_ITEMS, ParseFailure, parse_module, shrink_literals
from secreview.python.seeding import module_imports
from secreview.python.symbols import build_symbols, module_name_for
from secreview.rules import RuleMeta, load_rule_modules
from secreview.rules.support.option_uses import option_uses
from secreview.rules.support.pattern import PATTERN_RULES, Hit, Rule
from secreview.tokens import LAYOUT_TOKENS

# a module that may read configuration options (`CONF.x`, `self.conf.x`)
_MENTIONS_CONFIG = lazyre.compile("conf", re.IGNORECASE)

# diagnostics of a file that was analysed, only not completely (secreview's own defect in a
# rule or in the data-flow analysis, or a function nested too deeply to follow): the file
# still counts as reviewed and its other findings stand
PARTIAL_KINDS = ("rule-error", "analysis-error", "analysis-too-deep", "large-literal")


@dataclass(slots=True)
class ModuleResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summaries: object = None  # taint summaries for the whole-program phase
    # the same summaries pickled by the worker, when the analysis cache will store them:
    # the parent then stores these bytes instead of pickling the summaries again itself
    packed_summaries: bytes | None = None
    lines: int = 0
    suppressions: dict[int, frozenset[str] | None] = field(default_factory=dict)
    skipped: bool = False  # a test module left out of the review
    # what the module imports (modules, and module-level names -> qualified names): the
    # whole-program phase words its data-flow findings' fixes for those APIs
    imports: frozenset[str] = frozenset()
    aliases: dict[str, str] = field(default_factory=dict)
    # what the module imports, and whether a seeding command does (`seeding.py`)
    seeding_imports: tuple[tuple[str, bool], ...] = ()
    # the module's constants (qualified names), and the findings (by index) that stand
    # unless some names of other modules are constants (`Hit.unless_constant`)
    constants: frozenset[str] = frozenset()
    deferred: tuple[tuple[int, tuple[str, ...]], ...] = ()
    # the configuration options read here as file names and as values, and the findings (by
    # index) about an option, which every module's reads decide (`Hit.option`)
    option_uses: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())
    deferred_options: tuple[tuple[int, str, bool], ...] = ()
    # the module's views, hooks and policy defaults, for the access-control rules that
    # decide on the whole project (`secreview.python.access`)
    access: object = None


class RuleSet:
    """The enabled pattern rules, indexed by the call names and node types they want.

    `plan(ctx)` narrows them to the rules a module can trigger (see `Rule.triggers`)."""

    def __init__(self, rules: Sequence[Rule]):
        self.rules = list(rules)
        self.by_call: dict[str, list[Rule]] = defaultdict(list)
        self.by_node: dict[type[ast.AST], list[Rule]] = defaultdict(list)
        for rule in self.rules:
            for name in rule.calls:
                self.by_call[name].append(rule)
            for node_type in rule.nodes:
                self.by_node[node_type].append(rule)
        self._triggered = [rule for rule in self.rules if rule.triggers]
        self._triggers = _Triggers(self._triggered)
        self._plans: dict[tuple[bool, ...], _Plan] = {}

    @classmethod
    def select(cls, enabled: Iterable[str] | None = None, disabled: Iterable[str] = ()) -> RuleSet:
        load_rule_modules()
        on = set(enabled) if enabled is not None else None
        off = set(disabled)
        return cls(
            [r for r in PATTERN_RULES if (on is None or r.meta.id in on) and r.meta.id not in off]
        )

    def plan(self, ctx: ModuleContext) -> _Plan:
        """The rules to run on this module: those without triggers, and those whose
        triggers occur in it; indexed once per combination of rules."""
        key = self._triggers.which(ctx) if self._triggered else ()
        plan = self._plans.get(key)
        if plan is None:
            skipped = {id(r) for r, on in zip(self._triggered, key, strict=True) if not on}
            plan = self._plans[key] = _Plan([r for r in self.rules if id(r) not in skipped])
        return plan


class _Plan:
    """One subset of the rules, indexed for `_run_rules`."""

    __slots__ = ("by_call", "by_method", "by_node", "call_attrs", "rules", "types")

    def __init__(self, rules: list[Rule]):
        self.rules = rules
        self.by_call: dict[str, list[Rule]] = {}
        self.by_node: dict[type[ast.AST], list[Rule]] = {}
        for rule in rules:
            for name in rule.calls:
                self.by_call.setdefault(name, []).append(rule)
            for node_type in rule.nodes:
                self.by_node.setdefault(node_type, []).append(rule)
        # `ctx.resolve(a.b.attr)` always ends in `.attr`: a call through an attribute that
        # no wanted name ends with is not looked up at all
        self.call_attrs = frozenset(name.rsplit(".", 1)[-1] for name in self.by_call)
        # the rules that see a call `x.<method>(...)`, in rule order; `by_node[ast.Call]`
        # keeps those that see every call
        on_calls = self.by_node.pop(ast.Call, [])
        methods = {m for rule in on_calls for m in rule.methods}
        self.by_method = {
            m: [r for r in on_calls if not r.methods or m in r.methods] for m in methods
        }
        everywhere = [r for r in on_calls if not r.methods]
        if everywhere:
            self.by_node[ast.Call] = everywhere
        # the node classes `_run_rules` has something to do with
        self.types = frozenset(self.by_node) | (
            {ast.Call} if self.by_call or self.by_method else set()
        )


_WORD_BYTES = frozenset(
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"
) | frozenset(range(128, 256))
# bytes.translate table: every byte that cannot be part of an identifier becomes a space
_TO_WORDS = bytes(b if b in _WORD_BYTES else 0x20 for b in range(256))


class _Triggers:
    """Which rules' triggers occur in a module.

    What counts is the module's source text, the values of its string literals (escapes
    decoded, implicitly concatenated parts joined), its NFKC-normalised text (the parser
    normalises non-ASCII identifiers) and its dotted module name.

    A trigger made of identifier characters can only occur inside one of the module's
    words, so it is looked for in their distinct values; which triggers a word contains is
    remembered from module to module (a project reuses its words). Other triggers (`"://"`,
    `"/tmp"`) are searched in the text itself."""

    _MAX_KNOWN = 200_000  # words remembered; beyond that, start again

    def __init__(self, rules: Sequence[Rule]):
        # per rule: (word triggers, other triggers, lower-cased triggers to match in any case)
        self.rules: list[tuple[frozenset[bytes], tuple[str, ...], tuple[str, ...]]] = []
        for rule in rules:
            if rule.triggers_ignore_case:
                folded = tuple(sorted({t.lower() for t in rule.triggers}))
                self.rules.append((frozenset(), (), folded))
            else:
                words = frozenset(_encode(t) for t in rule.triggers if _is_word(t))
                others = tuple(sorted(t for t in rule.triggers if not _is_word(t)))
                self.rules.append((words, others, ()))
        self.words = sorted({w for words, _, _ in self.rules for w in words})
        self._known: dict[bytes, frozenset[bytes]] = {}  # word -> the triggers in it
        self._hits: set[bytes] = set()  # the known words with a trigger in them
        self._lock = threading.Lock()

    def which(self, ctx: ModuleContext) -> tuple[bool, ...]:
        """For each rule, in order: does one of its triggers occur in the module?"""
        text = ctx.source.text
        if not text.isascii():
            text += "\n" + unicodedata.normalize("NFKC", text)
        text = f"{text}\n{ctx.symbols.module}"
        strings = "\n".join(ctx.string_values)
        words = set(_encode(text).translate(_TO_WORDS).split())
        words.update(_encode(strings).translate(_TO_WORDS).split())
        present = self._in_words(words)
        found: dict[str, bool] = {}
        lowered: str | None = None
        out: list[bool] = []
        for word_triggers, others, folded in self.rules:
            on = not present.isdisjoint(word_triggers)
            for other in others if not on else ():
                hit = found.get(other)
                if hit is None:
                    hit = found[other] = other in text or other in strings
                if hit:
                    on = True
                    break
            if not on and folded:
                if lowered is None:
                    lowered = f"{text}\n{strings}".lower()
                on = any(trigger in lowered for trigger in folded)
            out.append(on)
        return tuple(out)

    def _in_words(self, words: set[bytes]) -> set[bytes]:
        """The word triggers that are part of one of `words`."""
        with self._lock:
            known = self._known
            new = words.difference(known)
            if new:
                if len(known) + len(new) > self._MAX_KNOWN:
                    known.clear()
                    self._hits.clear()
                    new = words
                joined = b" ".join(new)
                inside = [t for t in self.words if t in joined]
                known.update(dict.fromkeys(new, frozenset()))
                for word in new if inside else ():
                    contained = frozenset(t for t in inside if t in word)
                    if contained:
                        known[word] = contained
                        self._hits.add(word)
            return {t for word in words.intersection(self._hits) for t in known[word]}


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _is_word(trigger: str) -> bool:
    return set(_encode(trigger)) <= _WORD_BYTES


def analyze_source(
    source: SourceFile,
    ruleset: RuleSet,
    *,
    module: str | None = None,
    include_tests: bool = False,
    taint: object = None,
) -> ModuleResult:
    """Analyse one file; never raises for bad input (a Diagnostic says what went wrong)."""
    if not include_tests and is_test_path(source.path):
        return ModuleResult(path=source.path, skipped=True)  # out of scope: not even parsed
    result = ModuleResult(path=source.path, lines=source.line_count)
    text, shortened = shrink_literals(source.text)
    tree = parse_module(text, source.path)
    if isinstance(tree, ParseFailure):
        result.diagnostics.append(Diagnostic(source.path, tree.message, tree.kind))
        return result
    for line, elements in shortened:
        message = (
            f"line {line}: a literal of {elements:,} simple elements was analysed by its "
            f"first {KEEP_ITEMS:,} (parsing it whole takes about 1 KB of memory an element)"
        )
        result.diagnostics.append(Diagnostic(source.path, message, PARTIAL_KINDS[3]))
    module = module or module_name_for(source.path)
    symbols = build_symbols(tree, module, is_package=source.path.endswith("__init__.py"))
    ctx = ModuleContext(source=source, tree=tree, symbols=symbols)
    result.imports = frozenset(symbols.imported_modules)
    result.aliases = dict(symbols.aliases)
    try:
        if not include_tests:
            result.seeding_imports = module_imports(ctx)
        deferred: list[tuple[int, Hit]] = []
        result.findings.extend(_run_rules(ctx, ruleset, result.diagnostics, deferred))
        result.deferred = tuple((i, h.unless_constant) for i, h in deferred if h.unless_constant)
        result.deferred_options = tuple(
            (i, h.option, h.named_only) for i, h in deferred if h.option
        )
        if _MENTIONS_CONFIG.search(source.text):
            result.option_uses = option_uses(ctx)
        names = ctx.values.module.names
        if names:
            result.constants = frozenset(f"{symbols.module}.{name}" for name in names)
        if taint is not None:
            result.summaries = taint(ctx)  # type: ignore[operator]
            for name, line in result.summaries.too_deep if result.summaries else ():
                message = (
                    f"the data flow of {name} (line {line}) is nested too deeply to follow; "
                    "its taint findings may be missing"
                )
                result.diagnostics.append(Diagnostic(source.path, message, PARTIAL_KINDS[2]))
    except RecursionError:
        result.diagnostics.append(
            Diagnostic(source.path, "the file is nested too deeply to analyse fully", "too-deep")
        )
    except Exception as exc:  # a defect of secreview's, not of the file: keep the rest
        result.diagnostics.append(
            Diagnostic(
                source.path, f"data-flow analysis failed ({_describe(exc)})", PARTIAL_KINDS[1]
            )
        )
    try:  # apart from the data flow: a failure of one loses neither's results
        result.access = module_facts(ctx)
    except RecursionError:
        pass  # the file is too deeply nested: the data flow's diagnostic says so
    except Exception as exc:
        message = f"access-control facts failed ({_describe(exc)})"
        result.diagnostics.append(Diagnostic(source.path, message, PARTIAL_KINDS[1]))
    return result


def _describe(exc: BaseException) -> str:
    """`ValueError: message at rules/x.py:12`: enough to file an issue, one line."""
    import traceback  # on a rule's failure only: it is start-up time for every review

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}{': ' + text if text else ''}{where}"


def _run_rules(
    ctx: ModuleContext,
    ruleset: RuleSet,
    diagnostics: list[Diagnostic] | None = None,
    deferred: list[tuple[int, Hit]] | None = None,
) -> list[Finding]:
    """Every enabled pattern rule over the module in one walk. A rule that raises stops for
    this file only, with a diagnostic naming it; the other rules' findings stay. `deferred`
    receives the hits (by finding index) that the whole tree decides: unless names of other
    modules are constants, or by how the tree reads a configuration option."""
    findings: list[Finding] = []
    if not ruleset.rules:
        return findings
    plan = ruleset.plan(ctx)
    if not plan.rules:
        return findings
    by_call = plan.by_call
    call_attrs = plan.call_attrs
    by_node = plan.by_node
    by_method = plan.by_method
    on_calls = by_node.get(ast.Call)  # the rules that see every call
    resolve = ctx.resolve
    call_type = ast.Call
    attribute_type = ast.Attribute
    # ast.walk order: all nodes, or only the indexed ones when those are all it needs
    nodes = ctx.indexed_nodes if plan.types <= INDEXED_TYPES else ctx.nodes
    failed: set[Rule] = set()
    for node in nodes:
        cls = node.__class__
        if cls is call_type:
            func = node.func  # type: ignore[attr-defined]
            method = func.attr if func.__class__ is attribute_type else None
            if by_call and (method is None or method in call_attrs):
                name = resolve(func)
                if name is not None:
                    for rule in by_call.get(name, ()):
                        if rule in failed:
                            continue
                        try:
                            for hit in rule.check_call(node, name, ctx):  # type: ignore[arg-type]
                                if (hit.unless_constant or hit.option) and deferred is not None:
                                    deferred.append((len(findings), hit))
                                findings.append(_finding(rule, hit, ctx, name))
                        except Exception as exc:
                            _rule_failed(rule, node, exc, ctx, failed, diagnostics)
            rules = on_calls if method is None else by_method.get(method, on_calls)
        else:
            rules = by_node.get(cls)
        if rules:
            for rule in rules:
                if rule in failed:
                    continue
                try:
                    for hit in rule.check_node(node, ctx):
                        if (hit.unless_constant or hit.option) and deferred is not None:
                            deferred.append((len(findings), hit))
                        findings.append(_finding(rule, hit, ctx))
                except Exception as exc:
                    _rule_failed(rule, node, exc, ctx, failed, diagnostics)
    return findings


def _rule_failed(
    rule: Rule,
    node: ast.AST,
    exc: Exception,
    ctx: ModuleContext,
    failed: set[Rule],
    diagnostics: list[Diagnostic] | None,
) -> None:
    failed.add(rule)
    line = getattr(node, "lineno", 0)
    message = (
        f"rule {rule.meta.id} failed at line {line} ({_describe(exc)}); its other findings "
        "in this file may be missing"
    )
    if diagnostics is not None:
        diagnostics.append(Diagnostic(ctx.source.path, message, PARTIAL_KINDS[0]))


def _finding(rule: Rule, hit: Hit, ctx: ModuleContext, call: str | None = None) -> Finding:
    finding = make_finding(
        rule.meta, hit.node, ctx, hit.message, hit.severity, hit.confidence, fixes=hit.fixes
    )
    if not rule.meta.fix_by_api:
        return finding
    flagged = hit.api or call
    if not flagged and isinstance(hit.node, ast.Call):
        flagged = ctx.resolve(hit.node.func)
    text = fixtext.choose(rule.meta, [[flagged or ""], ctx.symbols.imported_modules])
    return finding if text == finding.fix else replace(finding, fix=text)


def make_finding(
    meta: RuleMeta,
    node: ast.AST,
    ctx: ModuleContext,
    message: str,
    severity: str | None = None,
    confidence: str | None = None,
    trace: tuple = (),
    fixes: tuple[Replacement, ...] = (),
) -> Finding:
    statement = ctx.statement(node)
    scope = ctx.enclosing_scope(node)
    snippet = ctx.snippet(node)
    first = getattr(statement, "lineno", getattr(node, "lineno", 1))
    last = getattr(statement, "end_lineno", first) or first
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        # a decorator or signature: the statement is the header, not the whole body
        last = max(getattr(node, "end_lineno", first) or first, first)
    return Finding(
        rule_id=meta.id,
        cwe=meta.cwe,
        title=meta.title,
        message=message,
        severity=severity or meta.severity,  # type: ignore[arg-type]
        confidence=confidence or meta.confidence,  # type: ignore[arg-type]
        location=ctx.location(node),
        snippet=snippet,
        trace=trace,
        fix=meta.fix,
        origin="engine",
        fingerprint=fingerprint(meta.id, ctx.source.path, snippet, scope),
        scope=scope,
        region=(first, last),
        fixes=fixes,
    )


def fingerprint(rule_id: str, path: str, snippet: str, scope: str) -> str:
    """Stable across line shifts, edits elsewhere and re-formatting: no line numbers, and
    the flagged code compared token by token (spacing and comments do not count)."""
    normalized = normalize_code(snippet)
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{scope}\0{normalized}".encode()).hexdigest()
    return digest[:32]


def normalize_code(snippet: str) -> str:
    """The snippet's tokens, one space apart: `f(a,b)  # x` and `f(a, b)` read the same.

    Snippets are cut at a few lines, so tokenizing may stop at an open bracket; the tokens
    read up to there are kept (they still identify the statement)."""
    tokens: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(snippet).readline):
            if token.type not in LAYOUT_TOKENS:
                tokens.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        pass
    return " ".join(tokens) if tokens else " ".join(snippet.split())
