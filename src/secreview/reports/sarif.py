"""SARIF 2.1.0, shaped for GitHub code scanning.

GitHub reads a narrow subset of SARIF and silently drops what it cannot use, so this module
fills exactly what it reads: rule help (text and Markdown), `security-severity` (as a
number string: it ranks alerts critical/high/medium/low by it), `precision`, CWE tags,
`partialFingerprints` (to keep an alert the same alert when lines move), relative artifact
URIs under `%SRCROOT%`, and codeFlows so the alert shows the path the data takes. CWE ids are
also given as taxa of a CWE taxonomy, for SARIF viewers other than GitHub. A rule's mechanical
fix becomes a result `fixes` entry (SARIF §3.55), which GitHub ignores but IDE viewers and
fix-applying tools offer.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from secreview import __version__, cwe, lazyre
from secreview.model import Diagnostic, Finding, Location, Replacement, Review, TraceStep
from secreview.reports._common import FAILING_CHECK, cwe_name, ordered
from secreview.rules import RuleMeta, get_rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "secreview/v1"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# GitHub maps >= 9.0 to critical, 7.0-8.9 high, 4.0-6.9 medium, below that low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
PRECISION = {"high": "high", "medium": "medium", "low": "low"}

_DRIVE = lazyre.compile(r"^[A-Za-z]:[\\/]")


@cache
def _homepage() -> str | None:
    """The project's URL from its installed metadata; None rather than an invented one."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        meta = metadata("secreview")
    except PackageNotFoundError:
        return None
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in {"homepage", "home", "repository", "source"} and url.strip():
            return url.strip()
    return meta.get("Home-page") or None


