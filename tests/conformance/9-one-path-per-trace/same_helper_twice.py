"""One view calls the same helper twice, with request data and with a constant: each call
site has its own result."""

import logging
import subprocess

from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger("git")


def revision(ref):
    return ref.strip() or "HEAD"


@app.route("/diff")
def diff():
    theirs = revision(request.args.get("against", ""))  # step: log-injection
    ours = revision("main")  # not-step: log-injection
    log.info("diff of main against " + theirs)  # expect: log-injection
    return subprocess.check_output(f"git -C /srv/repo diff --stat {ours}", shell=True)  # ok: command-injection
