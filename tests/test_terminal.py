"""The text report on a terminal: wrapped to the terminal's width, coloured by severity unless
NO_COLOR is set, never coloured into a pipe or a file, and ending with a summary line of
counts by severity and the files reviewed (issue 19, point 8).

The terminal is real: `secreview` runs as a program on a pseudo-terminal of a chosen size."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from secreview.cli import main

REPO = Path(__file__).resolve().parent.parent
ESCAPE = re.compile(r"\x1b\[[0-9;]*m")

APP = '''\
import pickle
import subprocess

import requests
from flask import Flask, request

app = Flask(__name__)


@app.post("/run")
def run():
    """A view whose findings have long messages and traces."""
    command = "nslookup " + request.form["host"] + " | grep --ignore-case address"
    return subprocess.run(command, shell=True, capture_output=True).stdout


@app.post("/restore")
def restore():
    return pickle.loads(request.get_data())


def fetch(url):
    return requests.get(url, verify=False, timeout=5).text
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "broken.py").write_text("def f(:\n")
    monkeypatch.chdir(tmp_path)
    for name in ("CI", "NO_COLOR", "COLUMNS", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def on_terminal(project: Path, columns: int, *args: str, **env: str) -> tuple[int, str]:
    """`secreview review ...` with standard output on a pseudo-terminal `columns` wide."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "COLUMNS")}
    environment.update(env, PYTHONPATH=str(REPO / "src"), TERM="xterm-256color")
    process = subprocess.Popen(
        [sys.executable, "-m", "secreview", "review", ".", "--no-cache", *args],
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the program ended and closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    code = process.wait(timeout=60)
    return code, b"".join(chunks).decode().replace("\r\n", "\n")


def test_terminal_width_and_colour(project: Path) -> None:
    code, out = on_terminal(project, 72)
    assert code == 1
    plain = ESCAPE.sub("", out)
    assert ESCAPE.search(out), "no colour on a terminal"
    assert "\x1b[1;31m" in out or "\x1b[31m" in out  # critical/high in red
    assert max(len(line) for line in plain.splitlines()) <= 72
    assert "summary" not in out.splitlines()[0].lower()
    code, wide = on_terminal(project, 160)
    assert max(len(line) for line in ESCAPE.sub("", wide).splitlines()) > 100


def test_no_colour_with_no_color_set(project: Path) -> None:
    code, out = on_terminal(project, 80, NO_COLOR="1")
    assert code == 1 and not ESCAPE.search(out)
    assert max(len(line) for line in out.splitlines()) <= 80


def test_never_colour_into_a_pipe_or_a_file(project: Path, capsys) -> None:
    assert main(["review", ".", "--no-cache"]) == 1
    piped = capsys.readouterr().out
    assert "\x1b" not in piped
    prose = [line for line in piped.splitlines() if not re.match(r"\d+\. |   \S+:\d+  ", line)]
    assert max(len(line) for line in prose) <= 100  # prose at 100 columns off a terminal
    assert any(len(line) > 100 for line in piped.splitlines())  # a heading stays one line
    code, _ = on_terminal(project, 72, "--output", "report.txt")
    assert code == 1
    assert "\x1b" not in (project / "report.txt").read_text()


def test_the_report_ends_with_a_summary(project: Path, capsys) -> None:
    assert main(["review", ".", "--no-cache"]) == 1
    last = capsys.readouterr().out.rstrip("\n").splitlines()[-1]
    assert last == (
        "Summary: 3 findings (2 critical, 1 high) in 2 files reviewed (23 lines), 1 not analysed."
    )
    (project / "broken.py").unlink()
    (project / "app.py").write_text("import json\n")
    assert main(["review", ".", "--no-cache"]) == 0
    assert capsys.readouterr().out == "No security defects are detected in the code.\n"


REVIEW_TEXT = """\
1. Improper Neutralization of Special Elements used in an OS Command (CWE-78), line 3:
   the host could potentially be manipulated without proper validation, which could lead to
   the execution of arbitrary commands if an attacker can manipulate the input.
"""


def test_the_audit_report_is_wrapped_at_the_terminal_width(project: Path) -> None:
    (project / "review.txt").write_text(REVIEW_TEXT)
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 60, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "COLUMNS")}
    environment.update(PYTHONPATH=str(REPO / "src"))
    process = subprocess.Popen(
        [sys.executable, "-m", "secreview", "audit", "review.txt"],
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=environment,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    process.wait(timeout=60)
    out = b"".join(chunks).decode().replace("\r\n", "\n")
    assert "vague" in out
    assert max(len(line) for line in out.splitlines()) <= 60
