"""The shared claim checks: catalog names, line kinds, quoted code at the claimed line."""

from __future__ import annotations

import pytest

from secreview.claims import (
    Claim,
    SourceLines,
    check_claim,
    check_cwe,
    check_lines,
    classify_lines,
    identifier_in,
    identify,
    name_matches,
    quoted_identifiers,
)

SOURCE = '''\
# Copyright 2012 Example Corp
# Licensed under the Apache License, Version 2.0
"""Runs the proxy."""
import os
import subprocess


def run(host):
    """Ping a host.

    The host comes from the request."""
    # build the command
    command = f"ping -c 1 {host}"
    query = """SELECT *
        FROM hosts"""
    return subprocess.run(command, shell=True)  # the sink
'''


def kinds(text: str) -> dict[int, str]:
    return dict(enumerate(classify_lines(text), start=1))


def test_classify_lines() -> None:
    got = kinds(SOURCE)
    assert [got[n] for n in (1, 2, 3)] == ["license"] * 3
    assert got[4] == got[5] == "import"
    assert got[6] == got[7] == "blank"
    assert got[8] == "code"
    assert [got[n] for n in (9, 10, 11)] == ["docstring"] * 3
    assert got[12] == "comment"
    assert got[13] == "code"
    assert got[14] == got[15] == "code"  # a multi-line string in code is code
    assert got[16] == "code"  # a trailing comment does not make the line a comment


def test_header_without_license_is_a_comment() -> None:
    assert kinds("# helper script\nx = 1\n") == {1: "comment", 2: "code"}


def test_classify_lines_tolerates_code_that_does_not_parse() -> None:
    got = kinds("# Copyright 2020 X\ndef broken(:\n    # note\n    x = '''\n")
    assert got[1] == "license"
    assert got[2] == "code"
    assert got[3] == "comment"
    assert classify_lines("") == []


@pytest.mark.parametrize(
    ("claimed", "cwe_id"),
    [
        ("Improper Neutralization of Special Elements used in an SQL Command", 89),
        ("SQL injection", 89),
        ("OS Command Injection", 78),
        ("Command Injection", 78),  # the parent's name (CWE-77)
        ("Cross-Site Scripting", 79),
        ("XSS", 79),
        ("Insecure Deserialization", 502),
        ("Improper Interaction Between Multiple Entities", 435),  # abbreviated
        ("improper check or handling of exceptional condition", 703),  # case, plural
        ("Use of Hardcoded Credentials", 798),
        ("Hardcoded password", 798),  # a child's name (CWE-259)
        ("Incorect Comparision", 697),  # misspelt
    ],
)
def test_name_matches(claimed: str, cwe_id: int) -> None:
    assert name_matches(claimed, cwe_id)


@pytest.mark.parametrize(
    ("claimed", "cwe_id"),
    [
        ("Incorrect Comparison", 703),
        ("Improper Access Control", 691),
        ("SQL Injection", 78),
        ("Protection Mechanism Failure", 691),
        ("Incorrect Calculation", 99999),  # unknown ids never match
    ],
)
def test_name_does_not_match(claimed: str, cwe_id: int) -> None:
    assert not name_matches(claimed, cwe_id)


def test_identify() -> None:
    assert identify("Incorrect Comparison")[0] == 697
    assert identify("sql injection")[0] == 89
    assert identify("XSS") == (79,)
    assert identify("Hard coded password for the database")[0] == 259  # by shared words
    assert identify("") == ()
    assert identify("banana smoothie") == ()


def test_check_cwe_name_mismatch_says_what_the_name_really_is() -> None:
    (problem,) = check_cwe(Claim(line=170, cwe=703, cwe_name="Incorrect Comparison"))
    assert problem.kind == "cwe-name-mismatch"
    assert problem.cwes == (697,)
    assert "Improper Check or Handling of Exceptional Conditions" in problem.detail
    assert "CWE-697" in problem.detail
    assert problem.line == 170


def test_check_cwe() -> None:
    assert check_cwe(Claim(cwe=697, cwe_name="Incorrect Comparison")) == []
    assert check_cwe(Claim(cwe=697)) == []  # no name claimed: nothing to contradict
    assert check_cwe(Claim()) == []
    (unknown,) = check_cwe(Claim(cwe=99999, cwe_name="SQL Injection"))
    assert unknown.kind == "cwe-unknown"
    assert unknown.cwes == (89,)
    assert "CWE-99999" in unknown.detail


