"""`return` inside `try`/`finally`: the `finally` block also runs on the early return,
where the check failed; code after the statement runs only when the `try` completed."""

import os
import threading

from flask import Flask, request

app = Flask(__name__)
DEPLOY_LOCK = threading.Lock()
ENVIRONMENTS = {"staging", "production"}


@app.post("/deploy")
def deploy():
    target = request.form.get("env", "")
    DEPLOY_LOCK.acquire()
    try:
        if target not in ENVIRONMENTS:
            return "unknown environment", 400
        os.system(f"/opt/deploy/run.sh {target}")  # ok: command-injection
    finally:
        DEPLOY_LOCK.release()
        os.system(f"logger -t deploy finished {target}")  # expect: command-injection
    os.system(f"/opt/deploy/notify.sh {target}")  # ok: command-injection
    return "", 202
