"""The engine conformance suite: small programs, one engine behaviour each, checked both ways.

`tests/conformance/<point>/` holds the programs for one point of what the engine must get
right (control flow, values, checks, types, objects, functions, what attacker data cannot
be, severity in context, one path per trace). A program is one `.py` file, or a folder of
modules reviewed together. Its lines carry annotations:

- `# expect: RULE[, RULE]`: a finding of RULE starts on this line;
- `# ok: RULE[, RULE]`: a look-alike RULE must not report;
- `# severity: LEVEL` / `# confidence: LEVEL` (with `expect`): the finding has this severity
  or confidence;
- `# step: RULE`: this line is a step of the trace of the RULE finding(s) of the program;
- `# not-step: RULE`: no RULE finding's trace passes through this line.

Every rule a program names is exhaustive there: a finding of it on a line not marked
`expect` fails the program. The programs are reviewed as a user reviews a project (the
program's folder is the review root, test code excluded), so a module that only seeds demo
data can be left out as test code.

A point's `known_gaps.txt` lists programs of it the engine does not pass yet (`name  # reason`);
they run as strict expected failures, so one that starts passing must leave the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.model import CONFIDENCES, SEVERITIES, Finding
from secreview.pipeline import run_review
from secreview.rules import all_rules

SUITE = Path(__file__).parent / "conformance"
_IDS = r"([a-z0-9][a-z0-9-]*(?:\s*,\s*[a-z0-9][a-z0-9-]*)*)"
RULE_MARK = re.compile(r"#\s*(expect|ok|step|not-step)\s*:\s*" + _IDS)
LEVEL_MARK = re.compile(r"#\s*(severity|confidence)\s*:\s*([a-z]+)")
POINTS = (
    "1-control-flow",
    "2-values",
    "3-checks",
    "4-types",
    "5-objects",
    "6-functions",
    "7-not-attacker-data",
    "8-severity-in-context",
    "9-one-path-per-trace",
)
MIN_PROGRAMS = 10

Mark = tuple[str, int, str]  # file relative to the program, line, rule id


@dataclass
class Program:
    path: Path
    files: list[Path]
    marks: dict[str, set[Mark]] = field(default_factory=dict)
    levels: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.path.relative_to(SUITE).as_posix()

    @property
    def root(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent

    def relative(self, file: Path) -> str:
        return file.relative_to(self.root).as_posix()

    def of(self, kind: str) -> set[Mark]:
        return self.marks.get(kind, set())


def _parse(program: Program) -> Program:
    for file in program.files:
        name = program.relative(file)
        for number, text in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            for kind, ids in RULE_MARK.findall(text):
                marks = {(name, number, rule.strip()) for rule in ids.split(",")}
                program.marks.setdefault(kind, set()).update(marks)
            for kind, level in LEVEL_MARK.findall(text):
                program.levels.setdefault((name, number), {})[kind] = level
    return program


def discover() -> list[Program]:
    programs: list[Program] = []
    for point in POINTS:
        folder = SUITE / point
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.is_file() and entry.suffix == ".py":
                programs.append(_parse(Program(entry, [entry])))
            elif entry.is_dir() and not entry.name.startswith((".", "__")):
                files = sorted(p for p in entry.rglob("*.py") if "__pycache__" not in p.parts)
                if files:
                    programs.append(_parse(Program(entry, files)))
    return programs


def known_gaps() -> dict[str, str]:
    gaps: dict[str, str] = {}
    for point in POINTS:
        path = SUITE / point / "known_gaps.txt"
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            entry, _, reason = line.partition("#")
            if entry.strip():
                gaps[f"{point}/{entry.strip()}"] = reason.strip()
    return gaps


PROGRAMS = discover()
GAPS = known_gaps()


def _review(program: Program) -> list[Finding]:
    target = program.path
    review = run_review([str(target)], Config(jobs=1), root=str(program.root))
    assert not review.diagnostics, "program could not be analysed: " + "; ".join(
        f"{d.path}: {d.message}" for d in review.diagnostics
    )
    return list(review.findings)


def _mark_of(program: Program, path: str, line: int, rule: str) -> Mark:
    file = (program.root / path).resolve()
    return (file.relative_to(program.root.resolve()).as_posix(), line, rule)


def _param(program: Program) -> object:
    marks = []
    if program.id in GAPS:
        marks.append(pytest.mark.xfail(reason=GAPS[program.id] or "known gap", strict=True))
    return pytest.param(program, id=program.id, marks=marks)


@pytest.mark.parametrize("program", [_param(p) for p in PROGRAMS])
def test_program(program: Program) -> None:
    """Expected findings, with their severity and trace; look-alikes and other lines quiet."""
    findings = _review(program)
    named = {rule for kind in program.marks.values() for _, _, rule in kind}
    found: dict[Mark, Finding] = {}
    for finding in findings:
        mark = _mark_of(program, finding.location.path, finding.location.line, finding.rule_id)
        found[mark] = finding
    problems: list[str] = []
    missing = program.of("expect") - found.keys()
    problems += [f"missing {rule} at {file}:{line}" for file, line, rule in sorted(missing)]
    flagged = program.of("ok") & found.keys()
    problems += [f"reported ok look-alike {r} at {f}:{ln}" for f, ln, r in sorted(flagged)]
    stray = {
        mark
        for mark in found.keys() - program.of("expect")
        if mark[2] in named and mark not in program.of("ok")
    }
    problems += [f"reported {r} at unannotated {f}:{ln}" for f, ln, r in sorted(stray)]
    for (file, line), levels in program.levels.items():
        for (f, ln, rule), finding in found.items():
            if (f, ln) != (file, line):
                continue
            for kind, level in levels.items():
                actual = getattr(finding, kind)
                if actual != level:
                    problems.append(f"{rule} at {f}:{ln} has {kind} {actual}, expected {level}")
    for kind, wanted in (("step", True), ("not-step", False)):
        for file, line, rule in sorted(program.of(kind)):
            traces = [
                {
                    _mark_of(program, s.location.path, s.location.line, rule)[:2]
                    for s in finding.trace
                }
                for (_, _, r), finding in found.items()
                if r == rule
            ]
            on_path = any((file, line) in trace for trace in traces)
            if wanted and not on_path:
                problems.append(f"no {rule} trace passes {file}:{line}")
            if not wanted and on_path:
                problems.append(f"a {rule} trace passes {file}:{line}, which it must not")
    assert not problems, f"{program.id}:\n  " + "\n  ".join(problems)


def test_suite_shape() -> None:
    """Each point has at least ten programs, each marked both ways; marks name real rules."""
    rules = set(all_rules())
    short: list[str] = []
    for point in POINTS:
        programs = [p for p in PROGRAMS if p.id.startswith(point + "/")]
        if len(programs) < MIN_PROGRAMS:
            short.append(f"{point}: {len(programs)} programs")
        for program in programs:
            if not program.of("expect") or not program.of("ok"):
                short.append(f"{program.id}: needs both an expect and an ok mark")
            unknown = {r for kind in program.marks.values() for *_, r in kind} - rules
            if unknown:
                short.append(f"{program.id}: unknown rules {sorted(unknown)}")
            for levels in program.levels.values():
                for kind, level in levels.items():
                    allowed = SEVERITIES if kind == "severity" else CONFIDENCES
                    if level not in allowed:
                        short.append(f"{program.id}: {kind} {level!r} is not one of {allowed}")
    stale = set(GAPS) - {p.id for p in PROGRAMS}
    if stale:
        short.append(f"known_gaps.txt names programs that do not exist: {sorted(stale)}")
    assert not short, "\n".join(short)
