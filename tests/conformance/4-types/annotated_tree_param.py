"""A parameter annotated with a tree class: `storage.save(...)` resolves to that class's
method only, not to the same-named method of another storage class."""

import os

from flask import Flask, current_app, request

app = Flask(__name__)
MEDIA_ROOT = "/srv/media"
SPOOL_DIR = "/var/spool/reports"


class LocalStorage:
    def save(self, name: str, data: bytes) -> None:
        with open(os.path.join(MEDIA_ROOT, name), "wb") as out:  # expect: path-traversal
            out.write(data)


class SpoolStorage:
    def save(self, name: str, data: bytes) -> None:
        with open(os.path.join(SPOOL_DIR, name), "wb") as out:  # ok: path-traversal
            out.write(data)


def store_upload(storage: LocalStorage, name: str, data: bytes) -> None:
    storage.save(name, data)


def spool_daily_report(storage: SpoolStorage, data: bytes) -> None:
    storage.save("daily-report.csv", data)


@app.route("/media", methods=["POST"])
def upload():
    store_upload(current_app.extensions["media"], request.form["name"], request.get_data())
    spool_daily_report(current_app.extensions["spool"], b"uploads,1\n")
    return "", 201
