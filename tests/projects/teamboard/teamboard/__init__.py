"""A team task board: boards, cards, an admin area, accounts and a webhook API."""

from flask import Flask
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
login_manager = LoginManager()


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.from_envvar("TEAMBOARD_SETTINGS")
    db.init_app(app)
    login_manager.init_app(app)

    from teamboard.admin import admin
    from teamboard.api import api
    from teamboard.auth import auth
    from teamboard.boards import boards
    from teamboard.cards import cards

    for blueprint in (boards, cards, admin, auth, api):
        app.register_blueprint(blueprint)
    return app
