"""Every report format, on hand-built reviews: what each must show, and what must not break it.

The reviews are made of the shared sample findings (_samples.py), whose paths break URIs and
Markdown tables unless a report takes care.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from _samples import COMMAND, LOG, ODD, SECRET, SPACED, YAML
from markdown_it import MarkdownIt

from secreview import __version__, cwe
from secreview.model import (
    Diagnostic,
    Finding,
    Location,
    Review,
    Stats,
)
from secreview.reports import FORMATS, render

REPO = Path(__file__).resolve().parents[1]
NO_DEFECTS = "No security defects are detected in the code."


def _schema_path() -> Path:
    near = Path(__file__).resolve().parents[2] / "shared/schemas/sarif-schema-2.1.0.json"
    return near if near.is_file() else Path("/work/shared/schemas/sarif-schema-2.1.0.json")


DIAGNOSTICS = (
    Diagnostic("broken.py", "invalid syntax at line 3", "syntax"),
    Diagnostic("data/blob.py", "the file looks binary; skipped", "binary"),
)
STATS = Stats(files=12, lines=1234, seconds=0.5, suppressed=2, baselined=0)


@pytest.fixture
def review(tmp_path: Path) -> Review:
    """Findings given out of report order, so ordering is the reports' job here."""
    return Review(
        findings=(LOG, SECRET, YAML, COMMAND),
        diagnostics=DIAGNOSTICS,
        stats=STATS,
        root=str(tmp_path / "project root"),
    )


EMPTY = Review(stats=Stats(files=3, lines=40))


# --- registry --------------------------------------------------------------------------------
def test_formats_registry() -> None:
    assert list(FORMATS)[:5] == ["text", "json", "sarif", "markdown", "html"]
    assert all(callable(FORMATS[name]) for name in FORMATS)
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        render(EMPTY, "xml")