def rule_name(rule_id: str) -> str:
    """`command-injection` -> `CommandInjection` (SARIF names are identifiers)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", rule_id))


def artifact(path: str) -> dict[str, str]:
    """A relative, percent-encoded URI under %SRCROOT%; absolute paths become file URIs."""
    posix = PurePosixPath(path.replace("\\", "/")).as_posix()
    if _DRIVE.match(posix):  # a Windows path, whatever system renders the report
        return {"uri": "file:///" + quote(posix, safe="/:")}
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def _root_uri(root: str) -> str:
    uri = Path(os.path.abspath(root)).as_uri()
    return uri if uri.endswith("/") else uri + "/"


def region(loc: Location, snippet: str = "") -> dict[str, Any]:
    """SARIF region: 1-based lines, character columns, end column exclusive (as ours)."""
    out: dict[str, Any] = {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)}
    if loc.end_line is not None and loc.end_line >= loc.line:
        out["endLine"] = loc.end_line
        if loc.end_column is not None and (loc.end_line > loc.line or loc.end_column >= loc.column):
            out["endColumn"] = max(loc.end_column, 1)
    if snippet:
        out["snippet"] = {"text": snippet}
    return out


def _physical(loc: Location, snippet: str = "") -> dict[str, Any]:
    return {
        "physicalLocation": {"artifactLocation": artifact(loc.path), "region": region(loc, snippet)}
    }


def _deleted_region(loc: Location) -> dict[str, int]:
    """The text a Replacement removes, as `fixes.apply` reads it: columns in code points (the
    run's `columnKind`), end exclusive, an absent end the start (an insertion point). The
    region is always given in full: SARIF's defaults would stretch it to the end of the line."""
    return {
        "startLine": loc.line,
        "startColumn": loc.column,
        "endLine": loc.end_line or loc.line,
        "endColumn": loc.end_column or loc.column,
    }


def _replacement(fix: Replacement) -> dict[str, Any]:
    out: dict[str, Any] = {"deletedRegion": _deleted_region(fix.location)}
    if fix.text:  # absent: a pure deletion (§3.57.4)
        out["insertedContent"] = {"text": fix.text}
    return out


def _fix(finding: Finding) -> dict[str, Any]:
    """One fix object (§3.55) for the finding's replacements: one artifactChange per file,
    its replacements in document order, each region in the unmodified file (§3.57.1)."""
    by_path: dict[str, list[Replacement]] = {}
    for fix in sorted(finding.fixes, key=lambda r: (r.location.line, r.location.column)):
        by_path.setdefault(fix.location.path, []).append(fix)
    descriptions = dict.fromkeys(f.description for f in finding.fixes if f.description)
    return {
        "description": {"text": "; ".join(descriptions) or f"Fix {finding.rule_id}"},
        "artifactChanges": [
            {"artifactLocation": artifact(path), "replacements": [_replacement(f) for f in items]}
            for path, items in sorted(by_path.items())
        ],
    }


def _help(meta: RuleMeta) -> dict[str, str]:
    """Rule help, plain and Markdown: why, a bad example, what to use instead, references."""
    example_text = "\n".join("    " + line for line in meta.example.splitlines())
    refs = list(meta.references)
    text = [meta.title, "", f"Why: {meta.why}"]
    markdown = [f"**{meta.title}**", "", meta.why]
    if meta.example:
        fence = "`" * max(3, _longest_backtick_run(meta.example) + 1)
        text += ["", "Example:", example_text]
        markdown += ["", "**Example**", "", f"{fence}python", meta.example, fence]
    if meta.fix:
        text += ["", f"Use instead: {meta.fix}"]
        markdown += ["", f"**Use instead:** {meta.fix}"]
    if refs:
        text += ["", "References:", *(f"- {ref}" for ref in refs)]
        markdown += ["", "**References**", "", *(f"- <{ref}>" for ref in refs)]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _meta_for(rule_id: str, first: Finding) -> RuleMeta:
    """The registered rule, or one described by its first finding (LLM rule ids, say)."""
    meta = get_rule(rule_id)
    if meta is not None:
        return meta
    return RuleMeta(
        id=rule_id,
        cwe=first.cwe,
        severity=first.severity,
        confidence=first.confidence,
        title=first.title or rule_id,
        why=first.message or first.title or rule_id,
        example="",
        fix=first.fix,
        references=(cwe.url(first.cwe),) if cwe_name(first.cwe) else (),
    )


def _descriptor(meta: RuleMeta, taxon_index: dict[int, int]) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "id": meta.id,
        "name": rule_name(meta.id),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.why},
        "help": _help(meta),
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {
            "tags": ["security", f"external/cwe/cwe-{meta.cwe}"],
            "precision": PRECISION[meta.confidence],
            "security-severity": SECURITY_SEVERITY[meta.severity],
        },
    }
    help_uri = meta.references[0] if meta.references else None
    if help_uri is None and meta.cwe in taxon_index:
        help_uri = cwe.url(meta.cwe)
    if help_uri:
        descriptor["helpUri"] = help_uri
    if meta.cwe in taxon_index:
        descriptor["relationships"] = [
            {"target": _taxon_ref(meta.cwe, taxon_index), "kinds": ["superset"]}
        ]
    return descriptor


def _taxon_ref(cwe_id: int, taxon_index: dict[int, int]) -> dict[str, Any]:
    return {
        "id": str(cwe_id),
        "index": taxon_index[cwe_id],
        "toolComponent": {"name": "CWE", "index": 0},
    }


def _taxonomy(cwe_ids: list[int]) -> dict[str, Any]:
    return {
        "name": "CWE",
        "organization": "MITRE",
        "version": cwe.version(),
        "informationUri": "https://cwe.mitre.org/",
        "shortDescription": {"text": "The MITRE Common Weakness Enumeration"},
        "isComprehensive": False,
        "taxa": [
            {
                "id": str(cwe_id),
                "name": cwe_name(cwe_id),
                "shortDescription": {"text": cwe.label(cwe_id)},
                "helpUri": cwe.url(cwe_id),
            }
            for cwe_id in cwe_ids
        ],
    }


