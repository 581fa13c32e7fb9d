"""Fingerprints, baselines and triage decisions (the SQLite store), through `main()`.

Fingerprints must survive edits that do not touch the finding: lines inserted above, an
unrelated variable renamed, the function moved down, other lines re-formatted. Baselines
and triage hide findings by fingerprint; the store must stay whole when two processes
write to it at once.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from secreview.cli import main
from secreview.config import Config
from secreview.pipeline import run_review

APP = """
import subprocess

import yaml
from flask import Flask, request

app = Flask(__name__)
TIMEOUT = 5


def load_settings(text):
    return yaml.load(text)


@app.route("/ping")
def ping():
    host = request.args["host"]
    count = 1
    return run(host, count)


def run(host, count):
    return subprocess.run("ping -c %d %s" % (count, host), shell=True).returncode
"""


def prints(tmp_path: Path, source: str) -> dict[str, str]:
    """rule id -> fingerprint for app.py holding `source`."""
    (tmp_path / "app.py").write_text(textwrap.dedent(source).lstrip("\n"))
    review = run_review([str(tmp_path / "app.py")], Config(jobs=1))
    result = {f.rule_id: f.fingerprint for f in review.findings}
    assert {"unsafe-yaml-load", "command-injection"} <= set(result), result
    return result


BOTH = ("unsafe-yaml-load", "command-injection")


@pytest.mark.parametrize(
    "edit, stable",
    [
        pytest.param(
            lambda s: s.replace("import subprocess\n", "import subprocess\nimport os\nimport re\n"),
            BOTH,
            id="insert-lines-above",
        ),
        pytest.param(
            # `count` is on the command-injection sink line: only the other one is unrelated
            lambda s: s.replace("count", "repeat"),
            ("unsafe-yaml-load",),
            id="rename-unrelated-variable",
        ),
        pytest.param(
            lambda s: (
                s.replace("def load_settings(text):\n    return yaml.load(text)\n\n\n", "")
                + "\n\ndef load_settings(text):\n    return yaml.load(text)\n"
            ),
            BOTH,
            id="move-function-down",
        ),
        pytest.param(
            lambda s: s.replace('request.args["host"]', "request.args[ 'host' ]").replace(
                "TIMEOUT = 5", "TIMEOUT = (\n    5\n)"
            ),
            BOTH,
            id="reformat-other-lines",
        ),
        pytest.param(
            lambda s: s.replace("yaml.load(text)", "yaml.load( text )  # legacy"),
            BOTH,
            id="spacing-and-comment-on-the-flagged-line",
        ),
    ],
)
def test_fingerprints_are_stable(tmp_path: Path, edit, stable: tuple[str, ...]) -> None:
    before = prints(tmp_path, APP)
    edited = edit(textwrap.dedent(APP))
    assert edited != textwrap.dedent(APP)
    after = prints(tmp_path, edited)
    for rule in stable:
        assert after[rule] == before[rule], rule


def test_rename_keeps_the_flow_fingerprint_when_the_sink_line_is_untouched(tmp_path: Path) -> None:
    before = prints(tmp_path, APP)
    after = prints(
        tmp_path,
        APP.replace('host = request.args["host"]', 'h = request.args["host"]').replace(
            "return run(host, count)", "return run(h, count)"
        ),
    )
    assert after["command-injection"] == before["command-injection"]


def test_fingerprints_change_when_the_flagged_code_changes(tmp_path: Path) -> None:
    before = prints(tmp_path, APP)
    after = prints(tmp_path, APP.replace("yaml.load(text)", "yaml.load(text + suffix)"))
    assert after["unsafe-yaml-load"] != before["unsafe-yaml-load"]
    moved = prints(tmp_path, APP.replace("def load_settings(", "def read_settings("))
    assert moved["unsafe-yaml-load"] != before["unsafe-yaml-load"]  # another function


# --- baselines --------------------------------------------------------------------------------
@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # a root: no config is searched above it
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "app.py").write_text(textwrap.dedent(APP).lstrip("\n"))
    # the rules these tests are about, so rules added later cannot change their results
    rules = '["unsafe-yaml-load", "command-injection", "pickle-load"]'
    (tmp_path / ".secreview.toml").write_text(f"rules = {rules}\n")
    return tmp_path


def review_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["review", "--format", "json", "--no-cache", *args])
    return code, json.loads(capsys.readouterr().out)


def test_baseline_hides_known_findings_and_reports_new_ones(project: Path, capsys) -> None:
    assert main(["baseline", "create", "--no-cache", "--output", "base.json"]) == 0
    baseline = json.loads((project / "base.json").read_text())
    assert {f["rule_id"] for f in baseline["findings"]} == {"unsafe-yaml-load", "command-injection"}
    assert all(
        set(f) == {"fingerprint", "rule_id", "path", "line", "title"} for f in baseline["findings"]
    )
    capsys.readouterr()

    # the code moves (lines inserted above) and a new defect appears
    text = (project / "app.py").read_text()
    (project / "app.py").write_text(
        "import pickle\n\n\n" + text + "\n\ndef restore(blob):\n    return pickle.loads(blob)\n"
    )
    code, report = review_json(capsys, "--baseline", "base.json")
    assert code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["pickle-load"]
    assert report["stats"]["baselined"] == 2

    assert main(["review", "--no-cache", "--baseline", "base.json"]) == 1
    assert "2 findings already in the baseline" in capsys.readouterr().out


def test_default_baseline_path_and_json_report_as_baseline(project: Path, capsys) -> None:
    assert main(["baseline", "create", "--no-cache", "-q"]) == 0
    assert (project / "secreview-baseline.json").is_file()
    assert main(["review", "--no-cache", "--baseline", "secreview-baseline.json"]) == 0
    capsys.readouterr()
    _, report = review_json(capsys)  # a JSON report works as a baseline too
    (project / "report.json").write_text(json.dumps(report))
    assert main(["review", "--no-cache", "--baseline", "report.json"]) == 0


@pytest.mark.parametrize(
    "content, message",
    [(None, "baseline not found"), ("{", "not valid JSON"), ('{"x": 1}', "no 'findings' list")],
)
def test_bad_baseline_is_a_usage_error(project: Path, capsys, content, message) -> None:
    if content is not None:
        (project / "bad.json").write_text(content)
    assert main(["review", "--no-cache", "--baseline", "bad.json"]) == 2
    assert message in capsys.readouterr().err


# --- triage -------------------------------------------------------------------------------------
def test_triage_hides_findings_and_lists_decisions(project: Path, capsys) -> None:
    code, report = review_json(capsys)
    target = next(f for f in report["findings"] if f["rule_id"] == "unsafe-yaml-load")
    assert not (project / ".secreview").exists()  # --no-cache reviews create no store
    assert main(["triage", target["fingerprint"], "--status", "accepted-risk"]) == 2
    assert "no review has recorded" in capsys.readouterr().err  # so it cannot be checked
    assert main(["review", "-q"]) == 1  # with the cache: the store records what it reports
    assert (
        main(
            ["triage", target["fingerprint"], "--status", "accepted-risk", "--note", "trusted file"]
        )
        == 0
    )
    assert "recorded as accepted-risk" in capsys.readouterr().out
    code, report = review_json(capsys)  # the store exists now: it notes what it saw
    assert code == 1
    assert [f["rule_id"] for f in report["findings"]] == ["command-injection"]
    assert main(["review", "--no-cache"]) == 1
    assert "1 finding triaged" in capsys.readouterr().out

    assert main(["triage", "--list"]) == 0
    listing = capsys.readouterr().out
    assert target["fingerprint"] in listing and "accepted-risk" in listing
    assert "unsafe-yaml-load at app.py:11" in listing and "trusted file" in listing
    assert main(["triage", "--list", "--format", "json"]) == 0
    [decision] = json.loads(capsys.readouterr().out)
    assert decision["status"] == "accepted-risk" and decision["path"] == "app.py"

    assert main(["triage", target["fingerprint"], "--remove"]) == 0
    capsys.readouterr()
    _, report = review_json(capsys)
    assert len(report["findings"]) == 2


def test_a_finding_marked_fixed_that_is_found_again_is_a_regression(project: Path, capsys):
    _, report = review_json(capsys)
    target = next(f for f in report["findings"] if f["rule_id"] == "unsafe-yaml-load")
    assert main(["triage", target["fingerprint"], "--status", "fixed", "--force"]) == 0
    capsys.readouterr()
    code, report = review_json(capsys)  # not fixed after all: still reported, and said so
    assert code == 1
    again = next(f for f in report["findings"] if f["fingerprint"] == target["fingerprint"])
    assert "marked fixed on" in again["message"] and "found again" in again["message"]
    assert len(report["findings"]) == 2


def test_triage_store_option_and_bad_input(project: Path, capsys, tmp_path_factory) -> None:
    store = tmp_path_factory.mktemp("elsewhere") / "triage.sqlite3"
    _, report = review_json(capsys)
    fingerprint = report["findings"][0]["fingerprint"]
    assert main(["review", "-q", "--store", str(store)]) == 1  # records what it reports
    assert main(["triage", fingerprint, "--status", "false-positive", "--store", str(store)]) == 0
    capsys.readouterr()
    _, report = review_json(capsys, "--store", str(store))
    assert len(report["findings"]) == 1 and report["stats"].get("triaged", 1) == 1
    assert main(["triage", "not a fingerprint!", "--status", "fixed"]) == 2
    assert main(["triage", fingerprint]) == 2  # no --status
    assert main(["triage", fingerprint, "--status", "wontfix"]) == 2
    assert "not a fingerprint" in capsys.readouterr().err


WRITER = """
import sys
from secreview import triage
store, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for n in range(count):
    triage.record(store, f"{tag}{n:08x}", "false-positive", f"note {n}")
    if n % 10 == 0:
        triage.decisions(store)