def test_format_modules_load_only_when_asked_for() -> None:
    code = (
        "import sys\n"
        "from secreview.model import Review\n"
        "from secreview.reports import render\n"
        "render(Review(), 'text')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('secreview.reports.'))\n"
        "print(','.join(loaded))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.strip()
    assert out.split(",") == ["secreview.reports._common", "secreview.reports.text"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_ends_with_a_newline_and_is_deterministic(review: Review, fmt: str) -> None:
    first = render(review, fmt)
    assert first.endswith("\n") and first == render(review, fmt)


# --- text ------------------------------------------------------------------------------------
def test_text_blocks(review: Review) -> None:
    out = render(review, "text")
    lines = out.splitlines()
    assert lines[0] == "secreview found 4 security defects in 12 files (1,234 lines)."
    headings = [line for line in lines if re.match(r"\d+\. ", line)]
    assert headings == [
        f"1. {cwe.name(78)} (CWE-78)",
        f"2. {cwe.name(502)} (CWE-502)",
        f"3. {cwe.name(798)} (CWE-798)",
        f"4. {cwe.name(117)} (CWE-117)",
    ]
    assert "   app/shell.py:14  severity: critical  confidence: high  [command-injection]" in lines
    assert f"   {SPACED}:3  severity: high  confidence: high  [unsafe-yaml-load]" in lines
    assert "[llm-hardcoded-credentials, LLM review: corroborated]" in out
    assert "   Fix: Pass an argument list without a shell." in lines
    assert "\x1b" not in out  # no colour codes


def test_text_trace_only_for_traced_findings(review: Review) -> None:
    out = render(review, "text")
    blocks = out.split("\n\n")
    command = next(b for b in blocks if "[command-injection]" in b)
    assert command.splitlines()[3:7] == [
        "   Trace:",
        "     1. app/views.py:10  request.form['host'] (source)",
        "     2. app/views.py:11  passed to ping(host)",
        "     3. app/shell.py:14  subprocess.run(cmd) (sink)",
    ]
    yaml_block = next(b for b in blocks if "[unsafe-yaml-load]" in b)
    assert "Trace:" not in yaml_block


def test_text_does_not_restate_code_unless_verbose(review: Review) -> None:
    assert "config = yaml.load(stream" not in render(review, "text")
    verbose = render(review, "text", verbose=True)
    assert "   Code: config = yaml.load(stream, Loader=yaml.Loader)" in verbose
    assert "   Fingerprint: fp-yaml" in verbose
    assert "   Verified: corroborated (the literal is on line 7)" in verbose
    assert "Reviewed 12 files (1,234 lines) in 0.50 s." in verbose


def test_text_diagnostics_and_suppressed_count(review: Review) -> None:
    lines = render(review, "text").splitlines()
    start = lines.index("Diagnostics:")
    assert lines[start + 1 : start + 3] == [
        "  broken.py: invalid syntax at line 3",
        "  data/blob.py: the file looks binary; skipped",
    ]
    assert lines[-3:] == [
        "Not shown: 2 findings suppressed by comments.",
        "",
        "Summary: 4 findings (1 critical, 1 high, 1 medium, 1 low) in 12 files reviewed "
        "(1,234 lines).",
    ]


def test_text_clean_review_is_exactly_the_verdict() -> None:
    assert render(EMPTY, "text") == NO_DEFECTS + "\n"


def test_text_clean_review_still_lists_diagnostics_and_scope() -> None:
    review = Review(diagnostics=DIAGNOSTICS[:1], scope_note="2 files changed since origin/main")
    lines = render(review, "text").splitlines()
    assert lines[:2] == [NO_DEFECTS, "Scope: 2 files changed since origin/main."]
    assert "  broken.py: invalid syntax at line 3" in lines


def test_text_singular_counts_and_wrapping() -> None:
    # plain wrapping would break after "`a sink" (column 95 of 100)
    long_message = "word " * 17 + "`a sink call(x, y)` " + "and more words " * 10
    finding = Finding(
        "command-injection", 78, "t", long_message, "high", "high", Location("a.py", 1)
    )
    out = render(Review(findings=(finding,), stats=Stats(files=1, lines=1)), "text")
    assert out.splitlines()[0] == "secreview found 1 security defect in 1 file (1 line)."
    message_lines = out.splitlines()[4:7]
    assert all(line.startswith("   word") or line.startswith("   `") for line in message_lines[:2])
    assert all(len(line) <= 100 for line in message_lines)
    assert "   `a sink call(x, y)` and more" in out  # a code span is never split over two lines


# --- json ------------------------------------------------------------------------------------
FINDING_KEYS = [
    "rule_id",
    "cwe",
    "cwe_name",
    "title",
    "message",
    "severity",
    "confidence",
    "location",
    "snippet",
    "trace",
    "fix",
    "fixes",
    "merged",
    "related_cwe",
    "origin",
    "verification",
    "fingerprint",
]
LOCATION_KEYS = ["path", "line", "column", "end_line", "end_column"]


def test_json_shape(review: Review) -> None:
    text = render(review, "json")
    assert text.isascii()  # non-ASCII escaped: safe through any pipe or console
    report = json.loads(text)
    assert list(report) == [
        "version",
        "tool",
        "root",
        "scope_note",
        "findings",
        "diagnostics",
        "stats",
    ]
    assert report["version"] == "1.0"
    assert report["tool"] == {"name": "secreview", "version": __version__}
    assert report["root"] == review.root
    assert report["stats"] == {
        "files": 12,
        "lines": 1234,
        "failed": 0,
        "seconds": 0.5,
        "suppressed": 2,
        "baselined": 0,
        "triaged": 0,
    }
    assert report["diagnostics"][0] == {
        "path": "broken.py",
        "message": "invalid syntax at line 3",
        "kind": "syntax",
    }
    for item in report["findings"]:
        assert list(item) == FINDING_KEYS
        assert list(item["location"]) == LOCATION_KEYS
        assert isinstance(item["cwe"], int) and not isinstance(item["cwe"], bool)
        assert item["cwe_name"] == cwe.name(item["cwe"])
        for key in ("rule_id", "title", "message", "snippet", "fix", "fingerprint"):
            assert isinstance(item[key], str)
        assert isinstance(item["location"]["line"], int)
        assert item["fixes"] == []  # none of the samples has a mechanical fix
        for step in item["trace"]:
            assert list(step) == ["location", "note"]
            assert list(step["location"]) == LOCATION_KEYS


def test_json_values_round_trip(review: Review) -> None:
    findings = json.loads(render(review, "json"))["findings"]
    assert [f["rule_id"] for f in findings] == [
        "command-injection",
        "unsafe-yaml-load",
        "llm-hardcoded-credentials",
        "log-injection",
    ]
    command, yaml_item, secret, _ = findings
    assert command["location"] == {
        "path": "app/shell.py",
        "line": 14,
        "column": 5,
        "end_line": 14,
        "end_column": 38,
    }
    assert command["trace"][0] == {
        "location": {
            "path": "app/views.py",
            "line": 10,
            "column": 12,
            "end_line": 10,
            "end_column": 24,
        },
        "note": "request.form['host'] (source)",
    }
    assert command["verification"] is None
    assert yaml_item["location"]["path"] == SPACED
    assert secret["location"]["end_line"] is None
    assert secret["origin"] == "llm"
    assert secret["verification"] == {
        "status": "corroborated",
        "reason": "the literal is on line 7",
    }


def test_json_empty_review() -> None:
    report = json.loads(render(EMPTY, "json"))
    assert (report["findings"], report["diagnostics"]) == ([], [])


def test_json_documentation_names_every_field(review: Review) -> None:
    doc = (REPO / "docs/json-report.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", doc, re.MULTILINE))
    report = json.loads(render(review, "json"))
    emitted = set(report) | set(report["stats"]) | set(report["diagnostics"][0])
    emitted |= set(report["findings"][0]) | set(report["findings"][0]["location"])
    emitted |= set(report["findings"][0]["trace"][0])
    assert emitted <= documented, emitted - documented


# --- sarif -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(_schema_path().read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(schema)


def _sarif(review: Review, validator: jsonschema.Draft7Validator) -> dict:
    log = json.loads(render(review, "sarif"))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []
    return log


def test_sarif_validates_against_the_official_schema(
    review: Review, validator: jsonschema.Draft7Validator
) -> None:
    log = _sarif(review, validator)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert len(log["runs"]) == 1
    _sarif(EMPTY, validator)
    _sarif(Review(diagnostics=DIAGNOSTICS), validator)


def test_sarif_with_fixes_validates_against_the_official_schema(
    tmp_path: Path, validator: jsonschema.Draft7Validator
) -> None:
    from secreview.config import Config
    from secreview.pipeline import run_review
    from secreview.python import fixes

    code = "import yaml\n\n\ndef read(data):\n    return yaml.load(data)\n"
    (tmp_path / "conf.py").write_text(code)
    review = run_review([str(tmp_path / "conf.py")], Config(jobs=1, rules=("unsafe-yaml-load",)))
    [finding] = review.findings
    assert finding.fixes
    [result] = _sarif(review, validator)["runs"][0]["results"]
    [fix] = result["fixes"]
    assert fix["description"] == {"text": "Use yaml.safe_load()"}
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "conf.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [
        {
            "deletedRegion": {"startLine": 5, "startColumn": 17, "endLine": 5, "endColumn": 21},
            "insertedContent": {"text": "safe_load"},
        }
    ]
    assert fixes.apply(code, finding.fixes) == code.replace("yaml.load", "yaml.safe_load")


