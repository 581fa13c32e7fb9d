"""SQL: DB-API cursors and connections, SQLAlchemy, pandas — queries built from input."""

from secreview.python.taint.spec import Sanitizer, Sink

_F = frozenset
_FETCHES = ("first", "one", "one_or_none", "scalar", "scalar_one", "scalar_one_or_none")
_FETCHES += ("fetchone", "fetchall", "fetchmany")
_SQL = _F({"sql-injection"})
_ASYNC_QUERIES = ("fetch", "fetchrow", "fetchval")
# what a Django manager or QuerySet answers: rows (or a lazy set of rows) of the database;
# not the methods that create a row from their arguments (`get_or_create(defaults=...)`)
_MANAGER_METHODS = (
    "all", "get", "filter", "exclude", "values", "values_list", "order_by", "select_related",
    "prefetch_related", "annotate", "aggregate", "count", "exists", "latest", "earliest",
    "first", "last", "in_bulk", "only", "defer", "distinct", "iterator", "using", "none",
)  # fmt: skip
# what an SQLAlchemy session, result or query, or a DB-API cursor, answers with rows: only
# the calls that fetch (the statement builders, `where`/`order_by`, may carry SQL text)
_ROW_METHODS = (
    "all", "first", "one", "one_or_none", "scalar", "scalars", "scalar_one",
    "scalar_one_or_none", "fetchone", "fetchall", "fetchmany", "mappings", "unique", "get",
    "execute",
)  # fmt: skip

# Query builders that are sinks for the string they are given and whose result is then a
# query object: reported once, where the string goes in, not again where it is executed.
_BUILDERS = (
    "sqlalchemy.text",
    "sqlalchemy.sql.text",
    "sqlalchemy.sql.expression.text",
    "sqlalchemy.literal_column",
    "sqlalchemy.sql.literal_column",
    "sqlalchemy.sql.expression.literal_column",
    "sqlalchemy.DDL",
    "sqlalchemy.schema.DDL",
    "psycopg2.sql.SQL",
    "psycopg.sql.SQL",
    "peewee.SQL",
)

# SQLAlchemy statement constructs (`select(T).where(T.ip.in_(ips))`, `update(T).values(v=x)`):
# what they are given becomes a bound parameter or a column or table object, so the
# statement they build is no SQL text. Text goes in through `text()` and `literal_column()`
# (sinks above), or as a plain string in a clause, which SQLAlchemy before 1.4 ran as SQL:
# text built at the call or a bare variable keeps its taint to `execute`.
_STATEMENTS = ("select", "insert", "update", "delete")
_STATEMENT_MODULES = ("sqlalchemy", "sqlalchemy.sql", "sqlalchemy.sql.expression")
_DIALECT_INSERTS = tuple(
    f"sqlalchemy.dialects.{d}.insert" for d in ("postgresql", "mysql", "sqlite")
)
# methods whose arguments are only ever bound values: `col.in_(ids)`, `.filter_by(name=x)`,
# `.values(value=x)`, `.limit(n)`; names no str, list or dict method has
_BINDS_VALUES = (
    "filter_by",
    "in_",
    "not_in",
    "notin_",
    "like",
    "ilike",
    "not_like",
    "not_ilike",
    "notlike",
    "notilike",
    "between",
    "is_",
    "is_not",
    "isnot",
    "limit",
    "offset",
    "bindparams",
    "ordered_values",
    "on_conflict_do_update",
    "on_duplicate_key_update",
)
# methods whose arguments are SQL expressions (conditions, columns, tables); a plain
# string there was SQL text before SQLAlchemy 1.4 (an error since), so text built at the
# call keeps its taint
_BINDS_EXPRESSIONS = (
    "where",
    "filter",
    "having",
    "order_by",
    "group_by",
    "with_only_columns",
    "add_columns",
    "returning",
)

SINKS = (
    Sink(".execute", "sql-injection", (0, "sql", "operation", "query", "statement"), receiver="db"),
    Sink(".executemany", "sql-injection", (0, "sql", "operation", "query"), receiver="db"),
    Sink(".executescript", "sql-injection", (0, "sql_script"), receiver="db"),
    Sink(".exec_driver_sql", "sql-injection", (0, "statement"), receiver="db"),
    Sink(".mogrify", "sql-injection", (0, "query"), receiver="db"),
    # asyncpg's connections and pools, peewee's databases
    *(Sink(f".{m}", "sql-injection", (0, "query"), receiver="db") for m in _ASYNC_QUERIES),
    Sink(".execute_sql", "sql-injection", (0, "sql"), receiver="db"),
    *(Sink(name, "sql-injection", (0, "text")) for name in _BUILDERS),
    # a plain string clause of an ORM Query (`session.query(T).filter("name = '%s'" % x)`):
    # SQL text before SQLAlchemy 1.4 (an error since), run when the rows are fetched
    *(
        Sink(f".{m}", "sql-injection", ("*",), "sql_text_arguments", "legacy_query", "medium")
        for m in ("filter", "order_by", "group_by", "having")
    ),
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
    *(Sanitizer(f".{method}", receiver="db") for method in _ASYNC_QUERIES),
    *(
        Sanitizer(f"{module}.{name}", _SQL, "binds_expressions")
        for module in _STATEMENT_MODULES
        for name in _STATEMENTS
    ),
    Sanitizer("sqlalchemy.future.select", _SQL, "binds_expressions"),
    *(Sanitizer(name, _SQL, "binds_expressions") for name in _DIALECT_INSERTS),
    *(Sanitizer(f"{module}.literal", _SQL) for module in _STATEMENT_MODULES),
    *(Sanitizer(f".{method}", _SQL, "binds_values") for method in (*_BINDS_VALUES, "values")),
    *(Sanitizer(f".{method}", _SQL, "binds_expressions") for method in _BINDS_EXPRESSIONS),
    # a query's rows however they are asked for, on a manager, a query or a database
    # handle (`Book.objects.get(pk=x)`, `db.session.query(Book).filter(...).all()`,
    # `conn.execute(...).fetchone()`): the database's data
    *(Sanitizer(f".{method}", receiver="django_query") for method in _MANAGER_METHODS),
    *(Sanitizer(f".{method}", receiver="orm_query") for method in _ROW_METHODS),
    Sanitizer("django.shortcuts.get_object_or_404"),
    Sanitizer("django.shortcuts.get_list_or_404"),
)
