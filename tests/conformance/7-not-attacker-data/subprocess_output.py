"""What a command prints is the program's output, not the arguments it was given: writing
git's output into a page is not reflected xss; writing the requested path is."""

import html
import subprocess

from flask import Flask, request

app = Flask(__name__)
REPO = "/srv/wiki.git"


@app.route("/wiki/history")
def history():
    page = request.args["page"]
    log = subprocess.run(
        ["git", "-C", REPO, "log", "--format=%h %an %s", "--", page],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return f"<h1>History of {html.escape(page)}</h1><pre>{log}</pre>"  # ok: xss


@app.route("/wiki/blame")
def blame():
    page = request.args["page"]
    proc = subprocess.Popen(["git", "-C", REPO, "blame", "--", page], stdout=subprocess.PIPE)
    out, _ = proc.communicate(timeout=10)
    return "<pre>" + out.decode() + "</pre>"  # ok: xss


@app.route("/wiki/missing")
def missing():
    page = request.args["page"]
    return f"<p>No history for {page}</p>"  # expect: xss
