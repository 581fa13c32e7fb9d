"""The store under the review root may come with the change under review. Its triage
decisions hide findings only if this user's secreview wrote them (signed with the key kept
outside the tree), so a planted `.secreview/store.sqlite3` cannot silence its own review
(issue 19, point 17); and a store that is a symbolic link, or otherwise unusable, is a
diagnostic, never a traceback without a report (point 18)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from secreview.cli import main

APP = "import pickle\n\n\ndef restore(blob):\n    return pickle.loads(blob)\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "app.py").write_text(APP)
    monkeypatch.chdir(root)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "me"))
    monkeypatch.delenv("CI", raising=False)
    return root


def review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["review", ".", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_my_own_decisions_hide_findings(project: Path, capsys) -> None:
    _, report = review(capsys)
    [finding] = report["findings"]
    assert main(["triage", finding["fingerprint"], "--status", "false-positive"]) == 0
    capsys.readouterr()
    code, report = review(capsys)
    assert (code, report["findings"], report["stats"]["triaged"]) == (0, [], 1)


def test_a_planted_store_cannot_hide_findings(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # the attacker reviews the code with their own secreview and triages the finding...
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "attacker"))
    _, report = review(capsys)
    fingerprint = report["findings"][0]["fingerprint"]
    assert main(["triage", fingerprint, "--status", "accepted-risk"]) == 0
    # ...and commits .secreview/store.sqlite3 with the change, a row with a forged
    # signature added for good measure
    conn = sqlite3.connect(project / ".secreview" / "store.sqlite3")
    with conn:
        conn.execute(
            "INSERT INTO triage (fingerprint, status, note, author, decided_at, mac) "
            "VALUES (?, 'false-positive', '', 'x', '2024-01-01T00:00:00Z', ?)",
            ("f" * 32, b"\x00" * 32),
        )
    conn.close()
    capsys.readouterr()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "me"))  # the reviewer's run
    code, report = review(capsys)
    assert code == 1
    assert [f["fingerprint"] for f in report["findings"]] == [fingerprint]
    assert report["stats"]["triaged"] == 0
    [note] = [d for d in report["diagnostics"] if d["kind"] == "store"]
    assert "2 triage decisions" in note["message"] and "ignored" in note["message"]
    assert main(["triage", "--list"]) == 0
    assert "not signed" in capsys.readouterr().out


def test_a_planted_store_without_signatures_cannot_hide_findings(project: Path, capsys) -> None:
    _, report = review(capsys, "--no-cache")
    fingerprint = report["findings"][0]["fingerprint"]
    (project / ".secreview").mkdir()
    conn = sqlite3.connect(project / ".secreview" / "store.sqlite3")
    with conn:  # the schema of a store written before decisions were signed
        conn.execute(
            "CREATE TABLE triage (fingerprint TEXT PRIMARY KEY, status TEXT NOT NULL, "
            "note TEXT NOT NULL DEFAULT '', author TEXT NOT NULL DEFAULT '', "
            "decided_at TEXT NOT NULL)"
        )
        conn.execute(
            "INSERT INTO triage VALUES (?, 'false-positive', 'trust me', 'x', '2024-01-01')",
            (fingerprint,),
        )
    conn.close()
    code, report = review(capsys)
    assert code == 1 and len(report["findings"]) == 1
    assert any(d["kind"] == "store" for d in report["diagnostics"])


@pytest.mark.parametrize("link", ["store.sqlite3", "store.sqlite3-wal"])
def test_a_store_that_is_a_symlink_is_a_diagnostic_and_the_review_is_reported(
    project: Path, tmp_path: Path, capsys, link: str
) -> None:
    elsewhere = tmp_path / "elsewhere.sqlite3"
    sqlite3.connect(elsewhere).close()
    (project / ".secreview").mkdir()
    (project / ".secreview" / link).symlink_to(elsewhere)
    code, report = review(capsys)
    assert code == 1 and len(report["findings"]) == 1
    notes = [d["message"] for d in report["diagnostics"] if d["kind"] == "store"]
    assert notes and all("symbolic link" in note for note in notes)  # cache, triage
    assert main(["review", ".", "--fail-on", "never", "-q"]) == 0
    assert "pickle" in capsys.readouterr().out


def test_an_unusable_store_is_a_diagnostic(project: Path, capsys) -> None:
    (project / ".secreview").mkdir()
    (project / ".secreview" / "store.sqlite3").write_text("not a database, but a file\n" * 100)
    code, report = review(capsys)
    assert code == 1 and len(report["findings"]) == 1
    assert any(d["kind"] == "store" for d in report["diagnostics"])
    code, report = review(capsys, "--store", str(project / "app.py" / "store.sqlite3"))
    assert code == 1 and len(report["findings"]) == 1
