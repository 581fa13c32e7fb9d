"""Sample projects and users for local development."""

from models import Project, User, db

SAMPLE_PASSWORD = "sample-pass-123"  # ok: hardcoded-password


def load_sample_content():
    owner = User(email="owner@example.com", password=SAMPLE_PASSWORD)
    db.session.add(owner)
    db.session.add(Project(name="Sample project", owner=owner))
    db.session.commit()
