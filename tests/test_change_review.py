"""Reviewing a change: `--diff REV`, `--diff A..B`, `--diff A...B`, `--staged` and `--patch`,
each on a real temporary git repository (init, commit, change), run through `main()`.

Whole files (and the whole tree, for data flow) are analysed; only findings whose flagged
statement or a trace step lies on a changed line are reported.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

import pytest
from _gitrepo import SHELL_SAFE, SHELL_UNSAFE, VIEWS, GitRepo, flask_repo

from secreview.cli import main
from secreview.targets.patch import PatchError, changed_lines, parse_patch, resolve

YAML_LOAD = "import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GitRepo:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI", raising=False)
    return flask_repo(tmp_path)


def review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["review", "--format", "json", "--no-cache", *args])
    captured = capsys.readouterr()
    assert captured.out, captured.err
    return code, json.loads(captured.out)


def found(report: dict) -> list[tuple[str, str, int]]:
    return sorted(
        (f["rule_id"], f["location"]["path"], f["location"]["line"]) for f in report["findings"]
    )


# --- --diff REV (working tree included) ------------------------------------------------------
def test_diff_reports_only_findings_on_changed_lines(repo: GitRepo, capsys) -> None:
    repo.write("old.py", YAML_LOAD)  # an old defect, committed with the base
    repo.commit("old defect")
    repo.write("app/shell.py", SHELL_UNSAFE)  # not committed: the working tree counts
    code, report = review(capsys, "--diff", "HEAD")
    assert code == 1
    assert found(report) == [("command-injection", "app/shell.py", 5)]
    assert report["scope_note"] == "1 file changed since HEAD"
    code, everything = review(capsys)  # without --diff the old defect is there too
    assert ("unsafe-yaml-load", "old.py", 5) in found(everything)


def test_diff_text_report_starts_with_what_was_reviewed(repo: GitRepo, capsys) -> None:
    base = repo.git("rev-parse", "HEAD").strip()
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.write("app/extra.py", "VALUE = 1\n")
    repo.commit("two files")
    repo.git("branch", "-f", "origin-master", base)
    assert main(["review", "--no-cache", "--diff", "origin-master"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Reviewed 2 files changed since origin-master."
    assert lines[1].startswith("secreview found 1 security defect")


def test_a_trace_step_on_a_changed_line_reveals_an_unchanged_sink(repo: GitRepo, capsys) -> None:
    # the sink exists before the change; the change adds the source that reaches it
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.write("app/views.py", VIEWS.replace('request.args.get("host", "")', '"localhost"'))
    repo.commit("sink with a constant")
    code, report = review(capsys, "--diff", "HEAD")
    assert (code, report["findings"]) == (0, [])
    repo.write("app/views.py", VIEWS)  # now request data flows into the old sink
    code, report = review(capsys, "--diff", "HEAD")
    assert found(report) == [("command-injection", "app/shell.py", 5)]
    steps = [(s["location"]["path"], s["location"]["line"]) for s in report["findings"][0]["trace"]]
    assert ("app/views.py", 10) in steps


SHELL_QUOTED = """
import shlex
import subprocess


def ping(host):
    host = shlex.quote(host)
    return subprocess.run("ping -c 1 " + host, shell=True).returncode
