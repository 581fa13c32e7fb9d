"""secret-in-source: provider keys and private keys, recognised by format, anywhere in a file."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.secret_formats import Match, find, may_contain

_CONSTANTS = frozenset({ast.Constant})


@register
class SecretInSource(Rule):
    meta = RuleMeta(
        id="secret-in-source",
        cwe=798,
        severity="high",
        confidence="high",
        title="Credential of a known format in the source",
        why=(
            "Provider-issued keys (AWS, GitHub, Slack, Google, Stripe, OpenAI, ...) and "
            "private keys are live credentials wherever they appear, in code, docstrings or "
            "comments; bots scan public repositories for them within minutes of a push."
        ),
        example=(
            'AWS_ACCESS_KEY_ID = "AKIA................"\n'
            '# token: ghp_...\nKEY = """-----BEGIN RSA PRIVATE KEY-----\\nMIIE..."""'
        ),
        fix=(
            "Revoke and rotate the credential first (history keeps it), then load it at run "
            "time from a secret store or the environment; keep private keys in files outside "
            "the repository with 0600 permissions."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/798.html",
            "https://docs.github.com/en/code-security/secret-scanning/introduction/supported-secret-scanning-patterns",
        ),
    )
    nodes = (ast.Module,)
    # a part of each of `MARKERS` (what `may_contain` looks for), mostly whole identifier
    # characters: those are the cheap triggers to look for
    triggers = frozenset(
        {"AKIA", "ASIA", "ABIA", "ACCA", "AccountKey", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"}
        | {"github_pat_", "glpat", "xox", "slack", "AIza", "sk_live_", "rk_live_", "T3BlbkFJ"}
        | {"SG.", "npm_", "AgEIcHlwaS5vcmc", "PRIVATE"}
    )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        text = ctx.source.text
        if not may_contain(text):
            return
        string_lines: set[int] = set()
        for literal in ctx.nodes_of(_CONSTANTS):
            if isinstance(literal.value, (str, bytes)):  # type: ignore[attr-defined]
                first = literal.lineno
                string_lines.update(range(first, (literal.end_lineno or first) + 1))
                value = literal.value
                found = find(value.decode("latin-1") if isinstance(value, bytes) else value)
                for match in _first_per_format(found):
                    yield Hit(literal, _message(match), severity=match.format.severity)
        yield from _outside_strings(text, string_lines, ctx)


def _outside_strings(text: str, string_lines: set[int], ctx: ModuleContext) -> Iterable[Hit]:
    """Credentials pasted into comments (on lines no string literal covers)."""
    for match in _first_per_format(find(text)):
        line = text.count("\n", 0, match.start) + 1
        if line in string_lines:
            continue
        start = match.start - (text.rfind("\n", 0, match.start) + 1)
        where = ast.Constant(value=text[match.start : match.end])
        where.lineno = where.end_lineno = line
        where.col_offset = len(ctx.line_text(line)[:start].encode("utf-8"))
        where.end_col_offset = len(ctx.line_text(line).encode("utf-8"))
        yield Hit(where, _message(match, "comment"), severity=match.format.severity)


def _first_per_format(matches: list[Match]) -> list[Match]:
    seen: set[str] = set()
    out = []
    for match in matches:
        if match.format.name not in seen:
            seen.add(match.format.name)
            out.append(match)
    return out


def _message(match: Match, where: str = "string") -> str:
    article = "an" if match.format.name[0].lower() in "aeio" else "a"
    return (
        f"This {where} holds {article} {match.format.name}: it is a live credential for whoever "
        "reads the code, its history or a package. Revoke it, then load it at run time."
    )
