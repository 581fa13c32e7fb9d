"""A check made in a callee that raises when it fails protects its argument and the value it
returns in the caller; a callee that only normalises the text protects nothing."""

import os

from flask import Flask, request

from validation import normalise_ref, require_branch, require_sha

app = Flask(__name__)


@app.post("/deploy")
def deploy():
    branch = require_branch(request.form.get("branch", "main"))
    os.system(f"git -C /srv/app fetch origin {branch}")  # ok: command-injection
    commit = request.form.get("commit", "")
    require_sha(commit)
    os.system(f"git -C /srv/app checkout {commit}")  # ok: command-injection
    return "", 202


@app.post("/deploy/preview")
def preview():
    ref = normalise_ref(request.form.get("ref", ""))
    os.system(f"git -C /srv/preview checkout {ref}")  # expect: command-injection
    return "", 202
