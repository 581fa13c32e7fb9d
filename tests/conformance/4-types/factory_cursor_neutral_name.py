"""`catalog_cursor()` returns a DB-API cursor, so `.execute` on its result is a query sink
under any name; `.execute` on a returned tree object named `conn` is that class's own method."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
CATALOG = "/srv/shop/catalog.db"


class SearchConnection:
    """A connection to the in-process full-text index of product descriptions."""

    def __init__(self, documents):
        self.documents = documents

    def execute(self, text):
        needle = text.casefold()
        return [doc_id for doc_id, body in self.documents.items() if needle in body.casefold()]


_index = SearchConnection({1: "Blue cotton shirt", 2: "Leather boots"})


def catalog_cursor():
    return sqlite3.connect(CATALOG).cursor()


def search_connection():
    return _index


@app.route("/books")
def books():
    author = request.args.get("author", "")
    catalog = catalog_cursor()
    catalog.execute(f"SELECT title FROM books WHERE author = '{author}'")  # expect: sql-injection
    titles = catalog.fetchall()
    catalog.execute("SELECT count(*) FROM books WHERE author = ?", (author,))  # ok: sql-injection
    return jsonify(titles=titles, total=catalog.fetchone()[0])


@app.route("/products/search")
def search_products():
    conn = search_connection()
    return jsonify(ids=conn.execute(request.args["q"]))  # ok: sql-injection
