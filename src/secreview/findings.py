"""The findings stage: inline suppressions, dedupe, diff scoping, unique fingerprints, order.

Runs once per review on every engine's findings, after the whole-program phase, so the
rules and the taint engine never need to know about comments, diffs or each other.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace

from secreview import lazyre
from secreview.model import Diagnostic, Finding, severity_rank

# `# secreview: ignore` (every rule) or `# secreview: ignore[rule-a, rule-b]`. The `#` must
# start the directive; one comment can chain several tools' directives, each after its `#`.
# A missing `]` still reads the ids: `ignore[rule-a` must not silently become "ignore all".
_DIRECTIVE = lazyre.compile(r"#\s*secreview:\s*ignore(?![\w-])(?:\s*\[(?P<ids>[^\]#]*)\]?)?")
# Bandit: `# nosec`, `# nosec B602`, `# nosec: B602,B607`. Its ids are not ours: all rules.
_NOSEC = lazyre.compile(r"#\s*nosec(?![\w-])")
_ID_SPLIT = lazyre.compile(r"[\s,]+")

Suppressions = dict[int, frozenset[str] | None]


def parse_suppressions(text: str, nosec: bool = False) -> Suppressions:
    """Line -> rule ids suppressed there (None = every rule), from real comments only.

    `tokenize` tells comments from `#` inside strings; if the file cannot be tokenized
    (it then has no findings of its own anyway), the lines it did not reach are scanned
    with the regex alone.
    """
    found: Suppressions = {}
    if "secreview" not in text and not (nosec and "nosec" in text):
        return found  # no directive can match: skip tokenizing (most files, most of the cost)
    last_line = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            last_line = token.end[0]
            if token.type == tokenize.COMMENT:
                _add(found, token.start[0], token.string, nosec)
    except (tokenize.TokenError, SyntaxError):
        for number, line in enumerate(text.split("\n"), 1):
            if number > last_line and "#" in line:
                _add(found, number, line[line.index("#") :], nosec)
    return found


def _add(found: Suppressions, line: int, comment: str, nosec: bool) -> None:
    """Merge every directive in one comment into the line's entry; "all rules" wins."""
    ids: set[str] = set()
    matched = False
    everything = False
    for match in _DIRECTIVE.finditer(comment):
        matched = True
        if match.group("ids") is None:
            everything = True
        else:
            ids.update(part for part in _ID_SPLIT.split(match.group("ids")) if part)
    if nosec and _NOSEC.search(comment):
        matched = everything = True
    if not matched:
        return
    if everything or (line in found and found[line] is None):
        found[line] = None
    else:
        found[line] = frozenset(ids | (found.get(line) or frozenset()))


def process(
    findings: Iterable[Finding],
    suppressions: Mapping[str, Mapping[int, frozenset[str] | None]],
    *,
    known_rules: set[str],
    changed: Mapping[str, frozenset[int]] | None = None,
    selected: Collection[str] | None = None,
) -> tuple[list[Finding], int, list[Diagnostic]]:
    """(findings to report, how many were suppressed, diagnostics about the suppressions).

    Only the `selected` rules' findings count (None: all): a rule left out contributes
    nothing, not even a fix to a finding it would have been merged into. Fingerprints are
    made unique before scoping and suppression, so a finding keeps the same fingerprint
    whichever lines a diff review happens to look at.
    """
    if selected is not None:
        findings = [f for f in findings if f.rule_id in selected]
    findings = [_presentable(f) for f in findings]
    unique = _uniquify_fingerprints(_prefer_flows(_one_password_finding(_dedupe(findings))))
    if changed is not None:
        unique = [f for f in unique if _touches_changed(f, changed)]
    kept: list[Finding] = []
    suppressed = 0
    for finding in unique:
        if _is_suppressed(finding, suppressions.get(finding.location.path, {})):
            suppressed += 1
        else:
            kept.append(finding)
    kept.sort(key=_report_order)
    return kept, suppressed, _suppression_diagnostics(suppressions, known_rules, changed)


# How much of the flagged code a finding carries: a 5 MB one-line file must not put 5 MB
# into every report (the fingerprint, computed from the whole statement, is not affected).
MAX_SNIPPET_CHARS = 240  # per line
CUT = "…"


