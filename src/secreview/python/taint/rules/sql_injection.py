"""Taint rule `sql-injection` (CWE-89): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="sql-injection",
        cwe=89,
        severity="high",
        confidence="high",
        title="SQL query built from untrusted input",
        why=(
            "Attacker-controlled text is spliced into an SQL statement, so quotes "
            "and keywords in it "
            "change the query: data can be read, altered or deleted."
        ),
        example=(
            'name = request.args["name"]\n'
            "cursor.execute(f\"SELECT * FROM users WHERE name = '{name}'\")"
        ),
        fix=(
            'Use bound parameters (`cursor.execute("SELECT * FROM users WHERE name '
            '= %s", (name,))`, '
            "SQLAlchemy `text(...).bindparams()`, the Django ORM) instead of "
            "building the statement "
            "text."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/89.html",
            "https://peps.python.org/pep-0249/#paramstyle",
        ),
        kind="taint",
    )
)
