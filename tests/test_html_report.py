"""The HTML report as text: self-contained, escaped, excerpts read safely from the review root.

The page is parsed with the standard library's HTMLParser, so a check sees elements and text
the way a browser would, not substrings (test_html_chromium.py renders it in a real browser).
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import _samples as samples
import pytest

from secreview import cli, cwe
from secreview.model import Diagnostic, Finding, Location, Review, Stats, TraceStep, Verification
from secreview.reports import FORMATS, render
from secreview.reports._excerpts import SourceFiles, colour

PAYLOAD = "</script><script>alert(1)</script>"
NO_DEFECTS = "No security defects are detected in the code."

SHELL = """\
import subprocess


def ping(host):
    cmd = "ping -c 1 " + host
    subprocess.run(cmd, shell=True)
    return cmd
"""
VIEWS = """\
from flask import request

from app.shell import ping


def view():
    host = request.form["host"]
    return ping(host)
"""


class Page(HTMLParser):
    """Elements, attributes, ids and visible text of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    def all(self, tag: str, css_class: str = "") -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and (not css_class or css_class in attrs.get("class", "").split())
        ]

    @property
    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.tags if "id" in attrs}

    @property
    def words(self) -> str:
        return " ".join("".join(self.text).split())


def _command(path: str = "app/shell.py", line: int = 6, snippet: str = "") -> Finding:
    """The sample command injection, placed where SHELL and VIEWS have it."""
    return replace(
        samples.COMMAND,
        message="Flask request data (app/views.py:7) reaches `subprocess.run(cmd, shell=True)`.",
        location=Location(path, line, 5, line, 36),
        snippet=snippet or samples.COMMAND.snippet,
        trace=(
            TraceStep(Location("app/views.py", 7, 12, 7, 24), "request.form (source)"),
            TraceStep(Location("app/views.py", 8, 12, 8, 22), "passed to ping(host)"),
            TraceStep(Location(path, line, 5, line, 36), "subprocess.run(cmd) (sink)"),
        ),
    )


# the other samples, in files the project does not have (their excerpts fall back to snippets)
YAML = replace(samples.YAML, location=Location("conf.py", 3, 1))
LOG = replace(samples.LOG, location=Location("app/logs.py", 2), snippet="log.info(ua)", trace=())
SECRET = replace(
    samples.SECRET,
    location=Location("app/settings.py", 1),
    verification=Verification("corroborated", "the literal is on line 1"),
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "app").mkdir(parents=True)
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "shell.py").write_text(SHELL)
    (root / "app" / "views.py").write_text(VIEWS)
    return root


def _review(root: Path, *findings: Finding, **kwargs: object) -> Review:
    return Review(
        findings=findings,
        stats=Stats(files=2, lines=15),
        root=str(root),
        **kwargs,  # type: ignore[arg-type]
    )


def _code_rows(text: str) -> list[tuple[int, bool, str]]:
    """(line number, highlighted, code) for every excerpt row, in page order."""
    rows = re.findall(
        r'<div class="line( hit)?"><span class="lineno" data-n="(\d+)"></span>'
        r'<span class="text">(.*?)</span></div>',
        text,
    )
    return [
        (int(n), bool(hit), html.unescape(re.sub(r"<[^>]+>", "", code))) for hit, n, code in rows
    ]


# --- registry and command line ---------------------------------------------------------------
def test_html_is_a_format_and_a_cli_choice(project: Path, tmp_path: Path) -> None:
    assert "html" in FORMATS and "html" in cli.FORMATS
    out = tmp_path / "report.html"
    code = cli.main(["review", str(project), "--format", "html", "--output", str(out), "-q"])
    assert code == 1  # the command injection is found
    page = Page(out.read_text(encoding="utf-8"))
    assert page.all("article", "finding")
    assert "command-injection" in page.words


