"""The data model every stage shares: plain frozen dataclasses, no behaviour beyond helpers.

Lines and columns are 1-based, as editors and SARIF count them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["low", "medium", "high", "critical"]
Confidence = Literal["low", "medium", "high"]
Origin = Literal["engine", "llm"]

SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
CONFIDENCES: tuple[Confidence, ...] = ("low", "medium", "high")


def severity_rank(severity: str) -> int:
    """Order for comparisons: low=0 … critical=3."""
    return SEVERITIES.index(severity)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file to review. `changed_lines` is None when the whole file is in scope."""

    path: str  # relative to the review root, with forward slashes
    text: str
    language: str = "python"
    changed_lines: frozenset[int] | None = None
    root: str = "."  # the review root this path is relative to

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + (0 if self.text.endswith("\n") or not self.text else 1)


@dataclass(frozen=True, slots=True)
class Location:
    path: str
    line: int
    column: int = 1
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def __reduce__(self) -> tuple[type[Location], tuple[object, ...]]:
        # pickled by the hundred thousand between processes: a plain tuple is several times
        # faster than the per-field state that frozen slotted dataclasses use by default
        return (Location, (self.path, self.line, self.column, self.end_line, self.end_column))


@dataclass(frozen=True, slots=True)
class FailingCheck:
    """A check (or a sanitizer) on a data path that looks protective but lets the attack of
    the sink it guards through: what is wrong with it, and an input that passes it.

    `test` is the check's own code as a Python expression, true when `subject` holds a
    value the check lets through (its names folded to the constants they hold; a value the
    review cannot know is `__sym0`, `__sym1`, … and the input holds for any value of it);
    `inputs` are such values, one per sink kind, as Python expressions (`'/srv/files-x/a'`,
    `__sym0 + '/../etc/passwd'`) with `shown` the same with the code's own names."""

    rule: str  # the rule that reports it (`weak-path-containment-check`)
    why: str  # one sentence: what the check misses
    related_cwe: int  # the check's own weakness (184, 187, 1289, 20, …)
    kinds: tuple[str, ...]  # the sink kinds it fails to protect
    fix: str  # the right check for those sinks
    subject: str = ""  # the variable the inputs are values of
    test: str = ""
    inputs: tuple[tuple[str, str, str], ...] = ()  # (sink kind, expression, shown)
    symbols: tuple[str, ...] = ()  # the code `__sym<i>` stands for

    def input_for(self, kind: str) -> tuple[str, str] | None:
        """(expression, shown) of an input that passes the check and attacks `kind`."""
        for own, expression, shown in self.inputs:
            if own == kind:
                return expression, shown
        return None


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One hop of a data path: where, and a short note ("request.args['host'] (source)").
    `check` is set on the step of a check the data passed that does not protect it."""

    location: Location
    note: str
    check: FailingCheck | None = None

    def __reduce__(self) -> tuple[type[TraceStep], tuple[object, ...]]:
        if self.check is None:
            return (TraceStep, (self.location, self.note))  # see Location.__reduce__
        return (TraceStep, (self.location, self.note, self.check))


@dataclass(frozen=True, slots=True)
class Verification:
    """How an LLM claim was checked against the code."""

    status: Literal["corroborated", "grounded", "rejected"]
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Replacement:
    """A mechanical fix: the text from `location` (line/column) to its end_line/end_column
    (exclusive) becomes `text`. Review systems offer it as a one-click suggestion."""

    location: Location
    text: str
    description: str = ""
    original: str = ""  # the full lines it touches, before: lets reviews show them rewritten


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    cwe: int
    title: str
    message: str
    severity: Severity
    confidence: Confidence
    location: Location
    snippet: str = ""
    trace: tuple[TraceStep, ...] = ()
    fix: str = ""
    origin: Origin = "engine"
    verification: Verification | None = None
    fingerprint: str = ""
    scope: str = ""  # enclosing function/class qualified name, for fingerprints
    region: tuple[int, int] | None = None  # first/last line of the flagged statement
    fixes: tuple[Replacement, ...] = ()  # mechanical fix, when the rule has one
    # rules whose findings on this statement were folded into this one (a pattern finding
    # into the data-flow finding of the same CWE); their fixes are in `fixes`
    merged: tuple[str, ...] = ()
    # the weaknesses of a check the finding is about, besides its CWE (a containment check
    # that compares text, CWE-187, on a path-traversal flow, CWE-22)
    related_cwe: tuple[int, ...] = ()

    @property
    def lines(self) -> range:
        """Every line of the flagged statement (for suppressions and diff scoping)."""
        first, last = self.region or (
            self.location.line,
            self.location.end_line or self.location.line,
        )
        return range(first, last + 1)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A file (or input) that could not be analysed fully, and why. The run goes on."""

    path: str
    message: str
    kind: str = "error"  # e.g. syntax, encoding, binary, too-large, unreadable, suppression


@dataclass(frozen=True, slots=True)
class Stats:
    files: int = 0
    lines: int = 0
    failed: int = 0  # files that could not be analysed (each has a Diagnostic)
    seconds: float = 0.0
    suppressed: int = 0
    baselined: int = 0
    extra: tuple[tuple[str, str], ...] = ()
    triaged: int = 0  # hidden by triage decisions (`secreview triage`)


@dataclass(frozen=True, slots=True)
class Review:
    """The result of one run: what every report reads."""

    findings: tuple[Finding, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    stats: Stats = field(default_factory=Stats)
    root: str = "."
    scope_note: str = ""  # what was reviewed, e.g. "3 files changed since origin/master"
    # a diff review's changed lines (path -> line numbers), None for a whole-tree review
    changed_lines: dict[str, frozenset[int]] | None = field(default=None, hash=False)
    # LLM claims that failed verification (origin "llm", verification "rejected" with the
    # reason): listed by the JSON and verbose reports, never counted as findings
    rejected: tuple[Finding, ...] = ()
