"""Branches on constant conditions are folded: with `QUOTE_ARGS = True` never reassigned,
the unquoted path is infeasible; a condition the request decides is not folded."""

import shlex
import subprocess

from flask import Flask, request

app = Flask(__name__)
QUOTE_ARGS = True


def grep_command(term):
    if QUOTE_ARGS:
        term = shlex.quote(term)
    return f"grep -rn -- {term} /srv/docs"


def grep_command_raw(term, raw):
    if not raw:
        term = shlex.quote(term)
    return f"grep -rn -- {term} /srv/docs"


@app.get("/docs/search")
def search_docs():
    term = request.args.get("q", "")
    return subprocess.check_output(grep_command(term), shell=True)  # ok: command-injection


@app.get("/docs/search-raw")
def search_docs_raw():
    term = request.args.get("q", "")
    return subprocess.check_output(grep_command_raw(term, request.args.get("raw")), shell=True)  # expect: command-injection
