"""SQL: DB-API cursors and connections, SQLAlchemy, pandas — queries built from input."""

from secreview.python.taint.spec import Sanitizer, Sink

_F = frozenset
_FETCHES = ("first", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none")
_FETCHES += ("fetchone", "fetchall", "fetchmany")
_SQL = _F({"sql-injection"})
# what a manager, query or handle answers with rows or row objects
_QUERY_METHODS = (
    "all", "get", "filter", "filter_by", "exclude", "values", "values_list", "order_by",
    "select_related", "prefetch_related", "annotate", "aggregate", "count", "exists",
    "latest", "earliest", "last", "in_bulk", "get_or_create", "update_or_create", "only",
    "defer", "distinct", "iterator", "using", "none", "raw", "execute", "scalars", "query",
    "join", "outerjoin", "where", "limit", "offset", "group_by", "having", "options",
    "one", "first", "scalar", "fetchone", "fetchall", "fetchmany", "mappings", "unique",
)  # fmt: skip

# Query builders that are sinks for the string they are given and whose result is then a
# query object: reported once, where the string goes in, not again where it is executed.
_BUILDERS = (
    "sqlalchemy.text",
    "sqlalchemy.sql.text",
    "sqlalchemy.sql.expression.text",
    "sqlalchemy.literal_column",
    "psycopg2.sql.SQL",
    "psycopg.sql.SQL",
)

SINKS = (
    Sink(".execute", "sql-injection", (0, "sql", "operation", "query", "statement"), receiver="db"),
    Sink(".executemany", "sql-injection", (0, "sql", "operation", "query"), receiver="db"),
    Sink(".executescript", "sql-injection", (0, "sql_script"), receiver="db"),
    Sink(".exec_driver_sql", "sql-injection", (0, "statement"), receiver="db"),
    Sink(".mogrify", "sql-injection", (0, "query"), receiver="db"),
    *(Sink(name, "sql-injection", (0, "text")) for name in _BUILDERS),
    Sink("pandas.read_sql", "sql-injection", (0, "sql")),
    Sink("pandas.read_sql_query", "sql-injection", (0, "sql")),
)

SANITIZERS = (
    Sanitizer("psycopg2.sql.Identifier", _SQL),
    Sanitizer("psycopg2.sql.Literal", _SQL),
    Sanitizer("psycopg.sql.Identifier", _SQL),
    Sanitizer("psycopg.sql.Literal", _SQL),
    Sanitizer("sqlalchemy.bindparam", _SQL),
    Sanitizer("MySQLdb.escape_string", _SQL),
    Sanitizer("pymysql.converters.escape_string", _SQL),
    *(Sanitizer(name, _SQL) for name in _BUILDERS),
    # rows a query fetches (`session.query(Book).filter(Book.id == book_id).first()`,
    # `cursor.fetchone()`): the database's data, which the key only chose; a query built
    # from the request is reported where it runs
    *(Sanitizer(f".{method}") for method in _FETCHES),
    # a query's rows however they are asked for, on a manager, a query or a database
    # handle (`Book.objects.get(pk=x)`, `db.session.query(Book).filter(...).all()`,
    # `conn.execute(...)`): the database's data
    *(Sanitizer(f".{method}", receiver="orm_query") for method in _QUERY_METHODS),
    Sanitizer("django.shortcuts.get_object_or_404"),
    Sanitizer("django.shortcuts.get_list_or_404"),
)
