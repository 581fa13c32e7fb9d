"""Boards: each belongs to the user who made it."""

from flask import Blueprint, abort, jsonify, request
from flask_login import current_user, login_required

from teamboard import db
from teamboard.models import Board

boards = Blueprint("boards", __name__, url_prefix="/boards")


@boards.route("/")
@login_required
def index():
    return jsonify([b.title for b in Board.query.filter_by(owner_id=current_user.id)])


@boards.route("/", methods=["POST"])
@login_required
def create():
    board = Board(owner_id=current_user.id, title=request.json["title"])
    db.session.add(board)
    db.session.commit()
    return jsonify(id=board.id), 201


@boards.route("/<int:board_id>")
@login_required
def show(board_id: int):
    board = Board.query.filter_by(id=board_id, owner_id=current_user.id).first_or_404()
    return jsonify(title=board.title)


@boards.route("/<int:board_id>", methods=["PATCH"])
@login_required
def rename(board_id: int):
    board = Board.query.get_or_404(board_id)
    if board.owner_id != current_user.id:
        abort(404)
    board.title = request.json["title"]
    db.session.commit()
    return jsonify(title=board.title)


@boards.route("/<int:board_id>", methods=["DELETE"])
@login_required
def delete(board_id: int):  # expect: object-access-without-owner-check
    board = Board.query.get_or_404(board_id)
    db.session.delete(board)
    db.session.commit()
    return "", 204
