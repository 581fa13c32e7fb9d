"""A lookup in a mapping whose values are constants gives a constant: `COLUMNS[x]`,
`COLUMNS.get(x)`, `COLUMNS.get(x, "id")`. With the key itself as default it is the key."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
COLUMNS = {"newest": "created_at DESC", "oldest": "created_at ASC", "title": "title"}
db = sqlite3.connect("wiki.db", check_same_thread=False)


@app.get("/pages")
def pages():
    order = COLUMNS[request.args.get("sort", "newest")]
    return jsonify(db.execute(f"SELECT id, title FROM pages ORDER BY {order}").fetchall())  # ok: sql-injection


@app.get("/pages/recent")
def recent():
    order = COLUMNS.get(request.args.get("sort", ""), "created_at DESC")
    return jsonify(db.execute(f"SELECT id FROM pages ORDER BY {order} LIMIT 10").fetchall())  # ok: sql-injection


@app.get("/pages/drafts")
def drafts():
    order = COLUMNS.get(request.args.get("sort", "")) or "id"
    return jsonify(db.execute(f"SELECT id FROM drafts ORDER BY {order}").fetchall())  # ok: sql-injection


@app.get("/pages/archive")
def archive():
    sort = request.args.get("sort", "")
    order = COLUMNS.get(sort, sort)
    return jsonify(db.execute(f"SELECT id FROM archive ORDER BY {order}").fetchall())  # expect: sql-injection