# --- self-contained and safe -----------------------------------------------------------------
def test_no_network_asset_and_no_script(project: Path) -> None:
    text = render(_review(project, _command(), YAML, SECRET, LOG), "html")
    page = Page(text)
    assert text.startswith("<!DOCTYPE html>")
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert not page.all("iframe") and not page.all("object") and not page.all("embed")
    assert not [attrs for _, attrs in page.tags if "src" in attrs or "srcset" in attrs]
    assert not [attrs for _, attrs in page.tags if "style" in attrs]  # the CSP would drop them
    assert "url(" not in page.style and "@import" not in page.style
    for attrs in page.all("a"):
        href = attrs["href"]
        if href.startswith("#"):
            assert href[1:] in page.ids, href  # every in-page link lands somewhere
        else:
            assert href.startswith("https://cwe.mitre.org/"), href
            assert attrs.get("rel") == "noreferrer"


def test_content_security_policy_allows_exactly_the_page_stylesheet(project: Path) -> None:
    page = Page(render(_review(project, _command()), "html"))
    [meta] = [m for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    policy = dict(
        (part.split()[0], part.split()[1:]) for part in meta["content"].split(";") if part.strip()
    )
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy  # falls back to default-src 'none': no script runs
    digest = base64.b64encode(hashlib.sha256(page.style.encode()).digest()).decode()
    assert policy["style-src"] == [f"'sha256-{digest}'"]


def test_hostile_text_is_escaped_everywhere(tmp_path: Path) -> None:
    root = tmp_path / "r"
    root.mkdir()
    hostile_path = f"x{PAYLOAD}.py"
    code = f'value = "{PAYLOAD}"\neval(value)  # {PAYLOAD}\n'
    (root / hostile_path).parent.mkdir(parents=True)  # the payload's `/` makes directories
    (root / hostile_path).write_text(code)
    finding = Finding(
        rule_id=f"rule{PAYLOAD}",
        cwe=95,
        title=f"title {PAYLOAD}",
        message=f"message {PAYLOAD} and `{PAYLOAD}`",
        severity="high",
        confidence="high",
        location=Location(hostile_path, 2),
        snippet="eval(value)",
        trace=(TraceStep(Location(hostile_path, 1), f"note {PAYLOAD}"),),
        fix=f"fix {PAYLOAD} `{PAYLOAD}`",
        origin="llm",
        verification=Verification("grounded", f"reason {PAYLOAD}"),
        fingerprint=PAYLOAD,
    )
    odd = replace(finding, cwe=999999, location=Location(f"gone{PAYLOAD}.py", 1), trace=())
    review = Review(
        findings=(finding, odd),
        diagnostics=(Diagnostic(PAYLOAD, f"message {PAYLOAD}", "syntax"),),
        stats=Stats(files=1, lines=2),
        root=str(root),
        scope_note=f"scope {PAYLOAD}",
    )
    text = render(review, "html", verbose=True)
    page = Page(text)
    assert PAYLOAD not in text and "<script" not in text.lower()
    assert not page.all("script")
    # ... and every piece still reads as the literal text it is
    for piece in ("message", "note", "fix", "reason", "scope", "title"):
        assert f"{piece} {PAYLOAD}" in page.words, piece
    assert page.words.count(PAYLOAD) >= 12
    assert any(PAYLOAD in code for _, _, code in _code_rows(text))  # from the file itself


# --- summary -----------------------------------------------------------------------------------
def test_summary_counts_by_severity_and_cwe(project: Path) -> None:
    second = replace(_command(), location=Location("app/shell.py", 7), snippet="return cmd")
    text = render(_review(project, LOG, second, YAML, SECRET, _command()), "html")
    page = Page(text)
    chips = re.findall(r'<span class="count">(\d+)</span> (\w+)', text)
    assert chips == [("2", "critical"), ("1", "high"), ("1", "medium"), ("1", "low")]
    rows = re.findall(r"<tr><td>(.*?)</td>.*?<td class=\"links\">(.*?)</td></tr>", text)
    assert [html.unescape(re.sub(r"<[^>]+>", "", cells[0])) for cells in rows] == [
        f"CWE-78 {cwe.name(78)}",
        f"CWE-502 {cwe.name(502)}",
        f"CWE-798 {cwe.name(798)}",
        f"CWE-117 {cwe.name(117)}",
    ]
    assert rows[0][1] == '<a href="#finding-1">1</a>, <a href="#finding-2">2</a>'
    headings = [h["id"] for h in page.all("h3")]
    assert headings == [f"finding-{n}-h" for n in range(1, 6)]
    assert page.words.index("(CWE-78)") < page.words.index("(CWE-502)")
    assert "LLM review (corroborated)" in page.words


def test_clean_review_says_so_without_a_summary() -> None:
    page = Page(render(Review(stats=Stats(files=3, lines=40)), "html"))
    assert NO_DEFECTS in page.words
    assert "summary" not in page.ids and not page.all("article")


def test_diagnostics_and_hidden_counts(project: Path) -> None:
    review = _review(
        project,
        _command(),
        diagnostics=(Diagnostic("broken.py", "invalid syntax at line 3", "syntax"),),
    )
    review = replace(review, stats=Stats(files=2, lines=15, suppressed=2))
    page = Page(render(review, "html"))
    assert "broken.py: invalid syntax at line 3" in page.words
    assert "Not shown: 2 findings suppressed by comments." in page.words


def test_verbose_adds_fingerprint_reference_and_time(project: Path) -> None:
    review = _review(project, _command(), SECRET)
    plain, verbose = Page(render(review, "html")), Page(render(review, "html", verbose=True))
    assert "fp-command" not in plain.words and "fp-command" in verbose.words
    assert "the literal is on line 1" in verbose.words
    assert "reviewed 2 files (15 lines) in 0.00 s" in verbose.words


# --- code excerpts -------------------------------------------------------------------------------
def test_finding_excerpt_highlights_the_flagged_line_with_context(project: Path) -> None:
    text = render(_review(project, _command()), "html")
    rows = _code_rows(text)
    lines = SHELL.splitlines()
    main = rows[:5]  # lines 3-7 of shell.py (it has 7), the flagged line 6 marked
    assert [(n, hit) for n, hit, _ in main] == [
        (3, False),
        (4, False),
        (5, False),
        (6, True),
        (7, False),
    ]
    assert [code for _, _, code in main] == lines[2:7]
    assert 'class="p-k"' in text  # Python keywords are coloured


def test_trace_steps_open_on_the_code_of_each_hop(project: Path) -> None:
    text = render(_review(project, _command()), "html")
    steps = re.findall(r'<li id="(finding-1-step-\d)"><details><summary>(.*?)</summary>', text)
    assert [s[0] for s in steps] == ["finding-1-step-1", "finding-1-step-2", "finding-1-step-3"]
    assert "app/views.py:7" in steps[0][1] and "request.form (source)" in steps[0][1]
    rows = _code_rows(text)[5:]  # after the finding's own excerpt (lines 3-7)
    marked = [n for n, hit, _ in rows if hit]
    assert marked == [7, 8, 6]  # each step's own line, in its file
    assert any("request.form" in code for n, hit, code in rows if n == 7 and hit)


def test_leading_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("\n\n\nimport os\nos.system(cmd)\n")
    finding = replace(YAML, location=Location("m.py", 5), snippet="os.system(cmd)")
    rows = _code_rows(render(Review(findings=(finding,), root=str(tmp_path)), "html"))
    assert (5, True, "os.system(cmd)") in rows
    assert (4, False, "import os") in rows


def test_colour_lexes_the_whole_file() -> None:
    lines = colour('x = """\nDROP TABLE\n"""\ny = 1\n', "a.py")
    assert len(lines) == 4
    assert lines[1] == '<span class="p-s2">DROP TABLE</span>'  # inside the multi-line string


def test_missing_file_falls_back_to_the_snippet(tmp_path: Path) -> None:
    text = render(Review(findings=(YAML,), root=str(tmp_path / "nowhere")), "html")
    assert "missing or has changed since the review" in Page(text).words
    assert _code_rows(text) == [(3, True, "config = yaml.load(stream, Loader=yaml.Loader)")]


def test_edited_file_is_not_shown(project: Path) -> None:
    """The snippet is no longer near its line: the file's lines (and its trace steps) would
    be the wrong ones, so only the recorded snippet is shown."""
    (project / "app" / "shell.py").write_text("# rewritten\n" * 20)
    text = render(_review(project, _command()), "html")
    rows = _code_rows(text)
    assert "# rewritten" not in text
    assert rows[0] == (6, True, "subprocess.run(cmd, shell=True)")
    assert "finding-1-step-3" in text and '<li id="finding-1-step-3"><details>' not in text
    assert '<li id="finding-1-step-1"><details>' in text  # views.py is unchanged


def test_paths_outside_the_root_are_never_read(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    secret = tmp_path / "secret.py"
    secret.write_text("TOKEN = 'do-not-leak'\n")
    (root / "link.py").symlink_to(secret)
    findings = tuple(
        replace(LOG, location=Location(path, 1), snippet="", trace=())
        for path in ("../secret.py", str(secret), "link.py", ".", "")
    )
    text = render(Review(findings=findings, root=str(root)), "html")
    assert "do-not-leak" not in text


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01binary" * 10, "caf\xe9 = 1\n".encode("latin-1"), b"\xff\xfe\x00x"],
    ids=["binary", "undecodable", "utf16-bom"],
)
def test_unreadable_files_degrade(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.py").write_bytes(content)
    finding = replace(LOG, location=Location("bad.py", 1), snippet="x = 1")
    text = render(Review(findings=(finding,), root=str(tmp_path)), "html")
    assert _code_rows(text) == [(1, True, "x = 1")]


def test_line_outside_the_file_and_long_statements(project: Path) -> None:
    sources = SourceFiles(str(project))
    assert sources.excerpt("app/shell.py", 99, None, 3) is None
    assert sources.excerpt("app/shell.py", 0, None, 3) is None
    (project / "long.py").write_text("call(\n" + "    arg,\n" * 100 + ")\n")
    excerpt = sources.excerpt("long.py", 1, 102, 3)
    assert excerpt is not None and len(excerpt.marked) == 30  # the statement's first lines


def test_rejected_llm_claims_are_counted_or_listed(project: Path) -> None:
    claim = replace(
        SECRET,
        title=f"Invented {PAYLOAD}",
        verification=Verification("rejected", "line 1 holds no literal"),
    )
    review = replace(_review(project, _command()), rejected=(claim,))
    plain, verbose = Page(render(review, "html")), Page(render(review, "html", verbose=True))
    assert "1 LLM claim failed verification and was dropped." in plain.words
    assert "Invented" not in plain.words and len(plain.all("article")) == 1
    assert f"app/settings.py:1 CWE-798 Invented {PAYLOAD}: line 1 holds no literal" in verbose.words
    assert len(verbose.all("article")) == 1  # never a finding


def test_marks_the_flagged_expression_not_its_whole_block(tmp_path: Path) -> None:
    (tmp_path / "w.py").write_text("with open(\n    path\n) as f:\n    a = 1\n    b = 2\n")
    finding = replace(
        LOG, location=Location("w.py", 1, 6, 3, 2), snippet="with open(", region=(1, 5)
    )
    rows = _code_rows(render(Review(findings=(finding,), root=str(tmp_path)), "html"))
    assert [(n, hit) for n, hit, _ in rows] == [
        (1, True),
        (2, True),
        (3, True),
        (4, False),
        (5, False),
    ]
