"""The README says only what secreview does: every `$ secreview ...` excerpt is the output of
that command run here, every number it states about the example, the options' defaults and
the code's limits is read from the README and compared with the real thing, and the Ray
figures are those of the recorded benchmark run (issue 19, point 11).

Whoever changes what secreview reports (the taint engine's rewrite will) sees this fail and
updates the README from a real run. The speed figures measured on nova and neutron come from
`benchmarks/review_speed.py` on corpora downloaded from PyPI and are not checked here.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from secreview import cache, executors, progress
from secreview.cli import build_parser, main
from secreview.config import DEFAULT_MAX_FILE_SIZE
from secreview.python import parse
from secreview.reports.text import summary

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
SEEDS = REPO.parent / "shared" / "seeds"
if not SEEDS.is_dir():
    SEEDS = Path("/work/shared/seeds")
ELISION = re.compile(r"^\[\.\.\. (?P<what>.*) \.\.\.\]$")
WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "half": 0.5,
}  # fmt: skip


def blocks() -> Iterator[list[str]]:
    """The lines of every fenced block without an info string (command output)."""
    current: list[str] | None = None
    fence = ""
    for line in README.split("\n"):
        if current is None:
            if line.startswith("```"):
                fence = line[: len(line) - len(line.lstrip("`"))]
                # a block with an info string (```bash) is code, not output: skipped
                current = [] if line == fence else ["\0skip"]
        elif line == fence:
            if current[:1] != ["\0skip"]:
                yield current
            current = None
        else:
            current.append(line)


def excerpts() -> Iterator[tuple[str, list[str]]]:
    """(command, lines shown) for every block line that starts with `$ secreview`."""
    for lines in blocks():
        command_lines = [n for n, line in enumerate(lines) if line.startswith("$ secreview ")]
        for position, start in enumerate(command_lines):
            end = command_lines[position + 1] if position + 1 < len(command_lines) else len(lines)
            shown = lines[start + 1 : end]
            while shown and not shown[-1]:
                shown.pop()
            yield lines[start][2:], shown


EXCERPTS = list(excerpts())


def checkout(tmp_path: Path) -> Path:
    """What the README's commands run in: the repository's top in a git checkout. A copy of
    the examples and the config in a work tree of its own, so the review root (and so every
    path shown) is the same whether this tree is a clone or a copy without `.git`, as CI's
    is, and no store is written into the repository."""
    top = tmp_path / "checkout"
    (top / ".git").mkdir(parents=True)
    shutil.copytree(REPO / "examples", top / "examples")
    shutil.copy(REPO / "pyproject.toml", top)
    return top


def run(
    command: str, capsys: pytest.CaptureFixture[str], monkeypatch, tmp_path: Path
) -> tuple[int, str]:
    argv = command.split()[1:]
    if argv[0] == "audit":
        if not SEEDS.is_dir():
            pytest.skip("the audit seeds are in ../shared/seeds")
        monkeypatch.chdir(SEEDS)
    else:
        monkeypatch.chdir(checkout(tmp_path))
    code = main(argv)
    return code, capsys.readouterr().out


def matches(shown: list[str], actual: list[str]) -> str:
    """Why `shown` (with `[... what ...]` elisions) is not an abridgement of `actual`, or "".
    Shown lines are real lines, in order, the first and last ones at the ends; an elision
    of `blocks A-B` (or `claims A-B`) stands for exactly those numbered blocks."""
    segments: list[list[str]] = [[]]
    elided: list[str] = []
    for line in shown:
        elision = ELISION.match(line)
        if elision:
            elided.append(elision.group("what"))
            segments.append([])
        else:
            segments[-1].append(line)
    position = 0
    for number, segment in enumerate(segments):
        if not segment:
            continue
        found = next(
            (
                start
                for start in range(position, len(actual) - len(segment) + 1)
                if actual[start : start + len(segment)] == segment
            ),
            None,
        )
        if found is None or (number == 0 and found != 0):
            return f"these lines are not in the output, in this order: {segment[:3]}..."
        if number > 0:
            skipped = actual[position:found]
            problem = _elision(elided[number - 1], skipped)
            if problem:
                return problem
        position = found + len(segment)
    if (not elided or segments[-1]) and position != len(actual):
        return f"the output goes on after the excerpt: {actual[position : position + 3]}"
    return ""


def _elision(what: str, skipped: list[str]) -> str:
    numbered = re.match(r"(blocks|claims) (\d+)-(\d+)", what)
    if numbered is None:
        return ""
    first, last = int(numbered.group(2)), int(numbered.group(3))
    heading = r"^(\d+)\. " if numbered.group(1) == "blocks" else r"^  (\d+)\. "
    seen = [int(m.group(1)) for line in skipped if (m := re.match(heading, line))]
    if seen != list(range(first, last + 1)):
        return f"'[... {what} ...]' stands for {numbered.group(1)} {seen} of the real output"
    return ""


def test_the_readme_has_excerpts_to_check() -> None:
    commands = [command for command, _ in EXCERPTS]
    assert "secreview review examples/vulnerable_app" in commands
    assert "secreview rules" in commands


@pytest.mark.parametrize("command, shown", EXCERPTS, ids=[c for c, _ in EXCERPTS])
def test_each_excerpt_is_what_the_command_prints(
    command: str, shown: list[str], capsys, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    _, out = run(command, capsys, monkeypatch, tmp_path)
    problem = matches(shown, out.rstrip("\n").split("\n"))
    assert not problem, f"README excerpt of `{command}`: {problem}"


def test_the_prose_about_the_example_is_its_review(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.chdir(checkout(tmp_path))
    main(["review", "examples/vulnerable_app", "--format", "json", "--no-cache"])
    from secreview.model import Finding, Location, Review, Stats

    report = json.loads(capsys.readouterr().out)
    count = len(report["findings"])
    words = re.search(r"abridged to its first line, one of its (\w+) blocks", README)
    assert words and WORDS.get(words.group(1)) == count, "README: 'one of its N blocks'"
    stats = report["stats"]
    review = Review(
        findings=tuple(
            Finding(f["rule_id"], f["cwe"], "", "", f["severity"], "high", Location("", 1))
            for f in report["findings"]
        ),
        stats=Stats(files=stats["files"], lines=stats["lines"], failed=stats["failed"]),
    )
    shown = re.search(r"for the example `(Summary: [^`]*)`", " ".join(README.split()))
    assert shown and shown.group(1) == summary(review), "README: the example's summary line"


def test_the_examples_readme_lists_what_the_example_reports(capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.chdir(checkout(tmp_path))
    main(["review", "examples/vulnerable_app", "--format", "json", "--no-cache"])
    reported = sorted(f["cwe"] for f in json.loads(capsys.readouterr().out)["findings"])
    table = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    listed = sorted(int(n) for n in re.findall(r"^  \| [^|]*\(CWE-(\d+)\) \|", table, re.M))
    assert listed == reported, "examples/README.md: the table of what secreview reports"


# --- numbers the README states about the code ----------------------------------------------
def _number(pattern: str) -> float:
    match = re.search(pattern, " ".join(README.split()))
    assert match, f"README no longer says /{pattern}/: update this test with it"
    text = match.group(1).replace(",", "")
    return float(WORDS.get(text, text))


@pytest.mark.parametrize(
    "pattern, value",
    [
        (r"batches of up to (\d+) files", executors.RAY_MAX_BATCH),
        (r"(\d+) tasks a CPU", executors.RAY_BATCHES_PER_CPU),
        (r"Entries unused for (\d+) days are dropped", cache.KEEP_UNUSED_DAYS),
        (r"once a review has taken (\w+) seconds", progress.DELAY),
        (r"by its first ([\d,]+) elements", parse.KEEP_ITEMS),
        (r"in a file over (\d+) MB\)", parse.BIG_SOURCE / 1_000_000),
        (r"max-file-size = (\d+)", DEFAULT_MAX_FILE_SIZE),
        (r"they notice within (half) a second", executors.WATCH_PARENT_SECONDS),
        (r"recursion is cut after (\d+) recomputations", None),
    ],
)
def test_each_number_about_the_code_is_the_code_s(pattern: str, value: float | None) -> None:
    if value is None:  # the engine's, read where it is defined
        from secreview.python.taint import solve

        value = solve.MAX_RECOMPUTE
    stated = _number(pattern)
    assert stated == value, f"README says {stated} for /{pattern}/, the code {value}"


def test_the_option_defaults_are_the_parser_s() -> None:
    review = next(
        action.container
        for action in build_parser()._subparsers._group_actions[0].choices["review"]._actions
        if action.dest == "llm"
    )
    defaults = {a.option_strings[0]: a.default for a in review._actions if a.option_strings}
    table = {
        "--llm-concurrency": r"`--llm-concurrency N` \| requests in flight at once \((\d+)\)",
        "--llm-timeout": r"`--llm-retries N` \| seconds per request \((\d+)\)",
        "--llm-retries": r"backoff and the server's `Retry-After` \((\d+)\)",
        "--llm-chunk-lines": r"`--llm-chunk-lines N` \| a file longer than N lines \((\d+)\)",
        "--llm-max-tokens": r"`--llm-max-tokens N` \| answer length limit \((\d+)\)",
    }
    for option, pattern in table.items():
        assert _number(pattern) == defaults[option], f"README default of {option}"


def test_the_ray_figures_are_the_recorded_run_s() -> None:
    recorded = json.loads((REPO / "benchmarks" / "results" / "ray_crossover.json").read_text())
    fit = recorded["fit"]
    text = " ".join(README.split())
    said = re.search(
        r"Ray took ([\d.]+) s to start, ([\d.]+) ms of a CPU a task and ([\d.]+) ms a MB sent, "
        r"where the analysis took ([\d.]+) ms of CPU for a file of ([\d.]+) KB\. At those costs "
        r"a cluster of 2 such machines finishes sooner than one from about ([\d,]+) such files, "
        r"of 4 from about ([\d,]+), of 8 from about ([\d,]+)",
        text,
    )
    assert said, "README: the Ray paragraph's figures"
    crossover = fit["crossover_files"]["references"]
    assert [float(g.replace(",", "")) for g in said.groups()] == [
        fit["startup_s"],
        fit["per_task_ms"],
        fit["per_mb_ms"],
        fit["per_file_ms"],
        fit["file_kb"],
        crossover["2"],
        crossover["4"],
        crossover["8"],
    ]
    assert f"on a shared {recorded['cpus']}-CPU machine" in text


def test_the_matcher_can_fail() -> None:
    actual = ["head", "", "1. a", "x", "", "2. b", "", "3. c", "y"]
    assert not matches(["head", "", "[... blocks 1-2 ...]", "", "3. c", "y"], actual)
    assert matches(["head", "", "[... blocks 1-3 ...]", "", "3. c", "y"], actual)
    assert matches(["head", "", "1. a", "z"], actual)
    assert matches(["head"], actual)  # the rest of the output is not elided
