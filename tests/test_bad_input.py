"""Bad input: each kind becomes a Diagnostic, the run goes on, other files' findings survive.

Read-side failures are checked on `load` (what the workers call) and end to end through
`run_review`; parse-side failures (syntax, deep nesting) only exist end to end.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.model import Diagnostic, Review, SourceFile
from secreview.pipeline import run_review
from secreview.targets import Target, discover, load

GOOD = "def run(user_input):\n    return eval(user_input)\n"


def write(base: Path, rel: str, content: str | bytes) -> Path:
    path = base / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def load_file(path: Path, max_size: int = 1_000_000) -> SourceFile | Diagnostic:
    return load(Target(path.name, str(path), str(path.parent)), max_size)


def diagnostic(path: Path, max_size: int = 1_000_000) -> Diagnostic:
    loaded = load_file(path, max_size)
    assert isinstance(loaded, Diagnostic), f"expected a Diagnostic, got {loaded!r}"
    assert loaded.path == path.name
    return loaded


def review(path: Path, **settings: object) -> Review:
    return run_review([str(path)], Config(jobs=1, **settings))  # type: ignore[arg-type]


def by_path(result: Review) -> dict[str, Diagnostic]:
    return {d.path: d for d in result.diagnostics if d.kind != "suppression"}


def deny_open(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Simulate an unreadable file: we run as root here, so chmod 000 would not stop us."""
    real_open = os.open

    def fake_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(path) == str(denied):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


# --- syntax ------------------------------------------------------------------------------


def test_python2_file_says_it_is_python_2(tmp_path: Path):
    write(tmp_path, "legacy.py", 'import os\nprint "hello"\n')
    result = review(tmp_path)
    diag = by_path(result)["legacy.py"]
    assert diag.kind == "syntax"
    assert "line 2" in diag.message
    assert "Python 2" in diag.message


def test_modern_syntax_is_not_a_syntax_error(tmp_path: Path):
    write(
        tmp_path,
        "modern.py",
        "type Alias = int\n\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n",
    )
    result = review(tmp_path)
    assert by_path(result) == {}
    assert result.stats.files == 1 and result.stats.lines == 4


NEWER_SYNTAX = {
    "template_string.py": ('name = "x"\nmessage = t"hello {name}"\n', "3.14", "PEP 750"),
    "except_list.py": (
        "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n",
        "3.14",
        "PEP 758",
    ),
}


@pytest.mark.parametrize("name", sorted(NEWER_SYNTAX))
def test_syntax_of_a_newer_python_names_the_version(tmp_path: Path, name: str):
    source, version, pep = NEWER_SYNTAX[name]
    write(tmp_path, name, source)
    result = review(tmp_path)
    if sys.version_info >= tuple(int(p) for p in version.split(".")):
        assert by_path(result) == {}  # the running Python has it: no error at all
        return
    message = by_path(result)[name].message
    assert f"needs Python {version}" in message and pep in message


def test_python2_except_binding_is_not_blamed_on_a_newer_python(tmp_path: Path):
    write(tmp_path, "old.py", "try:\n    pass\nexcept ValueError, err:\n    pass\n")
    message = by_path(review(tmp_path))["old.py"].message
    assert "Python 2" in message and "3.14" not in message


def test_unrelated_error_on_a_line_with_older_syntax_names_no_version(tmp_path: Path):
    write(tmp_path, "typo.py", "type Alias = int int\n")
    message = by_path(review(tmp_path))["typo.py"].message
    assert "needs Python" not in message


# --- encodings ---------------------------------------------------------------------------


def test_undecodable_bytes_say_which_line_and_byte(tmp_path: Path):
    path = write(tmp_path, "latin.py", b"a = 1\nb = 2\nc = 'caf\xe9'\n")
    diag = diagnostic(path)
    assert diag.kind == "encoding"
    assert "utf-8" in diag.message
    assert "0xe9" in diag.message
    assert "line 3" in diag.message and "column 9" in diag.message
    assert "byte offset 20" in diag.message


