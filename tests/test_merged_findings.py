"""A pattern finding folded into a data-flow finding of the same CWE on the same statement
gives it everything it had (its mechanical fix, its rule id), and skipping a rule removes
everything it contributes, even to a finding kept for another rule (issue 19, points 4, 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from secreview.cli import main

APP = """\
import yaml
from flask import Flask, request

app = Flask(__name__)


@app.post("/load")
def load():
    return str(yaml.load(request.get_data(), Loader=yaml.Loader))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text(APP)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], fmt: str, *args: str) -> str:
    main(["review", ".", "--format", fmt, *args])
    return capsys.readouterr().out


def flow(report: dict) -> dict:
    [found] = [f for f in report["findings"] if f["location"]["line"] == 9]
    assert found["rule_id"] == "unsafe-deserialization" and found["trace"]
    return found


def test_a_merged_finding_keeps_the_fixes_of_what_it_merged(project: Path, capsys) -> None:
    report = json.loads(run(capsys, "json", "--no-cache"))
    merged = flow(report)
    assert merged["merged"] == ["unsafe-yaml-load"]
    assert [fix["replacement"] for fix in merged["fixes"]] == ["SafeLoader"]
    sarif = json.loads(run(capsys, "sarif", "--no-cache"))
    [result] = sarif["runs"][0]["results"]
    assert result["ruleId"] == "unsafe-deserialization"
    replaced = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replaced["insertedContent"]["text"] == "SafeLoader"
    text = run(capsys, "text", "--no-cache")
    assert "Suggested change: Load with yaml.SafeLoader" in text
    assert "**Suggested change:** Load with yaml.SafeLoader" in run(
        capsys, "markdown", "--no-cache"
    )
    assert "<strong>Suggested change:</strong> Load with yaml.SafeLoader" in run(
        capsys, "html", "--no-cache"
    )


@pytest.mark.parametrize("cache", [False, True])
def test_skipping_a_rule_removes_what_it_contributed(project: Path, capsys, cache: bool) -> None:
    options = [] if cache else ["--no-cache"]
    if cache:  # a warm cache of the full rule set must not bring the skipped rule back
        run(capsys, "json")
    for selection in (["--skip-rules", "unsafe-yaml-load"], ["--rules", "unsafe-deserialization"]):
        merged = flow(json.loads(run(capsys, "json", *options, *selection)))
        assert (merged["merged"], merged["fixes"]) == ([], [])
        assert "Suggested change" not in run(capsys, "text", *options, *selection)
    # and skipping the flow's rule leaves the pattern finding, with its fix
    report = json.loads(run(capsys, "json", *options, "--skip-rules", "unsafe-deserialization"))
    [pattern] = report["findings"]
    assert (pattern["rule_id"], len(pattern["fixes"]), pattern["merged"]) == (
        "unsafe-yaml-load",
        1,
        [],
    )
