"""The project's own path sanitisers, recognised from their bodies: one that removes path
separators and `..` clears path-traversal; one that strips `../` once does not."""

import os

from files.naming import clean_component, safe_name, strip_traversal
from flask import Flask, request, send_file

app = Flask(__name__)
STORE = "/srv/documents"


@app.route("/documents/<owner>/<name>")
def download(owner, name):
    return send_file(os.path.join(STORE, safe_name(owner), safe_name(name)))  # ok: path-traversal


@app.route("/documents", methods=["POST"])
def upload():
    target = os.path.join(STORE, clean_component(request.form["name"]))
    with open(target, "wb") as out:  # ok: path-traversal
        out.write(request.files["doc"].read())
    return "", 201


@app.route("/documents/legacy/<path:name>")
def legacy_download(name):
    return send_file(os.path.join(STORE, strip_traversal(name)))  # expect: path-traversal


@app.route("/documents/raw")
def raw_download():
    return send_file(os.path.join(STORE, request.args["path"]))  # expect: path-traversal
