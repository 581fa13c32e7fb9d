"""Numbers computed from request data (arithmetic results, lengths, counts) are not attacker
data in a query; the request text itself is."""

import sqlite3

from flask import Flask, jsonify, request

app = Flask(__name__)
PAGE_SIZE = 25


def db():
    return sqlite3.connect("/var/lib/reports/reports.db")


@app.route("/api/reports/search", methods=["POST"])
def search_reports():
    body = request.get_json()
    offset = (body["page"] - 1) * PAGE_SIZE
    cur = db().cursor()
    cur.execute(f"SELECT id, title FROM reports LIMIT {PAGE_SIZE} OFFSET {offset}")  # ok: sql-injection
    rows = cur.fetchall()
    terms = body["q"].count(",") + 1
    wanted = min(len(body["tags"]), 10)
    cur.execute(f"INSERT INTO search_stats (terms, tags) VALUES ({terms}, {wanted})")  # ok: sql-injection
    return jsonify(rows=rows)


@app.route("/api/reports/window")
def report_window():
    start = request.args["from"]
    days = request.args["days"]
    span = round(float(days) / 7)
    total = sum(len(part) for part in start.split("-")) + span
    cur = db().cursor()
    cur.execute(f"SELECT count(*) FROM reports WHERE week_span = {span} AND k = {total}")  # ok: sql-injection
    cur.execute(f"SELECT count(*) FROM reports WHERE created >= '{start}'")  # expect: sql-injection
    return jsonify(count=cur.fetchone()[0])


@app.route("/api/reports/sorted", methods=["POST"])
def sorted_reports():
    body = request.get_json()
    cur = db().cursor()
    cur.execute(f"SELECT id FROM reports ORDER BY {body['sort']} LIMIT {PAGE_SIZE}")  # expect: sql-injection
    return jsonify(rows=cur.fetchall())
