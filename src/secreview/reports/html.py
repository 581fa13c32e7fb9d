"""The HTML report: one self-contained page to open in a browser or attach to a CI run.

No network asset and no script: the CSS is inlined, the trace steps are `<details>` that open
on a click to show the code of that hop, and anchors link the summary to the findings. The
reviewed code is hostile, so every piece of text is escaped and a Content-Security-Policy
allows nothing but the page's own stylesheet (named by its hash), should an escape ever be
missed. The page is laid out for a phone first: long lines and paths wrap rather than scroll.
The code excerpts read the reviewed files under `Review.root` (reports/_excerpts.py).
"""

from __future__ import annotations

import base64
import hashlib
import html
from functools import cache
from importlib import resources

from secreview import __version__, cwe
from secreview.model import SEVERITIES, Finding, Review, Stats, TraceStep
from secreview.reports._common import (
    CODE_SPAN,
    FAILING_CHECK,
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
from secreview.reports._excerpts import CLASS_PREFIX, Excerpt, SourceFiles, colour

CONTEXT_LINES = 3  # lines shown around a finding
STEP_CONTEXT_LINES = 2  # lines shown around a trace step
PYGMENTS_STYLE = "default"


def render(review: Review, *, verbose: bool = False) -> str:
    """The page; `verbose` adds verification reasons, fingerprints and the run time."""
    findings = ordered(review)
    sources = _sources(review.root, findings)
    style = stylesheet()
    title = (
        f"secreview: {plural(len(findings), 'security defect')}"
        if findings
        else "secreview: no security defects"
    )
    body = [
        _header(review, findings),
        "<main>",
        _summary(findings) if findings else "",
        _findings(findings, sources, verbose),
        _rejected(review, verbose),
        _diagnostics(review),
        "</main>",
        _footer(review.stats, verbose),
    ]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{_policy(style)}">',
            '<meta name="referrer" content="no-referrer">',
            f'<meta name="generator" content="secreview {_e(__version__)}">',
            f"<title>{_e(title)}</title>",
            f"<style>{style}</style>",
            "</head>",
            "<body>",
            *(part for part in body if part),
            "</body>",
            "</html>",
        ]
    )


def _sources(root: str, findings: list[Finding]) -> SourceFiles:
    """The reviewed files, less those edited since the review: an engine snippet is the
    file's own text, so one that is no longer where it was means the lines have moved."""
    sources = SourceFiles(root)
    for finding in findings:
        loc = finding.location
        engine = finding.origin == "engine" and finding.snippet
        if engine and not sources.holds(loc.path, loc.line, loc.end_line, finding.snippet):
            sources.mark_stale(loc.path)
    return sources


@cache
def stylesheet() -> str:
    """The report's CSS and Pygments' token colours, scoped to code excerpts."""
    from pygments.formatters import HtmlFormatter

    own = resources.files("secreview.reports").joinpath("html.css").read_text(encoding="utf-8")
    tokens = HtmlFormatter(style=PYGMENTS_STYLE, classprefix=CLASS_PREFIX).get_style_defs(".code")
    # only the token rules: the formatter's own `pre`/line-number rules would restyle the page
    rules = [line for line in tokens.splitlines() if line.startswith(f".code .{CLASS_PREFIX}")]
    return "\n" + own.strip() + "\n" + "\n".join(rules) + "\n"


