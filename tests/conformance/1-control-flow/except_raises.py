"""A check inside `try` whose `except` raises another error: only the checked value gets
past the handler. A handler that only logs lets the unchecked value through."""

import logging
import os

from flask import Flask, request
from werkzeug.exceptions import BadRequest

app = Flask(__name__)
log = logging.getLogger(__name__)
SERVICES = {"nginx", "redis", "postgresql"}


@app.post("/services/restart")
def restart():
    service = request.form.get("service", "")
    try:
        if service not in SERVICES:
            raise KeyError(service)
    except KeyError as error:
        raise BadRequest("unknown service") from error
    os.system("systemctl restart " + service)  # ok: command-injection
    return "", 204


@app.post("/services/reload")
def reload():
    service = request.form.get("service", "")
    try:
        if service not in SERVICES:
            raise KeyError(service)
    except KeyError:
        log.warning("reload of an unknown service requested")
    os.system("systemctl reload " + service)  # expect: command-injection
    return "", 204
