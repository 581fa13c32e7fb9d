"""Rows a query fetches are the database's, also when the query is a variable narrowed by
its builder's methods (`users.order_by(o).offset(n).limit(k).all()`) before it runs: the
request chose which rows and in what order, not what they hold."""

import json

from flask import Flask, make_response, request

from app.models import User, session

app = Flask(__name__)


@app.route("/ajax/users")
def list_users():
    start = request.args.get("offset", "0")
    users = session.query(User)
    users = users.filter(User.active)
    rows = users.order_by(User.name).offset(start).limit(10).all()
    return make_response(json.dumps({"rows": [u.name for u in rows]}))  # ok: xss


@app.route("/ajax/search")
def search_users():
    users = session.query(User)
    users = users.filter(User.name.startswith(request.args.get("q", "")))
    users = users.offset(request.args.get("offset", "0"))
    rows = users.all()
    return make_response(json.dumps({"rows": [u.name for u in rows]}))  # ok: xss


@app.route("/ajax/echo")
def echo_users():
    term = request.args.get("term", "")
    return make_response(json.dumps({"term": term, "rows": []}))  # expect: xss
