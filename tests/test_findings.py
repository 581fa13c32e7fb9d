"""The findings stage: suppression comments, dedupe, diff scoping, fingerprints, order."""

from __future__ import annotations

import random
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from secreview.config import Config
from secreview.findings import parse_suppressions, process
from secreview.model import Finding, Location, TraceStep
from secreview.pipeline import run_review

KNOWN = {"unsafe-yaml-load", "pickle-load", "sql-injection", "command-injection"}


def finding(
    rule: str = "unsafe-yaml-load",
    path: str = "app.py",
    line: int = 1,
    *,
    region: tuple[int, int] | None = None,
    message: str = "bad",
    severity: str = "high",
    column: int = 1,
    trace: tuple[TraceStep, ...] = (),
    fingerprint: str = "",
) -> Finding:
    return Finding(
        rule_id=rule,
        cwe=502,
        title="t",
        message=message,
        severity=severity,  # type: ignore[arg-type]
        confidence="high",
        location=Location(path, line, column),
        trace=trace,
        fingerprint=fingerprint or f"{rule}-{path}-{line}-{column}-{message}",
        region=region,
    )


def step(path: str, line: int, note: str = "step") -> TraceStep:
    return TraceStep(Location(path, line), note)


# --- parse_suppressions ----------------------------------------------------------------------
def test_rule_ids_in_brackets() -> None:
    text = "x = f()  # secreview: ignore[unsafe-yaml-load, pickle-load]\n"
    assert parse_suppressions(text, nosec=False) == {
        1: frozenset({"unsafe-yaml-load", "pickle-load"})
    }


def test_bare_ignore_means_every_rule() -> None:
    assert parse_suppressions("x = f()  # secreview: ignore\n", nosec=False) == {1: None}
    assert parse_suppressions("x = f()  #secreview:ignore  -- reviewed\n", nosec=False) == {1: None}


def test_directive_after_another_tools_comment() -> None:
    text = "x = f()  # noqa: S506  # secreview: ignore[unsafe-yaml-load]\n"
    assert parse_suppressions(text, nosec=False) == {1: frozenset({"unsafe-yaml-load"})}


def test_text_inside_strings_is_not_a_comment() -> None:
    text = textwrap.dedent(
        '''\
        a = "# secreview: ignore"
        b = f"{a} # secreview: ignore[pickle-load]"
        c = """
        # secreview: ignore
        """
        d = 1  # an ordinary comment
        '''
    )
    assert parse_suppressions(text, nosec=True) == {}


def test_similar_words_are_not_directives() -> None:
    text = "x = 1  # secreview: ignored\ny = 2  # secreview: ignore-next-line\n"
    assert parse_suppressions(text, nosec=False) == {}


def test_empty_brackets_suppress_nothing() -> None:
    assert parse_suppressions("x = 1  # secreview: ignore[]\n", nosec=False) == {1: frozenset()}


def test_unclosed_bracket_still_names_rules() -> None:
    """A typo must not widen `ignore[rule` into "ignore everything"."""
    text = "x = 1  # secreview: ignore[pickle-load\n"
    assert parse_suppressions(text, nosec=False) == {1: frozenset({"pickle-load"})}


def test_nosec_only_with_the_flag() -> None:
    text = "a = f()  # nosec\nb = g()  # nosec B602, B607\nc = h()  # nosecurity\n"
    assert parse_suppressions(text, nosec=False) == {}
    assert parse_suppressions(text, nosec=True) == {1: None, 2: None}


def test_comment_inside_a_multi_line_statement_keeps_its_own_line() -> None:
    text = "x = call(\n    a,\n    b,  # secreview: ignore[pickle-load]\n)\n"
    assert parse_suppressions(text, nosec=False) == {3: frozenset({"pickle-load"})}


def test_untokenizable_text_falls_back_to_lines() -> None:
    text = 'x = 1  # secreview: ignore[pickle-load]\ns = """never closed\ny = 2\n'
    result = parse_suppressions(text, nosec=False)
    assert result[1] == frozenset({"pickle-load"})


