"""String, encoding, collection and path functions pass request data through (the result
is still attacker data); a client call that sends the data away returns the server's
answer instead."""

import base64
import json
import os
import subprocess
from urllib.parse import unquote

import requests
from flask import Flask, request

app = Flask(__name__)
MEDIA = "/srv/media"
CONVERTER = "http://converter.internal/api/jobs"


@app.route("/media/convert", methods=["POST"])
def convert():
    spec = json.loads(base64.urlsafe_b64decode(request.form["spec"]).decode())
    source = os.path.join(MEDIA, unquote(spec["source"]))
    subprocess.run(f"ffmpeg -i {source} /tmp/out.webm", shell=True)  # expect: command-injection
    args = " ".join(sorted(spec.get("flags", [])))
    subprocess.run("ffmpeg " + args.strip().lower(), shell=True)  # expect: command-injection
    return "", 202


@app.route("/media/convert-remote", methods=["POST"])
def convert_remote():
    job = requests.post(CONVERTER, json={"spec": request.form["spec"]}, timeout=30).json()
    subprocess.run(f"/opt/media/fetch-result {job['result_id']}", shell=True)  # ok: command-injection
    return "", 202
