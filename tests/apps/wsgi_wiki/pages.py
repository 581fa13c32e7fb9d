"""Wiki pages on disk and their index."""

import html
import os
import sqlite3

PAGES = "/srv/wiki/pages"
INDEX = "/srv/wiki/index.db"


def load(title):
    with open(os.path.join(PAGES, title + ".txt"), encoding="utf-8") as handle:
        return "<pre>" + html.escape(handle.read()) + "</pre>"


def section(name):
    with open(os.path.join(PAGES, "sections", name + ".txt"), encoding="utf-8") as handle:
        return "<pre>" + html.escape(handle.read()) + "</pre>"


def search(text):
    with sqlite3.connect(INDEX) as conn:
        rows = conn.execute(
            "SELECT title FROM pages WHERE body MATCH '" + text + "'"
        ).fetchall()
    return "".join(f"<li>{html.escape(row[0])}</li>" for row in rows)
