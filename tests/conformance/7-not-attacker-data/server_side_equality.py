"""After `fmt == <server-side value>` (a database lookup, a config value) holds, `fmt` is
that value, not attacker data; equal to another request value, it still is."""

import sqlite3
import subprocess

from flask import Flask, abort, current_app, request

app = Flask(__name__)
app.config.from_prefixed_env()
BOOKS = "/srv/library/books"


def get_format(book_id):
    conn = sqlite3.connect("/srv/library/catalogue.db")
    row = conn.execute("SELECT format FROM books WHERE id = ?", (book_id,)).fetchone()
    return row[0] if row else None


@app.route("/books/<int:book_id>/download")
def download(book_id):
    fmt = request.args.get("format", "")
    if fmt == get_format(book_id):
        return subprocess.check_output(f"unzip -p {BOOKS}/{book_id}.zip book.{fmt}", shell=True)  # ok: command-injection
    return subprocess.check_output(f"unzip -p {BOOKS}/{book_id}.zip book.{fmt}", shell=True)  # expect: command-injection


@app.route("/books/<int:book_id>/export", methods=["POST"])
def export(book_id):
    fmt = request.form["format"]
    if fmt != current_app.config["EXPORT_FORMAT"]:
        abort(400)
    subprocess.run(f"ebook-convert {BOOKS}/{book_id}.pdf /tmp/{book_id}.{fmt}", shell=True)  # ok: command-injection
    return "", 202


@app.route("/books/<int:book_id>/convert", methods=["POST"])
def convert(book_id):
    fmt = request.form["format"]
    if fmt != request.form.get("confirm_format"):
        abort(400)
    subprocess.run(f"ebook-convert {BOOKS}/{book_id}.pdf /tmp/{book_id}.{fmt}", shell=True)  # expect: command-injection
    return "", 202
