"""`functools.partial` binds arguments: request data given to a partial reaches the wrapped
function's parameter, and a partial bound to request data taints its result; constants do not."""

import functools
import subprocess

from flask import Flask, request

app = Flask(__name__)


def convert(fmt, page):
    subprocess.run(f"pandoc -t {fmt} -o /srv/export/{page}.{fmt} /srv/docs/{page}.md", shell=True, check=True)  # expect: command-injection


def archive(fmt, page):
    subprocess.run(f"tar -czf /srv/archive/{page}.{fmt}.tgz /srv/docs/{page}.md", shell=True, check=True)  # ok: command-injection


def build_command(tool, source):
    return f"{tool} --quiet /srv/docs/{source}"


@app.route("/docs/export", methods=["POST"])
def export_page():
    to_pdf = functools.partial(convert, "pdf")
    to_pdf(request.form["page"])
    keep = functools.partial(archive, "md")
    keep("index")
    return "", 202


@app.route("/docs/lint", methods=["POST"])
def lint_docs():
    chosen = functools.partial(build_command, request.form["linter"])
    spell = functools.partial(build_command, "aspell-check")
    subprocess.run(chosen("index.md"), shell=True, check=True)  # expect: command-injection
    subprocess.run(spell("index.md"), shell=True, check=True)  # ok: command-injection
    return "", 204
