"""The snapshot catalogue."""

import sqlite3

DATABASE = "/var/lib/backup/catalog.db"


def snapshots_for(host):
    with sqlite3.connect(DATABASE) as conn:
        rows = conn.execute(f"SELECT id, taken FROM snapshots WHERE host = '{host}'")
        return rows.fetchall()


def snapshot(snapshot_id):
    with sqlite3.connect(DATABASE) as conn:
        rows = conn.execute("SELECT * FROM snapshots WHERE id = ?", (snapshot_id,))
        return rows.fetchall()


def listing(host):
    with sqlite3.connect(DATABASE) as conn:
        rows = conn.execute("SELECT id, taken FROM snapshots WHERE host = ?", (host,))
        return rows.fetchall()