def test_undecodable_bytes_after_a_bom_count_the_bom(tmp_path: Path):
    path = write(tmp_path, "bom.py", b"\xef\xbb\xbfx = '\xff'\n")
    diag = diagnostic(path)
    assert diag.kind == "encoding"
    assert "line 1" in diag.message and "byte offset 8" in diag.message


def test_undecodable_bytes_under_a_declared_encoding(tmp_path: Path):
    path = write(tmp_path, "ascii.py", b"# coding: ascii\r\nx = 1\r\ny = '\x80'\r\n")
    diag = diagnostic(path)
    assert diag.kind == "encoding"
    assert "ascii" in diag.message and "line 3" in diag.message and "0x80" in diag.message


def test_unknown_encoding_in_the_cookie(tmp_path: Path):
    path = write(tmp_path, "klingon.py", b"#!/usr/bin/env python\n# -*- coding: klingon -*-\n")
    diag = diagnostic(path)
    assert diag.kind == "encoding"
    assert "'klingon'" in diag.message and "line 2" in diag.message


def test_cookie_naming_a_codec_that_is_not_a_text_encoding(tmp_path: Path):
    path = write(tmp_path, "rot.py", b"# coding: rot13\nk = 1\n")
    diag = diagnostic(path)
    assert diag.kind == "encoding"
    assert "not a text encoding" in diag.message


def test_bom_contradicting_the_cookie(tmp_path: Path):
    path = write(tmp_path, "both.py", b"\xef\xbb\xbf# coding: latin-1\nx = 1\n")
    diag = diagnostic(path)
    assert diag.kind == "encoding"
    assert "byte-order mark" in diag.message and "'latin-1'" in diag.message


@pytest.mark.parametrize("codec", ["utf-16", "utf-32"])
def test_wide_unicode_files_are_not_python_source(tmp_path: Path, codec: str):
    path = write(tmp_path, "wide.py", "x = 1\n".encode(codec))
    diag = diagnostic(path)
    assert diag.kind == "encoding"
    assert codec.upper() in diag.message


# --- binary, size ------------------------------------------------------------------------


def test_binary_file_with_nul_bytes(tmp_path: Path):
    path = write(tmp_path, "blob.py", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    diag = diagnostic(path)
    assert diag.kind == "binary"
    assert "NUL byte at offset 8" in diag.message


def test_binary_file_of_control_bytes_without_nul(tmp_path: Path):
    path = write(tmp_path, "noise.py", bytes(range(1, 32)) * 40)
    diag = diagnostic(path)
    assert diag.kind == "binary"
    assert "control characters" in diag.message


def test_a_few_control_characters_do_not_make_source_binary(tmp_path: Path):
    path = write(tmp_path, "ansi.py", "RESET = '\x1b[0m'\n\x0c\ndef f():\n    return '\x07'\n")
    assert isinstance(load_file(path), SourceFile)


def test_file_over_the_size_limit(tmp_path: Path):
    path = write(tmp_path, "huge.py", "x = 1\n" * 500)  # 3000 bytes
    diag = diagnostic(path, max_size=2048)
    assert diag.kind == "too-large"
    assert "3,000 bytes" in diag.message and "2,048 bytes" in diag.message


def test_size_limit_comes_from_the_config(tmp_path: Path):
    write(tmp_path, "huge.py", "x = 1\n" * 500)
    write(tmp_path, "small.py", GOOD)
    result = review(tmp_path, max_file_size=2048)
    assert by_path(result)["huge.py"].kind == "too-large"
    assert "small.py" not in by_path(result)


# --- deep nesting ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("x = " + "(" * 200_000 + "\n", "syntax"),  # the tokenizer's nesting limit
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "syntax"),
        ("x = " + "1 + " * 100_000 + "1\n", "too-deep"),  # RecursionError building the AST
        ("x = " + "-" * 100_000 + "1\n", "too-deep"),  # the parser's own stack limit
    ],
    ids=["parens", "brackets", "binop-chain", "unary-chain"],
)
def test_deep_nesting_is_a_diagnostic_not_a_crash(tmp_path: Path, source: str, kind: str):
    write(tmp_path, "deep.py", source)
    write(tmp_path, "good.py", GOOD)
    result = review(tmp_path)
    diag = by_path(result)["deep.py"]
    assert diag.kind == kind
    assert "nested" in diag.message or "deep" in diag.message
    assert any(f.location.path == "good.py" for f in result.findings)


