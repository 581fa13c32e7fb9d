"""The review root: the git work tree holding the reviewed paths, else their common parent,
whatever the current directory; `--root` overrides it. Report paths, fingerprints, the store
(cache, triage), baselines and the LLM cache all follow it (issue 19, point 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _gitrepo import GitRepo

from secreview.cli import main

YAML_LOAD = """
import yaml


def load(path):
    return yaml.load(open(path), Loader=yaml.Loader)
"""


def review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["review", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def stores(top: Path) -> list[Path]:
    return sorted(p.parent for p in top.rglob(".secreview/store.sqlite3"))


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "repo").mkdir()
    repo = GitRepo(tmp_path / "repo")
    repo.write("app/loader.py", YAML_LOAD)
    repo.write("app/__init__.py", "")
    repo.commit()
    (tmp_path / "elsewhere").mkdir()
    return repo


def test_same_review_from_three_directories(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    runs = []
    for cwd, path in (
        (repo.root, "app"),
        (repo.root / "app", "."),
        (tmp_path / "elsewhere", str(repo.root / "app")),
    ):
        monkeypatch.chdir(cwd)
        code, report = review(capsys, path)
        assert code == 1
        runs.append(
            (
                report["root"],
                [(f["location"]["path"], f["fingerprint"]) for f in report["findings"]],
            )
        )
    assert runs[0] == runs[1] == runs[2]
    assert runs[0][0] == str(repo.root)
    assert runs[0][1][0][0] == "app/loader.py"
    assert stores(tmp_path) == [repo.root / ".secreview"]  # one store, at the work tree's top


def test_a_file_reviewed_alone_has_the_fingerprint_of_the_whole_tree_review(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path / "elsewhere")
    _, whole = review(capsys, "--no-cache", str(repo.root))
    _, one = review(capsys, "--no-cache", str(repo.root / "app" / "loader.py"))
    assert [f["fingerprint"] for f in one["findings"]] == [
        f["fingerprint"] for f in whole["findings"]
    ]


def test_outside_git_the_root_is_the_common_parent_whatever_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    project = tmp_path / "plain"
    (project / "one").mkdir(parents=True)
    (project / "two").mkdir()
    (project / "one" / "a.py").write_text(YAML_LOAD)
    (project / "two" / "b.py").write_text(YAML_LOAD)
    results = set()
    for cwd in (tmp_path, project, project / "one"):
        monkeypatch.chdir(cwd)
        _, report = review(capsys, str(project / "one"), str(project / "two" / "b.py"))
        paths = tuple(f["location"]["path"] for f in report["findings"])
        results.add((report["root"], paths))
    assert results == {(str(project), ("one/a.py", "two/b.py"))}
    assert stores(tmp_path) == [project / ".secreview"]


def test_root_option_overrides_and_must_hold_the_paths(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path / "elsewhere")
    _, report = review(capsys, "--root", str(repo.root / "app"), str(repo.root / "app"))
    assert report["root"] == str(repo.root / "app")
    assert [f["location"]["path"] for f in report["findings"]] == ["loader.py"]
    assert stores(tmp_path) == [repo.root / "app" / ".secreview"]
    assert main(["review", "--root", str(tmp_path / "elsewhere"), str(repo.root)]) == 2
    assert "outside the review root" in capsys.readouterr().err
    assert main(["review", "--root", str(tmp_path / "missing"), str(repo.root)]) == 2
    assert "--root" in capsys.readouterr().err


def test_triage_and_baseline_follow_the_root(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(repo.root / "app")
    _, report = review(capsys, ".")
    fingerprint = report["findings"][0]["fingerprint"]
    assert main(["triage", fingerprint, "--status", "false-positive"]) == 0
    assert str(repo.root / ".secreview" / "store.sqlite3") in capsys.readouterr().out
    monkeypatch.chdir(tmp_path / "elsewhere")
    code, report = review(capsys, str(repo.root / "app"))
    assert (code, report["findings"], report["stats"]["triaged"]) == (0, [], 1)
    assert main(["triage", "--list", "--root", str(repo.root)]) == 0, capsys.readouterr().err
    assert fingerprint in capsys.readouterr().out
    assert main(["baseline", "create", "-q", str(repo.root / "app")]) == 0
    assert (repo.root / "secreview-baseline.json").is_file()
    assert stores(tmp_path) == [repo.root / ".secreview"]


def test_per_repo_reviews_use_each_repository_s_triage(
    repo: GitRepo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path / "elsewhere")
    _, report = review(capsys, str(repo.root))
    fingerprint = report["findings"][0]["fingerprint"]
    assert (
        main(["triage", fingerprint, "--status", "false-positive", "--root", str(repo.root)]) == 0
    )
    capsys.readouterr()
    code = main(["review", "--per-repo", str(repo.root), "--format", "json", "--output", "out"])
    assert code == 0
    [written] = (tmp_path / "elsewhere" / "out").iterdir()
    assert json.loads(written.read_text())["stats"]["triaged"] == 1