def _policy(style: str) -> str:
    """Nothing loads, nothing runs: only this exact stylesheet applies."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'sha256-{digest}'; img-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _prose(text: str) -> str:
    """Rule-written prose: its `code spans` become <code>, everything else is literal."""
    out: list[str] = []
    pos = 0
    for match in CODE_SPAN.finditer(text):
        out.append(_e(text[pos : match.start()]))
        out.append(f"<code>{_e(' '.join(match.group(2).split()))}</code>")
        pos = match.end()
    out.append(_e(text[pos:]))
    return " ".join("".join(out).split())


def _cwe_link(cwe_id: int) -> str:
    label = f"CWE-{cwe_id}"
    if not cwe_name(cwe_id):
        return _e(label)
    return f'<a href="{_e(cwe.url(cwe_id))}" rel="noreferrer">{_e(label)}</a>'


def _badge(severity: str) -> str:
    return f'<span class="badge {_e(severity)}">{_e(severity)}</span>'


# --- header and summary ------------------------------------------------------------------
def _header(review: Review, findings: list[Finding]) -> str:
    # the sentence is secreview's own words and numbers: only the count needs its markup
    verdict_html = verdict(review, len(findings), lambda count: f"<strong>{_e(count)}</strong>")
    parts = [
        "<header>",
        "<h1>secreview security review</h1>",
        f'<p class="verdict">{verdict_html}</p>',
    ]
    if review.scope_note:
        parts.append(f'<p class="scope">Scope: {_e(sentence(review.scope_note))}</p>')
    parts.append(f'<p class="root">Root: <code>{_e(review.root)}</code></p>')
    parts.append("</header>")
    return "\n".join(parts)


def _summary(findings: list[Finding]) -> str:
    """Counts by severity, then one row per CWE linking to its findings."""
    first: dict[str, int] = {}
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    by_cwe: dict[int, list[int]] = {}
    for number, finding in enumerate(findings, 1):
        counts[finding.severity] = counts.get(finding.severity, 0) + 1
        first.setdefault(finding.severity, number)
        by_cwe.setdefault(finding.cwe, []).append(number)
    chips = []
    for severity in reversed(SEVERITIES):
        inner = f'<span class="count">{counts[severity]}</span> {_e(severity)}'
        if severity in first:
            chips.append(
                f'<li class="{_e(severity)}"><a href="#finding-{first[severity]}">{inner}</a></li>'
            )
        else:
            chips.append(f'<li class="{_e(severity)} none">{inner}</li>')
    rows = []
    for cwe_id, numbers in by_cwe.items():
        top = findings[numbers[0] - 1]  # findings are ordered most severe first
        name = cwe_name(cwe_id) or top.title
        links = ", ".join(f'<a href="#finding-{n}">{n}</a>' for n in numbers)
        rows.append(
            f"<tr><td>{_cwe_link(cwe_id)} {_e(name)}</td><td>{_badge(top.severity)}</td>"
            f'<td class="links">{links}</td></tr>'
        )
    return "\n".join(
        [
            '<section id="summary" aria-labelledby="summary-h">',
            '<h2 id="summary-h">Summary</h2>',
            '<ul class="severities" aria-label="Findings by severity">',
            *chips,
            "</ul>",
            '<div class="table-wrap"><table class="by-cwe">',
            '<caption class="muted">Findings by weakness (CWE), most severe first</caption>',
            '<thead><tr><th scope="col">Weakness</th><th scope="col">Severity</th>'
            '<th scope="col">Findings</th></tr></thead>',
            "<tbody>",
            *rows,
            "</tbody></table></div>",
            "</section>",
        ]
    )


# --- findings ----------------------------------------------------------------------------
def _findings(findings: list[Finding], sources: SourceFiles, verbose: bool) -> str:
    if not findings:
        return ""
    articles = [_finding(n, f, sources, verbose) for n, f in enumerate(findings, 1)]
    return "\n".join(
        [
            '<section id="findings" aria-labelledby="findings-h">',
            '<h2 id="findings-h">Findings</h2>',
            *articles,
            "</section>",
        ]
    )


def _finding(number: int, finding: Finding, sources: SourceFiles, verbose: bool) -> str:
    anchor = f"finding-{number}"
    heading = _e(cwe_heading(finding))
    if cwe_name(finding.cwe):  # make the `(CWE-n)` of the heading a link to MITRE
        heading = heading.removesuffix(_e(f"(CWE-{finding.cwe})")) + f"({_cwe_link(finding.cwe)})"
    facts = [
        _badge(finding.severity),
        f"<span>confidence {_e(finding.confidence)}</span>",
        f'<span>rule <code class="rule">{_e(finding.rule_id)}</code></span>',
    ]
    if finding.related_cwe:
        links = ", ".join(_cwe_link(c) if cwe_name(c) else f"CWE-{c}" for c in finding.related_cwe)
        facts.append(f"<span>related {links}</span>")
    if finding.origin == "llm":
        status = finding.verification.status if finding.verification else "unverified"
        facts.append(f"<span>LLM review ({_e(status)})</span>")
    parts = [
        f'<article class="finding {_e(finding.severity)}" id="{anchor}" '
        f'aria-labelledby="{anchor}-h">',
        f'<h3 id="{anchor}-h"><a class="num" href="#{anchor}">{number}.</a> {heading}</h3>',
        f'<p class="facts">{" ".join(facts)}</p>',
        f'<p class="where"><code>{_e(finding.location)}</code></p>',
    ]
    if finding.message:
        parts.append(f'<p class="message">{_prose(finding.message)}</p>')
    parts.append(_flagged_code(finding, sources))
    if finding.trace:
        steps = [_step(anchor, i, step, sources) for i, step in enumerate(finding.trace, 1)]
        parts += ["<h4>Trace</h4>", '<ol class="trace">', *steps, "</ol>"]
    if finding.fix:
        parts.append(f'<p class="fix"><strong>Fix:</strong> {_prose(finding.fix)}</p>')
    if finding.fixes:
        change = _prose(suggested_change(finding))
        parts.append(f'<p class="fix"><strong>Suggested change:</strong> {change}</p>')
    if verbose:
        parts.append(_extra(finding))
    parts.append("</article>")
    return "\n".join(part for part in parts if part)


def _flagged_code(finding: Finding, sources: SourceFiles) -> str:
    """The flagged lines in their file, or the recorded snippet when the file is not there
    as it was reviewed. The flagged expression's own lines are marked, not its statement's
    (`region`), which for a `with` or an `if` runs to the end of the block."""
    loc = finding.location
    first = loc.line
    if sources.holds(loc.path, loc.line, loc.end_line, finding.snippet):
        excerpt = sources.excerpt(loc.path, first, loc.end_line, CONTEXT_LINES)
        if excerpt is not None:
            return _code(excerpt, f"{loc.path}, lines {excerpt.first}-{_end(excerpt)}")
    if not finding.snippet:
        return ""
    lines = colour(finding.snippet, loc.path)
    snippet = Excerpt(first, lines, range(first, first + len(lines)))
    note = (
        '<p class="note">The file under the review root is missing or has changed since the '
        "review; this is the flagged code as recorded.</p>"
    )
    return note + "\n" + _code(snippet, f"{loc.path}, flagged code")


def _step(anchor: str, number: int, step: TraceStep, sources: SourceFiles) -> str:
    """One hop: its place and note; a click opens the code around it."""
    loc = step.location
    step_id = f"{anchor}-step-{number}"
    note = step.note.removesuffix(" (check)") if step.check is not None else step.note
    label = (
        f'<code class="loc">{_e(loc)}</code> <span class="note-text">'
        f"{_e(' '.join(note.split()))}</span>"
    )
    if step.check is not None:
        label += f' <strong class="failing">{FAILING_CHECK}</strong>'
    excerpt = sources.excerpt(loc.path, loc.line, loc.end_line, STEP_CONTEXT_LINES)
    if excerpt is None:
        return f'<li id="{step_id}"><div class="step">{label}</div></li>'
    code = _code(excerpt, f"{loc.path}, lines {excerpt.first}-{_end(excerpt)}")
    return f'<li id="{step_id}"><details><summary>{label}</summary>{code}</details></li>'


def _end(excerpt: Excerpt) -> int:
    return excerpt.first + len(excerpt.lines) - 1


def _code(excerpt: Excerpt, label: str) -> str:
    """Numbered lines, the marked ones highlighted; numbers come from CSS so a copy of the
    code does not pick them up."""
    rows = []
    for number, line in enumerate(excerpt.lines, excerpt.first):
        hit = number in excerpt.marked
        rows.append(
            f'<div class="line{" hit" if hit else ""}"><span class="lineno" data-n="{number}">'
            f'</span><span class="text">{line}</span></div>'
        )
    return f'<div class="code" role="figure" aria-label="{_e(label)}">{"".join(rows)}</div>'


def _extra(finding: Finding) -> str:
    items = []
    if finding.verification is not None and finding.verification.reason:
        items.append(f"<dt>Verification</dt><dd>{_prose(finding.verification.reason)}</dd>")
    if cwe_name(finding.cwe):
        url = _e(cwe.url(finding.cwe))
        items.append(f'<dt>Reference</dt><dd><a href="{url}" rel="noreferrer">{url}</a></dd>')
    if finding.fingerprint:
        items.append(f"<dt>Fingerprint</dt><dd><code>{_e(finding.fingerprint)}</code></dd>")
    return f'<dl class="extra">{"".join(items)}</dl>' if items else ""


def _rejected(review: Review, verbose: bool) -> str:
    """LLM claims that failed verification: never findings; counted, or listed with the
    reason when verbose (as the text report does)."""
    if not review.rejected:
        return ""
    count = plural(len(review.rejected), "LLM claim")
    if not verbose:
        verb = "was" if len(review.rejected) == 1 else "were"
        return f'<p class="muted">{_e(count)} failed verification and {verb} dropped.</p>'
    items = []
    for claim in review.rejected:
        cwe_text = f"CWE-{claim.cwe}" if claim.cwe else "no CWE"
        reason = claim.verification.reason if claim.verification else ""
        items.append(
            f"<li><code>{_e(claim.location)}</code> {_e(cwe_text)} {_e(claim.title)}: "
            f"{_prose(reason)}</li>"
        )
    return "\n".join(
        [
            '<section id="rejected" aria-labelledby="rejected-h">',
            f'<h2 id="rejected-h">Rejected LLM claims ({_e(count)})</h2>',
            '<p class="muted">Not reported as findings: the code does not bear them out.</p>',
            "<ul>",
            *items,
            "</ul>",
            "</section>",
        ]
    )


# --- diagnostics and footer --------------------------------------------------------------
def _diagnostics(review: Review) -> str:
    if not review.diagnostics:
        return ""
    items = [
        f"<li><code>{_e(d.path)}</code>: {_e(d.message)}</li>"
        if d.path
        else f"<li>{_e(d.message)}</li>"
        for d in review.diagnostics
    ]
    return "\n".join(
        [
            '<section id="diagnostics" aria-labelledby="diagnostics-h">',
            '<h2 id="diagnostics-h">Diagnostics</h2>',
            '<details class="diagnostics">',
            f"<summary>{_e(plural(len(review.diagnostics), 'diagnostic'))}: files or "
            "comments that could not be analysed fully</summary>",
            "<ul>",
            *items,
            "</ul>",
            "</details>",
            "</section>",
        ]
    )


def _footer(stats: Stats, verbose: bool) -> str:
    parts = []
    note = hidden(stats)
    if note:
        parts.append(f'<p class="hidden-note">{_e(note)}</p>')
    made = f"Generated by secreview {_e(__version__)}"
    if verbose:
        made += f"; reviewed {_e(reviewed(stats))} in {stats.seconds:.2f} s"
    parts.append(f"<p>{made}.</p>")
    return "<footer>" + "".join(parts) + "</footer>"
