"""The product catalogue."""

import sqlite3

DATABASE = "/srv/shop/catalog.db"


def by_category(category):
    with sqlite3.connect(DATABASE) as conn:
        if category == "all":
            return conn.execute("SELECT sku, name FROM products").fetchall()
        sql = "SELECT sku, name FROM products WHERE category = '%s'" % category
        return conn.execute(sql).fetchall()


def by_sku(sku):
    with sqlite3.connect(DATABASE) as conn:
        return conn.execute("SELECT * FROM products WHERE sku = ?", (sku,)).fetchall()


def reserve(sku, quantity):
    with sqlite3.connect(DATABASE) as conn:
        conn.execute("UPDATE stock SET held = held + ? WHERE sku = ?", (quantity, sku))


def order_lines(order_id):
    with sqlite3.connect(DATABASE) as conn:
        sql = "SELECT sku, quantity FROM order_lines WHERE order_id = ?"
        return conn.execute(sql, (order_id,)).fetchall()
