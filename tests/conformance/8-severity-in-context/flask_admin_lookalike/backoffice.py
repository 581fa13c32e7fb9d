"""An admin decorator is recognised by what it checks, not by its name: `@admin_required`
that checks only login keeps the full severity; `@staff_only` that checks
`current_user.is_admin` drops one step."""

import sqlite3

from decorators import admin_required, staff_only
from flask import Flask, jsonify, request

app = Flask(__name__)


def db():
    return sqlite3.connect("/srv/shop/shop.db")


@app.route("/backoffice/orders")
@admin_required
def orders():
    status = request.args.get("status", "open")
    rows = db().execute(f"SELECT id, total FROM orders WHERE status = '{status}'").fetchall()  # expect: sql-injection  # severity: high
    return jsonify(rows)


@app.route("/backoffice/refunds")
@staff_only
def refunds():
    since = request.args.get("since", "2024-01-01")
    rows = db().execute(f"SELECT id FROM refunds WHERE created >= '{since}'").fetchall()  # expect: sql-injection  # severity: medium
    return jsonify(rows)


@app.route("/backoffice/customers")
@staff_only
def customers():
    name = request.args.get("name", "")
    rows = db().execute("SELECT id FROM customers WHERE name = ?", (name,)).fetchall()  # ok: sql-injection
    return jsonify(rows)
