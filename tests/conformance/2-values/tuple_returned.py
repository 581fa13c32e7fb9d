"""A tuple returned by a function keeps its elements apart at the caller: indexing it with a
constant gives that element alone."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
PAGE_SIZE = 50


def paging():
    return PAGE_SIZE, request.args.get("after", "")


@app.get("/events")
def events():
    page = paging()
    db = sqlite3.connect("events.db")
    recent = db.execute(f"SELECT id FROM events ORDER BY id DESC LIMIT {page[0]}")  # ok: sql-injection
    older = db.execute(f"SELECT id FROM events WHERE id > '{page[1]}' LIMIT 50")  # expect: sql-injection
    return jsonify(recent=recent.fetchall(), older=older.fetchall())
