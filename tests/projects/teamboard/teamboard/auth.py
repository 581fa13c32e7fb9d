"""Signing in and out."""

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from teamboard.models import User

auth = Blueprint("auth", __name__, url_prefix="/auth")


@auth.route("/login", methods=["POST"])
def login():  # ok: missing-authorization  # expect: login-without-attempt-limit
    user = User.query.filter_by(email=request.json["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.json["password"]):
        return jsonify(error="invalid credentials"), 401
    login_user(user)
    return "", 204


@auth.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return "", 204


@auth.route("/me")
@login_required
def me():
    return jsonify(  # expect: stored-secret-in-response
        id=current_user.id, email=current_user.email, otp_secret=current_user.otp_secret
    )
