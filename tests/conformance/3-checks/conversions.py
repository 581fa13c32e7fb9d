"""Conversion with `int()`, `float()`, `uuid.UUID()`, `bool()` or `len()` gives a value that is
not attacker text; `str()` and `.strip()` keep the text as it came."""

import sqlite3
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)
db = sqlite3.connect("shop.db", check_same_thread=False)


@app.get("/orders")
def orders():
    customer = int(request.args["customer"])
    min_total = float(request.args.get("min_total", "0"))
    token = uuid.UUID(request.args["token"])
    archived = bool(request.args.get("archived"))
    note_length = len(request.args.get("note", ""))
    rows = db.execute(  # ok: sql-injection
        f"SELECT id FROM orders WHERE customer_id = {customer} AND total >= {min_total}"
        f" AND token = '{token}' AND archived = {archived} AND length(note) <= {note_length}"
    )
    return jsonify(rows.fetchall())


@app.get("/orders/by-ref")
def orders_by_ref():
    reference = str(request.args["ref"]).strip()
    rows = db.execute(f"SELECT id FROM orders WHERE reference = '{reference}'")  # expect: sql-injection
    return jsonify(rows.fetchall())
