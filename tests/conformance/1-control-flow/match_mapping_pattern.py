"""`match` on a JSON body with mapping and class patterns: a name bound under a literal
alternative (`("a" | "b") as x`) is a constant; one bound by `str(x)` is request data."""

import os

from flask import Flask, request

app = Flask(__name__)


@app.post("/ops")
def ops():
    match request.get_json():
        case {"action": "restart", "service": ("nginx" | "redis") as service}:
            os.system(f"systemctl restart {service}")  # ok: command-injection
        case {"action": "restart", "service": str(service)}:
            os.system(f"systemctl try-restart {service}")  # expect: command-injection
        case {"action": "status"}:
            os.system("systemctl --failed")
        case _:
            return "unknown action", 400
    return "", 204
