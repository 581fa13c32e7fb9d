"""Handlers that use one field of a record: the client's name, or the server's own path."""

import os
import shutil

from flask import Flask, request

from intake import export_for, receive, receive_checked

app = Flask(__name__)


@app.route("/tickets/attachments", methods=["POST"])
def attach():
    record = receive(request.files["file"])
    shutil.copy(record.stored_path, "/srv/helpdesk/inbox")  # ok: path-traversal
    os.unlink(record.thumbnail)  # ok: path-traversal
    return "stored"


@app.route("/tickets/attachments/rename", methods=["POST"])
def rename():
    record = receive(request.files["file"])
    os.rename(record.stored_path, os.path.join("/srv/helpdesk/inbox", record.original_name))  # expect: path-traversal
    return "renamed"


@app.route("/tickets/attachments/checked", methods=["POST"])
def attach_checked():
    record, error = receive_checked(request.files["file"])
    if error:
        return error, 400
    os.unlink(record.thumbnail)  # ok: path-traversal
    with open(os.path.join("/srv/helpdesk/inbox", record.original_name), "wb") as out:  # expect: path-traversal
        out.write(b"")
    return "stored"


@app.route("/tickets/export", methods=["POST"])
def export():
    job = export_for(request.form["label"])
    with open(job.target, "w") as out:  # ok: path-traversal
        out.write(job.label)
    with open(job.label, "w") as out:  # expect: path-traversal
        out.write("")
    return "exported"
