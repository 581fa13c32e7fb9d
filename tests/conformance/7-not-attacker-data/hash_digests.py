"""A hash digest of request data names a cache file and goes into a command: a digest is
hex text, not attacker data, whichever hash function made it."""

import hashlib
import hmac
import os
import subprocess

from flask import Flask, request, send_file

app = Flask(__name__)
CACHE_DIR = "/var/cache/thumbs"
SIGNING_KEY = os.environ.get("THUMB_KEY", "").encode()


@app.route("/thumb")
def thumb():
    source = request.args["src"]
    name = hashlib.sha256(source.encode()).hexdigest()
    return send_file(os.path.join(CACHE_DIR, name + ".png"))  # ok: path-traversal


@app.route("/thumb/blake")
def thumb_blake():
    key = hashlib.blake2b(request.args["src"].encode(), digest_size=16).hexdigest()
    return send_file(os.path.join(CACHE_DIR, key))  # ok: path-traversal


@app.route("/thumb/rebuild", methods=["POST"])
def rebuild():
    digest = hashlib.new("sha512", request.form["src"].encode()).hexdigest()
    subprocess.run(f"thumbnailer --rebuild {digest}", shell=True)  # ok: command-injection
    return "", 202


@app.route("/thumb/signed")
def signed():
    sig = hmac.new(SIGNING_KEY, request.args["src"].encode(), hashlib.sha256).hexdigest()
    return send_file(os.path.join(CACHE_DIR, "signed", sig))  # ok: path-traversal


@app.route("/thumb/raw")
def thumb_raw():
    name = request.args["name"]
    return send_file(os.path.join(CACHE_DIR, name))  # expect: path-traversal


@app.route("/thumb/raw-rebuild", methods=["POST"])
def rebuild_raw():
    subprocess.run(f"thumbnailer --rebuild {request.form['src']}", shell=True)  # expect: command-injection
    return "", 202
