"""Where reports go: an `--output` that cannot be written is a usage error found before any
work starts, and `--per-repo` never turns a report file name into a folder (issue 19,
points 2 and 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

import secreview.pipeline
from secreview.cli import main

YAML_LOAD = "import yaml\n\nconfig = yaml.load(open('settings.yaml'))\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text(YAML_LOAD)
    (tmp_path / "a-file").write_text("not a folder\n")
    (tmp_path / "a-folder").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


@pytest.fixture
def no_review(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if a review starts: the output must be checked first."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the review ran before the output was checked")

    monkeypatch.setattr(secreview.pipeline, "run_review", refuse)


UNWRITABLE = [
    ("no-such-folder/report.json", "no-such-folder"),
    ("a-folder", "is a folder"),
    ("a-file/report.json", "not a folder"),
    ("", "empty"),
]


@pytest.mark.parametrize("output, message", UNWRITABLE)
def test_unwritable_output_is_refused_before_the_review(
    project: Path, no_review: None, capsys, output: str, message: str
) -> None:
    assert main(["review", ".", "--format", "json", "--output", output]) == 2
    err = capsys.readouterr().err
    assert "--output" in err and message in err
    assert not (project / ".secreview").exists()


@pytest.mark.parametrize("output, message", UNWRITABLE)
def test_unwritable_baseline_output_is_refused_before_the_review(
    project: Path, no_review: None, capsys, output: str, message: str
) -> None:
    assert main(["baseline", "create", "--output", output]) == 2
    assert message in capsys.readouterr().err


def test_a_writable_output_is_left_as_it_was_until_the_report_is_written(
    project: Path, capsys
) -> None:
    assert main(["review", ".", "--output", "new.txt", "--no-cache"]) == 1
    assert "yaml.load" in (project / "new.txt").read_text()
    capsys.readouterr()


@pytest.mark.parametrize("name", ["single.sarif", "out.json", "report.html", "r.md", "r.txt"])
def test_per_repo_refuses_a_report_file_name(
    project: Path, no_review: None, capsys, name: str
) -> None:
    assert main(["review", "--per-repo", ".", "--format", "sarif", "--output", name]) == 2
    err = capsys.readouterr().err
    assert name in err and "folder" in err
    assert not (project / name).exists()


def test_per_repo_refuses_an_existing_file_and_an_unusable_folder(
    project: Path, no_review: None, capsys
) -> None:
    assert main(["review", "--per-repo", ".", "--format", "sarif", "--output", "a-file"]) == 2
    assert "a-file" in capsys.readouterr().err
    code = main(["review", "--per-repo", ".", "--format", "sarif", "--output", "a-file/reports"])
    assert code == 2
    assert "a-file" in capsys.readouterr().err


def test_per_repo_accepts_a_folder(project: Path, capsys) -> None:
    code = main(["review", "--per-repo", ".", "--format", "sarif", "--output", "reports", "-q"])
    assert code == 1
    assert [p.suffix for p in (project / "reports").iterdir()] == [".sarif"]


@pytest.mark.parametrize(
    "option", ["--diff", "--patch", "--output", "--store", "--baseline", "--config", "--root"]
)
def test_an_empty_option_value_is_a_usage_error_not_the_default(
    project: Path, no_review: None, capsys, option: str
) -> None:
    """`--diff "$BASE"` with BASE unset must not silently review the whole tree."""
    assert main(["review", ".", option, ""]) == 2
    err = capsys.readouterr().err
    assert option in err and "empty" in err
