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
    padding = "x" * 300_000
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


# --- a huge literal does not take gigabytes to parse ----------------------------------------
def test_a_huge_literal_is_reviewed_in_bounded_memory(project: Path) -> None:
    import os
    import subprocess
    import sys

    rows = ",\n".join(f"    ({n}, {n * 7 % 1000}, 'k{n % 97}')" for n in range(180_000))
    (project / "table.py").write_text(
        f"TABLE = [\n{rows},\n]\n\nimport yaml\nconfig = yaml.load(open('c'), Loader=yaml.Loader)\n"
    )
    assert 4_000_000 < (project / "table.py").stat().st_size < 5_000_000
    review = (
        "import resource, sys\n"
        "from secreview.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            review,
            "review",
            ".",
            "--no-cache",
            "--format",
            "json",
            "--jobs",
            "1",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
        check=False,
    )
    peak_mb = int(done.stderr.split()[-1])
    assert peak_mb < 400, f"peak {peak_mb} MB"
    report = json.loads(done.stdout)
    assert [(f["rule_id"], f["location"]["line"]) for f in report["findings"]] == [
        ("unsafe-yaml-load", 180_005)
    ]
    [note] = report["diagnostics"]
    assert note["kind"] == "large-literal" and "180,000" in note["message"]
    assert report["stats"]["failed"] == 0  # the file is analysed, only not every element


def test_shortening_a_literal_keeps_the_code_valid_and_every_line_in_place() -> None:
    import ast

    from secreview.python.parse import BIG_SOURCE, KEEP_ITEMS, shrink_literals

    many = ", ".join(str(n) for n in range(60_000))
    text = (
        f'DOC = """{many}"""\n'  # inside a string: the string shrinks, the code stays valid
        f"# {many}\n"
        "DATA = {\n" + "".join(f"    'k{n}': {n},\n" for n in range(60_000)) + "}\n"
        "after = 1\n"
    )
    assert len(text) > BIG_SOURCE
    shrunk, notes = shrink_literals(text)
    tree = ast.parse(shrunk)
    assert shrunk.count("\n") == text.count("\n")
    assert tree.body[-1].lineno == text.count("\n")  # `after = 1` on its own line still
    assert [line for line, _ in notes] == [1, 2, 3]
    data = next(n for n in tree.body if getattr(n.targets[0], "id", "") == "DATA")
    assert len(data.value.keys) == KEEP_ITEMS
    assert shrink_literals("x = [1, 2, 3]\n") == ("x = [1, 2, 3]\n", [])
