"""Sinks that are only dangerous in some versions of their library report with medium
confidence: a plain-string clause of an SQLAlchemy Query (SQL before 1.4, an error since),
and numexpr.evaluate (eval() before 2.8.5, a screened subset since)."""

from __future__ import annotations

from test_taint_engine import review

VIEWS = {
    "views.py": """
        import numexpr
        from flask import Flask, request
        from sqlalchemy import text
        from extensions import db
        from models import Item

        app = Flask(__name__)

        @app.route("/items")
        def items():
            sort = request.args["sort"]
            legacy = db.session.query(Item).order_by(sort).all()
            raw = db.session.execute(text("SELECT * FROM item ORDER BY " + sort)).all()
            value = numexpr.evaluate(request.args["expr"])
            return {"n": len(legacy) + len(raw), "v": float(value)}
    """
}


def test_version_dependent_sinks_are_medium_confidence() -> None:
    found = {(f.rule_id, f.location.line): f.confidence for f in review(VIEWS)}
    assert found[("sql-injection", 13)] == "medium"  # Query.order_by(str)
    assert found[("sql-injection", 14)] == "high"  # text(): SQL in every version
    assert found[("code-injection", 15)] == "medium"
