"""Authentication helpers of the API."""

from functools import wraps

from flask import g

from errors import AuthError


def check_role(required_role):
    if g.principal is None or g.principal.role not in required_role:
        raise AuthError("forbidden")


def admin_required(f):
    @wraps(f)
    def decorated(*args, **kwargs):
        check_role(required_role=["admin"])
        return f(*args, **kwargs)

    return decorated
