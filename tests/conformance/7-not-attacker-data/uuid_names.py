"""Upload names made with `uuid4()` (or `uuid5` of the client's name) are not attacker
data; a name the client supplies, or one it can supply instead of the UUID, is."""

import os
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)
UPLOADS = "/srv/uploads"


@app.route("/files", methods=["POST"])
def upload():
    blob = request.files["file"]
    stored = uuid.uuid4().hex
    blob.save(os.path.join(UPLOADS, stored))
    with open(os.path.join(UPLOADS, stored + ".meta"), "w") as meta:  # ok: path-traversal
        meta.write(blob.filename or "")
    return jsonify(id=stored)


@app.route("/files/by-name", methods=["POST"])
def upload_by_name():
    blob = request.files["file"]
    stored = str(uuid.uuid5(uuid.NAMESPACE_URL, request.form["origin"]))
    with open(os.path.join(UPLOADS, stored), "wb") as out:  # ok: path-traversal
        out.write(blob.read())
    return jsonify(id=stored)


@app.route("/files/resumable", methods=["POST"])
def upload_resumable():
    upload_id = request.headers.get("X-Upload-Id") or uuid.uuid4().hex
    with open(os.path.join(UPLOADS, upload_id), "ab") as out:  # expect: path-traversal
        out.write(request.get_data())
    return jsonify(id=upload_id)


@app.route("/files/named", methods=["POST"])
def upload_named():
    blob = request.files["file"]
    with open(os.path.join(UPLOADS, request.form["name"]), "wb") as out:  # expect: path-traversal
        out.write(blob.read())
    return "", 201
