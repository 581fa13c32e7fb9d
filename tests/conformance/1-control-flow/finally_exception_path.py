"""A `raise` inside `try`/`finally` is not a fall-through: after the `finally` block only the
path that completed the `try` continues. The exceptional path still runs `finally` itself."""

import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
SORT_COLUMNS = ("created_at", "title", "author")


class BadSort(Exception):
    pass


@app.errorhandler(BadSort)
def bad_sort(error):
    return "bad sort", 400


@app.get("/articles")
def articles():
    order = request.args.get("sort", "created_at")
    db = sqlite3.connect("blog.db")
    try:
        if order not in SORT_COLUMNS:
            raise BadSort(order)
    finally:
        db.execute(f"INSERT INTO audit (event) VALUES ('sort {order}')")  # expect: sql-injection
    rows = db.execute(f"SELECT id, title FROM articles ORDER BY {order}").fetchall()  # ok: sql-injection
    return jsonify(rows)


@app.get("/drafts")
def drafts():
    order = request.args.get("sort", "created_at")
    db = sqlite3.connect("blog.db")
    try:
        if order not in SORT_COLUMNS:
            abort(400)
    finally:
        db.commit()
    return jsonify(db.execute(f"SELECT id FROM drafts ORDER BY {order}").fetchall())  # ok: sql-injection
