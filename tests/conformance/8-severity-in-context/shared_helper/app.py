"""A sink in a helper module takes the severity of the endpoints that reach it: reached only
from admin endpoints it drops one step; reached from a public endpoint too, it keeps the
full severity."""

import jobs
from auth import admin_required
from flask import Flask, request

app = Flask(__name__)


@app.route("/admin/collections/<name>/reindex", methods=["POST"])
@admin_required
def reindex(name):
    jobs.reindex(name)
    return "", 202


@app.route("/admin/collections/<name>/stats")
@admin_required
def stats(name):
    return jobs.collection_stats(name)


@app.route("/admin/media/<name>/thumbnail", methods=["POST"])
@admin_required
def admin_thumbnail(name):
    jobs.make_thumbnail(name)
    return "", 202


@app.route("/media/upload", methods=["POST"])
def upload():
    blob = request.files["file"]
    blob.save(f"/srv/media/{blob.filename}")
    jobs.make_thumbnail(blob.filename)
    return "", 201