"""


def test_removing_a_sanitizer_exposes_the_sink_after_it(repo: GitRepo, capsys) -> None:
    """A change that only deletes lines changes what the lines around them do: deleting
    the quoting makes the (unchanged) next line injectable, and the review must say so."""
    repo.write("app/shell.py", SHELL_QUOTED)
    repo.commit("quoted")
    code, report = review(capsys, "--diff", "HEAD")
    assert (code, report["findings"]) == (0, [])
    repo.write("app/shell.py", SHELL_QUOTED.replace("    host = shlex.quote(host)\n", ""))
    code, report = review(capsys, "--diff", "HEAD")
    assert code == 1
    assert ("command-injection", "app/shell.py", 6) in found(report)
    patch = repo.git("diff")
    repo.git("checkout", "--", "app/shell.py")
    (repo.root / "removal.patch").write_text(patch)
    code, report = review(capsys, "--patch", "removal.patch")
    assert ("command-injection", "app/shell.py", 6) in found(report)


def test_changed_lines_are_the_added_ones_and_those_around_a_removal() -> None:
    (patch,) = parse_patch(
        "--- a/m.py\n+++ b/m.py\n@@ -2,3 +2,3 @@\n a\n-b\n+B\n c\n@@ -8,2 +7,0 @@\n-x\n-y\n"
    )
    assert changed_lines(patch) == frozenset({2, 3, 7, 8})


def test_diff_includes_new_untracked_files(repo: GitRepo, capsys) -> None:
    repo.write("app/loader.py", YAML_LOAD)  # never `git add`ed
    _, report = review(capsys, "--diff", "HEAD")
    assert found(report) == [("unsafe-yaml-load", "app/loader.py", 5)]


def test_untracked_devices_and_fifos_are_not_read(repo: GitRepo, capsys) -> None:
    """`--diff` counts the lines of new untracked files; a link to /dev/zero or a FIFO
    among them would never end a read, and a non-Python file is not read at all."""
    repo.write("app/loader.py", YAML_LOAD)
    (repo.root / "app" / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(repo.root / "app" / "pipe.py")
    (repo.root / "notes.bin").symlink_to("/dev/zero")
    _, report = review(capsys, "--diff", "HEAD")
    assert found(report) == [("unsafe-yaml-load", "app/loader.py", 5)]


def test_no_changed_python_file_is_a_clean_run_without_analysis(repo: GitRepo, capsys) -> None:
    repo.write("README.md", "docs only\n")
    assert main(["review", "--no-cache", "--diff", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Reviewed 0 files changed since HEAD.")
    assert "No security defects are detected in the code." in out


def test_paths_narrow_the_reported_files(repo: GitRepo, capsys) -> None:
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.write("tools/load.py", YAML_LOAD)
    _, report = review(capsys, "--diff", "HEAD", "tools")
    assert found(report) == [("unsafe-yaml-load", "tools/load.py", 5)]
    assert report["scope_note"] == "1 file changed since HEAD"


def test_paths_also_narrow_the_findings_to_those_in_them(repo: GitRepo, capsys) -> None:
    """A change in tools/ whose data reaches a sink in app/: reported when app/ is reviewed
    (its trace has a changed line) or the whole tree, not when only tools/ is."""
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.write("app/views.py", VIEWS.replace('request.args.get("host", "")', '"localhost"'))
    repo.commit("unsafe helper, no request data reaches it yet")
    repo.write("tools/__init__.py", "")
    repo.write("tools/cli.py", VIEWS.replace('"/ping"', '"/tool"').replace("def ping", "def tool"))
    assert found(review(capsys, "--diff", "HEAD")[1]) == [("command-injection", "app/shell.py", 5)]
    assert found(review(capsys, "--diff", "HEAD", "app", "tools")[1]) == [
        ("command-injection", "app/shell.py", 5)
    ]
    code, report = review(capsys, "--diff", "HEAD", "tools")
    assert (code, report["findings"], report["scope_note"]) == (0, [], "1 file changed since HEAD")


# --- --diff A..B and A...B (git semantics: the tree at B) ------------------------------------
def test_two_dot_range_reviews_the_tree_at_b(repo: GitRepo, capsys) -> None:
    first = repo.git("rev-parse", "HEAD").strip()
    repo.write("app/shell.py", SHELL_UNSAFE)
    second = repo.commit("unsafe")
    repo.write("app/shell.py", SHELL_SAFE)  # fixed again in the working tree only
    _, report = review(capsys, "--diff", f"{first}..{second}")
    assert found(report) == [("command-injection", "app/shell.py", 5)]
    assert report["scope_note"] == f"1 file changed from {first} to {second}"
    assert report["root"] == str(repo.root)
    _, report = review(capsys, "--diff", "HEAD")  # the working tree undid it
    assert found(report) == []


def test_three_dot_range_is_what_b_changed_since_the_merge_base(repo: GitRepo, capsys) -> None:
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.commit("feature: unsafe ping")
    repo.git("checkout", "-q", "main")
    repo.write("main_only.py", YAML_LOAD)  # main moved on with its own defect
    repo.commit("main: yaml")
    repo.git("checkout", "-q", "feature")
    _, report = review(capsys, "--diff", "main...feature")
    assert found(report) == [("command-injection", "app/shell.py", 5)]
    assert "since it forked from main" in report["scope_note"]
    # two dots compare the trees: main's new file is "changed" (deleted) too, but deleted
    # files have no lines, so the result is the same finding
    _, report = review(capsys, "--diff", "main..feature")
    assert found(report) == [("command-injection", "app/shell.py", 5)]


# --- --staged ----------------------------------------------------------------------------------
def test_staged_reviews_the_index_not_unstaged_edits(repo: GitRepo, capsys) -> None:
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.git("add", "app/shell.py")
    repo.write("app/shell.py", SHELL_SAFE + "\n\n# fixed, but not staged\n")
    code, report = review(capsys, "--staged")
    assert found(report) == [("command-injection", "app/shell.py", 5)]
    assert report["scope_note"] == "1 file staged for commit"
    repo.git("add", "app/shell.py")
    code, report = review(capsys, "--staged")
    assert (code, found(report)) == (0, [])


def test_staged_in_a_repository_without_commits(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    repo = GitRepo(tmp_path)
    repo.write("load.py", YAML_LOAD)
    repo.git("add", "load.py")
    _, report = review(capsys, "--staged")
    assert found(report) == [("unsafe-yaml-load", "load.py", 5)]


# --- errors --------------------------------------------------------------------------------------
def test_unknown_revision_and_no_repository_are_usage_errors(
    repo: GitRepo, tmp_path_factory, capsys, monkeypatch
) -> None:
    assert main(["review", "--diff", "no-such-branch"]) == 2
    assert "unknown revision: no-such-branch" in capsys.readouterr().err
    assert main(["review", "--diff", "--output=x"]) == 2  # not smuggled in as an option
    capsys.readouterr()
    elsewhere = tmp_path_factory.mktemp("plain")
    (elsewhere / "a.py").write_text(YAML_LOAD)
    monkeypatch.chdir(elsewhere)
    assert main(["review", "--diff", "HEAD"]) == 2
    assert "not inside a git repository" in capsys.readouterr().err


def test_diff_options_exclude_each_other(repo: GitRepo, capsys) -> None:
    assert main(["review", "--diff", "HEAD", "--staged"]) == 2


# --- --patch -----------------------------------------------------------------------------------
def make_patch(repo: GitRepo, *args: str) -> str:
    """The last commit as `git format-patch` gives it (GitHub's .patch has this shape)."""
    return repo.git("format-patch", "-1", "--stdout", "-M", *args)


@pytest.fixture
def patch_with_rename_and_new_file(repo: GitRepo) -> tuple[GitRepo, str]:
    """A commit that renames shell.py (making it unsafe) and adds a new file; the work tree
    is then put back to the base, as a reviewer's checkout of the target branch is."""
    repo.git("mv", "app/shell.py", "app/commands.py")
    repo.write("app/commands.py", SHELL_UNSAFE)
    repo.write(
        "app/views.py", VIEWS.replace("from app import shell", "from app import commands as shell")
    )
    repo.write("app/loader.py", YAML_LOAD)
    repo.commit("rename and new file")
    patch = make_patch(repo)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    return repo, patch


def test_patch_applied_to_the_tree_with_a_rename_and_a_new_file(
    patch_with_rename_and_new_file, capsys
) -> None:
    repo, patch = patch_with_rename_and_new_file
    (repo.root / "change.patch").write_text(patch)
    before = {p: p.read_bytes() for p in repo.root.rglob("*.py")}
    code, report = review(capsys, "--patch", "change.patch")
    assert code == 1
    assert found(report) == [
        ("command-injection", "app/commands.py", 5),
        ("unsafe-yaml-load", "app/loader.py", 5),
    ]
    assert report["scope_note"] == "3 files changed by change.patch"
    assert report["root"] == str(repo.root)
    assert {p: p.read_bytes() for p in repo.root.rglob("*.py")} == before  # never written to


def test_patch_already_applied_is_reviewed_in_place(patch_with_rename_and_new_file, capsys) -> None:
    repo, patch = patch_with_rename_and_new_file
    (repo.root.parent / "change.patch").write_text(patch)
    repo.git("apply", "../change.patch")  # the CI checkout holds the change already
    _, report = review(capsys, "--patch", "../change.patch")
    assert found(report) == [
        ("command-injection", "app/commands.py", 5),
        ("unsafe-yaml-load", "app/loader.py", 5),
    ]


def test_github_diff_and_gerrit_base64_patch(patch_with_rename_and_new_file, capsys) -> None:
    repo, patch = patch_with_rename_and_new_file
    diff_only = patch[patch.index("diff --git") :]  # GitHub's .diff: no mail header
    (repo.root / "pr.diff").write_text(diff_only)
    assert found(review(capsys, "--patch", "pr.diff")[1])[0][1] == "app/commands.py"
    encoded = base64.b64encode(patch.encode()).decode()  # Gerrit's "Download patch"
    (repo.root / "change.base64").write_text(
        "\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    )
    assert len(review(capsys, "--patch", "change.base64")[1]["findings"]) == 2


def test_patch_deleting_a_file_and_a_binary_hunk(repo: GitRepo, capsys) -> None:
    repo.write("gone.py", YAML_LOAD)
    (repo.root / "logo.png").write_bytes(bytes(range(256)))
    repo.commit("extra files")
    repo.git("rm", "-q", "gone.py")
    (repo.root / "logo.png").write_bytes(bytes(range(255, -1, -1)))
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.commit("delete, binary, unsafe")
    patch = make_patch(repo, "--binary")
    assert "GIT binary patch" in patch and "deleted file mode" in patch
    repo.git("reset", "-q", "--hard", "HEAD~1")
    (repo.root.parent / "p.patch").write_text(patch)
    _, report = review(capsys, "--patch", "../p.patch")
    assert found(report) == [("command-injection", "app/shell.py", 5)]
    assert report["scope_note"] == "1 file changed by p.patch"


def test_patch_from_stdin(patch_with_rename_and_new_file, capsys, monkeypatch) -> None:
    import io
    import sys

    _repo, patch = patch_with_rename_and_new_file
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(patch.encode())))
    _, report = review(capsys, "--patch", "-")
    assert len(report["findings"]) == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("this is not a diff\n", "no file changes found"),
        (
            "--- a/app/shell.py\n+++ b/app/shell.py\n@@ -1,3 +1,3 @@\n import subprocess\n",
            "malformed patch",
        ),
        (
            "--- a/app/shell.py\n+++ b/app/shell.py\n"
            "@@ -1,1 +1,1 @@\n-import nothing\n+import os\n",
            "does not apply",
        ),
    ],
)
def test_malformed_or_unfitting_patch_exits_2(repo: GitRepo, capsys, text, message) -> None:
    (repo.root / "bad.patch").write_text(text)
    assert main(["review", "--no-cache", "--patch", "bad.patch"]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    "path, message",
    [
        ("../outside.py", "climbs out of the review root"),
        ("app/../../outside.py", "climbs out of the review root"),
        ("/etc/cron.d/evil.py", "absolute path"),
        ("link/evil.py", "outside the review root"),
    ],
)
def test_hostile_patch_paths_are_refused(repo: GitRepo, capsys, path, message) -> None:
    outside = repo.root.parent / f"outside-{os.getpid()}"
    outside.mkdir(exist_ok=True)
    (repo.root / "link").symlink_to(outside)
    new = f"--- /dev/null\n+++ b/{path}\n@@ -0,0 +1 @@\n+import os\n"
    if path.startswith("/"):
        new = f"--- /dev/null\n+++ {path}\n@@ -0,0 +1 @@\n+import os\n"
    (repo.root / "evil.patch").write_text(new)
    assert main(["review", "--no-cache", "--patch", "evil.patch"]) == 2
    err = capsys.readouterr().err
    assert "refused" in err and message in err
    assert not list(outside.iterdir())