def test_a_function_too_deep_to_follow_is_said_and_the_rest_is_reviewed(tmp_path: Path):
    deep = "value" + ".x" * 3000  # parses, but no recursive walk gets to its end
    write(
        tmp_path,
        "views.py",
        "import os\n"
        "from flask import request\n"
        "def deep():\n"
        "    value = request.args\n"
        f"    return {deep}\n"
        "def shallow():\n"
        "    os.system(request.args['cmd'])\n",
    )
    result = review(tmp_path)
    diag = by_path(result)["views.py"]
    assert diag.kind == "analysis-too-deep"
    assert "deep (line 3)" in diag.message and "nested too deeply" in diag.message
    assert result.stats.failed == 0  # analysed, not completely
    assert any(f.rule_id == "command-injection" for f in result.findings)


# --- unreadable files, symlinks ----------------------------------------------------------


def test_unreadable_file_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path, "locked.py", GOOD)
    deny_open(monkeypatch, path)
    diag = diagnostic(path)
    assert diag.kind == "unreadable"
    assert "permission denied" in diag.message


def test_unreadable_file_by_mode(tmp_path: Path):
    path = write(tmp_path, "locked.py", GOOD)
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read mode-000 files (root)")
        assert diagnostic(path).kind == "unreadable"
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_directory_where_a_file_was_expected(tmp_path: Path):
    (tmp_path / "pkg.py").mkdir()
    diag = diagnostic(tmp_path / "pkg.py")
    assert diag.kind == "unreadable"
    assert "directory" in diag.message


def test_file_that_vanished_after_discovery(tmp_path: Path):
    path = write(tmp_path, "gone.py", GOOD)
    target = discover([str(tmp_path)], Config()).targets[0]
    path.unlink()
    loaded = load(target, 1000)
    assert isinstance(loaded, Diagnostic) and loaded.kind == "missing"


def test_broken_symlink_in_a_walk(tmp_path: Path):
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    write(tmp_path, "good.py", GOOD)
    discovery = discover([str(tmp_path)], Config())
    assert [t.path for t in discovery.targets] == ["good.py"]
    [diag] = discovery.diagnostics
    assert (diag.path, diag.kind) == ("dangling.py", "broken-symlink")
    assert "broken symlink" in diag.message and "nowhere.py" in diag.message


def test_broken_symlink_named_on_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "dangling.py").symlink_to("missing-target.py")
    monkeypatch.chdir(tmp_path)
    discovery = discover(["dangling.py"], Config())
    assert discovery.targets == []
    assert [(d.path, d.kind) for d in discovery.diagnostics] == [("dangling.py", "broken-symlink")]


