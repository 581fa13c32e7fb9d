"""View decorators of the shop back office."""

from functools import wraps

from flask import abort, redirect, url_for
from flask_login import current_user


def admin_required(view):
    """Named for admins, but checks only that someone is logged in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("login"))
        return view(*args, **kwargs)

    return wrapped


def staff_only(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped
