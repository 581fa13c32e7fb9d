"""Mechanical fixes in the SARIF and JSON reports: SARIF result `fixes` (SARIF 2.1.0 §3.55
fix, §3.56 artifactChange, §3.57 replacement) valid against the official schema, and the
JSON report's `fixes`; applied to the reviewed file, both give what `fixes.apply` (and the
Gerrit fix suggestions) give.

SARIF replacements are applied as §3.57.1 says: in the order given, each `deletedRegion`
located in the unmodified artifact; a zero-length region is an insertion point and an
absent `insertedContent` inserts nothing. Columns are counted as the run's `columnKind`
declares (Unicode code points), which the astral character in the sample makes matter.
"""

from __future__ import annotations

import itertools
import json
import re
import textwrap
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from secreview.config import Config
from secreview.model import Finding, Location, Replacement, Review
from secreview.pipeline import run_review
from secreview.python import fixes
from secreview.reports import render

REPO = Path(__file__).resolve().parents[1]

CODE = textwrap.dedent(
    """
    import tarfile

    import requests
    import yaml
    from lxml import etree


    def load(data, url, path):
        print("naïve 🔑", yaml.load(data))
        parser = etree.XMLParser(resolve_entities=True, no_network=False)
        with tarfile.open(path) as archive:
            archive.extractall("out")
        return requests.get(url, verify=False), parser
    """
).lstrip("\n")
FIXED = (
    CODE.replace("yaml.load(", "yaml.safe_load(")
    .replace("resolve_entities=True, no_network=False", "resolve_entities=False, no_network=True")
    .replace('extractall("out")', 'extractall("out", filter="data")')
    .replace(", verify=False)", ")")
)
WITH_FIXES = {
    "unsafe-yaml-load",  # rewrites a name
    "lxml-unsafe-parser",  # two replacements on one line
    "tar-extract-without-filter",  # an insertion
    "tls-verification-disabled",  # a deletion
}


def _schema_path() -> Path:
    near = Path(__file__).resolve().parents[2] / "shared/schemas/sarif-schema-2.1.0.json"
    return near if near.is_file() else Path("/work/shared/schemas/sarif-schema-2.1.0.json")


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(_schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Review]:
    root = tmp_path_factory.mktemp("fixes")
    (root / "app").mkdir()
    (root / "app" / "loader.py").write_text(CODE, encoding="utf-8")
    review = run_review([str(root / "app" / "loader.py")], Config(jobs=1), root=str(root))
    with_fixes = {f.rule_id for f in review.findings if f.fixes}
    assert with_fixes == WITH_FIXES
    assert any(not f.fixes for f in review.findings)  # request-without-timeout, say
    return root, review