"""


def test_two_processes_writing_the_same_store_do_not_corrupt_it(tmp_path: Path) -> None:
    store = tmp_path / ".secreview" / "store.sqlite3"
    count = 60
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(store), tag, str(count)])
        for tag in ("aaaa", "bbbb")
    ]
    assert [w.wait(timeout=120) for w in writers] == [0, 0]
    conn = sqlite3.connect(store)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM triage").fetchone() == (2 * count,)
        assert conn.execute("SELECT count(*) FROM triage_history").fetchone() == (2 * count,)
    finally:
        conn.close()


def test_a_store_planted_as_a_symlink_is_not_followed(project: Path, tmp_path_factory, capsys):
    """A change under review can carry `.secreview` (or its database or WAL file) as a link to
    anywhere: the store refuses to follow it; the review runs without the cache and still
    reports, and `triage` says why it cannot record."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / ".secreview").symlink_to(elsewhere, target_is_directory=True)
    assert main(["review", "--format", "json", "-q"]) == 1  # cache off, findings still there
    report = json.loads(capsys.readouterr().out)
    assert report["findings"]
    assert main(["triage", "0" * 32, "--status", "fixed"]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []  # nothing written through the link
    (project / ".secreview").unlink()
    (project / ".secreview").mkdir()
    (project / ".secreview" / "store.sqlite3-wal").symlink_to(elsewhere / "x")
    assert main(["review", "--format", "json", "-q"]) == 1
    capsys.readouterr()
    assert list(elsewhere.iterdir()) == []
