"""Baselines: the findings a project already knows about, so reviews report only new ones.

A baseline is a JSON file of fingerprints (with rule, path and line for the humans reading
it), meant to be committed. Fingerprints do not contain line numbers (see
`python.analyzer.fingerprint`), so code moving around does not bring old findings back.
`secreview review --format json` output is accepted as a baseline too.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from secreview import __version__
from secreview.model import Review

VERSION = "1.0"
DEFAULT_NAME = "secreview-baseline.json"


class BaselineError(ValueError):
    """The baseline file cannot be read or is not a baseline: exit code 2."""


def document(review: Review) -> dict[str, Any]:
    """The baseline of `review`'s findings, as plain data."""
    return {
        "version": VERSION,
        "tool": {"name": "secreview", "version": __version__},
        "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "findings": [
            {
                "fingerprint": f.fingerprint,
                "rule_id": f.rule_id,
                "path": f.location.path,
                "line": f.location.line,
                "title": f.title,
            }
            for f in sorted(review.findings, key=lambda f: (f.location.path, f.location.line))
            if f.fingerprint
        ],
    }


def write(review: Review, path: str | Path) -> int:
    """Write the baseline file; the number of findings in it."""
    data = document(review)
    Path(path).write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return len(data["findings"])


def load(path: str | Path) -> frozenset[str]:
    """The fingerprints in a baseline (or in a secreview JSON report)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BaselineError(f"baseline not found: {path}") from None
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not valid JSON: {exc}") from None
    findings = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(findings, list):
        raise BaselineError(
            f"baseline {path} has no 'findings' list (create one with `secreview baseline create`)"
        )
    prints = set()
    for number, item in enumerate(findings, 1):
        fingerprint = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(fingerprint, str) or not fingerprint:
            raise BaselineError(f"baseline {path}: finding {number} has no fingerprint")
        prints.add(fingerprint)
    return frozenset(prints)


def subtract(review: Review, fingerprints: frozenset[str]) -> Review:
    """`review` without the findings the baseline holds; their number goes to the stats."""
    kept = tuple(f for f in review.findings if f.fingerprint not in fingerprints)
    dropped = len(review.findings) - len(kept)
    if not dropped:
        return review
    stats = replace(review.stats, baselined=review.stats.baselined + dropped)
    return replace(review, findings=kept, stats=stats)