def test_check_lines() -> None:
    lines = SourceLines(SOURCE)
    sink = Claim(line=16, cwe=78, identifiers=("subprocess.run", "command"))
    assert check_lines(sink, lines) == []
    near = Claim(line=14, identifiers=("host",))  # `host` is on line 13: within two lines
    assert check_lines(near, lines) == []
    (far,) = check_lines(Claim(line=16, identifiers=("os.execl", "command")), lines)
    assert far.kind == "identifier-not-at-line"
    assert "`os.execl`" in far.detail and "`command`" not in far.detail
    listed = "`subprocess.run`, `os.system` or `os.popen` run it"  # alternatives: one is enough
    either = Claim(line=16, identifiers=("subprocess.run", "os.system", "os.popen"), raw=listed)
    assert check_lines(either, lines) == []
    neither = Claim(line=16, identifiers=("os.system", "os.popen"), raw="`os.system` or `os.popen`")
    assert [p.kind for p in check_lines(neither, lines)] == ["identifier-not-at-line"]
    (header,) = check_lines(Claim(line=2), lines)
    assert header.kind == "claim-on-non-code"
    assert "license" in header.detail
    kinds_found = [p.kind for p in check_lines(Claim(line=9, end_line=11), lines)]
    assert kinds_found == ["claim-on-non-code"]
    assert check_lines(Claim(line=12, end_line=13), lines) == []  # the span reaches code
    (out,) = check_lines(Claim(line=170, identifiers=("self.user",)), lines)
    assert out.kind == "line-out-of-range"
    assert "16 lines" in out.detail
    assert [p.kind for p in check_lines(Claim(line=0), lines)] == ["line-out-of-range"]
    assert check_lines(Claim(cwe=78), lines) == []  # no line: nothing to check


def test_check_claim_combines_catalog_and_lines() -> None:
    claim = Claim(line=1, cwe=703, cwe_name="Incorrect Comparison")
    assert [p.kind for p in check_claim(claim)] == ["cwe-name-mismatch"]
    assert [p.kind for p in check_claim(claim, SOURCE)] == [
        "cwe-name-mismatch",
        "claim-on-non-code",
    ]


def test_quoted_identifiers() -> None:
    text = (
        "In line 127, the 'os.execl' function runs the 'haproxy' binary with the '-f' option; "
        "'self.user' is compared to \"cfg.CONF.metadata_proxy_user\" as `import errno` says, "
        "distributed on an \"AS IS\" BASIS. Don't worry, it's fine."
    )
    assert quoted_identifiers(text) == (
        "os.execl",
        "haproxy",
        "self.user",
        "cfg.CONF.metadata_proxy_user",
        "import errno",
    )


def test_quoted_identifiers_leave_out_payloads_and_places() -> None:
    text = "Append `; rm -rf /` or `../../etc/passwd` in `app/db.py:42`; see `try:` and `host`."
    assert quoted_identifiers(text) == ("try:", "host")


def test_identifier_in() -> None:
    assert identifier_in("self.user", "        self.user = user or str(os.geteuid())")
    assert identifier_in("os.execl(path, '-f')", "os.execl(path,  '-f')")
    assert not identifier_in("self.group", "self.user = user")
    assert not identifier_in("state_path", "self.state_paths = []")  # whole words only


def test_lines_are_numbered_as_python_numbers_them() -> None:
    """Only newlines end a line: a form feed (a page break in old code) or a Unicode line
    separator inside a string must not shift the lines after it."""
    text = 'import os\n\x0c\nTEXT = "a\u2028b"\r\nos.system(TEXT)\n'
    source = SourceLines(text)
    assert len(source) == 4 and source.line(4) == "os.system(TEXT)"
    assert source.kinds == ["import", "blank", "code", "code"]
    claim = Claim(line=4, cwe=78, identifiers=("os.system",))
    assert check_claim(claim, source) == []
    assert [p.kind for p in check_claim(Claim(line=5, cwe=78), source)] == ["line-out-of-range"]
