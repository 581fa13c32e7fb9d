"""Notes service: a small Flask app that keeps notes, pings hosts and imports settings.

This module only wires HTTP routes to the helpers in `services`; the dangerous calls live
two modules away, which is what makes the flows hard to spot in a diff of one file.
"""

from __future__ import annotations

import base64
import pickle

from flask import Flask, abort, jsonify, request

import services
import storage

app = Flask(__name__)
app.config["NOTES_DIR"] = "/srv/notes/files"


@app.get("/notes/search")
def search_notes():
    term = request.args.get("q", "")
    return jsonify(storage.search_notes(term))


@app.get("/notes/<int:note_id>")
def get_note(note_id: int):
    note = storage.get_note(note_id)
    if note is None:
        abort(404)
    return jsonify(note)


@app.get("/attachments")
def download_attachment():
    name = request.args["name"]
    return services.read_attachment(app.config["NOTES_DIR"], name)


@app.post("/diagnostics/ping")
def ping():
    host = request.form["host"]
    return jsonify(output=services.check_host(host))


@app.post("/diagnostics/traceroute")
def traceroute():
    host = request.form["host"]
    return jsonify(output=services.trace_route(host))


@app.post("/settings/import")
def import_settings():
    settings = services.parse_settings(request.get_data())
    return jsonify(imported=sorted(settings))


@app.post("/calc")
def calculate():
    expression = request.form.get("expression", "0")
    return jsonify(result=eval(expression))


@app.get("/preferences")
def preferences():
    cookie = request.cookies.get("prefs")
    if not cookie:
        return jsonify({})
    prefs = pickle.loads(base64.b64decode(cookie))
    return jsonify(prefs)


@app.post("/webhooks/forward")
def forward_webhook():
    status = services.forward_event(request.get_json(force=True))
    return jsonify(status=status)


if __name__ == "__main__":
    app.run(port=8080)