def test_sarif_validator_catches_a_broken_log(validator: jsonschema.Draft7Validator) -> None:
    log = json.loads(render(EMPTY, "sarif"))
    log["runs"][0]["results"] = [{"ruleId": "x"}]  # no message: invalid
    assert list(validator.iter_errors(log))


def test_sarif_rules(review: Review, validator: jsonschema.Draft7Validator) -> None:
    run = _sarif(review, validator)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "secreview"
    assert driver["semanticVersion"] == __version__
    rules = {rule["id"]: rule for rule in driver["rules"]}
    assert set(rules) == {r.rule_id for r in review.findings}
    command = rules["command-injection"]
    assert command["name"] == "CommandInjection"
    assert command["shortDescription"]["text"] == "OS command built from untrusted input"
    assert command["fullDescription"]["text"]
    assert command["defaultConfiguration"]["level"] == "error"
    assert command["helpUri"].startswith("https://")
    properties = command["properties"]
    assert properties["tags"] == ["security", "external/cwe/cwe-78"]
    assert properties["precision"] == "high"
    assert properties["security-severity"] == "9.5"
    assert command["relationships"][0]["target"]["id"] == "78"
    assert command["relationships"][0]["target"]["toolComponent"]["name"] == "CWE"
    for rule in driver["rules"]:
        severity = rule["properties"]["security-severity"]
        assert isinstance(severity, str) and 0.0 <= float(severity) <= 10.0
        assert rule["help"]["markdown"].strip() and rule["help"]["text"].strip()
        assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", rule["name"])
    # a rule no module registers (an LLM finding's) is still described from its finding
    llm = rules["llm-hardcoded-credentials"]
    assert llm["properties"]["tags"] == ["security", "external/cwe/cwe-798"]
    assert llm["properties"]["security-severity"] == "5.5"
    assert llm["properties"]["precision"] == "low"


