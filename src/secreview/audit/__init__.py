"""`secreview audit`: grade any security review text (an LLM's answer or a person's) for
claims that cannot be true, answers not in the requested form and, given the code, defects
the review missed or a clean verdict the engine contradicts.

Two steps, each usable alone: `extract` (claims, items and verdict out of prose or JSON) and
`grade` (problems and statistics); `audit_text` and `audit_file` run both, and run the
engine on the code when it is given. Rendering lives in `secreview.reports.audit`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from secreview.audit.extract import Extraction, Unit, extract
from secreview.audit.grade import Audit, AuditStats, grade

if TYPE_CHECKING:
    from secreview.config import Config
    from secreview.model import Finding

__all__ = [
    "Audit",
    "AuditError",
    "AuditStats",
    "Extraction",
    "Unit",
    "audit_file",
    "audit_text",
    "engine_findings",
    "extract",
    "grade",
]


class AuditError(Exception):
    """A file the audit needs cannot be read (a usage error, exit code 2)."""


def audit_text(
    text: str,
    *,
    review_path: str = "-",
    code: str | None = None,
    code_path: str | None = None,
    findings: list[Finding] | None = None,
) -> Audit:
    """Grade review `text`; `code` enables the line checks, `findings` the coverage ones."""
    return grade(
        extract(text), review_path=review_path, code=code, code_path=code_path, findings=findings
    )


def audit_file(review: str, code: str | None = None, config: Config | None = None) -> Audit:
    """Read the review (and the code, which the engine then reviews) and grade it."""
    review_text = _read(review, "review file")
    if code is None:
        return audit_text(review_text, review_path=review)
    code_text = _read(code, "code file")
    return audit_text(
        review_text,
        review_path=review,
        code=code_text,
        code_path=code,
        findings=engine_findings(code, config),
    )


def engine_findings(code: str, config: Config | None = None) -> list[Finding]:
    """What the engine finds in the reviewed file, as the review should have."""
    from secreview.config import ConfigError, find_config, load_config
    from secreview.pipeline import run_review

    if config is None:  # the project's settings (skipped rules, ...), as `review` finds them
        try:
            config = load_config(find_config(Path(code).resolve().parent))
        except ConfigError as exc:
            raise AuditError(str(exc)) from None
    # the file was named explicitly: review it even if it is test code or excluded
    settings = config.merged(include_tests=True, exclude=(), jobs=1)
    review = run_review([code], settings, cache=False)
    return sorted(review.findings, key=lambda f: (f.location.line, f.rule_id))


def _read(path: str, what: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise AuditError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if b"\0" in data[:8192]:
        raise AuditError(f"{what} {path} is binary, not text")
    return data.decode("utf-8", errors="replace").removeprefix("\ufeff")
