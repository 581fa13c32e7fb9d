"""A check made in a callee that returns its verdict protects its argument in the caller on
the branch where the verdict says it holds, as a check written in place does; a callee whose
verdict is no check protects nothing."""

import os

from flask import Flask, abort, request

from validation import has_text, is_clean_tag, is_commit_id, is_known_branch, looks_like_ref

app = Flask(__name__)


@app.post("/deploy")
def deploy():
    branch = request.form.get("branch", "main")
    if not is_known_branch(branch):
        abort(400)
    os.system(f"git -C /srv/app fetch origin {branch}")  # ok: command-injection
    commit = request.form.get("commit", "")
    valid = is_commit_id(commit)
    if not valid:
        abort(400)
    os.system(f"git -C /srv/app checkout {commit}")  # ok: command-injection
    return "", 202


@app.post("/deploy/tag")
def deploy_tag():
    tag = request.form.get("tag", "")
    if is_clean_tag(tag):
        os.system(f"git -C /srv/app checkout {tag}")  # ok: command-injection
    else:
        os.system(f"logger rejected tag {tag}")  # expect: command-injection
    return "", 202


@app.post("/deploy/ref")
def deploy_ref():
    ref = request.form.get("ref", "")
    if not looks_like_ref(ref) or not has_text(ref):
        abort(400)
    os.system(f"git -C /srv/preview checkout {ref}")  # expect: command-injection
    return "", 202
