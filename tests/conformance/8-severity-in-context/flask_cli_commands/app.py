import commands
from flask import Flask, jsonify
from models import Project, db

app = Flask(__name__)
app.config.from_prefixed_env()
db.init_app(app)
commands.register(app)


@app.route("/projects")
def projects():
    return jsonify([p.name for p in Project.query.all()])
