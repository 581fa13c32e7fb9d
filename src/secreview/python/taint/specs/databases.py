"""SQL: DB-API cursors and connections, SQLAlchemy, pandas — queries built from input."""

from secreview.python.taint.spec import Sanitizer, Sink

_F = frozenset

SINKS = (
    Sink(".execute", "sql-injection", (0, "sql", "operation", "query", "statement"), receiver="db"),
    Sink(".executemany", "sql-injection", (0, "sql", "operation", "query"), receiver="db"),
    Sink(".executescript", "sql-injection", (0, "sql_script"), receiver="db"),
    Sink(".mogrify", "sql-injection", (0, "query"), receiver="db"),
    Sink("sqlalchemy.text", "sql-injection", (0, "text")),
    Sink("sqlalchemy.sql.text", "sql-injection", (0, "text")),
    Sink("sqlalchemy.sql.expression.text", "sql-injection", (0, "text")),
    Sink("sqlalchemy.literal_column", "sql-injection", (0, "text")),
    Sink("pandas.read_sql", "sql-injection", (0, "sql")),
    Sink("pandas.read_sql_query", "sql-injection", (0, "sql")),
    Sink("psycopg2.sql.SQL", "sql-injection", (0,)),
    Sink("psycopg.sql.SQL", "sql-injection", (0,)),
)

SANITIZERS = (
    Sanitizer("psycopg2.sql.Identifier", _F({"sql-injection"})),
    Sanitizer("psycopg2.sql.Literal", _F({"sql-injection"})),
    Sanitizer("psycopg.sql.Identifier", _F({"sql-injection"})),
    Sanitizer("psycopg.sql.Literal", _F({"sql-injection"})),
    Sanitizer("sqlalchemy.bindparam", _F({"sql-injection"})),
    Sanitizer("MySQLdb.escape_string", _F({"sql-injection"})),
    Sanitizer("pymysql.converters.escape_string", _F({"sql-injection"})),
)
