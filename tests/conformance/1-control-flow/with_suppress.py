"""A `with contextlib.suppress(...)` block swallows the exception its check raises, so the
code after the block also runs with the unchecked value; a lock does not swallow it."""

import contextlib
import os
import threading

from flask import Flask, request

app = Flask(__name__)
BACKUP_LOCK = threading.Lock()
DATABASES = {"orders", "customers", "inventory"}


@app.post("/backups")
def backup():
    database = request.form.get("db", "")
    with BACKUP_LOCK:
        if database not in DATABASES:
            raise ValueError(database)
    os.system(f"pg_dump -Fc {database} > /backups/{database}.dump")  # ok: command-injection
    return "", 202


@app.post("/backups/verify")
def verify():
    database = request.form.get("db", "")
    with contextlib.suppress(ValueError):
        if database not in DATABASES:
            raise ValueError(database)
        os.system(f"pg_restore --list /backups/{database}.dump")  # ok: command-injection
    os.system(f"pg_dump --schema-only {database}")  # expect: command-injection
    return "", 202