def test_sarif_results(review: Review, validator: jsonschema.Draft7Validator) -> None:
    run = _sarif(review, validator)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == [
        "command-injection",
        "unsafe-yaml-load",
        "llm-hardcoded-credentials",
        "log-injection",
    ]
    assert [r["level"] for r in results] == ["error", "error", "warning", "note"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["secreview/v1"].startswith("fp-")
        assert float(result["properties"]["security-severity"]) > 0
        assert "fixes" not in result  # no mechanical fix in the samples: no key
    command, _, secret, _ = results
    assert command["message"]["text"] == COMMAND.message
    assert command["properties"] == {"security-severity": "9.5", "confidence": "high"}
    assert secret["properties"]["verification"] == "corroborated"
    physical = command["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "app/shell.py", "uriBaseId": "%SRCROOT%"}
    assert physical["region"] == {
        "startLine": 14,
        "startColumn": 5,
        "endLine": 14,
        "endColumn": 38,
        "snippet": {"text": "subprocess.run(cmd, shell=True)"},
    }
    assert secret["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7,
        "startColumn": 1,
        "snippet": {"text": 'PASSWORD = "hunter2"'},
    }
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_code_flows_follow_the_trace(
    review: Review, validator: jsonschema.Draft7Validator
) -> None:
    command, yaml_result, _, log = _sarif(review, validator)["runs"][0]["results"]
    (flow,) = command["codeFlows"]
    (thread,) = flow["threadFlows"]
    steps = [
        (
            s["location"]["physicalLocation"]["artifactLocation"]["uri"],
            s["location"]["physicalLocation"]["region"]["startLine"],
            s["location"]["message"]["text"],
        )
        for s in thread["locations"]
    ]
    assert steps == [
        ("app/views.py", 10, "request.form['host'] (source)"),
        ("app/views.py", 11, "passed to ping(host)"),
        ("app/shell.py", 14, "subprocess.run(cmd) (sink)"),
    ]
    assert "codeFlows" not in yaml_result
    assert len(log["codeFlows"][0]["threadFlows"][0]["locations"]) == 1


def test_sarif_uris_are_relative_and_encoded(
    review: Review, validator: jsonschema.Draft7Validator
) -> None:
    run = _sarif(review, validator)["runs"][0]
    uris = {
        r["ruleId"]: r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in run["results"]
    }
    spaced = uris["unsafe-yaml-load"]
    assert spaced["uri"] == "dir%20with%20space/%C3%BCn%C3%AFcode%20config.py"
    assert unquote(spaced["uri"]) == SPACED and spaced["uriBaseId"] == "%SRCROOT%"
    odd = uris["log-injection"]["uri"]
    assert unquote(odd) == ODD and "|" not in odd and "`" not in odd
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    parts = urlsplit(base)
    assert parts.scheme == "file" and base.endswith("/") and " " not in base
    assert unquote(parts.path).rstrip("/") == Path(review.root).as_posix()


def test_sarif_cwe_taxonomy(review: Review, validator: jsonschema.Draft7Validator) -> None:
    run = _sarif(review, validator)["runs"][0]
    (taxonomy,) = run["taxonomies"]
    assert taxonomy["name"] == "CWE" and taxonomy["version"] == cwe.version() == "4.14"
    taxa = {t["id"]: t["name"] for t in taxonomy["taxa"]}
    assert taxa == {str(n): cwe.name(n) for n in (78, 117, 502, 798)}
    for rule in run["tool"]["driver"]["rules"]:
        target = rule["relationships"][0]["target"]
        assert taxonomy["taxa"][target["index"]]["id"] == target["id"]


def test_sarif_diagnostics_are_notifications(
    review: Review, validator: jsonschema.Draft7Validator
) -> None:
    (invocation,) = _sarif(review, validator)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is True
    notes = invocation["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [d.message for d in DIAGNOSTICS]
    assert {n["level"] for n in notes} == {"warning"}
    uri = notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "broken.py"
    (clean,) = _sarif(EMPTY, validator)["runs"][0]["invocations"]
    assert clean == {"executionSuccessful": True}


# --- markdown --------------------------------------------------------------------------------
def _table(markdown: str) -> list[list[str]]:
    """The rendered table's rows (header first) as plain cell text, parsed as GFM does."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    rows: list[list[str]] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows and token.level in (4, 5):
            rows[-1].append(
                "".join(child.content for child in token.children or [] if child.content)
            )
    return rows


def test_markdown_summary_table(review: Review) -> None:
    out = render(review, "markdown")
    rows = _table(out)
    assert rows[0] == ["Severity", "Rule", "CWE", "Location"]
    assert [len(row) for row in rows] == [4] * 5  # a pipe in a path does not add a cell
    assert rows[1] == ["critical", "command-injection", "CWE-78", "app/shell.py:14"]
    assert rows[2][3] == f"{SPACED}:3"
    assert rows[4][3] == f"{ODD}:3"  # backtick and pipe kept, inside the code span


def test_markdown_sections(review: Review) -> None:
    out = render(review, "markdown")
    sections = re.findall(r"^### (\d+)\. (.+)$", out, re.MULTILINE)
    assert sections[0] == ("1", f"{cwe.name(78)} (CWE-78)")
    assert [n for n, _ in sections] == ["1", "2", "3", "4"]
    command = out.split("### 1. ")[1].split("### 2. ")[0]
    assert "**Trace**" in command
    assert "1. `app/views.py:10` request.form\\['host'\\] (source)" in command
    assert "```python\nsubprocess.run(cmd, shell=True)\n```" in command
    assert "**Fix:** Pass an argument list without a shell." in command
    yaml_section = out.split("### 2. ")[1].split("### 3. ")[0]
    assert "**Trace**" not in yaml_section
    assert "**Fix:** Use `yaml.safe_load(stream)`." in yaml_section  # rule's code span kept
    html = MarkdownIt("commonmark").enable("table").render(out)
    assert "<script>" not in html  # text from the code never becomes markup
    log_section = out.split("### 4. ")[1]
    # a fence longer than any backtick run in the snippet, so the snippet cannot close it
    assert '````python\nlog.info("```%s```", ua)  # a | b\n````' in log_section


def test_markdown_diagnostics_collapsed(review: Review) -> None:
    out = render(review, "markdown")
    details = out[out.index("<details>") : out.index("</details>")]
    assert "<summary>Diagnostics (2)</summary>" in details
    assert "- `broken.py`: invalid syntax at line 3" in details
    assert "Not shown: 2 findings suppressed by comments." in out


def test_markdown_clean_review() -> None:
    out = render(EMPTY, "markdown")
    assert NO_DEFECTS in out.splitlines()
    assert "| Severity |" not in out and "###" not in out and "<details>" not in out


def test_markdown_stays_under_the_comment_limit() -> None:
    many = tuple(
        Finding(
            "sql-injection",
            89,
            "SQL query built from untrusted input",
            "Request data reaches `cursor.execute(query)`. " * 3,
            "high",
            "high",
            Location(f"pkg/module_{i}.py", i + 1),
            snippet="cursor.execute(query)",
            fix="Use a parameterised query.",
        )
        for i in range(2000)
    )
    out = render(Review(findings=many, diagnostics=DIAGNOSTICS * 200), "markdown")
    assert len(out) < 65_536
    assert "not detailed here" in out
    assert "- … and 300 more" in out
    assert out.count("\n### ") < 2000


def test_sarif_artifact_uris_for_unusual_paths() -> None:
    from secreview.reports.sarif import artifact

    # a colon in the first segment would read as a URI scheme unless encoded
    assert artifact("a:b.py") == {"uri": "a%3Ab.py", "uriBaseId": "%SRCROOT%"}
    assert artifact("pkg\\win.py") == {"uri": "pkg/win.py", "uriBaseId": "%SRCROOT%"}
    assert artifact("/abs/ü x.py") == {"uri": "file:///abs/%C3%BC%20x.py"}
    assert artifact("C:\\src\\a b.py") == {"uri": "file:///C:/src/a%20b.py"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_control_characters_from_the_code_never_reach_the_terminal(fmt: str) -> None:
    """Reviewed code may hold escape sequences (clear the screen, erase the line above, retitle
    the window) in its strings: every format shows them escaped; JSON ones decode to them."""
    hostile = 'os.system("\x1b[1A\x1b[2K\x9b2J\r" + host)'
    finding = replace(
        COMMAND,
        message=f"Request data reaches `{hostile}`.",
        snippet=hostile,
        location=Location("a\x1bb.py", 3, 1, 3, 10),
    )
    text = render(Review(findings=(finding,)), fmt)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)
    if fmt in ("json", "sarif", "gerrit"):  # the formats that carry the snippet as it is
        assert any(hostile in value for value in _strings(json.loads(text)))


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    values = data.values() if isinstance(data, dict) else data if isinstance(data, list) else ()
    return [text for value in values for text in _strings(value)]


def test_mentions_in_reviewed_text_notify_nobody() -> None:
    """Finding text quotes the reviewed code and, for LLM findings, a model: an `@team` in
    it would notify people once posted as a pull-request comment. Code spans are safe."""
    from secreview.reports.markdown import escape, prose

    assert escape("ping @octocat, mail a@b.c") == "ping @\u200boctocat, mail a@b.c"
    assert prose("`@decorator` and @security-team") == "`@decorator` and @\u200bsecurity-team"
    finding = replace(COMMAND, message="Escalate to @security-team now.")
    markdown = render(Review(findings=(finding,)), "markdown")
    github = json.dumps(
        json.loads(render(Review(findings=(finding,)), "github")), ensure_ascii=False
    )
    for text in (markdown, github):
        assert "@security-team" not in text and "@\u200bsecurity-team" in text
