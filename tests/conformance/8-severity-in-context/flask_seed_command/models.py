"""Models of the team wiki."""

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import generate_password_hash

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True)
    password_hash = db.Column(db.String(255))
    api_token = db.Column(db.String(64))

    def __init__(self, email, password, api_token=None):
        self.email = email
        self.password_hash = generate_password_hash(password)
        self.api_token = api_token
