"""`except` handlers inside a loop that `continue` or `break`: they leave the iteration,
so the statements after the `try` see only values whose check held."""

import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)
QUEUES = ("mail", "thumbnails", "exports")


@app.post("/queues/purge")
def purge():
    purged = []
    for queue in request.form.getlist("queue"):
        try:
            if queue not in QUEUES:
                raise LookupError(queue)
        except LookupError:
            continue
        subprocess.run(f"rq empty {queue}", shell=True)  # ok: command-injection
        purged.append(queue)
    return jsonify(purged=purged)


@app.post("/queues/pause")
def pause():
    for queue in request.form.getlist("queue"):
        try:
            if queue not in QUEUES:
                raise LookupError(queue)
        except LookupError:
            break
        subprocess.run(f"rq suspend {queue}", shell=True)  # ok: command-injection
    return "", 204


@app.post("/queues/resume")
def resume():
    for queue in request.form.getlist("queue"):
        try:
            if queue not in QUEUES:
                raise LookupError(queue)
        except LookupError:
            app.logger.info("skipping an unknown queue")
        subprocess.run(f"rq resume {queue}", shell=True)  # expect: command-injection
    return "", 204
