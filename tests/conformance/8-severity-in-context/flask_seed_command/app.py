"""A module imported only by a Flask CLI `seed` command creates demo data: it is treated as
test code (no findings there); the same code imported from a view is reported."""

from flask import Flask, jsonify, request
from models import db
from onboarding import create_first_admin

app = Flask(__name__)
app.config.from_prefixed_env()
db.init_app(app)


@app.cli.command("seed")
def seed():
    """Fill a development database with demo accounts."""
    from demo_data import load_demo_data

    load_demo_data()


@app.route("/setup", methods=["POST"])
def setup():
    admin = create_first_admin(request.form["email"])
    return jsonify(id=admin.id)