def _sarif(review: Review, validator: jsonschema.Draft7Validator) -> dict:
    log = json.loads(render(review, "sarif"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    return log


def _offset(lines: list[str], line: int, column: int) -> int:
    """A 1-based line and code-point column as an offset into the joined text."""
    assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1
    return sum(len(text) + 1 for text in lines[: line - 1]) + column - 1


def _apply_sarif(text: str, replacements: list[dict]) -> str:
    """§3.57.1: as if performed in order, each region in the unmodified text."""
    lines = text.split("\n")
    spans = []
    for item in replacements:
        region = item["deletedRegion"]
        assert set(region) == {"startLine", "startColumn", "endLine", "endColumn"}
        start = _offset(lines, region["startLine"], region["startColumn"])
        end = _offset(lines, region["endLine"], region["endColumn"])
        spans.append((start, end, item.get("insertedContent", {}).get("text", "")))
    for (_, end, _), (start, _, _) in itertools.pairwise(spans):
        assert end <= start  # in document order, no overlap: the order cannot matter
    for start, end, inserted in reversed(spans):
        text = text[:start] + inserted + text[end:]
    return text


def _apply_json(text: str, items: list[dict]) -> str:
    lines = text.split("\n")
    spans = []
    for item in items:
        loc = item["location"]
        start = _offset(lines, loc["line"], loc["column"])
        end = _offset(lines, loc["end_line"], loc["end_column"])
        spans.append((start, end, item["replacement"]))
    for start, end, inserted in sorted(spans, reverse=True):
        text = text[:start] + inserted + text[end:]
    return text


# --- SARIF -----------------------------------------------------------------------------------
def test_sarif_fixes_validate_and_mirror_the_findings(
    reviewed: tuple[Path, Review], validator: jsonschema.Draft7Validator
) -> None:
    root, review = reviewed
    run = _sarif(review, validator)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    for finding in review.findings:
        result = by_rule[finding.rule_id]
        if not finding.fixes:
            assert "fixes" not in result
            continue
        [fix] = result["fixes"]
        assert fix["description"]["text"]
        [change] = fix["artifactChanges"]
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert (
            change["artifactLocation"]
            == location
            == {
                "uri": "app/loader.py",
                "uriBaseId": "%SRCROOT%",
            }
        )
        assert (root / unquote(change["artifactLocation"]["uri"])).is_file()
        assert len(change["replacements"]) == len(finding.fixes)
    lxml = by_rule["lxml-unsafe-parser"]["fixes"][0]
    assert lxml["description"]["text"] == (
        "Do not resolve entities; Keep the parser off the network"
    )
    [removal] = by_rule["tls-verification-disabled"]["fixes"][0]["artifactChanges"][0][
        "replacements"
    ]
    assert "insertedContent" not in removal  # a pure deletion (§3.57.4)
    [insertion] = by_rule["tar-extract-without-filter"]["fixes"][0]["artifactChanges"][0][
        "replacements"
    ]
    region = insertion["deletedRegion"]
    assert (region["startLine"], region["startColumn"]) == (region["endLine"], region["endColumn"])
    assert insertion["insertedContent"] == {"text": ', filter="data"'}


def test_sarif_fixes_apply_like_fixes_apply(
    reviewed: tuple[Path, Review], validator: jsonschema.Draft7Validator
) -> None:
    root, review = reviewed
    text = (root / "app" / "loader.py").read_text(encoding="utf-8")
    by_rule = {r["ruleId"]: r for r in _sarif(review, validator)["runs"][0]["results"]}
    everything: list[dict] = []
    for finding in review.findings:
        if not finding.fixes:
            continue
        [change] = by_rule[finding.rule_id]["fixes"][0]["artifactChanges"]
        assert _apply_sarif(text, change["replacements"]) == fixes.apply(text, finding.fixes)
        everything += change["replacements"]
    everything.sort(
        key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"])
    )
    assert _apply_sarif(text, everything) == FIXED


def test_sarif_fix_regions_match_the_gerrit_suggestions(reviewed: tuple[Path, Review]) -> None:
    """The same edits as Gerrit's fix_suggestions (0-based characters there, 1-based here)."""
    _, review = reviewed
    sarif = {r["ruleId"]: r for r in json.loads(render(review, "sarif"))["runs"][0]["results"]}
    gerrit = json.loads(render(review, "gerrit"))["robot_comments"]["app/loader.py"]
    for comment in gerrit:
        rule = comment["properties"]["rule"]
        if "fix_suggestions" not in comment:
            assert "fixes" not in sarif[rule]
            continue
        [suggestion] = comment["fix_suggestions"]
        [change] = sarif[rule]["fixes"][0]["artifactChanges"]
        as_gerrit = [
            {
                "path": "app/loader.py",
                "range": {
                    "start_line": r["deletedRegion"]["startLine"],
                    "start_character": r["deletedRegion"]["startColumn"] - 1,
                    "end_line": r["deletedRegion"]["endLine"],
                    "end_character": r["deletedRegion"]["endColumn"] - 1,
                },
                "replacement": r.get("insertedContent", {}).get("text", ""),
            }
            for r in change["replacements"]
        ]
        key = lambda r: (r["range"]["start_line"], r["range"]["start_character"])  # noqa: E731
        assert sorted(suggestion["replacements"], key=key) == as_gerrit


def test_sarif_fix_unit_cases(validator: jsonschema.Draft7Validator) -> None:
    """An end left open is an insertion point, never "to the end of the line" (SARIF's
    default); replacements come in document order, grouped by file; no description falls
    back to the rule id."""
    base = Finding(
        rule_id="unsafe-yaml-load",
        cwe=502,
        title="t",
        message="m",
        severity="high",
        confidence="high",
        location=Location("b.py", 3, 1, 3, 20),
    )
    finding = replace(
        base,
        fixes=(
            Replacement(Location("b.py", 5, 2, 5, 4), "y"),
            Replacement(Location("b.py", 3, 5), "x"),
            Replacement(Location("a b.py", 1, 1, 2, 1), ""),
        ),
    )
    results = _sarif(Review(findings=(finding, base)), validator)["runs"][0]["results"]
    [result] = [r for r in results if "fixes" in r]
    assert result["fixes"] == [
        {
            "description": {"text": "Fix unsafe-yaml-load"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": "a%20b.py", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 1,
                                "startColumn": 1,
                                "endLine": 2,
                                "endColumn": 1,
                            }
                        }
                    ],
                },
                {
                    "artifactLocation": {"uri": "b.py", "uriBaseId": "%SRCROOT%"},
                    "replacements": [
                        {
                            "deletedRegion": {
                                "startLine": 3,
                                "startColumn": 5,
                                "endLine": 3,
                                "endColumn": 5,
                            },
                            "insertedContent": {"text": "x"},
                        },
                        {
                            "deletedRegion": {
                                "startLine": 5,
                                "startColumn": 2,
                                "endLine": 5,
                                "endColumn": 4,
                            },
                            "insertedContent": {"text": "y"},
                        },
                    ],
                },
            ],
        }
    ]


