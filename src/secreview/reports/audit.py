"""The audit report (`secreview audit`), as text or JSON: renders an `Audit`, computes nothing.

Claims are numbered from 1 in both formats, as the text report and the review itself do.
"""

from __future__ import annotations

import json
import textwrap
from collections import Counter
from typing import TYPE_CHECKING, Any

from secreview import __version__, cwe
from secreview.reports._common import plural, visible
from secreview.reports.json_report import finding as finding_json

if TYPE_CHECKING:
    from secreview.audit import Audit
    from secreview.claims import Claim, Problem

VERSION = "1.0"
FORMATS = ("text", "json")
WIDTH = 100

_VERDICTS = {
    "defects": "defects found",
    "none": "no defects",
    "contradictory": "contradictory (no defects, and some)",
    "unclear": "no clear verdict",
}


def render(audit: Audit, fmt: str = "text", width: int = WIDTH) -> str:
    """The audit in `fmt` (text wrapped at `width`: the terminal's, when printed to one);
    control characters from the review or the code are escaped."""
    if fmt == "json":
        return visible(json.dumps(report(audit), indent=2, ensure_ascii=False)) + "\n"
    if fmt == "text":
        return visible(text(audit, max(width, 40)))
    raise ValueError(f"unknown audit format {fmt!r}; choose one of: {', '.join(FORMATS)}")


# --- text --------------------------------------------------------------------------------------
def text(audit: Audit, width: int = WIDTH) -> str:
    stats = audit.stats
    problems = len(audit.problems)
    head = (
        f"Audit of {audit.review_path}: {plural(stats.claims, 'claim')}, verdict: "
        f"{_VERDICTS[audit.extraction.verdict]}; "
        + (f"{plural(problems, 'problem')}." if problems else "no problem found.")
    )
    out = [_wrap(head, "", "  ", width)]
    if audit.claims:
        out += ["", "Claims"]
        for index, claim in enumerate(audit.claims):
            out.append(_wrap(f"{index + 1}. {_claim_heading(claim)}", "  ", "     ", width))
            out += [_problem_line(p, "     ", width) for p in audit.problems_of(index)]
    overall = audit.problems_of(None)
    if overall:
        out += ["", "The response as a whole"]
        out += [_problem_line(p, "  ", width) for p in overall]
    if audit.engine_findings is not None:
        total = len(audit.engine_findings)
        out += [
            "",
            f"Engine findings in {audit.code_path}: {total}, missed by the review: "
            f"{len(audit.missed)}",
        ]
        for item in audit.missed:
            line = (
                f"- line {item.location.line}: {cwe.label(item.cwe)} [{item.rule_id}] {item.title}"
            )
            out.append(_wrap(line, "  ", "    ", width))
    share = f"{stats.boilerplate_share:.0%}"
    per_claim = (
        f" ({stats.words_per_claim:g} words per claim)" if stats.words_per_claim is not None else ""
    )
    out += [
        "",
        _wrap(
            f"Stats: {plural(stats.words, 'word')}, {plural(stats.claims, 'claim')}{per_claim}, "
            f"{stats.boilerplate_sentences} of {plural(stats.sentences, 'sentence')} "
            f"boilerplate ({share}).",
            "",
            "  ",
            width,
        ),
    ]
    return "\n".join(out) + "\n"


def _claim_heading(claim: Claim) -> str:
    name = claim.cwe_name or claim.title or "(no name)"
    parts = [f"{name} (CWE-{claim.cwe})" if claim.cwe is not None else name]
    if claim.line is not None:
        ranged = claim.end_line is not None and claim.end_line > claim.line
        span = f"lines {claim.line}-{claim.end_line}" if ranged else f"line {claim.line}"
        parts.append(span)
    else:
        parts.append("no line")
    return ", ".join(parts)


def _problem_line(problem: Problem, indent: str, width: int = WIDTH) -> str:
    return _wrap(f"- {problem.kind}: {problem.detail}", indent, indent + "  ", width)


def _wrap(line: str, first: str, rest: str, width: int = WIDTH) -> str:
    return textwrap.fill(
        line,
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


# --- JSON --------------------------------------------------------------------------------------
def report(audit: Audit) -> dict[str, Any]:
    """The audit as plain data (what `render(..., "json")` serialises)."""
    stats = audit.stats
    return {
        "version": VERSION,
        "tool": {"name": "secreview", "version": __version__},
        "review": audit.review_path,
        "code": audit.code_path,
        "form": audit.extraction.form,
        "verdict": audit.extraction.verdict,
        "truncated": audit.extraction.truncated,
        "claims": [
            _claim(index, claim, audit.problems_of(index))
            for index, claim in enumerate(audit.claims)
        ],
        "problems": [_problem(p) for p in audit.problems],
        "problem_counts": dict(sorted(Counter(p.kind for p in audit.problems).items())),
        "engine": (
            None
            if audit.engine_findings is None
            else {
                "findings": len(audit.engine_findings),
                "missed": [finding_json(item) for item in audit.missed],
            }
        ),
        "stats": {
            "words": stats.words,
            "sentences": stats.sentences,
            "items": stats.items,
            "claims": stats.claims,
            "words_per_claim": stats.words_per_claim,
            "boilerplate_sentences": stats.boilerplate_sentences,
            "boilerplate_share": stats.boilerplate_share,
        },
    }


def _claim(index: int, claim: Claim, problems: list[Problem]) -> dict[str, Any]:
    known = claim.cwe is not None and cwe.exists(claim.cwe)
    return {
        "number": index + 1,
        "line": claim.line,
        "end_line": claim.end_line,
        "path": claim.path,
        "cwe": claim.cwe,
        "cwe_name": claim.cwe_name,
        "catalog_name": cwe.name(claim.cwe) if known and claim.cwe is not None else None,
        "title": claim.title,
        "explanation": claim.explanation,
        "fix": claim.fix,
        "identifiers": list(claim.identifiers),
        "confidence": claim.confidence,
        "problems": [_problem(p) for p in problems],
    }


def _problem(problem: Problem) -> dict[str, Any]:
    return {
        "kind": problem.kind,
        "detail": problem.detail,
        "claim": None if problem.claim is None else problem.claim + 1,
        "line": problem.line,
        "cwes": list(problem.cwes),
    }
