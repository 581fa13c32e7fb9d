"""Cards on a board."""

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from teamboard import db
from teamboard.models import Card

cards = Blueprint("cards", __name__, url_prefix="/cards")


@cards.route("/", methods=["POST"])
@login_required
def add():
    card = Card(
        board_id=request.json["board_id"], owner_id=current_user.id, text=request.json["text"]
    )
    db.session.add(card)
    db.session.commit()
    return jsonify(id=card.id), 201


@cards.route("/<int:card_id>", methods=["PATCH"])
@login_required
def edit(card_id: int):
    card = Card.query.filter_by(id=card_id, owner_id=current_user.id).first_or_404()
    card.text = request.json["text"]
    db.session.commit()
    return jsonify(text=card.text)


@cards.route("/order", methods=["POST"])
@login_required
def reorder():  # expect: json-endpoint-without-csrf
    # the board page sends the new order with navigator.sendBeacon, whose body is text/plain
    for position, card_id in enumerate(request.get_json(force=True)["cards"]):
        Card.query.filter_by(id=card_id, owner_id=current_user.id).update({"position": position})
    db.session.commit()
    return "", 204


@cards.route("/<int:card_id>/done", methods=["POST"])
@login_required
def mark_done(card_id: int):
    card = Card.query.filter_by(id=card_id, owner_id=current_user.id).first_or_404()
    card.done = True
    db.session.commit()
    return "", 204


@cards.route("/<int:card_id>", methods=["DELETE"])
def remove(card_id: int):  # expect: missing-authorization
    card = Card.query.get_or_404(card_id)
    db.session.delete(card)
    db.session.commit()
    return "", 204


@cards.route("/<int:card_id>/move", methods=["POST"])
@login_required
def move(card_id: int):
    card = Card.query.filter_by(id=card_id, owner_id=current_user.id).first_or_404()
    if request.headers.get("X-Board-Admin") == "yes":  # expect: authorization-from-client-data
        card.board_id = request.json["board_id"]
        db.session.commit()
        return "", 204
    abort(403)
