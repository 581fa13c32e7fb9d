"""GitHub Actions workflow commands: one `::error file=...,line=...::message` per finding,
which the runner turns into annotations on the pull request's changed files.

Levels: critical and high are `error`, medium `warning`, low `notice`; files that could not
be analysed (and misspelt suppressions) are `warning`s. Values are escaped as the runner
expects (`%`, CR and LF in messages; also `:` and `,` in properties), so a finding's text
cannot end the command early or inject another one. Reference:
docs.github.com/en/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

from secreview.model import Finding, Review
from secreview.reports._common import cwe_heading, hidden, ordered, plural, step_note

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **properties: object) -> str:
    props = ",".join(
        f"{key}={escape_property(str(value))}"
        for key, value in properties.items()
        if value is not None and value != ""
    )
    return (
        f"::{level} {props}::{escape_data(message)}"
        if props
        else f"::{level}::{escape_data(message)}"
    )


def annotation(finding: Finding) -> str:
    loc = finding.location
    lines = [finding.message]
    if finding.trace:
        lines.append("Trace: " + " -> ".join(f"{s.location} {step_note(s)}" for s in finding.trace))
    if finding.fix:
        lines.append(f"Fix: {finding.fix}")
    end_line = loc.end_line if loc.end_line and loc.end_line >= loc.line else loc.line
    columns = end_line == loc.line  # the runner takes columns only within one line
    return command(
        LEVELS.get(finding.severity, "warning"),
        "\n".join(lines),
        file=loc.path,
        line=loc.line,
        endLine=end_line,
        col=loc.column if columns else None,
        endColumn=loc.end_column if columns else None,
        title=f"{cwe_heading(finding)} [{finding.rule_id}]",
    )


def render(review: Review, *, verbose: bool = False) -> str:
    """One workflow command per line, then a plain summary line for the log; `verbose`
    changes nothing."""
    out = [annotation(finding) for finding in ordered(review)]
    out += [
        command("warning", d.message, file=d.path, title="secreview") for d in review.diagnostics
    ]
    summary = f"secreview: {plural(len(review.findings), 'security defect')}"
    if review.changed_lines is not None and review.scope_note:
        summary += f" in {review.scope_note}"
    note = hidden(review.stats)
    summary += "." + (f" {note}" if note else "")
    # one line, whatever the scope note holds: a line of it starting with `::` would be a
    # workflow command of its own
    out.append(" ".join(summary.split()))
    return "\n".join(out) + "\n"
