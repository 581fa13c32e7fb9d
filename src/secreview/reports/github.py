"""GitHub: the JSON body of "Create a review for a pull request".

`POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews` takes `body`, `event` and
`comments`; each comment has `path`, `line`, `side` ("RIGHT": the pull request's version of
the file), optionally `start_line`/`start_side` for a range, and a Markdown `body`
(docs.github.com/en/rest/pulls/reviews#create-a-review-for-a-pull-request). `commit_id` is
left out: GitHub then uses the pull request's latest commit.

GitHub refuses the whole review (422) when one comment is on a line outside the diff, so
in a diff review (`--diff`/`--patch`) each comment goes on a changed line: the flagged
statement's, else the first trace step on a changed line; a finding with neither goes into
the review body. A rule's mechanical fix becomes a ```suggestion block when it rewrites
only the commented lines.
"""

from __future__ import annotations

import json
from typing import Any

from secreview import cwe
from secreview.model import Finding, Location, Review
from secreview.python import fixes
from secreview.reports._common import (
    cwe_heading,
    cwe_name,
    hidden,
    ordered,
    plural,
    sentence,
    verdict,
)
from secreview.reports.markdown import MARKER, code, escape, fenced, prose, trace

EVENT = "COMMENT"  # a review that neither approves nor blocks: branch protection decides
MAX_BODY = 60_000  # under GitHub's 65,536-character limit for a review or comment body


def _anchor(finding: Finding, changed: dict[str, frozenset[int]] | None) -> Location | None:
    """Where the comment goes: a line GitHub accepts (in the diff) when that is known."""
    if changed is None:
        return finding.location
    lines = changed.get(finding.location.path, frozenset())
    for line in finding.lines:
        if line in lines:
            return Location(finding.location.path, line)
    for step in finding.trace:
        if step.location.line in changed.get(step.location.path, frozenset()):
            return step.location
    return None


def suggestion(
    finding: Finding, changed: dict[str, frozenset[int]] | None
) -> tuple[int, int, str] | None:
    """(first line, last line, their rewritten text) when the rule's fix rewrites one range
    of lines of the flagged file, every one of them commentable."""
    if not finding.fixes:
        return None
    spans = {
        (f.location.path, f.location.line, f.location.end_line or f.location.line)
        for f in finding.fixes
    }
    originals = {f.original for f in finding.fixes}
    if len(spans) != 1 or len(originals) != 1 or not next(iter(originals)):
        return None
    path, first, last = next(iter(spans))
    if path != finding.location.path:
        return None
    if changed is not None and not all(
        n in changed.get(path, frozenset()) for n in range(first, last + 1)
    ):
        return None
    return first, last, fixes.apply(next(iter(originals)), finding.fixes, first_line=first)


def comment_body(finding: Finding, anchor: Location, suggested: str | None = None) -> str:
    facts = (
        f"severity **{finding.severity}** · confidence {finding.confidence} · "
        f"rule {code(finding.rule_id)}"
    )
    parts = [f"**{escape(cwe_heading(finding))}**", facts]
    if anchor.path != finding.location.path or anchor.line not in finding.lines:
        parts.append(f"Data from this line reaches {code(str(finding.location))}.")
    if finding.message:
        parts.append(prose(finding.message))
    if finding.trace:
        parts.append(trace(finding))
    if finding.fix:
        parts.append(f"**Fix:** {prose(finding.fix)}")
    if suggested is not None:
        parts.append(fenced(suggested, "suggestion"))
    footer = [f"fingerprint {code(finding.fingerprint)}"] if finding.fingerprint else []
    if cwe_name(finding.cwe):
        footer.insert(0, f"[CWE-{finding.cwe}]({cwe.url(finding.cwe)})")
    if footer:
        parts.append("<sub>" + " · ".join(footer) + "</sub>")
    return _capped("\n\n".join(parts))


def report(review: Review) -> dict[str, Any]:
    """The request body as plain data."""
    comments: list[dict[str, Any]] = []
    outside: list[Finding] = []
    for finding in ordered(review):
        fix = suggestion(finding, review.changed_lines)
        anchor = _anchor(finding, review.changed_lines)
        if fix is not None:
            first, last, text = fix
            comment: dict[str, Any] = {"path": finding.location.path}
            if first != last:
                comment.update(start_line=first, start_side="RIGHT")
            comment.update(line=last, side="RIGHT")
            where = Location(finding.location.path, first)
            comment["body"] = comment_body(finding, where, text)
            comments.append(comment)
        elif anchor is not None:
            comments.append(
                {
                    "path": anchor.path,
                    "line": anchor.line,
                    "side": "RIGHT",
                    "body": comment_body(finding, anchor),
                }
            )
        else:
            outside.append(finding)
    return {"body": _body(review, outside), "event": EVENT, "comments": comments}


def _body(review: Review, outside: list[Finding]) -> str:
    parts = [MARKER, "## secreview security review"]
    if review.changed_lines is not None and review.scope_note:
        parts.append(f"Reviewed {escape(sentence(review.scope_note))}")
    if review.findings:
        parts.append(
            f"secreview found **{plural(len(review.findings), 'security defect')}**"
            + (" (see the comments below)." if len(outside) < len(review.findings) else ".")
        )
    else:
        parts.append(verdict(review, 0))  # no defects, or no verdict
    for finding in outside:
        parts.append(
            f"- {code(str(finding.location))} {escape(cwe_heading(finding))} "
            f"({finding.severity}, {code(finding.rule_id)}): {prose(finding.message)}"
        )
    note = hidden(review.stats)
    if note:
        parts.append(prose(note))  # as the Markdown report shows it: its command as code
    return _capped("\n\n".join(parts))


def _capped(body: str) -> str:
    """GitHub refuses the whole review (422) when any body is over its limit: a long LLM
    explanation or trace is cut at a line (or a word, in a very long line), with a note."""
    if len(body) <= MAX_BODY:
        return body
    cut = body[: MAX_BODY - 80]
    line_end = cut.rfind("\n")
    cut = cut[:line_end] if line_end > len(cut) - 2000 else cut.rsplit(" ", 1)[0]
    return cut + "\n\n_(truncated: see the full report)_"


def render(review: Review, *, verbose: bool = False) -> str:
    """The JSON body to POST; `verbose` changes nothing."""
    return json.dumps(report(review), indent=2, ensure_ascii=False) + "\n"
