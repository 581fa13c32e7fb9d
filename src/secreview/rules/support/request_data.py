"""What the client sends, as a request object holds it: `request.cookies`, `.headers`,
`.args`, `.form`, `.json`, Django's `request.COOKIES`/`GET`/`POST`/`META`, DRF's `data`.

Read syntactically (a `request`/`req` name, or `self.request`), for the rules that ask
whether a decision or a comparison is made on client data within one function.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from secreview.python.context import ModuleContext, within

# where a request object keeps what the client sent
CLIENT_PARTS = frozenset(
    {
        "cookies", "COOKIES", "headers", "META", "args", "form", "values", "GET", "POST",
        "json", "data", "query_params", "params", "get_json", "get_cookie", "query",
    }
)  # fmt: skip
CLIENT_KIND = {"cookies": "cookie", "COOKIES": "cookie", "get_cookie": "cookie"}
CLIENT_KIND |= {"headers": "header", "META": "header"}


def client_reads(
    expr: ast.AST, held: dict[str, tuple[str, str]] | None = None
) -> Iterator[tuple[str, str]]:
    """(client part, key) of every client value in `expr`: `request.cookies.get("role")`,
    `request.GET["level"]`, or a local name holding one."""
    for sub in ast.walk(expr):
        if held and isinstance(sub, ast.Name) and sub.id in held:
            yield held[sub.id]
        elif isinstance(sub, ast.Attribute) and sub.attr in CLIENT_PARTS and _is_request(sub.value):
            yield sub.attr, _key_of(sub, expr)


def _is_request(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in ("request", "req")
    return isinstance(node, ast.Attribute) and node.attr == "request"


def _key_of(part: ast.Attribute, within: ast.AST) -> str:
    """The key read from `part`: `.get("role")`, `["role"]`, `.get_cookie("role")`."""
    for sub in ast.walk(within):
        if isinstance(sub, ast.Subscript) and sub.value is part:
            key = sub.slice
        elif (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Attribute)
            and (sub.func.value is part or (sub.func is part and part.attr == "get_cookie"))
            and sub.args
        ):
            key = sub.args[0]
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return ""


_ATTRIBUTES = frozenset({ast.Attribute})


def may_read_client(node: ast.AST, ctx: ModuleContext) -> bool:
    """Whether `client_reads` (without held names) may find anything in `node`: one of the
    module's `request.<part>` reads lies within its lines. Rules ask it of every function
    before walking one; the reads are listed once per module."""
    lines = ctx.memo.get(may_read_client)
    if lines is None:
        lines = ctx.memo[may_read_client] = _client_read_lines(ctx)
    return bool(lines) and within(lines, node)  # type: ignore[arg-type]


def _client_read_lines(ctx: ModuleContext) -> list[int]:
    """The lines of the module's `request.<part>` reads, sorted."""
    if not ctx.may_name("req"):  # `request`, `req` and `.request` all hold it
        return []
    return sorted(
        node.lineno  # type: ignore[attr-defined]
        for node in ctx.nodes_of(_ATTRIBUTES)
        if node.attr in CLIENT_PARTS and _is_request(node.value)  # type: ignore[attr-defined]
    )
