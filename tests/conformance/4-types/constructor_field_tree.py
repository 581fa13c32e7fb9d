"""Fields typed by their constructor assignment: `self.db = Database(...)` makes `self.db.run`
that class's method, and `self.handle = sqlite3.connect(...)` makes `.execute` a query sink."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)


class Database:
    def __init__(self, path):
        self.handle = sqlite3.connect(path, check_same_thread=False)

    def run(self, sql):
        return self.handle.execute(sql).fetchall()  # expect: sql-injection

    def run_bound(self, sql, params):
        return self.handle.execute(sql, params).fetchall()  # ok: sql-injection


class OrderService:
    def __init__(self):
        self.db = Database("/srv/shop/orders.db")

    def by_customer(self, customer):
        return self.db.run(f"SELECT id, total FROM orders WHERE customer = '{customer}'")

    def by_status(self, status):
        return self.db.run_bound("SELECT id, total FROM orders WHERE status = ?", (status,))


orders_service = OrderService()


@app.route("/orders")
def orders():
    return jsonify(
        mine=orders_service.by_customer(request.args["customer"]),
        open=orders_service.by_status(request.args.get("status", "open")),
    )
