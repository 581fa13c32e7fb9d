"""The JSON report: every field of the Review, for scripts, baselines and dashboards.

The shape is documented field by field in docs/json-report.md; bump VERSION when a field
changes meaning or disappears (adding one is compatible). Keys are emitted in a fixed
order so two runs over the same code give byte-identical reports.
"""

from __future__ import annotations

import json
from typing import Any

from secreview import __version__
from secreview.model import Diagnostic, Finding, Location, Replacement, Review, TraceStep
from secreview.reports._common import cwe_name, ordered

VERSION = "1.0"


def location(loc: Location) -> dict[str, Any]:
    return {
        "path": loc.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
    }


def _step(step: TraceStep) -> dict[str, Any]:
    out: dict[str, Any] = {"location": location(step.location), "note": step.note}
    check = step.check
    if check is not None:  # a check the data passed that does not protect it
        out["check"] = {
            "rule": check.rule,
            "why": check.why,
            "related_cwe": check.related_cwe,
            "kinds": list(check.kinds),
            "fix": check.fix,
            "subject": check.subject,
            "test": check.test,
            "inputs": [
                {"kind": kind, "input": expression, "shown": shown}
                for kind, expression, shown in check.inputs
            ],
            "symbols": list(check.symbols),
        }
    return out


def _replacement(fix: Replacement) -> dict[str, Any]:
    return {
        "location": location(fix.location),
        "replacement": fix.text,
        "description": fix.description,
        "original": fix.original,
    }


def finding(item: Finding) -> dict[str, Any]:
    verification = item.verification
    return {
        "rule_id": item.rule_id,
        "cwe": item.cwe,
        "cwe_name": cwe_name(item.cwe),
        "title": item.title,
        "message": item.message,
        "severity": item.severity,
        "confidence": item.confidence,
        "location": location(item.location),
        "snippet": item.snippet,
        "trace": [_step(step) for step in item.trace],
        "fix": item.fix,
        "fixes": [_replacement(fix) for fix in item.fixes],
        "merged": list(item.merged),
        "related_cwe": list(item.related_cwe),
        "origin": item.origin,
        "verification": (
            None
            if verification is None
            else {"status": verification.status, "reason": verification.reason}
        ),
        "fingerprint": item.fingerprint,
    }


def _diagnostic(item: Diagnostic) -> dict[str, Any]:
    return {"path": item.path, "message": item.message, "kind": item.kind}


def report(review: Review) -> dict[str, Any]:
    """The report as plain data (what `render` serialises)."""
    stats = review.stats
    data = {
        "version": VERSION,
        "tool": {"name": "secreview", "version": __version__},
        "root": review.root,
        "scope_note": review.scope_note,
        "findings": [finding(item) for item in ordered(review)],
        "diagnostics": [_diagnostic(item) for item in review.diagnostics],
        "stats": {
            "files": stats.files,
            "lines": stats.lines,
            "failed": stats.failed,
            "seconds": stats.seconds,
            "suppressed": stats.suppressed,
            "baselined": stats.baselined,
            "triaged": stats.triaged,
        },
    }
    llm = _llm(review)
    if llm is not None:
        data["llm"] = llm
    return data


def _llm(review: Review) -> dict[str, Any] | None:
    """The LLM pass's counts (from `stats.extra`'s `llm_*` entries) and the claims it
    rejected; None (no `llm` key) when the review had no LLM pass."""
    values = {name[4:]: value for name, value in review.stats.extra if name.startswith("llm_")}
    if not values:
        return None
    data: dict[str, Any] = {
        name: value if name in ("model", "prompt") else _number(value)
        for name, value in values.items()
    }
    data["rejected_claims"] = [finding(item) for item in review.rejected]
    return data


def _number(text: str) -> int | float | str:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def render(review: Review, *, verbose: bool = False) -> str:
    """JSON text; `verbose` changes nothing (the report already holds every field)."""
    return json.dumps(report(review), indent=2) + "\n"
