"""What a file holds is what was written to it, not the name it was opened by: a template
read from a requested theme folder is reported once, as the path, never again as the page
it becomes. An uploaded file's own bytes are the uploader's."""

import gzip
import pathlib
import pickle
import subprocess

from flask import Flask, request

app = Flask(__name__)
THEMES = pathlib.Path("/srv/themes")


@app.route("/preview")
def preview():
    theme = request.args["theme"]
    with open(f"/srv/themes/{theme}/index.html") as fh:  # expect: path-traversal
        page = fh.read()
    return page  # ok: xss


@app.route("/preview/raw")
def preview_raw():
    theme = request.args["theme"]
    body = (THEMES / theme / "index.html").read_text()  # expect: path-traversal
    return body  # ok: xss


@app.route("/jobs/replay")
def replay():
    name = request.args["job"]
    with gzip.open(f"/var/spool/jobs/{name}.gz", "rb") as fh:  # expect: path-traversal
        script = fh.readline().decode()
    subprocess.run(script, shell=True)  # ok: command-injection
    return "", 204


@app.route("/state/import", methods=["POST"])
def import_state():
    upload = request.files["state"]
    state = pickle.loads(upload.read())  # expect: unsafe-deserialization
    return {"keys": len(state)}


@app.route("/echo")
def echo():
    theme = request.args["theme"]
    with open("/srv/themes/default/index.html") as fh:  # ok: path-traversal
        page = fh.read()
    return f"{page}<p>Theme {theme} is not installed.</p>"  # expect: xss


@app.route("/snapshots/restore", methods=["POST"])
def restore_snapshot():
    name = request.form["snapshot"]
    with open(f"/var/lib/app/snapshots/{name}", "rb") as fh:  # expect: path-traversal
        state = pickle.load(fh)  # expect: unsafe-deserialization
    return {"restored": len(state)}
