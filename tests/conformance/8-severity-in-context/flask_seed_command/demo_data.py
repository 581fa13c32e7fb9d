"""Demo accounts for a fresh development database (run by `flask seed`)."""

import random
import string

from models import User, db


def load_demo_data():
    admin = User(email="admin@example.com", password="admin123")  # ok: hardcoded-password
    token = "".join(random.choices(string.ascii_letters, k=32))
    editor = User(email="editor@example.com", password="editor123", api_token=token)  # ok: hardcoded-password, insecure-random-for-security
    db.session.add_all([admin, editor])
    db.session.commit()
