"""The default terminal review, in a reviewer's voice: one short block per defect.

Each block says what the weakness is (MITRE's name), where, how sure we are, why it matters,
how the data gets there and what to do; nothing else. The code itself is not restated (the
editor has it); `verbose` adds the flagged line, references and fingerprints.
"""

from __future__ import annotations

import re
import textwrap

from secreview import cwe
from secreview.model import Finding, Review
from secreview.reports._common import (
    cwe_heading,
    cwe_name,
    hidden,
    ordered,
    plural,
    reviewed,
    sentence,
    suggested_change,
    verdict,
)

WIDTH = 100
INDENT = "   "
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_GLUE = "\x00"  # stands in for spaces textwrap must not break at


def _wrap(text: str, first: str, rest: str) -> list[str]:
    """Wrap prose to WIDTH without splitting paths, URLs or `code spans` across lines."""
    text = _CODE_SPAN.sub(lambda m: m.group(0).replace(" ", _GLUE), text)
    lines: list[str] = []
    for paragraph in text.strip().splitlines() or [""]:
        lines.extend(
            textwrap.wrap(
                paragraph,
                WIDTH,
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
    return (
        f"{INDENT}{finding.location}  severity: {finding.severity}  "
        f"confidence: {finding.confidence}  [{tags}]"
    )


def _block(number: int, finding: Finding, verbose: bool) -> list[str]:
    lines = [f"{number}. {cwe_heading(finding)}", _where(finding)]
    if finding.message:
        lines += _wrap(finding.message, INDENT, INDENT)
    if verbose and finding.snippet:
        lines.append(f"{INDENT}Code: {finding.snippet.splitlines()[0].strip()}")
    if finding.trace:
        lines.append(f"{INDENT}Trace:")
        width = len(str(len(finding.trace)))
        for step_number, step in enumerate(finding.trace, 1):
            lines.append(f"{INDENT}  {step_number:>{width}}. {step.location}  {step.note}")
    if finding.fix:
        lines += _wrap(finding.fix, f"{INDENT}Fix: ", INDENT + " " * len("Fix: "))
    change = suggested_change(finding)
    if change:
        label = "Suggested change: "
        lines += _wrap(change, f"{INDENT}{label}", INDENT + " " * len(label))
    if verbose:
        if finding.verification is not None:
            reason = f" ({finding.verification.reason})" if finding.verification.reason else ""
            lines.append(f"{INDENT}Verified: {finding.verification.status}{reason}")
        if cwe_name(finding.cwe):
            lines.append(f"{INDENT}See: {cwe.url(finding.cwe)}")
        if finding.fingerprint:
            lines.append(f"{INDENT}Fingerprint: {finding.fingerprint}")
    return lines


def render(review: Review, *, verbose: bool = False) -> str:
    """The review as plain text (no colour codes; the CLI may add colour)."""
    findings = ordered(review)
    change = review.changed_lines is not None and bool(review.scope_note)
    lines = [f"Reviewed {sentence(review.scope_note)}"] if change else []  # a diff review
    lines.append(verdict(review, len(findings)))
    if review.scope_note and not change:
        lines.append(f"Scope: {sentence(review.scope_note)}")
    if verbose:
        lines.append(f"Reviewed {reviewed(review.stats)} in {review.stats.seconds:.2f} s.")
    for number, finding in enumerate(findings, 1):
        lines.append("")
        lines += _block(number, finding, verbose)
    lines += _rejected(review, verbose)
    if review.diagnostics:
        lines += ["", "Diagnostics:"]
        lines += [
            f"  {d.path}: {d.message}" if d.path else f"  {d.message}" for d in review.diagnostics
        ]
    note = hidden(review.stats)
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def _rejected(review: Review, verbose: bool) -> list[str]:
    """LLM claims that failed verification: listed with the reason when verbose, counted
    otherwise (they are never findings)."""
    if not review.rejected:
        return []
    count = plural(len(review.rejected), "LLM claim")
    if not verbose:
        verb = "was" if len(review.rejected) == 1 else "were"
        return ["", f"{count} failed verification and {verb} dropped (--verbose lists them)."]
    lines = ["", f"Rejected LLM claims ({count}, not reported as findings):"]
    for claim in review.rejected:
        cwe_text = f"CWE-{claim.cwe}" if claim.cwe else "no CWE"
        reason = claim.verification.reason if claim.verification else ""
        lines += _wrap(f"{claim.location}  {cwe_text}  {claim.title}: {reason}", "  - ", "    ")
    return lines
