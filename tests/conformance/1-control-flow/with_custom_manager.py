"""A project's own context manager: one whose `__exit__` returns True swallows the check's
exception (the code after the block sees the unchecked value), one that returns False does not."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
TABLES = ("invoices", "payments", "refunds")


class transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        return self.db

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.db.rollback()
        return False


class best_effort:
    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        return True  # errors are ignored on purpose


@app.get("/tables/count")
def count_rows():
    table = request.args.get("table", "")
    db = sqlite3.connect("billing.db")
    with transaction(db):
        if table not in TABLES:
            raise LookupError(table)
    return jsonify(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone())  # ok: sql-injection


@app.get("/tables/size")
def table_size():
    table = request.args.get("table", "")
    db = sqlite3.connect("billing.db")
    with best_effort():
        if table not in TABLES:
            raise LookupError(table)
    return jsonify(db.execute(f"SELECT SUM(pgsize) FROM dbstat WHERE name = '{table}'").fetchone())  # expect: sql-injection
