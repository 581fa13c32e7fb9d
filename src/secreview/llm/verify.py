"""Every LLM claim is checked against the code before it may become a finding.

A claim is **rejected** when it names no line or no weakness; when `secreview.claims` finds
it wrong (the line is not in the file, or is a comment, docstring or license header; code
it quotes is not within two lines; the CWE does not exist or the name given is another
CWE's); or when nothing in the code supports it. It is **corroborated** when the engine
reports a fitting weakness on those lines (or a data path through them), and **grounded**
when no engine finding is there but the lines hold a sink or sensitive API whose weakness
fits the claim (a claim that names an API must name one that is called there).

"Fits" is the CWE-1000 hierarchy: the same CWE, an ancestor or a descendant (CWE-77 fits
CWE-78); a Class or Pillar claim also fits anything under its pillar (CWE-20 fits CWE-78,
both under Improper Neutralization). CWE-79 does not fit a CWE-78 sink.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from secreview import cwe
from secreview.claims import IDENTIFIER_RADIUS, Claim, SourceLines, check_claim, identify
from secreview.llm.sites import Site
from secreview.model import Finding

Status = Literal["corroborated", "grounded", "rejected"]


@dataclass(frozen=True, slots=True)
class Verdict:
    claim: Claim  # with `cwe` filled in when the claim named the weakness only by name
    status: Status
    reason: str
    engine: Finding | None = None  # the corroborating engine finding
    site: Site | None = None  # the sink/API that grounds the claim


@cache
def ancestors(cwe_id: int) -> frozenset[int]:
    """Every ChildOf ancestor of `cwe_id` in the research view (not only primary parents)."""
    seen: set[int] = set()
    todo = [cwe_id]
    while todo:
        current = todo.pop()
        try:
            ups = cwe.parents(current)
        except (KeyError, ValueError):
            continue
        for up in ups:
            if up not in seen:
                seen.add(up)
                todo.append(up)
    seen.discard(cwe_id)
    return frozenset(seen)


@cache
def fits(claimed: int, other: int) -> bool:
    """Whether a claim of `claimed` describes a weakness the code shows as `other`."""
    if claimed == other or claimed in ancestors(other) or other in ancestors(claimed):
        return True
    try:
        broad = cwe.abstraction(claimed) in ("Pillar", "Class")
        return (
            broad and cwe.pillar(claimed) is not None and cwe.pillar(claimed) == cwe.pillar(other)
        )
    except (KeyError, ValueError):
        return False


def _with_cwe(claim: Claim) -> Claim | str:
    """The claim with its CWE id (taken from the name when only a name was given), or why
    it cannot have one."""
    if claim.cwe is not None:
        return claim
    if claim.cwe_name:
        named = identify(claim.cwe_name, limit=1)
        if named:
            return replace(claim, cwe=named[0])
        return f"'{claim.cwe_name}' names no weakness in the CWE catalog"
    return "names no weakness (no CWE id or name)"


def verify(
    claim: Claim,
    path: str,
    source: SourceLines,
    sites: Sequence[Site],
    findings: Sequence[Finding],
) -> Verdict:
    """The verdict on one claim about file `path` (`findings`: the engine's, any file)."""
    if claim.line is None:
        return Verdict(claim, "rejected", "names no line")
    named = _with_cwe(claim)
    if isinstance(named, str):
        return Verdict(claim, "rejected", named)
    claim = named
    assert claim.cwe is not None and claim.line is not None
    problems = check_claim(claim, source)
    if problems:
        return Verdict(claim, "rejected", "; ".join(p.detail for p in problems))
    entry = cwe.get(claim.cwe)
    if entry.kind != "weakness":
        return Verdict(claim, "rejected", f"CWE-{claim.cwe} is a {entry.kind}, not a weakness")
    first = claim.line
    last = claim.end_line if claim.end_line and claim.end_line >= first else first
    engine = _corroborating(claim.cwe, path, first, last, findings)
    if engine is not None:
        return Verdict(
            claim,
            "corroborated",
            f"the engine reports {engine.rule_id} (CWE-{engine.cwe}) at {engine.location}",
            engine=engine,
        )
    return _grounding(claim, claim.cwe, first, last, sites)


def _corroborating(
    claimed: int, path: str, first: int, last: int, findings: Sequence[Finding]
) -> Finding | None:
    """An engine finding of a fitting CWE whose statement, or a step of whose data path,
    lies within IDENTIFIER_RADIUS lines of the claim; sinks before path steps."""
    low, high = first - IDENTIFIER_RADIUS, last + IDENTIFIER_RADIUS
    on_path: Finding | None = None
    for finding in findings:
        if not fits(claimed, finding.cwe):
            continue
        if finding.location.path == path and any(low <= n <= high for n in finding.lines):
            return finding
        if on_path is None and any(
            step.location.path == path and low <= step.location.line <= high
            for step in finding.trace
        ):
            on_path = finding
    return on_path


def _named_api(identifier: str, site: Site) -> bool:
    """Does quoted code (`subprocess.run(cmd)`, `cursor.execute`, 'os.execl') name `site`?"""
    name = identifier.split("(", 1)[0].strip()
    if not name:
        return False
    site_name = site.name.lstrip(".")
    return (
        name == site_name
        or site_name.endswith("." + name)
        or name.endswith("." + site.short)
        or name == site.short
    )


def _grounding(claim: Claim, claimed: int, first: int, last: int, sites: Sequence[Site]) -> Verdict:
    relevant = [s for s in sites if s.kind in ("sink", "api")]
    near = [
        s
        for s in relevant
        if s.line <= last + IDENTIFIER_RADIUS and s.end_line >= first - IDENTIFIER_RADIUS
    ]
    named = [s for s in near if any(_named_api(i, s) for i in claim.identifiers)]
    # a claim that names an API is judged by that API (within two lines, as quoted code
    # is); otherwise by the sinks on the claimed lines themselves
    candidates = named or [s for s in near if s.line <= last and s.end_line >= first]
    span = f"line {first}" if first == last else f"lines {first}-{last}"
    if not candidates:
        return Verdict(
            claim,
            "rejected",
            f"nothing supports it: no engine finding and no sink or sensitive API at {span}",
        )
    for site in candidates:
        if any(fits(claimed, c) for c in site.cwes):
            what = "sink" if site.kind == "sink" else "sensitive API"
            return Verdict(
                claim,
                "grounded",
                f"`{site.name}` at line {site.line} is a {what} for "
                f"{_cwes(site.cwes)} ({site.note})",
                site=site,
            )
    shown = "; ".join(
        f"`{s.name}` at line {s.line} is a sink for {_cwes(s.cwes)}" for s in candidates[:3]
    )
    return Verdict(claim, "rejected", f"CWE-{claimed} does not fit the code: {shown}")


def _cwes(ids: Sequence[int]) -> str:
    return ", ".join(f"CWE-{c}" for c in ids)


def enclosing_scope(tree: ast.Module | None, line: int) -> str:
    """Qualified name of the innermost function or class holding `line` ("" at module level),
    for fingerprints that survive line shifts."""
    if tree is None:
        return ""
    names: list[str] = []
    body: list[ast.stmt] = tree.body
    while True:
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
                node.lineno <= line <= (node.end_lineno or node.lineno)
            ):
                names.append(node.name)
                body = node.body
                break
        else:
            return ".".join(names)
