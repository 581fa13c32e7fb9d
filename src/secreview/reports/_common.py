"""Helpers every format shares, so all reports number, order and name findings alike."""

from __future__ import annotations

import re
from collections.abc import Callable

from secreview import lazyre
from secreview.model import Finding, Review, Stats, TraceStep, severity_rank

# A `code span` in rule-written prose, as CommonMark reads one: a run of backticks, text, and
# a run of the same length (Markdown keeps it as code, HTML makes it <code>).
CODE_SPAN = lazyre.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# Control characters but tab and newline (C0, DEL, C1): a terminal acts on them, so reviewed
# code holding `\x1b[2J` or `\x1b[1A\x1b[2K` could clear the screen or erase its own finding.
_CONTROLS = lazyre.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# The one sentence a clean review prints (DESIGN.md, "Review text"); tests and users match it.
NO_DEFECTS = "No security defects are detected in the code."
# ...which must not be said of code that was never analysed
NOTHING_ANALYSED = "No file could be analysed, so no verdict: see the diagnostics below."


def visible(text: str) -> str:
    """`text` with each control character but tab and newline written as `\\u001b`: shown,
    never acted on by the terminal a report is printed to. The escape is JSON's own, so a JSON
    report stays valid and decodes to the same text."""
    return _CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def verdict_unavailable(stats: Stats) -> bool:
    """Every file reviewed failed to parse or load: "no defects" would be a false claim."""
    return stats.files > 0 and stats.failed >= stats.files


def ordered(review: Review) -> list[Finding]:
    """Findings most severe first, then by place: the order every report lists them in."""
    return sorted(
        review.findings,
        key=lambda f: (
            -severity_rank(f.severity),
            f.location.path,
            f.location.line,
            f.location.column,
            f.rule_id,
        ),
    )


def cwe_name(cwe_id: int) -> str:
    """MITRE's official name, or "" for an id the catalog lacks (a report must not crash)."""
    from secreview import cwe  # a report without findings never loads the catalog

    try:
        return cwe.name(cwe_id)
    except (KeyError, TypeError, ValueError):
        return ""


def cwe_heading(finding: Finding) -> str:
    """`Official Name (CWE-n)`; the rule's own title stands in for a name MITRE lacks."""
    return f"{cwe_name(finding.cwe) or finding.title} (CWE-{finding.cwe})"


# how every report marks the step of a check the data passed that does not protect it
FAILING_CHECK = "check that fails"


def step_note(step: TraceStep) -> str:
    """A trace step's note, the step of a check that does not protect the data marked so."""
    if step.check is None:
        return step.note
    return f"{step.note.removesuffix(' (check)')} ({FAILING_CHECK})"


def related_cwes(finding: Finding) -> str:
    """`CWE-187 Partial String Comparison`: the finding's related weaknesses, or ""."""
    return "; ".join(f"CWE-{cwe_id} {cwe_name(cwe_id)}".rstrip() for cwe_id in finding.related_cwe)


def plural(count: int, noun: str) -> str:
    """`1 file`, `1,234 lines`: counts as a reader says them."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def verdict(review: Review, count: int, strong: Callable[[str], str] = str) -> str:
    """The review's first sentence: how many defects in how much code, the plain "no defects"
    verdict, or none at all when no file could be analysed. `strong` marks up the count."""
    if count:
        defects = strong(plural(count, "security defect"))
        return f"secreview found {defects} in {reviewed(review.stats)}."
    return NOTHING_ANALYSED if verdict_unavailable(review.stats) else NO_DEFECTS


def reviewed(stats: Stats) -> str:
    """`12 files (1,234 lines)`: how much code the verdict covers."""
    return f"{plural(stats.files, 'file')} ({plural(stats.lines, 'line')})"


def hidden(stats: Stats) -> str:
    """One sentence on findings left out by suppressions, the baseline or triage, or ""."""
    parts = []
    if stats.suppressed:
        parts.append(f"{plural(stats.suppressed, 'finding')} suppressed by comments")
    if stats.baselined:
        parts.append(f"{plural(stats.baselined, 'finding')} already in the baseline")
    if stats.triaged:
        parts.append(
            f"{plural(stats.triaged, 'finding')} triaged (`secreview triage --list` shows them)"
        )
    return ("Not shown: " + "; ".join(parts) + ".") if parts else ""


def suggested_change(finding: Finding) -> str:
    """What the finding's mechanical fix does, in words (`Load with yaml.SafeLoader`), with
    the line when it is not the finding's own; "" when it has none."""
    parts: dict[str, None] = {}
    for fix in finding.fixes:
        text = fix.description or f"replace with `{fix.text}`"
        if fix.location.path != finding.location.path:
            text += f" ({fix.location})"
        elif fix.location.line != finding.location.line:
            text += f" (line {fix.location.line})"
        parts[text] = None
    return "; ".join(parts)


def sentence(text: str) -> str:
    """`text` with closing punctuation, for notes written without it."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."