def test_two_directives_on_one_line_merge() -> None:
    text = "x = 1  # secreview: ignore[pickle-load]  # secreview: ignore[sql-injection]\n"
    assert parse_suppressions(text, nosec=False) == {1: frozenset({"pickle-load", "sql-injection"})}


# --- process: suppressions ------------------------------------------------------------------
def test_suppression_on_any_line_of_the_statement() -> None:
    flagged = finding(line=1, region=(1, 3))
    for line in (1, 2, 3):
        kept, suppressed, notes = process(
            [flagged], {"app.py": {line: frozenset({"unsafe-yaml-load"})}}, known_rules=KNOWN
        )
        assert (kept, suppressed, notes) == ([], 1, [])
    kept, suppressed, _ = process(
        [flagged], {"app.py": {4: frozenset({"unsafe-yaml-load"})}}, known_rules=KNOWN
    )
    assert kept == [flagged] and suppressed == 0


def test_suppression_names_the_rule_it_silences() -> None:
    yaml_finding = finding("unsafe-yaml-load", line=5)
    pickle_finding = finding("pickle-load", line=5, message="other")
    kept, suppressed, _ = process(
        [yaml_finding, pickle_finding],
        {"app.py": {5: frozenset({"pickle-load"})}},
        known_rules=KNOWN,
    )
    assert kept == [yaml_finding] and suppressed == 1


def test_bare_suppression_silences_every_rule_but_only_in_its_file() -> None:
    here = [finding("unsafe-yaml-load", line=2), finding("pickle-load", line=2, message="m")]
    elsewhere = finding("pickle-load", path="other.py", line=2)
    kept, suppressed, _ = process([*here, elsewhere], {"app.py": {2: None}}, known_rules=KNOWN)
    assert kept == [elsewhere] and suppressed == 2


def test_unknown_rule_id_is_reported() -> None:
    kept, _, notes = process(
        [finding(line=3)],
        {"app.py": {3: frozenset({"unsafe-yaml-lod", "no-such-rule"})}},
        known_rules=KNOWN,
    )
    assert len(kept) == 1
    assert [(n.path, n.kind) for n in notes] == [("app.py", "suppression")] * 2
    messages = [n.message for n in notes]
    assert messages[0] == "line 3: unknown rule id 'no-such-rule' in suppression comment"
    assert messages[1].startswith("line 3: unknown rule id 'unsafe-yaml-lod' in suppression")
    assert "did you mean 'unsafe-yaml-load'" in messages[1]


def test_empty_rule_list_is_reported() -> None:
    _, _, notes = process([], {"app.py": {7: frozenset()}}, known_rules=KNOWN)
    assert len(notes) == 1 and notes[0].message.startswith("line 7: empty rule list")


# --- process: dedupe ------------------------------------------------------------------------
def test_duplicates_collapse_to_the_longest_trace() -> None:
    short = finding(trace=(step("app.py", 1),), fingerprint="a")
    long = finding(trace=(step("web.py", 4), step("app.py", 1)), fingerprint="b")
    for order in ([short, long], [long, short]):
        kept, _, _ = process(order, {}, known_rules=KNOWN)
        assert kept == [long]


def test_dedupe_keeps_different_messages_lines_and_rules() -> None:
    items = [
        finding(line=1),
        finding(line=1, message="another"),
        finding(line=2),
        finding("pickle-load", line=1),
    ]
    kept, _, _ = process(items, {}, known_rules=KNOWN)
    assert len(kept) == 4


def test_dedupe_tie_does_not_depend_on_input_order() -> None:
    a = finding(column=9, fingerprint="x")
    b = finding(column=5, fingerprint="y")
    assert process([a, b], {}, known_rules=KNOWN)[0] == [b]
    assert process([b, a], {}, known_rules=KNOWN)[0] == [b]


# --- process: diff scoping ------------------------------------------------------------------
def test_diff_scoping_by_statement_and_trace_lines() -> None:
    on_changed = finding(line=10)
    statement_touches = finding("pickle-load", line=20, region=(20, 22))
    trace_touches = finding(
        "command-injection", "shell.py", 5, trace=(step("app.py", 30), step("shell.py", 5))
    )
    untouched = finding("sql-injection", line=40, trace=(step("app.py", 41),))
    unchanged_file = finding(path="other.py", line=10)
    kept, _, _ = process(
        [on_changed, statement_touches, trace_touches, untouched, unchanged_file],
        {},
        known_rules=KNOWN,
        changed={"app.py": frozenset({10, 22, 30})},
    )
    assert set(kept) == {on_changed, statement_touches, trace_touches}


def test_without_diff_every_finding_is_in_scope() -> None:
    items = [finding(line=n) for n in (1, 2, 3)]
    assert len(process(items, {}, known_rules=KNOWN, changed=None)[0]) == 3
    assert process(items, {}, known_rules=KNOWN, changed={})[0] == []


def test_diff_review_reports_unknown_ids_only_on_changed_lines() -> None:
    comments = {"app.py": {3: frozenset({"nope"}), 9: frozenset({"nope"})}}
    _, _, notes = process([], comments, known_rules=KNOWN, changed={"app.py": frozenset({9})})
    assert [n.message.split(":")[0] for n in notes] == ["line 9"]


# --- process: fingerprints and order ----------------------------------------------------------
def test_identical_fingerprints_get_numbered_in_location_order() -> None:
    items = [finding(line=n, message=f"m{n}", fingerprint="same") for n in (30, 10, 20)] + [
        finding("pickle-load", line=5, fingerprint="other")
    ]
    random.Random(4).shuffle(items)
    kept, _, _ = process(items, {}, known_rules=KNOWN)
    by_line = {f.location.line: f.fingerprint for f in kept}
    assert by_line == {10: "same", 20: "same:2", 30: "same:3", 5: "other"}


def test_numbering_does_not_depend_on_diff_scope() -> None:
    items = [finding(line=n, message=f"m{n}", fingerprint="same") for n in (10, 20)]
    kept, _, _ = process(items, {}, known_rules=KNOWN, changed={"app.py": frozenset({20})})
    assert [f.fingerprint for f in kept] == ["same:2"]


def test_sorted_by_severity_then_path_then_line() -> None:
    items = [
        finding("pickle-load", "b.py", 1, severity="medium"),
        finding("sql-injection", "b.py", 9, severity="critical"),
        finding("unsafe-yaml-load", "a.py", 5, severity="medium"),
        finding("command-injection", "a.py", 7, severity="critical"),
        finding("pickle-load", "a.py", 5, severity="medium"),
    ]
    kept, _, _ = process(items, {}, known_rules=KNOWN)
    assert [(f.severity, f.location.path, f.location.line, f.rule_id) for f in kept] == [
        ("critical", "a.py", 7, "command-injection"),
        ("critical", "b.py", 9, "sql-injection"),
        ("medium", "a.py", 5, "pickle-load"),
        ("medium", "a.py", 5, "unsafe-yaml-load"),
        ("medium", "b.py", 1, "pickle-load"),
    ]


# --- end to end with a real rule ------------------------------------------------------------
CALL_OVER_THREE_LINES = """\
import yaml


def load(path):
    return yaml.load(
        open(path),
        Loader=yaml.Loader,{comment}
    )
"""


@pytest.fixture
def review_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def run(source: str, **config: object):
        (tmp_path / "mod.py").write_text(source, encoding="utf-8")
        return run_review(["mod.py"], Config(**config))  # type: ignore[arg-type]

    return run


def test_real_finding_without_comment(review_text) -> None:
    review = review_text(CALL_OVER_THREE_LINES.format(comment=""))
    assert [f.rule_id for f in review.findings] == ["unsafe-yaml-load"]
    assert review.findings[0].location.line == 5
    assert review.stats.suppressed == 0


