"""Webhooks from the team's chat service, signed with a shared secret."""

import hashlib
import hmac
import os
import traceback

from flask import Blueprint, abort, jsonify, request

from teamboard import db
from teamboard.models import Card

api = Blueprint("api", __name__, url_prefix="/api")
CHAT_SECRET = os.environ["CHAT_WEBHOOK_SECRET"].encode()


@api.route("/chat/command", methods=["POST"])
def chat_command():  # ok: missing-authorization
    expected = hmac.new(CHAT_SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if request.headers.get("X-Chat-Signature", "") == expected:  # expect: timing-unsafe-comparison
        db.session.add(Card(board_id=request.json["board"], text=request.json["text"]))
        db.session.commit()
        return "", 204
    abort(401)


@api.route("/chat/event", methods=["POST"])
def chat_event():  # ok: missing-authorization
    expected = hmac.new(CHAT_SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(
        request.headers.get("X-Chat-Signature", ""), expected
    ):  # ok: timing-unsafe-comparison
        abort(401)
    try:
        db.session.add(Card(board_id=request.json["board"], text=request.json["text"]))
        db.session.commit()
    except Exception:
        trace = traceback.format_exc()
        body = jsonify(error="could not save", trace=trace)
        return body, 500  # expect: exception-detail-to-client
    return "", 204
