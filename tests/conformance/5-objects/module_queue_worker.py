"""A module-level queue filled by a handler and drained by a worker thread: the worker's
`get()` returns the handler's data; a second queue fed only constants stays clean."""

import queue
import subprocess
import threading

from flask import Flask, request

app = Flask(__name__)
conversions = queue.Queue()
maintenance = queue.Queue()


def convert_worker():
    while True:
        name = conversions.get()
        subprocess.run(f"soffice --headless --convert-to pdf /srv/docs/{name}", shell=True)  # expect: command-injection
        conversions.task_done()


def maintenance_worker():
    while True:
        task = maintenance.get()
        subprocess.run(f"/usr/local/bin/docs-maintenance {task}", shell=True)  # ok: command-injection
        maintenance.task_done()


@app.route("/documents/convert", methods=["POST"])
def convert():
    conversions.put(request.form["document"])
    maintenance.put("purge-previews")
    return "", 202


threading.Thread(target=convert_worker, daemon=True).start()
threading.Thread(target=maintenance_worker, daemon=True).start()
