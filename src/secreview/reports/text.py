"""The default terminal review, in a reviewer's voice: one short block per defect.

Each block says what the weakness is (MITRE's name), where, how sure we are, why it matters,
how the data gets there and what to do; nothing else. The code itself is not restated (the
editor has it); `verbose` adds the flagged line, references and fingerprints. The report
ends with a summary line (findings by severity, files reviewed) whenever it holds more
than the one-sentence verdict.

Off a terminal the report is plain text wrapped at `WIDTH` columns, so pipes, files and CI
logs read the same everywhere. On a terminal (`render_terminal`, chosen by the CLI) it is
wrapped at the terminal's width and, unless NO_COLOR is set, coloured by severity. Every
line is built first and tagged with its role; colour is added to the finished line after
`visible()` has escaped the reviewed code's control characters, so text from the code can
never inject an escape sequence of its own.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter

from secreview import cwe, lazyre
from secreview.model import SEVERITIES, Finding, Review
from secreview.reports._common import (
    cwe_heading,
    cwe_name,
    hidden,
    ordered,
    plural,
    related_cwes,
    reviewed,
    sentence,
    step_note,
    suggested_change,
    verdict,
    verdict_unavailable,
    visible,
)

WIDTH = 100  # off a terminal
MIN_WIDTH = 40  # a terminal narrower than this still gets this much
INDENT = "   "
_CODE_SPAN = lazyre.compile(r"`[^`\n]+`")
_GLUE = "\x00"  # stands in for spaces textwrap must not break at

# SGR codes by role: severities as in `secreview rules`, labels dim, headings bold
_STYLES = {
    "critical": "1;31",
    "high": "31",
    "medium": "33",
    "low": "36",
    "bold": "1",
    "label": "2",
}
Line = tuple[str, str]  # (text, role): the role says how a terminal may colour the line


def _wrap(
    text: str, first: str, rest: str, width: int, *, code: bool = False, record: bool = False
) -> list[str]:
    """Wrap prose to `width` without splitting paths, URLs or `code spans` across lines;
    `code` text (trace notes) may break at any space. A `record` (a heading, a location
    line, a trace step, a diagnostic) is one line off a terminal, whatever its length, so
    logs can be searched line by line: pass `width` 0 for that."""
    if record and not width:
        return [first + text.strip()]
    if not code:
        text = _CODE_SPAN.sub(lambda m: m.group(0).replace(" ", _GLUE), text)
    lines: list[str] = []
    for paragraph in text.strip().splitlines() or [""]:
        lines.extend(
            textwrap.wrap(
                paragraph,
                width,
                initial_indent=first if not lines else rest,
                subsequent_indent=rest,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [(first if not lines else rest).rstrip()]
        )
    return [line.replace(_GLUE, " ") for line in lines]


def _where(finding: Finding) -> str:
    tags = finding.rule_id
    if finding.origin == "llm":
        status = finding.verification.status if finding.verification else "unverified"
        tags += f", LLM review: {status}"
    levels = f"severity: {finding.severity}  confidence: {finding.confidence}"
    return f"{finding.location}  {levels}  [{tags}]"


def _labelled(label: str, text: str, width: int) -> list[Line]:
    wrapped = _wrap(text, f"{INDENT}{label}", INDENT + " " * len(label), width)
    return [(line, "label" if n == 0 else "") for n, line in enumerate(wrapped)]


def _block(number: int, finding: Finding, verbose: bool, width: int, records: int) -> list[Line]:
    """One finding's lines; `records` is the width for headings, locations and trace steps
    (0: one line each, off a terminal)."""
    severity = finding.severity
    head = f"{number}. "
    lines: list[Line] = [
        (line, f"heading:{severity}")
        for line in _wrap(
            head + cwe_heading(finding), "", " " * len(head), records, code=True, record=True
        )
    ]
    where = _wrap(_where(finding), INDENT, INDENT + "  ", records, code=True, record=True)
    lines += [(line, f"where:{severity}") for line in where]
    if finding.related_cwe:
        lines += _labelled("Related: ", related_cwes(finding), width)
    if finding.message:
        lines += [(line, "") for line in _wrap(finding.message, INDENT, INDENT, width)]
    if verbose and finding.snippet:
        lines.append((f"{INDENT}Code: {finding.snippet.splitlines()[0].strip()}", "label"))
    if finding.trace:
        lines.append((f"{INDENT}Trace:", "label"))
        digits = len(str(len(finding.trace)))
        for step_number, step in enumerate(finding.trace, 1):
            first = f"{INDENT}  {step_number:>{digits}}. "
            text = f"{step.location}  {step_note(step)}"
            hang = " " * len(first) + "   "
            wrapped = _wrap(text, first, hang, records, code=True, record=True)
            lines += [(line, "") for line in wrapped]
    if finding.fix:
        lines += _labelled("Fix: ", finding.fix, width)
    change = suggested_change(finding)
    if change:
        lines += _labelled("Suggested change: ", change, width)
    if verbose:
        if finding.verification is not None:
            reason = f" ({finding.verification.reason})" if finding.verification.reason else ""
            lines.append((f"{INDENT}Verified: {finding.verification.status}{reason}", "label"))
        if cwe_name(finding.cwe):
            lines.append((f"{INDENT}See: {cwe.url(finding.cwe)}", "label"))
        if finding.fingerprint:
            lines.append((f"{INDENT}Fingerprint: {finding.fingerprint}", "label"))
    return lines


def _lines(review: Review, verbose: bool, width: int, terminal: bool = False) -> list[Line]:
    findings = ordered(review)
    change = review.changed_lines is not None and bool(review.scope_note)
    records = width if terminal else 0
    lines: list[Line] = []
    if change:  # a diff review
        lines += [(t, "") for t in _wrap(f"Reviewed {sentence(review.scope_note)}", "", "", width)]
    lines += [(t, "bold") for t in _wrap(verdict(review, len(findings)), "", "", width)]
    if review.scope_note and not change:
        lines += [(t, "") for t in _wrap(f"Scope: {sentence(review.scope_note)}", "", "", width)]
    if verbose:
        lines.append((f"Reviewed {reviewed(review.stats)} in {review.stats.seconds:.2f} s.", ""))
    for number, finding in enumerate(findings, 1):
        lines.append(("", ""))
        lines += _block(number, finding, verbose, width, records)
    lines += _rejected(review, verbose, width)
    if review.diagnostics:
        lines += [("", ""), ("Diagnostics:", "bold")]
        for d in review.diagnostics:
            text = f"{d.path}: {d.message}" if d.path else d.message
            wrapped = _wrap(text, "  ", "    ", records, code=True, record=True)
            lines += [(t, "") for t in wrapped]
    note = hidden(review.stats)
    if note:
        lines += [("", "")] + [(t, "") for t in _wrap(note, "", "", width)]
    if review.findings or review.diagnostics or note or review.rejected:
        # more than the verdict: say at the end what it came to
        lines += [("", "")] + [(t, "summary") for t in _wrap(summary(review), "", "", width)]
    return lines


def summary(review: Review) -> str:
    """`Summary: 7 findings (4 critical, 3 high) in 4 files reviewed (188 lines).`, and how
    many of those files could not be analysed."""
    stats = review.stats
    counts = Counter(f.severity for f in review.findings)
    if review.findings:
        by_severity = ", ".join(f"{counts[s]:,} {s}" for s in reversed(SEVERITIES) if counts[s])
        found = f"{plural(len(review.findings), 'finding')} ({by_severity})"
    else:
        found = "no findings" if not verdict_unavailable(stats) else "no verdict"
    files, lines = plural(stats.files, "file"), plural(stats.lines, "line")
    text = f"Summary: {found} in {files} reviewed ({lines})"
    if stats.failed:
        text += f", {stats.failed:,} not analysed"
    return text + "."


def render(review: Review, *, verbose: bool = False, width: int = WIDTH) -> str:
    """The review as plain text (no colour codes), wrapped at `width`."""
    return "\n".join(text for text, _ in _lines(review, verbose, max(width, MIN_WIDTH))) + "\n"


def render_terminal(
    review: Review, *, verbose: bool = False, width: int = WIDTH, colour: bool = True
) -> str:
    """The review for a terminal `width` columns wide, coloured unless `colour` is False;
    control characters from the code are escaped here (`reports.render` is not used)."""
    out = []
    for text, role in _lines(review, verbose, max(width, MIN_WIDTH), terminal=True):
        text = visible(text)
        out.append(_paint(text, role) if colour and text else text)
    return "\n".join(out) + "\n"


def _paint(text: str, role: str) -> str:
    kind, _, severity = role.partition(":")
    if kind == "heading":
        return _sgr(f"1;{_STYLES[severity].split(';')[-1]}", text)
    if kind == "where":
        word = f"severity: {severity}"
        head, found, tail = text.rpartition(word)
        if not found:
            return text
        return head + "severity: " + _sgr(_STYLES[severity], severity) + tail
    if kind == "label":
        match = re.match(r"(\s*)([A-Z][a-z]+(?: [a-z]+)?:)(.*)", text)
        if match is None:
            return text
        return match.group(1) + _sgr(_STYLES["bold"], match.group(2)) + match.group(3)
    if kind == "summary":
        for severity in SEVERITIES:
            text = re.sub(
                rf"(\d[\d,]*) {severity}\b",
                lambda m, s=severity: _sgr(_STYLES[s], m.group(0)),
                text,
            )
        return _sgr(_STYLES["bold"], "Summary:") + text[len("Summary:") :]
    if kind == "bold":
        return _sgr(_STYLES["bold"], text)
    return text


def _sgr(code: str, text: str) -> str:
    return f"\x1b[{code}m{text}\x1b[0m"


def _rejected(review: Review, verbose: bool, width: int) -> list[Line]:
    """LLM claims that failed verification: listed with the reason when verbose, counted
    otherwise (they are never findings)."""
    if not review.rejected:
        return []
    count = plural(len(review.rejected), "LLM claim")
    if not verbose:
        verb = "was" if len(review.rejected) == 1 else "were"
        text = f"{count} failed verification and {verb} dropped (--verbose lists them)."
        return [("", "")] + [(t, "") for t in _wrap(text, "", "", width)]
    lines: list[Line] = [
        ("", ""),
        (f"Rejected LLM claims ({count}, not reported as findings):", ""),
    ]
    for claim in review.rejected:
        cwe_text = f"CWE-{claim.cwe}" if claim.cwe else "no CWE"
        reason = claim.verification.reason if claim.verification else ""
        text = f"{claim.location}  {cwe_text}  {claim.title}: {reason}"
        lines += [(t, "") for t in _wrap(text, "  - ", "    ", width)]
    return lines
