"""A branch under a constant-false condition (`if LEGACY_SEARCH:` with the flag `False` and
never reassigned, `if False:`) is dead; a sink there is not reported."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
LEGACY_SEARCH = False


@app.get("/books")
def books():
    term = request.args.get("q", "")
    db = sqlite3.connect("library.db")
    if LEGACY_SEARCH:
        rows = db.execute(f"SELECT id, title FROM books WHERE title LIKE '%{term}%'")  # ok: sql-injection
    else:
        rows = db.execute("SELECT id, title FROM books WHERE title LIKE ?", (f"%{term}%",))
    return jsonify(rows.fetchall())


@app.get("/authors")
def authors():
    term = request.args.get("q", "")
    db = sqlite3.connect("library.db")
    if False:
        db.execute(f"SELECT id FROM authors WHERE name = '{term}'")  # ok: sql-injection
    if request.args.get("legacy"):
        rows = db.execute(f"SELECT id, name FROM authors WHERE name LIKE '%{term}%'")  # expect: sql-injection
    else:
        rows = db.execute("SELECT id, name FROM authors WHERE name LIKE ?", (f"%{term}%",))
    return jsonify(rows.fetchall())
