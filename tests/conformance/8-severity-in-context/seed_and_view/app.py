"""A module that the `seed` command imports but a view imports too is application code and
is reviewed; one only the `seed` command imports is demo data (treated as test code)."""

from flask import Flask, jsonify, request
from models import db
from tenants import create_tenant

app = Flask(__name__)
app.config.from_prefixed_env()
db.init_app(app)


@app.cli.command("seed")
def seed():
    from fixtures_data import create_demo_tenants

    create_demo_tenants()
    for name in ("demo-a", "demo-b"):
        create_tenant(name)


@app.route("/signup", methods=["POST"])
def signup():
    tenant = create_tenant(request.form["name"])
    return jsonify(id=tenant.id)