def test_symlink_that_broke_after_discovery(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    real = write(tmp_path, "real.py", GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/link.py").symlink_to(real)
    (tmp_path / ".git").mkdir()  # the work tree holds the link and its target
    monkeypatch.chdir(tmp_path)
    [target] = discover(["sub"], Config()).targets
    assert target.path == "sub/link.py"
    real.unlink()
    loaded = load(target, 1000)
    assert isinstance(loaded, Diagnostic) and loaded.kind == "broken-symlink"


# --- never imported or executed ----------------------------------------------------------


def test_reviewed_code_is_never_imported_or_run(tmp_path: Path):
    marker = tmp_path / "executed"
    write(
        tmp_path,
        "hostile_module_xyz.py",
        f"open({str(marker)!r}, 'w').write('ran')\nimport os\nos._exit(3)\n",
    )
    result = review(tmp_path)
    assert result.stats.files == 1
    assert not marker.exists()
    assert "hostile_module_xyz" not in sys.modules


# --- everything at once ------------------------------------------------------------------


def test_a_directory_of_bad_files_still_reviews_the_good_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    write(tmp_path, "good.py", GOOD)
    write(tmp_path, "py2.py", 'print "hello"\n')
    write(tmp_path, "latin.py", b"x = 'caf\xe9'\n")
    write(tmp_path, "klingon.py", b"# coding: klingon\n")
    write(tmp_path, "blob.py", b"\x00\x01\x02binary")
    write(tmp_path, "huge.py", "x = 1\n" * 60_000)  # 360,000 bytes
    write(tmp_path, "deep.py", "x = " + "1 + " * 60_000 + "1\n")  # 240,005 bytes
    write(tmp_path, "parens.py", "x = " + "(" * 200_000)
    locked = write(tmp_path, "locked.py", GOOD)
    deny_open(monkeypatch, locked)
    (tmp_path / "dangling.py").symlink_to(tmp_path / "nowhere.py")
    (tmp_path / "folder.py").mkdir()  # a directory is walked, not read

    result = review(tmp_path, max_file_size=300_000)

    expected = {
        "py2.py": "syntax",
        "latin.py": "encoding",
        "klingon.py": "encoding",
        "blob.py": "binary",
        "huge.py": "too-large",
        "deep.py": "too-deep",
        "parens.py": "syntax",
        "locked.py": "unreadable",
        "dangling.py": "broken-symlink",
    }
    assert {path: d.kind for path, d in by_path(result).items()} == expected
    assert "Python 2" in by_path(result)["py2.py"].message
    # every file that was a target counts; only good.py's lines were analysed
    assert result.stats.files == 9
    assert result.stats.lines == GOOD.count("\n")
    findings = [f for f in result.findings if f.location.path == "good.py"]
    assert [f.rule_id for f in findings] == ["eval-of-non-literal"]
    assert findings[0].location.line == 2


# --- secreview's own defects -------------------------------------------------------------------
def test_a_rule_that_raises_costs_only_its_own_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A rule crashing on some file is secreview's defect: it becomes a diagnostic naming the
    rule and line, the other rules and the data-flow analysis still report, and the run goes
    on to the other files."""
    from secreview.rules.support.pattern import PATTERN_RULES

    pickle_rule = next(r for r in PATTERN_RULES if r.meta.id == "pickle-load")

    def broken(*args: object) -> list[object]:
        raise ValueError("boom")

    monkeypatch.setattr(pickle_rule, "check_call", broken)
    write(tmp_path, "a.py", "import pickle, yaml\npickle.loads(b)\nyaml.load(s)\n" + GOOD)
    write(tmp_path, "b.py", GOOD)
    result = review(tmp_path)
    found = sorted((f.location.path, f.rule_id) for f in result.findings)
    assert ("a.py", "unsafe-yaml-load") in found and ("b.py", "eval-of-non-literal") in found
    assert ("a.py", "eval-of-non-literal") in found
    assert not any(rule == "pickle-load" for _, rule in found)
    problem = by_path(result)["a.py"]
    assert problem.kind == "rule-error"
    assert "rule pickle-load failed at line 2 (ValueError: boom at test_bad_input.py:" in (
        problem.message
    )
    assert result.stats.files == 2 and result.stats.failed == 0  # analysed, not failed


def test_a_data_flow_defect_keeps_the_pattern_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from secreview.python.taint import summarize

    def broken(self: object) -> None:
        raise KeyError("missing")

    monkeypatch.setattr(summarize.ModuleAnalysis, "run", broken)
    write(tmp_path, "a.py", GOOD)
    result = review(tmp_path)
    assert [f.rule_id for f in result.findings] == ["eval-of-non-literal"]
    problem = by_path(result)["a.py"]
    assert problem.kind == "analysis-error" and "KeyError: 'missing'" in problem.message
