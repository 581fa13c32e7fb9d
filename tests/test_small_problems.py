"""Issue 19, point 20: the smaller problems a systematic probe found, each reproduced.

(`--diff ""` and other empty option values are in test_outputs.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from _gitrepo import GitRepo

from secreview.cli import main
from secreview.config import Config
from secreview.targets import discover


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ".xdg"))
    monkeypatch.delenv("CI", raising=False)
    return tmp_path


# --- a symlink loop is not a "broken symlink" -----------------------------------------------
def test_a_symlink_loop_is_called_a_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "loop.py").symlink_to("loop.py")
    (tmp_path / "a.py").symlink_to("b.py")
    (tmp_path / "b.py").symlink_to("a.py")
    (tmp_path / "dangling.py").symlink_to("nowhere.py")
    discovery = discover([str(tmp_path)], Config())
    found = {d.path: (d.kind, d.message) for d in discovery.diagnostics}
    assert found["loop.py"][0] == found["a.py"][0] == "symlink-loop"
    assert "symlink loop" in found["loop.py"][1] and "broken" not in found["loop.py"][1]
    assert found["dangling.py"][0] == "broken-symlink"
    monkeypatch.chdir(tmp_path)
    named = discover(["loop.py"], Config(), str(tmp_path))
    assert [(d.path, d.kind) for d in named.diagnostics] == [("loop.py", "symlink-loop")]


# --- an empty patch is an empty change, as an empty --diff is --------------------------------
@pytest.mark.parametrize("text", ["", "\n\n", "   \n"])
def test_an_empty_patch_is_an_empty_change(tmp_path: Path, monkeypatch, capsys, text) -> None:
    monkeypatch.chdir(tmp_path)
    repo = GitRepo(tmp_path)
    repo.write("app.py", "import os\n")
    repo.commit()
    assert main(["review", "--no-cache", "--diff", "HEAD"]) == 0
    diff_out = capsys.readouterr().out
    (tmp_path / "empty.patch").write_text(text)
    assert main(["review", "--no-cache", "--patch", "empty.patch"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Reviewed 0 files changed by empty.patch.")
    assert out.splitlines()[1:] == diff_out.splitlines()[1:]


# --- a backtick in the flagged code keeps the Markdown and HTML code spans whole -------------
BACKTICK = """\
import os

from flask import Flask, request

app = Flask(__name__)


@app.get("/stamp")
def stamp():
    name = request.args["name"]
    return str(os.system(f"echo `date` {name}"))
"""


def test_a_backtick_in_code_keeps_the_code_span_whole(project: Path, capsys) -> None:
    (project / "app.py").write_text(BACKTICK)
    main(["review", ".", "--no-cache", "--format", "markdown"])
    markdown = capsys.readouterr().out
    assert '``os.system(f"echo `date` {name}")``' in markdown
    main(["review", ".", "--no-cache", "--format", "html"])
    page = capsys.readouterr().out
    assert "<code>os.system(f&quot;echo `date` {name}&quot;)</code>" in page
    main(["review", ".", "--no-cache", "--format", "json"])
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    spans = re.findall(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", finding["message"])
    assert spans[0][1] == 'os.system(f"echo `date` {name}")'  # then the rule's own spans


# --- snippets are capped: a 5 MB line is not a 5 MB report ----------------------------------
def test_a_very_long_line_does_not_fill_the_reports(project: Path, capsys) -> None:
    padding = "x" * 2_000_000
    (project / "app.py").write_text(
        f'import yaml\nconfig = yaml.load(open("c"), Loader=yaml.Loader); PAD = "{padding}"\n'
    )
    sizes = {}
    for fmt in ("json", "sarif", "markdown", "html", "text", "gerrit", "github"):
        main(["review", ".", "--no-cache", "--format", fmt, "--verbose"])
        sizes[fmt] = len(capsys.readouterr().out)
    assert max(sizes.values()) < 50_000, sizes
    main(["review", ".", "--no-cache", "--format", "json"])
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["snippet"].startswith("config = yaml.load(") and finding["snippet"].endswith("…")
    assert len(finding["snippet"]) <= 1000
    assert finding["fixes"] and all(len(f["original"]) <= 1000 for f in finding["fixes"])
    (project / "other.py").write_text(  # a long line beside a finding, in the HTML context
        f'PAD = "{padding}"\nimport yaml\nconfig = yaml.load(open("c"), Loader=yaml.Loader)\n'
    )
    main(["review", "other.py", "--no-cache", "--format", "html"])
    assert len(capsys.readouterr().out) < 50_000


# --- one copy of the cache, whatever the rule selection --------------------------------------
def _rows(store: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(store)
    try:
        return conn.execute("SELECT count(*) FROM analysis_files").fetchone()[0]
    finally:
        conn.close()


def _run(capsys, *args: str) -> tuple[list, str]:
    main(["review", ".", "--format", "json", "--verbose", *args])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"]
    return [(f["rule_id"], f["location"]["line"], f["fix"], f["fixes"]) for f in findings], (
        captured.err
    )


def test_each_rule_selection_does_not_add_a_copy_of_the_cache(project: Path, capsys) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "vulnerable_app"
    for source in examples.glob("*.py"):
        (project / source.name).write_text(source.read_text())
    store = project / ".secreview" / "store.sqlite3"
    _run(capsys)  # the whole rule set
    files = _rows(store)
    assert files == 4
    selections = [
        ["--rules", "sql-injection"],
        ["--skip-rules", "unsafe-yaml-load,command-injection"],
        ["--rules", "unsafe-yaml-load,pickle-load,tls-verification-disabled"],
    ]
    for selection in selections:
        cached, err = _run(capsys, *selection)
        assert "cache: 4 of 4 files" in err  # served from the whole rule set's entries
        fresh, _ = _run(capsys, "--no-cache", *selection)
        assert cached == fresh
        assert _rows(store) == files
    # a narrower entry made first is replaced by a wider one, never kept beside it
    (project / "shell.py").write_text((project / "shell.py").read_text() + "\n# edited\n")
    _run(capsys, "--rules", "command-injection")
    _run(capsys)
    assert _rows(store) == files + 1  # the edited file's old content, kept until unused
    cached, err = _run(capsys, "--rules", "command-injection")
    assert "cache: 4 of 4 files" in err
