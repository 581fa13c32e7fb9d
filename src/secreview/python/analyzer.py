"""Per-file analysis: parse once, build the symbol table, run every pattern rule in one walk.

This is phase 1 of DESIGN.md's analysis stage; it returns small, picklable results so it
can run in worker processes. The taint engine adds its per-function summaries here.
"""

from __future__ import annotations

import ast
import hashlib
import io
import tokenize
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from secreview.model import Diagnostic, Finding, Replacement, SourceFile
from secreview.python.context import ModuleContext, is_test_path
from secreview.python.parse import ParseFailure, parse_module
from secreview.python.rules.base import PATTERN_RULES, Hit, Rule
from secreview.python.symbols import build_symbols, module_name_for
from secreview.rules import RuleMeta, load_rule_modules


@dataclass(slots=True)
class ModuleResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summaries: object = None  # taint summaries for the whole-program phase
    lines: int = 0
    suppressions: dict[int, frozenset[str] | None] = field(default_factory=dict)
    skipped: bool = False  # a test module left out of the review


class RuleSet:
    """The enabled pattern rules, indexed by the call names and node types they want."""

    def __init__(self, rules: Sequence[Rule]):
        self.rules = list(rules)
        self.by_call: dict[str, list[Rule]] = defaultdict(list)
        self.by_node: dict[type[ast.AST], list[Rule]] = defaultdict(list)
        for rule in self.rules:
            for name in rule.calls:
                self.by_call[name].append(rule)
            for node_type in rule.nodes:
                self.by_node[node_type].append(rule)

    @classmethod
    def select(cls, enabled: Iterable[str] | None = None, disabled: Iterable[str] = ()) -> RuleSet:
        load_rule_modules()
        on = set(enabled) if enabled is not None else None
        off = set(disabled)
        return cls(
            [r for r in PATTERN_RULES if (on is None or r.meta.id in on) and r.meta.id not in off]
        )


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
    tree = parse_module(source.text, source.path)
    if isinstance(tree, ParseFailure):
        result.diagnostics.append(Diagnostic(source.path, tree.message, tree.kind))
        return result
    module = module or module_name_for(source.path)
    symbols = build_symbols(tree, module, is_package=source.path.endswith("__init__.py"))
    ctx = ModuleContext(source=source, tree=tree, symbols=symbols)
    try:
        result.findings.extend(_run_rules(ctx, ruleset))
        if taint is not None:
            result.summaries = taint(ctx)  # type: ignore[operator]
    except RecursionError:
        result.diagnostics.append(
            Diagnostic(source.path, "the file is nested too deeply to analyse fully", "too-deep")
        )
    return result


def _run_rules(ctx: ModuleContext, ruleset: RuleSet) -> list[Finding]:
    findings: list[Finding] = []
    if not ruleset.rules:
        return findings
    for node in ctx.nodes:  # ast.walk order, and the parent map for free
        if isinstance(node, ast.Call) and ruleset.by_call:
            name = ctx.resolve(node.func)
            if name is not None:
                for rule in ruleset.by_call.get(name, ()):
                    findings.extend(_to_findings(rule, rule.check_call(node, name, ctx), ctx))
        for rule in ruleset.by_node.get(type(node), ()):
            findings.extend(_to_findings(rule, rule.check_node(node, ctx), ctx))
    return findings


def _to_findings(rule: Rule, hits: Iterable[Hit], ctx: ModuleContext) -> Iterable[Finding]:
    for hit in hits:
        yield make_finding(
            rule.meta, hit.node, ctx, hit.message, hit.severity, hit.confidence, fixes=hit.fixes
        )


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


_LAYOUT_TOKENS = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
)


def normalize_code(snippet: str) -> str:
    """The snippet's tokens, one space apart: `f(a,b)  # x` and `f(a, b)` read the same.

    Snippets are cut at a few lines, so tokenizing may stop at an open bracket; the tokens
    read up to there are kept (they still identify the statement)."""
    tokens: list[str] = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(snippet).readline):
            if token.type not in _LAYOUT_TOKENS:
                tokens.append(token.string)
    except (tokenize.TokenError, SyntaxError):
        pass
    return " ".join(tokens) if tokens else " ".join(snippet.split())
