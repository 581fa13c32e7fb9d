"""The views that queue jobs: what the request chose goes under some keys only."""

from flask import Flask, request
from tasks import JOBS, ConvertJob, MailJob, ThumbnailJob

app = Flask(__name__)


@app.route("/books/<int:book_id>/convert", methods=["POST"])
def convert(book_id):
    settings = {}
    settings["source_format"] = "epub"
    settings["target_format"] = request.form["format"].lower()
    JOBS.put(ConvertJob(f"books/{book_id}", settings))
    return "", 202


@app.route("/books/<int:book_id>/mail", methods=["POST"])
def mail(book_id):
    settings = dict(signature="signature.txt")
    settings["attachment"] = request.form["file"]
    JOBS.put(MailJob(settings))
    return "", 202


def default_options():
    return {"quality": 85}


def queue_thumbnail(name, size, retina):
    if retina:
        options = default_options()
        options["quality"] = 95
    else:
        options = dict()
    options["size"] = size
    options["name"] = name
    JOBS.put(ThumbnailJob(options))


@app.route("/books/<int:book_id>/thumbnail/<name>", methods=["POST"])
def thumbnail(book_id, name):
    queue_thumbnail(name, "256x256", request.args.get("retina") == "1")
    return "", 202