def _presentable(finding: Finding) -> Finding:
    """`finding` fit for every report: its snippet and its fixes' original lines capped,
    and the code its message quotes in a code span that holds that code's backticks."""
    changes: dict[str, object] = {}
    snippet = _cap(finding.snippet)
    if snippet != finding.snippet:
        changes["snippet"] = snippet
    if any(len(fix.original) > 3 * MAX_SNIPPET_CHARS for fix in finding.fixes):
        # too long to show rewritten (a review system's suggestion): kept as a region edit
        changes["fixes"] = tuple(
            replace(fix, original="") if len(fix.original) > 3 * MAX_SNIPPET_CHARS else fix
            for fix in finding.fixes
        )
    if finding.trace and "`" in finding.trace[-1].note:
        code = finding.trace[-1].note.removesuffix(" (sink)")
        quoted = f"`{code}`"
        if quoted in finding.message:
            changes["message"] = finding.message.replace(quoted, code_span(code), 1)
    return replace(finding, **changes) if changes else finding  # type: ignore[arg-type]


def _cap(snippet: str) -> str:
    if len(snippet) <= MAX_SNIPPET_CHARS:
        return snippet
    return "\n".join(
        line if len(line) <= MAX_SNIPPET_CHARS else line[: MAX_SNIPPET_CHARS - 1] + CUT
        for line in snippet.split("\n")
    )


def code_span(code: str) -> str:
    """`code` as a CommonMark code span, whatever backticks it holds: delimited by a run of
    backticks longer than any inside it, and padded when it starts or ends with one."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


def _location_order(finding: Finding) -> tuple:
    loc = finding.location
    return (loc.path, loc.line, loc.column, finding.rule_id, finding.message)


def _report_order(finding: Finding) -> tuple:
    return (-severity_rank(finding.severity), *_location_order(finding))


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (rule, path, line, message; flows: per rule, path and line): the one
    with the longest trace.

    Ties go to the earliest column, then the smallest fingerprint, so the survivor does
    not depend on the order workers happened to return their results in.
    """
    best: dict[tuple[str, str, int, str], Finding] = {}
    dropped: dict[tuple[str, str, int, str], list[Finding]] = {}
    for finding in findings:
        # flows into nested sinks of one statement (`exec(compile(src, ...))`) are one
        # defect; pattern findings with different messages on a line are different ones
        message = "" if finding.trace else finding.message
        key = (finding.rule_id, finding.location.path, finding.location.line, message)
        current = best.get(key)
        if current is None or _preference(finding) < _preference(current):
            best[key] = finding
            if current is not None:
                dropped.setdefault(key, []).append(current)
        else:
            dropped.setdefault(key, []).append(finding)
    for key, others in dropped.items():  # the survivor keeps every duplicate's fixes
        best[key] = _absorb(best[key], others, same_rule=True)
    return sorted(best.values(), key=_location_order)


# a flow finding that another rule's finding on the same statement reports better: a weak
# digest stored or checked as a password is a fast password hash (CWE-916), whose finding
# names the fix (a slow KDF, not SHA-256)
_REPORTED_BY = {"weak-hash-for-security": "fast-password-hash"}


def _one_password_finding(findings: list[Finding]) -> list[Finding]:
    """Drop a flow finding of a rule in `_REPORTED_BY` where that other rule reports the
    same statement: `user.password = md5(raw).hexdigest()` is one defect."""
    by_path: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.rule_id in _REPORTED_BY.values():
            by_path.setdefault((f.location.path, f.rule_id), []).append(f)
    if not by_path:
        return findings
    return [
        f
        for f in findings
        if not (
            f.trace
            and f.rule_id in _REPORTED_BY
            and any(
                _overlap(f.lines, o.lines)
                for o in by_path.get((f.location.path, _REPORTED_BY[f.rule_id]), ())
            )
        )
    ]