def test_real_multi_line_call_suppressed_on_its_last_line(review_text) -> None:
    source = CALL_OVER_THREE_LINES.format(comment="  # secreview: ignore[unsafe-yaml-load]")
    review = review_text(source)
    assert review.findings == ()
    assert review.stats.suppressed == 1
    assert review.diagnostics == ()


def test_real_suppression_for_another_rule_does_not_apply(review_text) -> None:
    review = review_text(CALL_OVER_THREE_LINES.format(comment="  # secreview: ignore[pickle-load]"))
    assert [f.rule_id for f in review.findings] == ["unsafe-yaml-load"]


def test_real_unknown_id_reaches_the_review(review_text) -> None:
    review = review_text(CALL_OVER_THREE_LINES.format(comment="  # secreview: ignore[yaml]"))
    assert [f.rule_id for f in review.findings] == ["unsafe-yaml-load"]
    assert [(d.path, d.kind) for d in review.diagnostics] == [("mod.py", "suppression")]
    assert "line 7: unknown rule id 'yaml'" in review.diagnostics[0].message


def test_real_nosec_needs_the_setting(review_text) -> None:
    source = "import yaml\nyaml.load(open('x'))  # nosec B506\n"
    assert len(review_text(source).findings) == 1
    assert review_text(source, nosec=True).findings == ()


def test_real_directive_in_a_string_is_not_honoured(review_text) -> None:
    source = "import yaml\nyaml.load(open('notes.yaml  # secreview: ignore'))\n"
    assert [f.rule_id for f in review_text(source).findings] == ["unsafe-yaml-load"]


# --- one defect, one finding: the data-flow finding wins over the pattern on its statement ---
def test_pattern_finding_yields_to_a_flow_of_the_same_cwe_on_the_same_statement() -> None:
    step = TraceStep(Location("app.py", 2), "request.data (source)")
    flow = finding("unsafe-deserialization", line=5, trace=(step,), region=(5, 7))
    pattern = finding("pickle-load", line=6, region=(6, 6))
    elsewhere = finding("pickle-load", line=9)
    kept, _, _ = process([pattern, flow, elsewhere], {}, known_rules=KNOWN)
    assert [(f.rule_id, f.location.line) for f in kept] == [
        ("unsafe-deserialization", 5),
        ("pickle-load", 9),
    ]


def test_pattern_finding_of_another_cwe_stays() -> None:
    step = TraceStep(Location("app.py", 2), "request.data (source)")
    flow = finding("unsafe-deserialization", line=5, trace=(step,))
    other = replace(finding("shell-true-non-constant", line=5), cwe=78)
    kept, _, _ = process([flow, other], {}, known_rules=KNOWN)
    assert sorted(f.rule_id for f in kept) == ["shell-true-non-constant", "unsafe-deserialization"]


def test_real_taint_and_pattern_rule_report_one_command_injection(review_text) -> None:
    source = (
        "import subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n\n"
        "@app.route('/ping')\ndef ping():\n"
        "    host = request.args['host']\n"
        "    return subprocess.run('ping ' + host, shell=True).returncode\n"
    )
    review = review_text(source)
    assert [(f.rule_id, f.location.line) for f in review.findings] == [("command-injection", 8)]


def test_form_feed_does_not_shift_lines(review_text) -> None:
    """Python counts only \\n (after normalisation) as a line end; `\\f` is whitespace."""
    review = review_text("import yaml\n\f\ndef f(s):\n    x = 1 \f\n    return yaml.load(s)\n")
    (only,) = review.findings
    assert only.location.line == 5
    assert "yaml.load(s)" in only.snippet


def test_nested_sinks_of_one_statement_are_one_flow_finding() -> None:
    step = TraceStep(Location("app.py", 2), "request.data (source)")
    outer = finding("code-injection", line=5, column=5, trace=(step,), message="reaches exec")
    inner = finding("code-injection", line=5, column=10, trace=(step,), message="reaches compile")
    kept, _, _ = process([inner, outer], {}, known_rules=KNOWN | {"code-injection"})
    assert [(f.rule_id, f.location.column) for f in kept] == [("code-injection", 5)]
