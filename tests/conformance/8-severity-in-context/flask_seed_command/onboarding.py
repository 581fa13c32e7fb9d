"""First-run setup, called from the setup view."""

import random
import string

from models import User, db


def create_first_admin(email):
    admin = User(email=email, password="admin123")  # expect: hardcoded-password
    admin.api_token = "".join(random.choices(string.ascii_letters, k=32))  # expect: insecure-random-for-security
    db.session.add(admin)
    db.session.commit()
    return admin
