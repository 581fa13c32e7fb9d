"""Taint rule `sql-injection` (CWE-89): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta
from secreview.rules.support.apis import DJANGO

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
        fix_by_api=(
            FixText(
                ("sqlite3",),
                "Pass the values as parameters with sqlite3's `?` placeholders: "
                '`connection.execute("SELECT id FROM notes WHERE title LIKE ?", (f"%{term}%",))`; '
                "never build the statement text from input.",
            ),
            FixText(
                ("psycopg2", "psycopg", "pymysql", "MySQLdb", "mysql"),
                "Pass the values as parameters with the driver's `%s` placeholders: "
                '`cursor.execute("SELECT id FROM users WHERE name = %s", (name,))`; for names '
                "(tables, columns) use `psycopg2.sql.Identifier` or an allow-list.",
            ),
            FixText(
                ("sqlalchemy", "flask_sqlalchemy"),
                'Bind the values: `session.execute(text("SELECT id FROM users WHERE name = '
                ':name"), {"name": name})`, or build the query with SQLAlchemy\'s expression '
                "language (`select(User).where(User.name == name)`).",
            ),
            FixText(
                DJANGO,
                "Use the Django ORM (`User.objects.filter(name=name)`), or pass the values as "
                "parameters to raw SQL: "
                '`User.objects.raw("SELECT * FROM app_user WHERE name = %s", [name])`, '
                "`cursor.execute(sql, [name])`; never format them into `extra()` or `RawSQL` text.",
            ),
            FixText(
                ("oslo_db",),
                "Build the query with SQLAlchemy's expression language or bind the values "
                '(`text("... WHERE name = :name").bindparams(name=name)`) instead of formatting '
                "them into the statement.",
            ),
        ),
        fix_unknown_api=(
            "Pass the values as bound parameters of the query (the driver's placeholders, or "
            "your ORM's filters) instead of building the statement text from them."
        ),
        kind="taint",
    )
)
