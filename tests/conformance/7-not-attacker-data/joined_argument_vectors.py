"""An argument vector joined into one line (`" ".join(argv)`) or copied (`[a for a in
argv]`, `list(argv)`) and run without a shell is still that vector: its program is the
first element. Windows' CreateProcess splits the line back into the program and its
arguments; POSIX runs a program named by the whole line, which a tail cannot turn into
another program. A shell, or a tainted first element, is command injection."""

import os
import subprocess

from flask import Flask, request

app = Flask(__name__)
CONVERTER = "/usr/bin/ebook-convert"


def run_tool(argv, env=None):
    """Run a tool the same way on Windows (one command line) and POSIX (a vector)."""
    if os.name == "nt":
        line = " ".join(argv)
    else:
        line = [part for part in argv]
    return subprocess.Popen(line, shell=False, env=env, stdout=subprocess.PIPE)  # ok: command-injection


def run_quoted(argv, quoted=()):
    """Windows needs quotes around the arguments that may hold spaces."""
    if os.name == "nt":
        for position, part in enumerate(argv):
            if position in quoted:
                argv[position] = '"' + part + '"'
        line = " ".join(argv)
    else:
        line = list(argv)
    return subprocess.Popen(line, shell=False)  # ok: command-injection


def launch(argv):
    """As run_tool, for tools the caller names."""
    if os.name == "nt":
        line = " ".join(argv)
    else:
        line = [part for part in argv]
    return subprocess.Popen(line, shell=False)  # expect: command-injection


def run_shell_line(argv):
    """The same joined line given to a shell: every part is parsed by /bin/sh."""
    return subprocess.Popen(" ".join(argv), shell=True)  # expect: command-injection


def run_filtered(argv):
    """A copy that drops elements may move an argument into the program's place."""
    line = [part for part in argv if part]
    return subprocess.Popen(line)  # expect: command-injection


@app.route("/convert/<fmt>")
def convert(fmt):
    run_tool([CONVERTER, "in.epub", "--output-format", fmt])
    run_quoted([CONVERTER, "in.epub", "--output-format", fmt], quoted=(1,))
    return "ok"


@app.route("/convert-shell/<fmt>")
def convert_shell(fmt):
    run_shell_line([CONVERTER, "in.epub", "--output-format", fmt])
    return "ok"


@app.route("/convert-filtered/<fmt>")
def convert_filtered(fmt):
    run_filtered(["", CONVERTER, fmt])
    return "ok"


@app.route("/run-tool")
def run_requested_tool():
    tool = request.args["tool"]
    launch([tool, "--version"])  # the program itself is the attacker's
    return "ok"


@app.route("/ping")
def ping():
    host = request.args["host"]
    subprocess.Popen(" ".join(["ping", "-c", "1", host]))  # ok: command-injection
    subprocess.Popen(" ".join([host, "-v"]))  # expect: command-injection
    subprocess.Popen(" ".join(["ping", "-c", "1", host]), shell=True)  # expect: command-injection
    argv = [host, "-c", "1"]
    subprocess.Popen(" ".join(argv))  # expect: command-injection
    return "ok"
