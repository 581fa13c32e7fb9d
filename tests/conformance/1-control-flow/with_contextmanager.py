"""A `@contextmanager` generator that catches the exception around its `yield` swallows it,
like `contextlib.suppress`; one that only cleans up in `finally` lets it through."""

import os
import time
from contextlib import contextmanager

from flask import Flask, request

app = Flask(__name__)
UNITS = {"web", "worker", "scheduler"}


@contextmanager
def timed(label):
    started = time.monotonic()
    try:
        yield
    finally:
        app.logger.info("%s took %.2fs", label, time.monotonic() - started)


@contextmanager
def ignore_failures():
    try:
        yield
    except Exception:
        app.logger.exception("ignored")


@app.post("/units/start")
def start_unit():
    unit = request.form.get("unit", "")
    with timed("start"):
        if unit not in UNITS:
            raise ValueError(unit)
    os.system(f"systemctl start app-{unit}")  # ok: command-injection
    return "", 204


@app.post("/units/stop")
def stop_unit():
    unit = request.form.get("unit", "")
    with ignore_failures():
        if unit not in UNITS:
            raise ValueError(unit)
    os.system(f"systemctl stop app-{unit}")  # expect: command-injection
    return "", 204
