"""An exception caught and re-raised as another class, with the request's value in the new
message, reaches the handler that catches the new class; the constant-message one does not."""

import logging

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)
DIRECTORY_API = "https://directory.internal.example.com/users/"


class LookupFailed(Exception):
    pass


class DirectoryDown(Exception):
    pass


def _get_user(username):
    response = requests.get(DIRECTORY_API, params={"name": username}, timeout=3)
    if response.status_code >= 500:
        raise DirectoryDown("directory returned a server error")
    response.raise_for_status()
    return response.json()


def lookup(username):
    try:
        return _get_user(username)
    except requests.HTTPError as exc:
        raise LookupFailed(f"no directory entry for {username}") from exc


def profile_for(username):
    return {"user": lookup(username), "source": "directory"}


@app.route("/profile")
def profile():
    try:
        return jsonify(profile_for(request.args["user"]))
    except LookupFailed as exc:
        log.warning(f"profile lookup failed: {exc}")  # expect: log-injection
        return jsonify(error="not found"), 404
    except DirectoryDown as exc:
        log.error(f"profile lookup unavailable: {exc}")  # ok: log-injection
        return jsonify(error="unavailable"), 503
