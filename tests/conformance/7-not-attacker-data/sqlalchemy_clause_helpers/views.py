"""Views that pass clauses to the model's helpers: SQLAlchemy expressions built on the model's
columns bind the request's values; a clause written as text does not."""

from flask import Flask, jsonify, request

from models import Member

app = Flask(__name__)


@app.post("/members/delete")
def delete_members():
    ids = request.get_json(silent=True).get("ids")
    removed = [m.id for m in Member.get_all(Member.id.in_(ids))]
    named = Member.get_all(Member.name == request.args["name"], Member.name.like(request.args["q"]))
    return jsonify(removed=removed, named=len(named))


@app.get("/members/search")
def search_members():
    return jsonify(rows=len(Member.search("name = '" + request.args["name"] + "'")))
