"""A model mixin whose helpers take SQLAlchemy clauses built by their callers."""

import sqlalchemy as sa
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class CRUDMixin:
    @classmethod
    def get_all(cls, *clause):
        return list(db.session.execute(sa.select(cls).where(*clause)).scalars())  # ok: sql-injection

    @classmethod
    def search(cls, condition):
        return db.session.execute(sa.text(f"SELECT * FROM users WHERE {condition}")).all()  # expect: sql-injection


class Member(CRUDMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80))
