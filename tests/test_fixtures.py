"""Every fixture, both ways, through the real pipeline; and every rule has a fixture and docs.

A fixture is `tests/fixtures/<rule-id>.py`, or a directory `tests/fixtures/<rule-id>/` that is
reviewed as one target (for flows across modules). Lines carry `# expect: id[, id]` (a finding
of that rule must start on this line) or `# ok: id[, id]` (a look-alike it must not flag).
In a fixture named after a rule, that rule may report nothing at an unannotated line, so
each fixture is an exhaustive statement of what its rule finds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from secreview import cwe
from secreview.config import Config
from secreview.model import CONFIDENCES, SEVERITIES, Review
from secreview.pipeline import run_review
from secreview.rules import RuleMeta, all_rules

FIXTURES = Path(__file__).parent / "fixtures"
ANNOTATION = re.compile(r"#\s*(expect|ok)\s*:\s*([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)")
RULE_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# (path relative to the fixture target, line, rule id)
Mark = tuple[str, int, str]


@dataclass
class Fixture:
    """One review target: a fixture file, or a directory of modules reviewed together."""

    path: Path
    files: list[Path]
    expect: set[Mark] = field(default_factory=set)
    ok: set[Mark] = field(default_factory=set)

    @property
    def rule(self) -> str:
        return self.path.stem if self.path.is_file() else self.path.name

    def relative(self, file: Path) -> str:
        return file.name if self.path.is_file() else file.relative_to(self.path).as_posix()


def _parse(fixture: Fixture) -> Fixture:
    for file in fixture.files:
        name = fixture.relative(file)
        for number, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            for kind, ids in ANNOTATION.findall(text):
                marks = {(name, number, rule.strip()) for rule in ids.split(",")}
                (fixture.expect if kind == "expect" else fixture.ok).update(marks)
    return fixture


def discover_fixtures() -> list[Fixture]:
    """Top-level `*.py` files, and top-level directories (each one target) of tests/fixtures."""
    fixtures: list[Fixture] = []
    for entry in sorted(FIXTURES.iterdir()):
        if entry.is_file() and entry.suffix == ".py":
            fixtures.append(_parse(Fixture(entry, [entry])))
        elif entry.is_dir() and not entry.name.startswith((".", "__")):
            files = sorted(p for p in entry.rglob("*.py") if "__pycache__" not in p.parts)
            if files:
                fixtures.append(_parse(Fixture(entry, files)))
    return fixtures


FIXTURE_LIST = discover_fixtures()
RULES: dict[str, RuleMeta] = all_rules()


def _review(fixture: Fixture) -> Review:
    return run_review([str(fixture.path)], Config(include_tests=True, jobs=1))


def _found(fixture: Fixture, review: Review) -> set[Mark]:
    """Findings as marks relative to the fixture target, whatever root the pipeline chose."""
    targets = {file.resolve(): fixture.relative(file) for file in fixture.files}
    marks: set[Mark] = set()
    for finding in review.findings:
        reported = Path(finding.location.path)
        candidates = (
            [reported]
            if reported.is_absolute()
            else [
                Path(review.root) / reported,
                fixture.path / reported,
                fixture.path.parent / reported,
            ]
        )
        name = next((targets[c.resolve()] for c in candidates if c.resolve() in targets), None)
        assert name is not None, (
            f"finding {finding.rule_id} at {finding.location} (root {review.root!r}) does not "
            f"map to a file of fixture {fixture.path.name}"
        )
        marks.add((name, finding.location.line, finding.rule_id))
    return marks


def _describe(marks: set[Mark]) -> str:
    by_rule: dict[str, list[str]] = defaultdict(list)
    for file, line, rule in sorted(marks):
        by_rule[rule].append(f"{file}:{line}")
    return "; ".join(f"{rule} at {', '.join(places)}" for rule, places in sorted(by_rule.items()))


@pytest.mark.parametrize(
    "fixture", FIXTURE_LIST, ids=[f.path.relative_to(FIXTURES).as_posix() for f in FIXTURE_LIST]
)
def test_fixture(fixture: Fixture) -> None:
    """Expected findings appear at their lines; look-alikes and unannotated lines stay quiet."""
    unknown = {rule for _, _, rule in fixture.expect | fixture.ok} - set(RULES)
    assert not unknown, f"annotations name rules that do not exist: {sorted(unknown)}"
    assert fixture.rule in RULES, f"fixture {fixture.path.name} is not named after a rule"

    review = _review(fixture)
    assert not review.diagnostics, "fixture could not be analysed: " + "; ".join(
        f"{d.path}: {d.message}" for d in review.diagnostics
    )
    found = _found(fixture, review)
    annotated_lines = {(file, line) for file, line, _ in fixture.expect | fixture.ok}

    problems: list[str] = []
    missing = fixture.expect - found
    if missing:
        problems.append(f"missing (expected, not reported): {_describe(missing)}")
    flagged_ok = fixture.ok & found
    if flagged_ok:
        problems.append(f"reported on an `ok` look-alike: {_describe(flagged_ok)}")
    stray = {
        (file, line, rule)
        for file, line, rule in found - fixture.expect
        if rule == fixture.rule and (file, line) not in annotated_lines
    }
    if stray:
        problems.append(f"reported on an unannotated line: {_describe(stray)}")
    assert not problems, f"{fixture.path.name}:\n  " + "\n  ".join(problems)


def test_annotation_parser_reads_several_ids() -> None:
    """The parser is what every fixture check rests on: several ids, spacing, other comments."""
    line = "x = call()  # expect: rule-a, rule-b  # noqa: E501"
    assert [(k, [r.strip() for r in ids.split(",")]) for k, ids in ANNOTATION.findall(line)] == [
        ("expect", ["rule-a", "rule-b"])
    ]
    assert ANNOTATION.findall("y()  #ok:rule-c") == [("ok", "rule-c")]
    assert ANNOTATION.findall("z()  # expected output: none") == []


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_has_fixture_and_docs(rule_id: str) -> None:
    """Every rule (pattern or taint) is documented, maps to a real CWE, and has a fixture."""
    meta = RULES[rule_id]
    assert RULE_ID.match(meta.id), f"rule id {meta.id!r} is not kebab-case"
    assert cwe.exists(meta.cwe), f"{meta.id}: CWE-{meta.cwe} is not in the MITRE catalog"
    assert meta.severity in SEVERITIES, f"{meta.id}: severity {meta.severity!r}"
    assert meta.confidence in CONFIDENCES, f"{meta.id}: confidence {meta.confidence!r}"
    assert meta.kind in ("pattern", "taint", "project"), f"{meta.id}: kind {meta.kind!r}"
    for attribute in ("title", "why", "example", "fix"):
        value = getattr(meta, attribute)
        assert isinstance(value, str) and value.strip(), f"{meta.id}: empty {attribute}"
    assert cwe.url(meta.cwe) in meta.references, f"{meta.id}: references lack {cwe.url(meta.cwe)}"
    others = [r for r in meta.references if r != cwe.url(meta.cwe)]
    assert others and all(r.startswith("https://") for r in meta.references), (
        f"{meta.id}: needs an authoritative https reference besides the CWE page"
    )

    fixture = next((f for f in FIXTURE_LIST if f.rule == rule_id), None)
    assert fixture is not None, f"{rule_id}: no tests/fixtures/{rule_id}.py or {rule_id}/"
    assert any(r == rule_id for *_, r in fixture.expect), f"{rule_id}: no `# expect:` line"
    assert any(r == rule_id for *_, r in fixture.ok), f"{rule_id}: no `# ok:` look-alike"
