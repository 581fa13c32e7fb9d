"""Notes storage on SQLite."""

from __future__ import annotations

import sqlite3

DATABASE = "/srv/notes/notes.db"


def connect() -> sqlite3.Connection:
    connection = sqlite3.connect(DATABASE)
    connection.row_factory = sqlite3.Row
    return connection


def search_notes(term: str) -> list[dict]:
    with connect() as connection:
        rows = connection.execute(
            f"SELECT id, title FROM notes WHERE title LIKE '%{term}%' ORDER BY id"
        ).fetchall()
    return [dict(row) for row in rows]


def get_note(note_id: int) -> dict | None:
    with connect() as connection:
        row = connection.execute(
            "SELECT id, title, body FROM notes WHERE id = ?", (note_id,)
        ).fetchone()
    return dict(row) if row else None


def add_note(title: str, body: str) -> int:
    with connect() as connection:
        cursor = connection.execute("INSERT INTO notes (title, body) VALUES (?, ?)", (title, body))
        return int(cursor.lastrowid or 0)