# --- JSON ------------------------------------------------------------------------------------
def test_json_fixes(reviewed: tuple[Path, Review]) -> None:
    root, review = reviewed
    text = (root / "app" / "loader.py").read_text(encoding="utf-8")
    report = json.loads(render(review, "json"))
    assert report["version"] == "1.0"  # an added field: compatible, no new schema version
    by_rule = {f["rule_id"]: f for f in report["findings"]}
    everything: list[dict] = []
    for finding in review.findings:
        item = by_rule[finding.rule_id]
        assert list(item).index("fixes") == list(item).index("fix") + 1
        if not finding.fixes:
            assert item["fixes"] == []
            continue
        for entry, fix in zip(item["fixes"], finding.fixes, strict=True):
            assert list(entry) == ["location", "replacement", "description", "original"]
            assert list(entry["location"]) == ["path", "line", "column", "end_line", "end_column"]
            assert entry["location"]["path"] == "app/loader.py"
            assert (entry["replacement"], entry["description"]) == (fix.text, fix.description)
            assert entry["description"] and entry["original"] in text.split("\n")
        assert _apply_json(text, item["fixes"]) == fixes.apply(text, finding.fixes)
        everything += item["fixes"]
    assert _apply_json(text, everything) == FIXED


def test_json_documentation_names_the_fix_fields(reviewed: tuple[Path, Review]) -> None:
    doc = (REPO / "docs/json-report.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, re.MULTILINE))
    report = json.loads(render(review_with_fix(reviewed), "json"))
    [item] = report["findings"]
    assert {"fixes"} | set(item["fixes"][0]) <= documented
    assert "## replacement" in doc


def review_with_fix(reviewed: tuple[Path, Review]) -> Review:
    _, review = reviewed
    [finding] = [f for f in review.findings if f.rule_id == "unsafe-yaml-load"]
    return Review(findings=(finding,), root=review.root)
