"""The admin area: one hook checks every request of the blueprint."""

from flask import Blueprint, abort, jsonify
from flask_login import current_user

from teamboard import db
from teamboard.models import Board, User

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.before_request
def require_admin():
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


@admin.route("/users")
def users():  # ok: missing-authorization
    return jsonify([u.email for u in User.query.all()])


@admin.route("/users/<int:user_id>", methods=["DELETE"])
def delete_user(user_id: int):  # ok: missing-authorization, object-access-without-owner-check
    db.session.delete(User.query.get_or_404(user_id))
    db.session.commit()
    return "", 204


@admin.route("/boards/<int:board_id>", methods=["DELETE"])
def delete_board(board_id: int):  # ok: missing-authorization, object-access-without-owner-check
    db.session.delete(Board.query.get_or_404(board_id))
    db.session.commit()
    return "", 204
