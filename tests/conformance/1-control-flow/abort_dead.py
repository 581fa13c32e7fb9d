"""Code after an unconditional `abort()` is dead: a retired endpoint that still holds its
old body reports nothing, while the same body behind a condition is live."""

import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)


@app.get("/v1/search")
def search_v1():
    abort(410)  # retired: clients must use /v2/search
    term = request.args.get("q", "")
    db = sqlite3.connect("catalog.db")
    rows = db.execute(f"SELECT id, name FROM products WHERE name LIKE '%{term}%'")  # ok: sql-injection
    return jsonify(rows.fetchall())


@app.get("/v1/lookup")
def lookup_v1():
    if request.args.get("strict") == "1":
        abort(410)
    term = request.args.get("q", "")
    db = sqlite3.connect("catalog.db")
    rows = db.execute(f"SELECT id, name FROM products WHERE sku = '{term}'")  # expect: sql-injection
    return jsonify(rows.fetchall())