def test_patch_creating_a_symlink_out_of_the_tree_is_refused(repo: GitRepo, capsys) -> None:
    (repo.root / "escape.py").symlink_to("/etc/passwd")
    repo.commit("symlink")
    patch = make_patch(repo)
    repo.git("reset", "-q", "--hard", "HEAD~1")
    (repo.root / "s.patch").write_text(patch)
    assert main(["review", "--no-cache", "--patch", "s.patch"]) == 2
    assert "symlink to /etc/passwd" in capsys.readouterr().err


# --- the patch engine on its own -----------------------------------------------------------------
def test_series_of_commits_touching_one_file_track_changed_lines(tmp_path: Path) -> None:
    """A GitHub .patch holds every commit of the pull request, in order."""
    repo = GitRepo(tmp_path)
    repo.write("m.py", "".join(f"x{n} = {n}\n" for n in range(1, 11)))
    repo.commit("base")
    repo.write("m.py", "import os\n" + "".join(f"x{n} = {n}\n" for n in range(1, 11)))
    repo.commit("one")
    repo.write("m.py", "import os\n" + "".join(f"x{n} = {n}\n" for n in range(1, 11)) + "y = 2\n")
    repo.commit("two")
    series = repo.git("format-patch", "-2", "--stdout")
    repo.git("reset", "-q", "--hard", "HEAD~2")
    result = resolve(parse_patch(series), str(tmp_path))
    assert result.applied
    assert result.changed == {"m.py": frozenset({1, 12})}
    assert result.contents["m.py"].startswith("import os\nx1 = 1\n")


