"""Error helpers shared by the views."""

import logging

from flask import abort, jsonify, make_response

log = logging.getLogger("app.errors")


def deny(message, status=400):
    abort(make_response(jsonify(error=message), status))


def note(message):
    log.warning("request problem: %s", message)
