"""A property's value has the type its getter returns: `self.warehouse` built by a
`cached_property` returning `sqlite3.connect(...)` makes `.execute` a query sink."""

import sqlite3
from functools import cached_property

from flask import Flask, jsonify, request

app = Flask(__name__)


class SalesReport:
    def __init__(self, region):
        self.region = region

    @cached_property
    def warehouse(self):
        return sqlite3.connect("/srv/warehouse/sales.db")

    def top_products(self, since):
        sql = f"SELECT sku, sum(qty) FROM sales WHERE region = ? AND day >= '{since}' GROUP BY sku"
        return self.warehouse.execute(sql, (self.region,)).fetchall()  # expect: sql-injection

    def totals(self, since):
        sql = "SELECT sum(amount) FROM sales WHERE region = ? AND day >= ?"
        return self.warehouse.execute(sql, (self.region, since)).fetchone()  # ok: sql-injection


@app.route("/reports/<region>")
def report(region):
    since = request.args.get("since", "2024-01-01")
    sales = SalesReport(region)
    return jsonify(top=sales.top_products(since), totals=sales.totals(since))
