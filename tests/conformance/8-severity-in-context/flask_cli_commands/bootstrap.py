"""Creates the first administrator of a new installation."""

from models import User, db

DEFAULT_ADMIN_PASSWORD = "changeme-2024"  # expect: hardcoded-password


def create_admin(email):
    admin = User(email=email, password=DEFAULT_ADMIN_PASSWORD, is_admin=True)
    db.session.add(admin)
    db.session.commit()
    return admin
