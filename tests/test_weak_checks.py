"""Checks that look protective but are not (`taint/weak.py`, issue 17).

Every input a finding shows as passing its check is fed to the check's own code, here, with
Python: the code the finding records (`FailingCheck.test`, the check as written, the
program's constants written in) runs in a namespace built from the checked module's own
imports and constants, and must let the input through. The fixtures of the rules are the
cases: `tests/fixtures/<rule>/`, each check both ways.
"""

from __future__ import annotations

import ast
import contextlib
import html
import os
import posixpath
import re
import shlex
import urllib.parse
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.model import Finding, TraceStep
from secreview.pipeline import run_review
from secreview.python.taint import weak
from secreview.python.taint.evaluate import Symbols
from secreview.rules import CHECK_RULES

FIXTURES = Path(__file__).parent / "fixtures"
# the rules whose checks are about text (an input can be built); `conditional-check` is
# about a setting
WITH_INPUTS = tuple(rule for rule in CHECK_RULES if rule != "conditional-check")


def _review(rule: str) -> list[Finding]:
    review = run_review([str(FIXTURES / rule)], Config(include_tests=True, jobs=1))
    assert not review.diagnostics, review.diagnostics
    return [f for f in review.findings if f.rule_id == rule]


def _step(finding: Finding) -> TraceStep:
    """The trace step of the check the finding is about."""
    for step in finding.trace:
        if step.check is not None and step.location == finding.location:
            return step
    raise AssertionError(f"{finding.location}: no failing check step in the trace")


def _namespace(module: Path) -> dict[str, object]:
    """What the checked module's own imports and constants give (its framework imports,
    not installed here, are left out: the recorded test names none of them)."""
    space: dict[str, object] = {
        "re": re,
        "os": os,
        "posixpath": posixpath,
        "html": html,
        "shlex": shlex,
        "urllib": urllib,
    }
    for statement in ast.parse(module.read_text(encoding="utf-8")).body:
        if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Assign)):
            # a framework import, or a value built at run time, is left out
            with contextlib.suppress(Exception):
                exec(compile(ast.Module([statement], []), str(module), "exec"), space)
    return space


@pytest.mark.parametrize("rule", WITH_INPUTS)
def test_every_input_passes_the_checks_own_code(rule: str) -> None:
    findings = _review(rule)
    ran = 0
    for finding in findings:
        step = _step(finding)
        check = step.check
        assert check is not None and check.test, f"{finding.location}: no test recorded"
        for kind, expression, shown in check.inputs:
            space = _namespace(FIXTURES / rule / Path(step.location.path).name)
            for index, _ in enumerate(check.symbols):
                space[f"__sym{index}"] = f"/srv/sym{index}"  # any value: the input holds for all
            space[check.subject] = eval(expression, space)
            passed = eval(check.test, space)
            assert passed, f"{finding.location} [{kind}]: `{shown}` does not pass `{check.test}`"
            ran += 1
    assert ran >= 5, f"{rule}: only {ran} inputs were checked"


@pytest.mark.parametrize("rule", CHECK_RULES)
def test_findings_name_the_check_and_the_sinks_cwe(rule: str) -> None:
    """A check's finding is at the check, takes the CWE of the sink its trace ends in, names
    the check's own weakness as a related CWE and gives the right check as the fix."""
    from secreview.rules import get_rule

    findings = _review(rule)
    assert len({f.location for f in findings}) >= 5
    for finding in findings:
        step = _step(finding)
        sink = finding.trace[-1].note
        assert sink.endswith("(sink)")
        assert finding.related_cwe and finding.related_cwe[0] == step.check.related_cwe
        assert finding.fix == step.check.fix
        assert step.note.removesuffix(" (check)") in finding.message
        sink_rule = next(k for k in step.check.kinds)
        assert finding.cwe == get_rule(sink_rule).cwe or finding.cwe in {
            get_rule(k).cwe for k in step.check.kinds
        }


def test_outcomes_say_in_code_what_they_compute() -> None:
    """What a sanitizer's result must be for the attack to get through is kept twice (code
    for the report, a function for the engine): both agree on attacks and on safe text."""
    samples = [
        "../../etc/passwd", "/etc/passwd", "report.pdf", "<script>alert(1)</script>",
        "&lt;b&gt;", "1 OR 1=1", "\\'' OR 1=1", "plain", "x; id", "a|b", "javascript:alert(1)",
        "x onmouseover=alert(1)", "'quoted'", 'say "hi"', "grep ''x; id'' log",
        "grep \"'$(id)'\" log", "'OR'1'='1", ";id", "<svg/onload=x>",
    ]  # fmt: skip
    tables = (weak._STILL, weak._ESCAPED_OUT, weak._SHELL_OUT, weak._RE_ESCAPE_STILL)
    for table in tables:
        for name, outcome in table.items():
            for sample in samples:
                space = {"r": sample, "re": re, "html": html, "shlex": shlex}
                try:
                    expected = bool(eval(outcome.code, space))
                except ValueError:  # text a shell would not parse
                    with pytest.raises(ValueError):
                        outcome.holds(sample)
                    continue
                assert outcome.holds(sample) == expected, (name, sample)


def test_symbols_stand_for_any_value() -> None:
    """An input built around a value the review cannot know is shown with that value's
    code, and recorded as an expression of `__sym<i>`."""
    symbols = Symbols()
    base = symbols.of("app.config['UPLOADS']", False)
    value = base + "/../../etc/passwd"
    assert symbols.code(value, names=True) == "app.config['UPLOADS'] + '/../../etc/passwd'"
    assert symbols.code(value, names=False) == "__sym0 + '/../../etc/passwd'"


@pytest.mark.parametrize(
    ("pattern", "lead"),
    [(r"^[a-z0-9_-]+$", "a"), (r"(png|jpe?g)\d", "png0"), (r"[^/]+", "a"), (r"\w{3}", "aaa")],
)
def test_regex_leads_match_their_pattern(pattern: str, lead: str) -> None:
    assert weak._lead(pattern, 0) == lead
    assert re.match(pattern.rstrip("$"), lead)


_VIEW = """
import os
from flask import Flask, abort, request

app = Flask(__name__)
BASE = "/srv/files"


@app.get("/file")
def read_file():
    path = os.path.join(BASE, request.args["name"])
    if not path.startswith(BASE):
        abort(403)
    return open(path).read()
"""


@pytest.fixture(scope="module")
def weak_review(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("weak")
    (root / "app.py").write_text(_VIEW, encoding="utf-8")
    review = run_review([str(root)], Config(jobs=1), root=str(root))
    assert {f.rule_id for f in review.findings} == {"path-traversal", "weak-path-containment-check"}
    return review


def test_every_report_marks_the_check_that_fails(weak_review) -> None:
    """The check is one more step of the trace, marked as the check that fails, in the text,
    Markdown, HTML, SARIF and JSON reports; the related CWE is named."""
    import json

    import jsonschema

    from secreview.reports import render

    text = render(weak_review, "text")
    assert "app.py:12  not path.startswith(BASE) (check that fails)" in text
    assert "Related: CWE-180 Incorrect Behavior Order: Validate Before Canonicalize" in text
    assert "'/srv/files/../../../etc/passwd'" in text
    markdown = render(weak_review, "markdown")
    assert "not path.startswith(BASE) **(check that fails)**" in markdown
    assert "related [CWE-180]" in markdown
    page = render(weak_review, "html")
    assert '<strong class="failing">check that fails</strong>' in page
    sarif = json.loads(render(weak_review, "sarif"))
    schema = Path(__file__).resolve().parents[2] / "shared/schemas/sarif-schema-2.1.0.json"
    if not schema.is_file():
        schema = Path("/work/shared/schemas/sarif-schema-2.1.0.json")
    validator = jsonschema.Draft7Validator(json.loads(schema.read_text(encoding="utf-8")))
    assert [e.message for e in validator.iter_errors(sarif)] == []
    run = sarif["runs"][0]
    for result in run["results"]:
        steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
        failing = [s for s in steps if s.get("kinds") == ["check", "failing"]]
        assert len(failing) == 1
        assert failing[0]["location"]["physicalLocation"]["region"]["startLine"] == 12
    weak_result = next(r for r in run["results"] if r["ruleId"] == "weak-path-containment-check")
    taxa = {run["taxonomies"][0]["taxa"][t["index"]]["id"] for t in weak_result["taxa"]}
    assert taxa == {"22", "180"}
    data = json.loads(render(weak_review, "json"))
    weak_item = next(f for f in data["findings"] if f["rule_id"] == "weak-path-containment-check")
    assert weak_item["related_cwe"] == [180] and weak_item["cwe"] == 22
    check = next(step["check"] for step in weak_item["trace"] if "check" in step)
    assert check["inputs"][0]["shown"] == "'/srv/files/../../../etc/passwd'"
