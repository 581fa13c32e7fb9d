"""Outputs for review systems, checked against their documented field names, and the
mechanical fixes they carry.

- Gerrit "Set Review" input, robot comments and fix suggestions:
  https://gerrit-review.googlesource.com/Documentation/rest-api-changes.html#review-input
  https://gerrit-review.googlesource.com/Documentation/rest-api-changes.html#robot-comment-input
  https://gerrit-review.googlesource.com/Documentation/rest-api-changes.html#fix-suggestion-info
  https://gerrit-review.googlesource.com/Documentation/rest-api-changes.html#fix-replacement-info
  https://gerrit-review.googlesource.com/Documentation/rest-api-changes.html#comment-range
- GitHub "Create a review for a pull request":
  https://docs.github.com/en/rest/pulls/reviews#create-a-review-for-a-pull-request
- GitHub Actions workflow commands (annotations):
  https://docs.github.com/en/actions/reference/workflow-commands-for-github-actions
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest
from _gitrepo import SHELL_UNSAFE, flask_repo
from _samples import COMMAND

from secreview.cli import main
from secreview.config import Config
from secreview.model import Finding, Location, Replacement, Review, TraceStep
from secreview.pipeline import run_review
from secreview.python.fixes import apply
from secreview.reports import render

# Documented fields (input entities). Everything we send must be one of these.
REVIEW_INPUT = {
    "message", "tag", "labels", "comments", "robot_comments", "drafts", "draft_ids_to_publish",
    "notify", "notify_details", "omit_duplicate_comments", "on_behalf_of", "reviewers", "ready",
    "work_in_progress", "add_to_attention_set", "remove_from_attention_set",
    "ignore_automatic_attention_set_rules", "response_format_options",
}  # fmt: skip
COMMENT_INPUT = {
    "id", "path", "side", "parent", "line", "range", "in_reply_to", "updated", "message",
    "tag", "unresolved", "fix_suggestions",
}  # fmt: skip
ROBOT_COMMENT_INPUT = COMMENT_INPUT | {"robot_id", "robot_run_id", "url", "properties"}
FIX_SUGGESTION = {"fix_id", "description", "replacements"}
FIX_REPLACEMENT = {"path", "range", "replacement"}
COMMENT_RANGE = {"start_line", "start_character", "end_line", "end_character"}
GITHUB_REVIEW = {"commit_id", "body", "event", "comments"}
GITHUB_COMMENT = {"path", "position", "body", "line", "side", "start_line", "start_side"}

CODE = textwrap.dedent(
    """
    import requests
    import yaml


    def settings(text, url):
        config = yaml.load(text)
        return requests.get(url, verify=False), config
    """
).lstrip("\n")
SAFE = CODE.replace("yaml.load(", "yaml.safe_load(").replace(", verify=False)", ")")


@pytest.fixture
def reviewed(tmp_path: Path) -> tuple[Path, Review]:
    (tmp_path / "settings.py").write_text(CODE)
    rules = ("unsafe-yaml-load", "tls-verification-disabled")  # the rules with fixes
    review = run_review([str(tmp_path / "settings.py")], Config(jobs=1, rules=rules))
    assert {f.rule_id for f in review.findings} == {"unsafe-yaml-load", "tls-verification-disabled"}
    return tmp_path, review


# --- Gerrit ---------------------------------------------------------------------------------------
def test_gerrit_review_input_uses_documented_fields(reviewed, monkeypatch) -> None:
    monkeypatch.setenv("SECREVIEW_RUN_ID", "build-42")
    _, review = reviewed
    body = json.loads(render(review, "gerrit"))
    assert set(body) <= REVIEW_INPUT
    assert body["message"].startswith("secreview found 2 security defects")
    assert set(body["robot_comments"]) == {"settings.py"}
    for comment in body["robot_comments"]["settings.py"]:
        assert set(comment) <= ROBOT_COMMENT_INPUT
        assert comment["robot_id"] == "secreview" and comment["robot_run_id"] == "build-42"
        assert comment["path"] == "settings.py" and isinstance(comment["line"], int)
        assert set(comment["range"]) == COMMENT_RANGE
        assert all(isinstance(v, str) for v in comment["properties"].values())
        assert comment["properties"]["cwe"] in {"CWE-502", "CWE-295"}
        assert comment["properties"]["rule"] in {"unsafe-yaml-load", "tls-verification-disabled"}
        assert comment["url"].startswith("https://cwe.mitre.org/")


def test_gerrit_fix_suggestions_apply_to_the_file(reviewed) -> None:
    _, review = reviewed
    body = json.loads(render(review, "gerrit"))
    lines = CODE.split("\n")
    replacements = []
    for comment in body["robot_comments"]["settings.py"]:
        [suggestion] = comment["fix_suggestions"]
        assert set(suggestion) <= FIX_SUGGESTION and suggestion["description"]
        for item in suggestion["replacements"]:
            assert set(item) == FIX_REPLACEMENT and set(item["range"]) == COMMENT_RANGE
            replacements.append(item)
    # apply as Gerrit does: 1-based lines, 0-based characters, end exclusive; last first
    replacements.sort(key=lambda r: (r["range"]["start_line"], r["range"]["start_character"]))
    for item in reversed(replacements):
        r = item["range"]
        head = lines[r["start_line"] - 1][: r["start_character"]]
        tail = lines[r["end_line"] - 1][r["end_character"] :]
        lines[r["start_line"] - 1 : r["end_line"]] = [head + item["replacement"] + tail]
    assert "\n".join(lines) == SAFE


def test_gerrit_clean_review_and_run_id_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("SECREVIEW_RUN_ID", raising=False)
    body = json.loads(render(Review(), "gerrit"))
    assert body["robot_comments"] == {}
    assert body["message"] == "No security defects are detected in the code."
    review = Review(findings=(_finding(),))
    first = json.loads(render(review, "gerrit"))
    again = json.loads(render(review, "gerrit"))  # the same review renders the same body
    assert first == again
    assert "fix_suggestions" not in first["robot_comments"]["app.py"][0]


def test_gerrit_comments_only_on_files_the_change_touches(monkeypatch) -> None:
    """Gerrit refuses a whole review whose comment is on a file outside the change: a flow
    whose sink did not change is commented on its trace step in a changed file; a finding
    with no such step goes into the message."""
    monkeypatch.setenv("SECREVIEW_RUN_ID", "build-42")
    sink_unchanged = _finding(
        "shell.py",
        5,
        (
            TraceStep(Location("views.py", 10), "request.args (source)"),
            TraceStep(Location("shell.py", 5), "subprocess.run (sink)"),
        ),
    )
    in_changed_file = _finding("views.py", 30)  # an unchanged line of a changed file
    review = Review(
        findings=(sink_unchanged, in_changed_file, _finding("other.py", 3)),
        changed_lines={"views.py": frozenset({10})},
        scope_note="1 file changed since main",
    )
    body = json.loads(render(review, "gerrit"))
    assert set(body["robot_comments"]) == {"views.py"}
    by_line = {c["line"]: c for c in body["robot_comments"]["views.py"]}
    assert set(by_line) == {10, 30}
    assert by_line[10]["path"] == "views.py" and by_line[10]["range"]["start_line"] == 10
    assert "Data from this line reaches shell.py:5." in by_line[10]["message"]
    assert "Data from this line" not in by_line[30]["message"]
    assert body["message"].startswith("Reviewed 1 file changed since main.")
    assert "other.py:3" in body["message"]


# --- GitHub -----------------------------------------------------------------------------------
def _finding(path: str = "app.py", line: int = 10, trace: tuple = ()) -> Finding:
    """The sample command injection at `path:line`, without a fix to suggest."""
    return replace(
        COMMAND,
        message="Request data reaches `subprocess.run(cmd, shell=True)`.",
        location=Location(path, line, 5, line, 40),
        snippet="",
        trace=trace,
        fix="",
        fingerprint="0" * 32,
    )


def test_github_review_body_uses_documented_fields(reviewed) -> None:
    _, review = reviewed
    body = json.loads(render(review, "github"))
    assert set(body) <= GITHUB_REVIEW and body["event"] == "COMMENT" and body["body"]
    assert len(body["comments"]) == 2
    for comment in body["comments"]:
        assert set(comment) <= GITHUB_COMMENT
        assert comment["side"] == "RIGHT" and comment["path"] == "settings.py"
        assert comment["line"] in (6, 7) and "**" in comment["body"]


def test_github_suggestions_rewrite_the_commented_line(reviewed) -> None:
    _, review = reviewed
    body = json.loads(render(review, "github"))
    blocks = {
        c["line"]: re.search(r"```suggestion\n(.*?)\n```", c["body"], re.S).group(1)
        for c in body["comments"]
    }
    assert blocks == {
        6: "    config = yaml.safe_load(text)",
        7: "    return requests.get(url), config",
    }


def test_github_comments_stay_on_changed_lines(tmp_path: Path) -> None:
    """GitHub rejects a review whose comment is outside the diff: a flow whose sink did not
    change is commented where the change is (a trace step); one with no changed line at all
    goes into the review body."""
    sink_unchanged = _finding(
        "shell.py",
        5,
        (
            TraceStep(Location("views.py", 10), "request.args (source)"),
            TraceStep(Location("shell.py", 5), "subprocess.run (sink)"),
        ),
    )
    elsewhere = _finding("other.py", 3)
    review = Review(
        findings=(sink_unchanged, elsewhere),
        changed_lines={"views.py": frozenset({10})},
        scope_note="1 file changed since main",
    )
    body = json.loads(render(review, "github"))
    [comment] = body["comments"]
    assert (comment["path"], comment["line"]) == ("views.py", 10)
    assert "reaches `shell.py:5`" in comment["body"]
    assert "`other.py:3`" in body["body"] and "Reviewed 1 file changed since main." in body["body"]


def test_github_bodies_stay_under_the_size_limit() -> None:
    """GitHub answers 422 to the whole review when any body exceeds 65,536 characters: a
    comment with a long (LLM) explanation is cut, with a note, like the review body."""
    long = replace(_finding(), message="A very long explanation. " * 5000)
    body = json.loads(render(Review(findings=(long,)), "github"))
    [comment] = body["comments"]
    assert 1000 < len(comment["body"]) <= 65_536
    assert comment["body"].endswith("_(truncated: see the full report)_")


def test_github_on_a_real_pull_request_diff(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    repo = flask_repo(tmp_path)
    repo.git("checkout", "-q", "-b", "pr")
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.commit("unsafe")
    assert main(["review", "--no-cache", "--diff", "main...pr", "--format", "github"]) == 1
    body = json.loads(capsys.readouterr().out)
    assert "\n@@ -5 +5 @@" in repo.git("diff", "-U0", "main...pr")  # the line GitHub shows
    assert [(c["path"], c["line"], c["side"]) for c in body["comments"]] == [
        ("app/shell.py", 5, "RIGHT")
    ]


# --- annotations ---------------------------------------------------------------------------------
def test_github_annotations_are_workflow_commands(reviewed) -> None:
    _, review = reviewed
    out = render(review, "github-annotations").splitlines()
    commands = [line for line in out if line.startswith("::")]
    assert len(commands) == 2
    pattern = re.compile(
        r"^::(error|warning|notice) file=settings\.py,line=\d+,endLine=\d+,col=\d+,"
        r"endColumn=\d+,title=[^:]+::\S"
    )
    assert all(pattern.match(line) for line in commands), commands
    assert out[-1].startswith("secreview: 2 security defects")


def test_github_annotations_escape_what_would_break_the_command() -> None:
    finding = replace(
        _finding(), message="100% bad\n::error::injected", location=Location("a,b:c.py", 3)
    )
    [line, _summary] = render(Review(findings=(finding,)), "github-annotations").splitlines()
    assert line.startswith("::error file=a%2Cb%3Ac.py,line=3,")
    assert "100%25 bad%0A::error::injected" in line


def test_text_from_the_change_cannot_add_a_command_or_markup() -> None:
    """A scope note (it names the patch file) or an LLM title with line breaks: one line in
    the annotations log, no heading in Markdown."""
    finding = replace(_finding(), title="Shell\n# Approved\n- [x] ok", cwe=0)
    review = Review(
        findings=(finding,),
        changed_lines={"app.py": frozenset({10})},
        scope_note="1 file changed by x\n::error file=a.py::forged",
    )
    out = render(review, "github-annotations").splitlines()
    assert [line for line in out if line.startswith("::")] == out[:1]
    assert out[-1].startswith("secreview: 1 security defect in 1 file changed by x ::error")
    github = json.loads(render(review, "github"))
    comment = github["comments"][0]["body"]
    for text in (render(review, "markdown"), github["body"], comment):
        assert text is github["body"] or "Shell # Approved - \\[x\\] ok" in text
        assert not any(line.startswith(("# ", "- [", "::")) for line in text.splitlines())


# --- pre-commit -----------------------------------------------------------------------------------
def test_pre_commit_hook_runs_the_staged_review(tmp_path: Path) -> None:
    """The hook's entry, run as pre-commit runs it (repository root, no filenames)."""
    hooks = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text()
    assert re.search(r"^- id: secreview$", hooks, re.M)
    assert re.search(r"^  language: python$", hooks, re.M)
    assert re.search(r"^  pass_filenames: false$", hooks, re.M)
    entry = re.search(r"^  entry: (.+)$", hooks, re.M).group(1).split()
    assert entry[:3] == ["secreview", "review", "--staged"]
    repo = flask_repo(tmp_path)
    repo.write("app/shell.py", SHELL_UNSAFE)
    repo.git("add", "app/shell.py")
    command = [sys.executable, "-m", "secreview", *entry[1:], "--no-cache"]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("Reviewed 1 file staged for commit.")
    assert "app/shell.py:5" in done.stdout
    repo.commit("accept")
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "Reviewed 0 files staged" in done.stdout


def test_fixes_apply_rebases_lines() -> None:
    replacement = Replacement(Location("m.py", 2, 10, 2, 14), "safe_load")
    assert apply("a = 1\nb = yaml.load(x)\n", (replacement,)) == "a = 1\nb = yaml.safe_load(x)\n"
    assert apply("b = yaml.load(x)", (replacement,), first_line=2) == "b = yaml.safe_load(x)"
