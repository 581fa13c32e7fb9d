"""unbounded-request-read: a request body read whole, with no size limit."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values, enclosing_class
from secreview.rules.support.pattern import Hit, Rule, register

# WebOb request body streams
_BODY_FILES = frozenset({"body_file", "body_file_raw", "body_file_seekable"})
_REQUEST_NAMES = frozenset({"request", "req", "self.request", "self.req"})
_HANDLER_BASES = ("RequestHandler", "StreamRequestHandler")


@register
class UnboundedRequestRead(Rule):
    meta = RuleMeta(
        id="unbounded-request-read",
        cwe=770,
        severity="medium",
        confidence="high",
        title="Request body read without a size limit",
        why=(
            "read() with no size reads until the client stops sending: a chunked or "
            "slow upload of gigabytes is held in memory (or holds the worker until the "
            "connection closes), so a handful of requests exhaust the service's memory or "
            "workers."
        ),
        example="body = environ['wsgi.input'].read()\ndata = self.rfile.read()",
        fix=(
            "Read at most a limit: check the request's declared length against a maximum and read "
            "exactly that many bytes, or read in chunks and stop past the limit."
        ),
        fix_by_api=(
            FixText(
                ("flask", "quart"),
                (
                    "Set `app.config['MAX_CONTENT_LENGTH']` and read through `request.get_data()` "
                    "/ `request.files`, which enforce it; or read `request.stream.read(MAX_BODY)` "
                    "in a bounded loop."
                ),
            ),
            FixText(
                ("wsgiref", "webob", "werkzeug"),
                (
                    "Read at most a limit: check `CONTENT_LENGTH` against a maximum and read "
                    "`environ['wsgi.input'].read(min(length, MAX_BODY))`, or read in chunks and "
                    "stop past the limit."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/770.html",
            "https://peps.python.org/pep-3333/#input-and-error-streams",
        ),
    )
    nodes = (ast.Call,)
    methods = frozenset({"read", "readlines"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("read", "readlines"):
            return
        if not _unbounded(node, ctx):
            return
        stream = _request_stream(func.value, ctx, 0)
        if stream is None:
            return
        what, confidence = stream
        yield Hit(
            node,
            f"{what}.{func.attr}() reads the whole request body, however large the client "
            "makes it; cap the size before reading.",
            confidence=confidence,
        )


def _unbounded(call: ast.Call, ctx: ModuleContext) -> bool:
    if call.keywords:
        return False
    if not call.args:
        return True
    if len(call.args) == 1:
        value = ctx.constant_value(call.args[0])
        return value is None or (isinstance(value, int) and value < 0)
    return False


def _request_stream(node: ast.AST, ctx: ModuleContext, depth: int) -> tuple[str, str | None] | None:
    """(description, confidence override) when `node` is a request's body stream."""
    if depth > 3:
        return None
    if isinstance(node, ast.Subscript) and _is_wsgi_input(node.slice, ctx):
        return ("environ['wsgi.input']", None)
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
        and _is_wsgi_input(node.args[0], ctx)
    ):
        return ("environ.get('wsgi.input')", None)
    if isinstance(node, ast.Attribute):
        owner = ast.unparse(node.value)
        if node.attr in _BODY_FILES:
            return (f"{owner}.{node.attr}", None)
        if node.attr == "stream" and (
            owner in _REQUEST_NAMES or ctx.resolve(node.value) in ("flask.request", "quart.request")
        ):
            return (f"{owner}.stream", "medium")
        if node.attr == "rfile" and owner == "self":
            cls = enclosing_class(node, ctx)
            if cls is not None and any(
                ast.unparse(base).endswith(_HANDLER_BASES) for base in cls.bases
            ):
                return ("self.rfile", None)
    if isinstance(node, ast.Name):
        for value in assigned_values(node.id, node, ctx):
            found = _request_stream(value, ctx, depth + 1)
            if found is not None:
                return found
    return None


def _is_wsgi_input(node: ast.AST, ctx: ModuleContext) -> bool:
    return ctx.constant_value(node) == "wsgi.input"