def _prefer_flows(findings: list[Finding]) -> list[Finding]:
    """Fold a pattern finding (no trace) into a data-flow finding of the same CWE on the
    same statement: `subprocess.run(cmd, shell=True)` reached by request data is one defect,
    and the finding that shows where the data comes from says more. The flow keeps what
    the pattern finding had to offer: its mechanical fix, and its rule id in `merged`."""
    flows: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        if finding.trace:
            flows.setdefault((finding.location.path, finding.cwe), []).append(finding)
    if not flows:
        return findings
    folded: dict[int, list[Finding]] = {}  # id(flow) -> the pattern findings it takes in
    kept: list[Finding] = []
    for finding in findings:
        if finding.trace:
            kept.append(finding)
            continue
        hosts = [
            flow
            for flow in flows.get((finding.location.path, finding.cwe), ())
            if _overlap(finding.lines, flow.lines)
        ]
        if not hosts:
            kept.append(finding)
        for flow in hosts:
            folded.setdefault(id(flow), []).append(finding)
    return [_absorb(f, folded[id(f)]) if id(f) in folded else f for f in kept]


def _absorb(host: Finding, others: list[Finding], same_rule: bool = False) -> Finding:
    """`host` with the mechanical fixes (and, from other rules, the rule ids) of `others`."""
    fixes = dict.fromkeys(host.fixes)
    merged = dict.fromkeys(host.merged)
    for other in sorted(others, key=_location_order):
        fixes.update(dict.fromkeys(other.fixes))
        if not same_rule:
            merged[other.rule_id] = None
        merged.update(dict.fromkeys(other.merged))
    merged.pop(host.rule_id, None)
    if len(fixes) == len(host.fixes) and len(merged) == len(host.merged):
        return host
    return replace(host, fixes=tuple(fixes), merged=tuple(sorted(merged)))


def _overlap(a: range, b: range) -> bool:
    return a.start < b.stop and b.start < a.stop


def _preference(finding: Finding) -> tuple:
    return (-len(finding.trace), finding.location.column, finding.fingerprint)


def _uniquify_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Identical fingerprints (the same code twice in one function) get `:2`, `:3`, … in
    location order, so SARIF consumers and baselines can tell the findings apart."""
    counts = Counter(f.fingerprint for f in findings if f.fingerprint)
    seen: Counter[str] = Counter()
    result: list[Finding] = []
    for finding in findings:  # already in location order
        fp = finding.fingerprint
        if fp and counts[fp] > 1:
            seen[fp] += 1
            if seen[fp] > 1:
                finding = replace(finding, fingerprint=f"{fp}:{seen[fp]}")
        result.append(finding)
    return result


def _touches_changed(finding: Finding, changed: Mapping[str, frozenset[int]]) -> bool:
    """In scope when the flagged statement or any step of its trace is on a changed line:
    a diff that adds the source of a flow reveals the sink even if the sink did not move."""
    lines = changed.get(finding.location.path)
    if lines and any(line in lines for line in finding.lines):
        return True
    for step in finding.trace:
        step_lines = changed.get(step.location.path)
        if step_lines:
            loc = step.location
            if any(n in step_lines for n in range(loc.line, (loc.end_line or loc.line) + 1)):
                return True
    return False


def _is_suppressed(finding: Finding, comments: Mapping[int, frozenset[str] | None]) -> bool:
    if not comments:
        return False
    for line in finding.lines:
        if line in comments:
            ids = comments[line]
            if ids is None or finding.rule_id in ids:
                return True
    return False


def _suppression_diagnostics(
    suppressions: Mapping[str, Mapping[int, frozenset[str] | None]],
    known_rules: set[str],
    changed: Mapping[str, frozenset[int]] | None,
) -> list[Diagnostic]:
    """A misspelt id suppresses nothing, silently; say so (only on changed lines in a diff
    review, where old comments are not the author's business)."""
    notes: list[Diagnostic] = []
    for path in sorted(suppressions):
        in_scope = None if changed is None else changed.get(path, frozenset())
        for line, ids in sorted(suppressions[path].items()):
            if ids is None or (in_scope is not None and line not in in_scope):
                continue
            if not ids:
                notes.append(
                    Diagnostic(
                        path,
                        f"line {line}: empty rule list in suppression comment; it suppresses "
                        "nothing (write '# secreview: ignore' to suppress every rule)",
                        kind="suppression",
                    )
                )
            for rule_id in sorted(ids - known_rules):
                message = f"line {line}: unknown rule id '{rule_id}' in suppression comment"
                import difflib  # for an unknown rule only

                close = difflib.get_close_matches(rule_id, sorted(known_rules), n=1)
                if close:
                    message += f"; did you mean '{close[0]}'?"
                notes.append(Diagnostic(path, message, kind="suppression"))
    return notes
