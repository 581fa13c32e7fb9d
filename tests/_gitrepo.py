"""A real temporary git repository for the change-review tests: write, commit, stage."""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

# Isolated from the developer's git config (hooks, signing, default branch, templates).
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}


class GitRepo:
    def __init__(self, root: Path):
        self.root = root
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args],
            cwd=self.root,
            env={**os.environ, **GIT_ENV},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def write(self, path: str, text: str) -> Path:
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return target

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


# A Flask view whose parameter reaches a shell through a helper in another module: the
# source, the call and the sink are on different lines (and files), for trace scoping.
VIEWS = """
from flask import Flask, request

from app import shell

app = Flask(__name__)


@app.route("/ping")
def ping():
    host = request.args.get("host", "")
    return shell.ping(host)
"""

SHELL_SAFE = """
import subprocess


def ping(host):
    return subprocess.run(["ping", "-c", "1", host]).returncode
"""

SHELL_UNSAFE = """
import subprocess


def ping(host):
    return subprocess.run("ping -c 1 " + host, shell=True).returncode
"""


RULES = ("command-injection", "shell-true-non-constant", "unsafe-yaml-load")


def flask_repo(root: Path) -> GitRepo:
    """A repository whose first commit is a clean Flask app."""
    repo = GitRepo(root)
    # the rules these tests are about, so rules added later cannot change their results
    repo.write(".secreview.toml", f"rules = {list(RULES)!r}\n".replace("'", '"'))
    repo.write("app/__init__.py", "")
    repo.write("app/views.py", VIEWS)
    repo.write("app/shell.py", SHELL_SAFE)
    repo.commit("base")
    return repo
