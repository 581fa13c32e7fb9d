"""`secreview audit`: claims out of prose and JSON, each problem kind, the seeds, the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from secreview.audit import audit_text, extract
from secreview.audit.grade import Audit
from secreview.cli import main
from secreview.reports.audit import render

REPO = Path(__file__).resolve().parent.parent
REVIEWS = REPO / "tests" / "audit_reviews"
SEEDS = REPO.parent / "shared" / "seeds"

# Several defects the engine finds, on known lines.
DEFECTS = """\
import pickle
import subprocess

import yaml
from flask import Flask, request

app = Flask(__name__)


@app.route("/run")
def run():
    command = request.args["cmd"]
    return subprocess.run(command, shell=True).stdout


def load(blob, stream):
    settings = yaml.load(stream, Loader=yaml.Loader)
    return pickle.loads(blob), settings
"""


def kinds(audit: Audit) -> set[str]:
    return {p.kind for p in audit.problems}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """The small Flask app the synthetic reviews are about (kept as .txt in the repo so that
    linters and reviews of this repository leave it alone)."""
    target = tmp_path / "app.py"
    shutil.copy(REVIEWS / "app.py.txt", target)
    return target


def audit_review(name: str, code: Path | None = None) -> Audit:
    from secreview.audit import audit_file

    return audit_file(str(REVIEWS / name), str(code) if code else None)


# --- one synthetic review per problem kind -------------------------------------------------------
@pytest.mark.parametrize(
    ("review", "with_code", "expected"),
    [
        ("clean.txt", True, set()),
        ("clean.json", True, set()),
        ("cwe_unknown.txt", False, {"cwe-unknown"}),
        ("cwe_name_mismatch.txt", False, {"cwe-name-mismatch"}),
        ("cwe_list_walk.txt", False, {"cwe-list-walk"}),
        ("line_out_of_range.txt", True, {"line-out-of-range"}),
        ("identifier_not_at_line.txt", True, {"identifier-not-at-line"}),
        ("claim_on_non_code.txt", True, {"claim-on-non-code"}),
        ("boilerplate.txt", False, {"boilerplate"}),
        ("vague.txt", False, {"vague"}),
        ("non_compliant.txt", False, {"non-compliant"}),
        ("unsupported_verdict.txt", False, set()),
        ("unsupported_verdict.txt", True, {"unsupported-verdict"}),
    ],
)
def test_problem_kinds(review: str, with_code: bool, expected: set[str], app: Path) -> None:
    audit = audit_review(review, app if with_code else None)
    assert kinds(audit) == expected


def test_code_checks_need_the_code() -> None:
    """Without the code, only what the text itself shows is graded."""
    for name in ("line_out_of_range.txt", "identifier_not_at_line.txt", "claim_on_non_code.txt"):
        assert kinds(audit_review(name)) == set()


def test_details() -> None:
    (unknown,) = audit_review("cwe_unknown.txt").problems
    assert "CWE-9999" in unknown.detail and unknown.cwes == (78,)  # 'Shell Injection' is 78
    (walk,) = audit_review("cwe_list_walk.txt").problems
    assert walk.cwes == (284, 435, 664, 682)
    assert "CWE-1000 pillars" in walk.detail


def test_missed_findings(app: Path) -> None:
    covered = audit_review("clean.txt", app)
    assert covered.engine_findings is not None and len(covered.engine_findings) == 1
    assert covered.missed == ()
    missed = audit_review("line_out_of_range.txt", app)
    assert [f.rule_id for f in missed.missed] == ["command-injection"]
    assert not missed.clean


# --- the seeds (the study's three LLM answers), when the shared folder is there ------------------
def seed(prefix: str) -> Audit:
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt")) if SEEDS.is_dir() else []
    if not paths:
        pytest.skip(f"seed {prefix} not available in {SEEDS}")
    return audit_text(paths[0].read_text(encoding="utf-8"), review_path=str(paths[0]))


def test_seed_003_walks_the_pillars_with_a_wrong_name() -> None:
    audit = seed("003")
    assert [c.cwe for c in audit.claims] == [284, 435, 664, 682, 691, 693, 703]
    mismatches = [p for p in audit.problems if p.kind == "cwe-name-mismatch"]
    assert [(p.claim, p.cwes) for p in mismatches] == [(6, (697,))]
    assert "Improper Check or Handling of Exceptional Conditions" in mismatches[0].detail
    assert "cwe-list-walk" in kinds(audit)
    # every claim has its line, CWE and (from the second list) its fix
    assert all(c.line and c.fix for c in audit.claims)
    assert "non-compliant" not in kinds(audit)


def test_seed_004_explains_the_license() -> None:
    audit = seed("004")
    assert {"boilerplate", "non-compliant"} <= kinds(audit)
    assert audit.extraction.verdict == "none" and audit.extraction.truncated
    assert audit.stats.boilerplate_share > 0.8


def test_seed_000_is_vague() -> None:
    audit = seed("000")
    assert "vague" in kinds(audit)
    assert audit.extraction.verdict == "none" and not audit.claims


# --- extraction ----------------------------------------------------------------------------------
def test_extract_markdown_prose() -> None:
    text = """Found two vulnerabilities.

### 1. **SQL Injection (CWE-89)** — `app/db.py:42`
The `name` parameter from the request is formatted into `cursor.execute`.
**Fix:** use a parameterised query. Confidence: high

### 2. CWE-22: Path Traversal
Lines 10-12 join `filename` from the query string onto the upload folder.
- Recommendation: resolve the path and check it stays inside the folder.
"""
    extraction = extract(text)
    first, second = extraction.claims
    assert (first.cwe, first.cwe_name, first.line, first.confidence) == (
        89,
        "SQL Injection",
        42,
        "high",
    )
    assert "parameterised" in first.fix and "cursor.execute" in first.identifiers
    assert "parameterised" not in first.explanation
    assert (second.cwe, second.cwe_name, second.line, second.end_line) == (
        22,
        "Path Traversal",
        10,
        12,
    )
    assert "resolve the path" in second.fix
    assert extraction.verdict == "defects" and not extraction.truncated


def test_extract_fix_list_matched_by_line() -> None:
    text = """I have identified the following security defects.

1. OS Command Injection (CWE-78): line 20 passes `cmd` to a shell.
2. SQL Injection (CWE-89): line 9 formats `name` into SQL.

To fix these issues, I recommend:

1. Bind `name` as a parameter in line 9.
2. Pass an argument list in line 20.
"""
    claims = extract(text).claims
    assert [c.fix for c in claims] == [
        "Pass an argument list in line 20.",
        "Bind `name` as a parameter in line 9.",
    ]


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("No security defects are detected in the code.", "none"),
        ("I did not find any security vulnerabilities in this code.", "none"),
        ("I have identified several potential security defects.", "defects"),
        ("1. Injection (CWE-74) at line 3. Fix: escape it.", "defects"),
        ("There are no vulnerabilities.\n\n1. SQL Injection (CWE-89), line 4.", "contradictory"),
        ("The code is a Flask application.", "unclear"),
        ("", "unclear"),
    ],
)
def test_verdict(text: str, verdict: str) -> None:
    assert extract(text).verdict == verdict


def test_extract_json_forms() -> None:
    listed = extract('[{"line": "12", "cwe_id": 89, "name": "SQL Injection", "fix": "bind"}]')
    (claim,) = listed.claims
    assert (claim.line, claim.cwe, claim.cwe_name, claim.fix) == (12, 89, "SQL Injection", "bind")
    # the LLM pass's schema: a title is not a CWE name unless it carries the id
    answer = (
        '{"defects": [{"line": 3, "cwe": "CWE-78", "title": "Host passed to a shell", '
        '"explanation": "`host` reaches `os.system`", "fix": "no shell", "confidence": "high"}]}'
    )
    (claim,) = extract(answer).claims
    assert (claim.cwe, claim.cwe_name, claim.title, claim.confidence) == (
        78,
        "",
        "Host passed to a shell",
        "high",
    )
    assert claim.identifiers == ("host", "os.system")
    assert "cwe-name-mismatch" not in kinds(audit_text(answer))
    fenced = extract(
        'Here you go:\n```json\n{"vulnerabilities": [{"cwe": "CWE-79 (XSS)", "line": 3}]}\n```\n'
    )
    assert fenced.form == "json" and fenced.claims[0].cwe_name == "XSS"
    empty = extract('{"findings": []}')
    assert empty.verdict == "none" and not empty.claims
    odd = audit_text('{"answer": 42}')
    assert odd.extraction.form == "json" and "non-compliant" in kinds(odd)
    assert extract("[1, 2").form == "prose"  # broken JSON is read as prose


def test_list_walk_needs_a_run() -> None:
    # three Top 25 entries in published order are a plausible real review...
    common = """1. Cross-site Scripting (CWE-79), line 3. Fix: escape.
2. SQL Injection (CWE-89), line 8. Fix: bind.
3. OS Command Injection (CWE-78), line 12. Fix: no shell.
"""
    assert "cwe-list-walk" not in kinds(audit_text(common))
    # ...pillars in order are not
    walked = """1. Improper Neutralization (CWE-707), line 3. Fix: a.
2. Improper Adherence to Coding Standards (CWE-710), line 8. Fix: b.
"""
    assert "cwe-list-walk" not in kinds(audit_text(walked))  # two entries are not a run
    pillars = """1. Incorrect Comparison (CWE-697), line 3. Fix: a.
