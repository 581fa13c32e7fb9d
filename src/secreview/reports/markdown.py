"""Markdown for a pull-request comment: a summary table, then one section per finding.

Text from the code (paths, snippets, notes) is escaped so it can neither break the table
nor turn into markup; prose written by rules keeps its `code spans`. GitHub refuses comments
over 65,536 characters, so the report stops adding sections before that and says so.
"""

from __future__ import annotations

import re

from secreview import cwe, lazyre
from secreview.model import Diagnostic, Finding, Review, TraceStep
from secreview.reports._common import (
    CODE_SPAN,
    FAILING_CHECK,
    cwe_heading,
    cwe_name,
    hidden,
    ordered,
    plural,
    sentence,
    suggested_change,
    verdict,
)

# A marker bots can find to update their previous comment instead of adding another.
MARKER = "<!-- secreview report -->"
MAX_CHARS = 60_000  # below GitHub's 65,536-character comment limit, leaving room for a note
MAX_DIAGNOSTICS = 100

_SPECIAL = lazyre.compile(r"([\\`*_<>\[\]])")
_MENTION = lazyre.compile(r"(?<!\w)@(?=[A-Za-z0-9_])")
_LINE_BREAK = lazyre.compile(r"\s*[\r\n]\s*")


def escape(text: str) -> str:
    """Literal text on one line: characters Markdown or HTML would interpret are
    backslash-escaped, line breaks (after which `#`, `-` or `===` would start a heading or a
    list) become spaces, and `@name` gets a zero-width space after the `@`, so text from the
    reviewed code or a model never notifies people when posted to GitHub or GitLab."""
    return _MENTION.sub("@\u200b", _SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", text)))


def prose(text: str) -> str:
    """Rule-written prose: its `code spans` stay code, everything else is literal."""
    out: list[str] = []
    pos = 0
    for match in CODE_SPAN.finditer(text):
        out.append(escape(text[pos : match.start()]))
        out.append(match.group(0))
        pos = match.end()
    out.append(escape(text[pos:]))
    return " ".join("".join(out).split())


def code(text: str) -> str:
    """An inline code span that holds any text, backticks included."""
    text = " ".join(text.split())
    ticks = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def cell(text: str) -> str:
    """A table cell: pipes escaped (GFM unescapes them even inside code spans)."""
    return text.replace("|", "\\|")


def fenced(text: str, language: str = "") -> str:
    """A fenced block longer than any backtick run inside it."""
    ticks = "`" * max(3, max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    return f"{ticks}{language}\n{text}\n{ticks}"


def trace(finding: Finding) -> str:
    """The finding's trace as a numbered list under a **Trace** heading."""
    steps = "\n".join(
        f"{i}. {code(str(step.location))} {escape(' '.join(_note(step).split()))}"
        + (f" **({FAILING_CHECK})**" if step.check is not None else "")
        for i, step in enumerate(finding.trace, 1)
    )
    return f"**Trace**\n\n{steps}"


def _note(step: TraceStep) -> str:
    return step.note.removesuffix(" (check)") if step.check is not None else step.note


def _cwe_link(cwe_id: int) -> str:
    return f"[CWE-{cwe_id}]({cwe.url(cwe_id)})" if cwe_name(cwe_id) else f"CWE-{cwe_id}"


def _row(finding: Finding) -> str:
    cells = (
        finding.severity,
        code(finding.rule_id),
        _cwe_link(finding.cwe),
        code(str(finding.location)),
    )
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def _section(number: int, finding: Finding, verbose: bool) -> str:
    facts = [
        code(str(finding.location)),
        f"severity **{finding.severity}**",
        f"confidence {finding.confidence}",
        f"rule {code(finding.rule_id)}",
    ]
    if finding.related_cwe:
        facts.append("related " + ", ".join(_cwe_link(c) for c in finding.related_cwe))
    if finding.origin == "llm":
        status = finding.verification.status if finding.verification else "unverified"
        facts.append(f"LLM review ({status})")
    parts = [f"### {number}. {escape(cwe_heading(finding))}", " · ".join(facts)]
    if finding.message:
        parts.append(prose(finding.message))
    if finding.trace:
        parts.append(trace(finding))
    if finding.snippet:
        language = "python" if finding.location.path.endswith((".py", ".pyi")) else ""
        parts.append(fenced(finding.snippet, language))
    if finding.fix:
        parts.append(f"**Fix:** {prose(finding.fix)}")
    if finding.fixes:
        parts.append(f"**Suggested change:** {prose(suggested_change(finding))}")
    if verbose:
        extra = []
        if finding.verification is not None and finding.verification.reason:
            extra.append(f"Verification: {prose(finding.verification.reason)}")
        if cwe_name(finding.cwe):
            extra.append(f"Reference: <{cwe.url(finding.cwe)}>")
        if finding.fingerprint:
            extra.append(f"Fingerprint: {code(finding.fingerprint)}")
        if extra:
            parts.append("  \n".join(extra))
    return "\n\n".join(parts)


def _diagnostics(diagnostics: tuple[Diagnostic, ...]) -> str:
    """A collapsed list: a diagnostic matters less than a finding, and may come in hundreds."""
    items = "\n".join(
        f"- {code(d.path)}: {escape(d.message)}" if d.path else f"- {escape(d.message)}"
        for d in diagnostics[:MAX_DIAGNOSTICS]
    )
    if len(diagnostics) > MAX_DIAGNOSTICS:
        items += f"\n- … and {len(diagnostics) - MAX_DIAGNOSTICS:,} more"
    return (
        f"<details>\n<summary>Diagnostics ({len(diagnostics)})</summary>\n\n{items}\n\n</details>"
    )


def _findings(findings: list[Finding], verbose: bool, budget: int) -> list[str]:
    """The table and the sections, as many as fit in `budget` characters."""
    budget -= 300  # room for the note saying what was left out
    rows = ["| Severity | Rule | CWE | Location |", "|---|---|---|---|"]
    budget -= len(rows[0]) + len(rows[1]) + 4
    for finding in findings:
        row = _row(finding)
        if len(row) + 1 > budget:
            break
        rows.append(row)
        budget -= len(row) + 1
    listed = len(rows) - 2
    blocks = ["\n".join(rows)]
    shown = 0
    for number, finding in enumerate(findings[:listed], 1):
        section = _section(number, finding, verbose)
        if len(section) + 2 > budget:
            break
        blocks.append(section)
        budget -= len(section) + 2
        shown += 1
    if shown < len(findings):
        blocks.append(
            f"_{plural(len(findings) - shown, 'finding')} not detailed here, to stay under "
            "GitHub's comment size limit; the full report (`--format sarif` or `--format json`) "
            "has all of them._"
        )
    return blocks


def render(review: Review, *, verbose: bool = False) -> str:
    """The comment body; `verbose` adds references and fingerprints to each section."""
    findings = ordered(review)
    head = [MARKER, "## secreview security review"]
    change = review.changed_lines is not None and bool(review.scope_note)
    if change:  # a diff review says first what it covered
        head.append(f"Reviewed {escape(sentence(review.scope_note))}")
    head.append(verdict(review, len(findings), lambda text: f"**{text}**"))
    if review.scope_note and not change:
        head.append(f"Scope: {escape(sentence(review.scope_note))}")
    tail = []
    if review.diagnostics:
        tail.append(_diagnostics(review.diagnostics))
    note = hidden(review.stats)
    if note:
        tail.append(note)

    blocks = list(head)
    if findings:
        blocks += _findings(findings, verbose, MAX_CHARS - sum(len(b) + 2 for b in head + tail))
    blocks += tail
    return "\n\n".join(blocks) + "\n"
