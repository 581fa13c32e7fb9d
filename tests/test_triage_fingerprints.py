"""`secreview triage` takes only fingerprints a review produced (unless forced), and a
fingerprint prefix when it is unique, as git takes hashes (issue 19, point 12)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from secreview.cli import main

APP = """\
import pickle
import yaml


def load(path):
    return yaml.load(open(path), Loader=yaml.Loader)


def restore(blob):
    return pickle.loads(blob)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text(APP)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


def fingerprints(capsys: pytest.CaptureFixture[str]) -> list[str]:
    main(["review", ".", "--format", "json"])
    return [f["fingerprint"] for f in json.loads(capsys.readouterr().out)["findings"]]


def decided(capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["triage", "--list", "--format", "json"]) == 0
    return [d["fingerprint"] for d in json.loads(capsys.readouterr().out)]


def test_an_unknown_fingerprint_is_refused_unless_forced(project: Path, capsys) -> None:
    fingerprints(capsys)
    made_up = "0123456789abcdef0123456789abcdef"
    assert main(["triage", made_up, "--status", "false-positive"]) == 2
    err = capsys.readouterr().err
    assert made_up in err and "--force" in err
    assert decided(capsys) == []
    assert main(["triage", made_up, "--status", "false-positive", "--force"]) == 0
    assert "not seen by a review" in capsys.readouterr().out
    assert decided(capsys) == [made_up]


def test_a_unique_prefix_names_the_finding(project: Path, capsys) -> None:
    first, second = fingerprints(capsys)
    assert main(["triage", first[:7], "--status", "accepted-risk"]) == 0
    out = capsys.readouterr().out
    assert first in out and "recorded as accepted-risk" in out
    assert decided(capsys) == [first]
    assert fingerprints(capsys) == [second]  # hidden under its full fingerprint
    assert main(["triage", first[:6], "--remove"]) == 0
    assert "removed" in capsys.readouterr().out
    assert decided(capsys) == []


def test_an_ambiguous_prefix_is_refused_with_the_candidates(project: Path, capsys) -> None:
    fingerprints(capsys)
    store = project / ".secreview" / "store.sqlite3"
    conn = sqlite3.connect(store)
    with conn:
        for fp in ("abcd1111" + "0" * 24, "abcd2222" + "0" * 24):
            conn.execute(
                "INSERT INTO findings_seen VALUES (?, 'pickle-load', 'app.py', 9, 't', 'now')",
                (fp,),
            )
    conn.close()
    assert main(["triage", "abcd", "--status", "fixed"]) == 2
    err = capsys.readouterr().err
    assert "ambiguous" in err and "abcd1111" in err and "abcd2222" in err
    assert main(["triage", "abcd1", "--status", "fixed"]) == 0
    capsys.readouterr()
    assert decided(capsys) == ["abcd1111" + "0" * 24]


def test_a_review_without_a_store_says_how_to_get_fingerprints_recorded(
    project: Path, capsys
) -> None:
    main(["review", ".", "--no-cache", "-q"])
    capsys.readouterr()
    assert main(["triage", "0123456789abcdef", "--status", "fixed"]) == 2
    assert "no review has recorded" in capsys.readouterr().err