def test_hunks_still_apply_when_the_file_moved_lines(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("".join(f"line{n}\n" for n in range(1, 20)))
    patch = "--- a/m.py\n+++ b/m.py\n@@ -5,3 +5,4 @@\n line5\n line6\n+added\n line7\n"
    (tmp_path / "m.py").write_text("new0\nnew00\n" + "".join(f"line{n}\n" for n in range(1, 20)))
    result = resolve(parse_patch(patch), str(tmp_path))
    assert result.changed == {"m.py": frozenset({9})}


def test_patch_creating_an_existing_file_with_other_content_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "n.py").write_text("something else\n")
    patch = "--- /dev/null\n+++ b/n.py\n@@ -0,0 +1 @@\n+import os\n"
    with pytest.raises(PatchError, match="already exists"):
        resolve(parse_patch(patch), str(tmp_path))


def test_git_is_called_without_a_shell() -> None:
    """git runs from argument lists: no `shell=` anywhere, no os.system/os.popen."""
    import ast

    src = Path(__file__).parent.parent / "src/secreview"
    for module in ("targets/git.py", "changes.py", "targets/patch.py"):
        tree = ast.parse((src / module).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                assert not any(k.arg == "shell" for k in node.keywords), module
                func = node.func
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    assert (func.value.id, func.attr) not in {("os", "system"), ("os", "popen")}


def test_lines_break_only_at_newlines_and_crlf_patches_apply(tmp_path: Path) -> None:
    """A form feed or a Unicode line separator inside a line of code is not a line break
    (git and `patch` read them so); a patch saved with CRLF endings still names its files."""
    (tmp_path / "m.py").write_text('a = 1\n\x0c\nb = "x\u2028y"\n', encoding="utf-8")
    patch = '--- a/m.py\n+++ b/m.py\n@@ -1,3 +1,4 @@\n a = 1\n \x0c\n+import os\n b = "x\u2028y"\n'
    for text in (patch, patch.replace("\n", "\r\n")):
        result = resolve(parse_patch(text.encode()), str(tmp_path))
        assert result.applied and result.changed == {"m.py": frozenset({3})}
        assert result.contents["m.py"] == 'a = 1\n\x0c\nimport os\nb = "x\u2028y"\n'


def test_a_binary_change_is_a_diagnostic_on_its_own_path(tmp_path: Path) -> None:
    patch = (
        'diff --git "a/odd: name.py" "b/odd: name.py"\nnew file mode 100644\n'
        'index 0000000..e69de29\nBinary files /dev/null and "b/odd: name.py" differ\n'
    )
    result = resolve(parse_patch(patch), str(tmp_path))
    assert [(d.path, d.message, d.kind) for d in result.notes] == [
        ("odd: name.py", "binary change skipped", "patch")
    ]