def _thread_location(step: TraceStep) -> dict[str, Any]:
    location = _physical(step.location)
    location["message"] = {"text": step.note}
    if step.check is None:
        return {"location": location}
    check = step.check
    location["message"] = {
        "text": f"{step.note.removesuffix(' (check)')} ({FAILING_CHECK}: {check.why})"
    }
    properties: dict[str, Any] = {"failingCheck": {"rule": check.rule, "why": check.why}}
    if check.related_cwe:
        properties["failingCheck"]["relatedCwe"] = check.related_cwe
    if check.inputs:
        properties["failingCheck"]["passingInputs"] = {k: shown for k, _, shown in check.inputs}
    return {
        "location": location,
        "kinds": ["check", "failing"],
        "importance": "essential",
        "properties": properties,
    }


def _result(finding: Finding, rule_index: int, taxon_index: dict[int, int]) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message or finding.title},
        "locations": [_physical(finding.location, finding.snippet)],
    }
    if finding.fingerprint:
        result["partialFingerprints"] = {FINGERPRINT_KEY: finding.fingerprint}
    if finding.trace:
        result["codeFlows"] = [
            {"threadFlows": [{"locations": [_thread_location(s) for s in finding.trace]}]}
        ]
    taxa = [c for c in (finding.cwe, *finding.related_cwe) if c in taxon_index]
    if taxa:
        result["taxa"] = [_taxon_ref(c, taxon_index) for c in dict.fromkeys(taxa)]
    if finding.fixes:
        result["fixes"] = [_fix(finding)]
    properties: dict[str, Any] = {
        "security-severity": SECURITY_SEVERITY[finding.severity],
        "confidence": finding.confidence,
    }
    if finding.related_cwe:
        properties["relatedCwe"] = [f"CWE-{c}" for c in finding.related_cwe]
    if finding.origin != "engine":
        properties["origin"] = finding.origin
    if finding.verification is not None:
        properties["verification"] = finding.verification.status
    result["properties"] = properties
    return result


def _notification(diagnostic: Diagnostic) -> dict[str, Any]:
    notification: dict[str, Any] = {
        "level": "warning",
        "message": {"text": diagnostic.message},
        "properties": {"kind": diagnostic.kind},
    }
    if diagnostic.path:
        notification["locations"] = [
            {"physicalLocation": {"artifactLocation": artifact(diagnostic.path)}}
        ]
    return notification


def report(review: Review) -> dict[str, Any]:
    """The SARIF log as plain data (what `render` serialises)."""
    findings = ordered(review)
    metas: dict[str, RuleMeta] = {}
    for finding in findings:
        if finding.rule_id not in metas:
            metas[finding.rule_id] = _meta_for(finding.rule_id, finding)
    metas = dict(sorted(metas.items()))
    cwe_ids = sorted(
        {m.cwe for m in metas.values()}
        | {f.cwe for f in findings}
        | {c for f in findings for c in f.related_cwe},
        key=int,
    )
    cwe_ids = [cwe_id for cwe_id in cwe_ids if cwe_name(cwe_id)]
    taxon_index = {cwe_id: i for i, cwe_id in enumerate(cwe_ids)}
    rule_index = {rule_id: i for i, rule_id in enumerate(metas)}

    driver: dict[str, Any] = {
        "name": "secreview",
        "version": __version__,
        "semanticVersion": __version__,
        "rules": [_descriptor(meta, taxon_index) for meta in metas.values()],
        "supportedTaxonomies": [{"name": "CWE", "index": 0}],
    }
    homepage = _homepage()
    if homepage:
        driver["informationUri"] = homepage
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if review.diagnostics:
        invocation["toolExecutionNotifications"] = [_notification(d) for d in review.diagnostics]
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "taxonomies": [_taxonomy(cwe_ids)],
        "invocations": [invocation],
        "originalUriBaseIds": {SRCROOT: {"uri": _root_uri(review.root)}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, rule_index[f.rule_id], taxon_index) for f in findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(review: Review, *, verbose: bool = False) -> str:
    """SARIF JSON text; `verbose` changes nothing (GitHub shows what it shows)."""
    return json.dumps(report(review), indent=2) + "\n"
