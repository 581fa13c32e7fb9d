"""A dict returned by a function keeps each value under its own constant key at the caller:
`filters["status"]` is the constant, `filters["owner"]` the request data."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


def read_filters():
    return {"status": "open", "owner": request.args.get("owner", ""), "limit": 20}


@app.get("/tickets")
def tickets():
    filters = read_filters()
    db = sqlite3.connect("helpdesk.db")
    mine = db.execute(f"SELECT id FROM tickets WHERE owner = '{filters['owner']}'")  # expect: sql-injection
    still_open = db.execute(  # ok: sql-injection
        f"SELECT id FROM tickets WHERE status = '{filters['status']}' LIMIT {filters['limit']}"
    )
    return jsonify(mine=mine.fetchall(), open=still_open.fetchall())