2. Improper Check or Handling of Exceptional Conditions (CWE-703), line 8. Fix: b.
3. Improper Neutralization (CWE-707), line 12. Fix: c.
"""
    assert "cwe-list-walk" in kinds(audit_text(pillars))


def test_stats() -> None:
    audit = audit_review("boilerplate.txt")
    assert audit.stats.sentences == 6 and audit.stats.boilerplate_sentences == 5
    assert audit.stats.words_per_claim is None
    assert audit_review("clean.txt").stats.words_per_claim == audit_review("clean.txt").stats.words


# --- secreview's own reports pass the audit ------------------------------------------------------
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_own_report_audits_clean(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()
    code = tmp_path / "service.py"
    code.write_text(DEFECTS, encoding="utf-8")
    assert main(["review", str(code), "--format", fmt, "--no-cache", "-q"]) == 1
    review = tmp_path / f"review.{fmt}"
    review.write_text(capsys.readouterr().out, encoding="utf-8")
    assert main(["audit", str(review), "--code", str(code)]) == 0, capsys.readouterr().out
    out = " ".join(capsys.readouterr().out.split())  # the prose wraps where the path ends
    assert "missed by the review: 0" in out and "no problem found" in out


# --- command line --------------------------------------------------------------------------------
def test_cli_exit_codes_and_json(app: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(REVIEWS / "clean.txt"), "--code", str(app)]) == 0
    assert "no problem found" in " ".join(capsys.readouterr().out.split())
    assert main(["audit", str(REVIEWS / "vague.txt"), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "none" and data["engine"] is None
    assert data["problem_counts"] == {"vague": 1}
    assert set(data["stats"]) >= {"words", "words_per_claim", "boilerplate_share"}
    assert main(["audit", str(REVIEWS / "cwe_name_mismatch.txt"), "--format", "json"]) == 1
    (claim,) = json.loads(capsys.readouterr().out)["claims"]
    assert claim["catalog_name"] == "Improper Check or Handling of Exceptional Conditions"
    assert claim["problems"][0] | {"detail": ""} == {
        "kind": "cwe-name-mismatch",
        "detail": "",
        "claim": 1,
        "line": 15,
        "cwes": [697],
    }


def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read review file" in capsys.readouterr().err
    review = REVIEWS / "clean.txt"
    assert main(["audit", str(review), "--code", str(tmp_path / "missing.py")]) == 2
    assert "cannot read code file" in capsys.readouterr().err
    binary = tmp_path / "review.bin"
    binary.write_bytes(b"\x00\x01binary")
    assert main(["audit", str(binary)]) == 2
    assert main(["audit", str(review), "--format", "sarif"]) == 2
    assert main(["audit"]) == 2


def test_bad_input_never_crashes(tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("def f(:\n    return os.system(x)\n", encoding="utf-8")
    review = tmp_path / "review.txt"
    review.write_text(
        "1. OS Command Injection (CWE-78), line 2: `os.system`. Fix: avoid the shell.\n"
        "2. \x07\ufffd (CWE-) line -3 lines 9-2 `",
        encoding="utf-8",
    )
    from secreview.audit import audit_file

    audit = audit_file(str(review), str(broken))
    assert audit.engine_findings == ()
    assert audit.claims[0].line == 2 and not audit.problems_of(0)
    assert render(audit, "text") and json.loads(render(audit, "json"))
    for text in ("", "\n\n", "1.", "```json\n[]\n```", "{" * 5000):
        audit = audit_text(text)
        assert render(audit, "text") and json.loads(render(audit, "json"))


def test_readme_audit_examples_are_real_output(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each `$ secreview audit SEED` in the README shows what the command prints (abridged
    lines in `[...]` aside), so the section cannot go stale."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Auditing an LLM review", 1)[1].split("\n## ", 1)[0]
    examples: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in section.splitlines():
        if line.startswith("$ secreview audit "):
            current = examples.setdefault(line.split()[-1], [])
        elif line.startswith("```"):
            current = None
        elif current is not None and line.strip() and not line.strip().startswith("[..."):
            current.append(line)
    assert len(examples) == 3
    for name, shown in examples.items():
        path = SEEDS / name
        if not path.is_file():
            pytest.skip(f"seed {name} not available in {SEEDS}")
        monkeypatch.chdir(SEEDS)  # the path as the README shows it, wrapped the same way
        main(["audit", name])
        printed = capsys.readouterr().out.splitlines()
        lines = iter(printed)
        missing = [line for line in shown if line not in lines]  # in order
        assert not missing, f"README shows lines `secreview audit {name}` does not print"


def test_quotes_placed_at_other_lines_are_not_checked_at_the_claim() -> None:
    """A trace step or a "(file.py:N)" note says where its quoted code is."""
    text = """1. Log injection (CWE-117), notifications.py:341
   Argument 'user_id' (api/users.py:949) reaches `LOG.debug(reason)`; `reason` (line 341) too.
   Trace:
     1. api/users.py:949  user_id: API controller argument 'user_id' (source)
     2. notifications.py:341  LOG.debug(reason) (sink)
"""
    (claim,) = extract(text).claims
    assert claim.line == 341
    assert claim.identifiers == ("LOG.debug(reason)", "reason")


def test_json_numbers_that_are_not_lines() -> None:
    """JSON as Python reads it allows NaN and Infinity; neither is a line (nor a crash)."""
    text = '[{"line": NaN, "end_line": Infinity, "cwe": 78, "confidence": NaN}, {"line": true}]'
    first, second = extract(text).claims
    assert (first.line, first.end_line, first.cwe, first.confidence) == (None, None, 78, None)
    assert second.line is None
