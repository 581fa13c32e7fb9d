"""exception-detail-to-client: a traceback or an unexpected exception's text in a response.

Reported: a `return` of a request handler (a routed Flask view or error handler, a Django
view) or of a response it builds (`jsonify`, `JsonResponse`, `HttpResponse`, ...) that
carries `traceback.format_exc()` (or `format_exception`, `format_tb`, directly or through a
local), or the text of an exception caught by a broad handler (`except Exception as exc:`
with `str(exc)`, `repr(exc)`, `f"{exc}"`, `exc.args`). An exception of the program's own
type (`except ValidationError as exc`) is a message meant for the client; a traceback that
only goes to a log is not sent, nor one shown only when a `DEBUG` setting is on; a `try`
that raises `Exception("...")` itself carries its own messages to the client.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import assigned_values, enclosing_function
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.responses import builds_response, in_handler

_TRACEBACK = frozenset(
    {
        "traceback.format_exc",
        "traceback.format_exception",
        "traceback.format_tb",
        "traceback.format_stack",
        "traceback.extract_tb",
    }
)
_BROAD = frozenset({"Exception", "BaseException"})
_FRAMEWORKS = ("flask", "django", "rest_framework", "fastapi", "starlette", "quart")


@register
class ExceptionDetailToClient(Rule):
    meta = RuleMeta(
        id="exception-detail-to-client",
        cwe=209,
        severity="medium",
        confidence="medium",
        title="Traceback or exception detail returned to the client",
        why=(
            "A traceback or the text of an unexpected exception tells an attacker the code's "
            "paths, library versions, SQL, file names and sometimes secrets or other users' "
            "data, and which inputs reach which failures."
        ),
        example=(
            "except Exception as exc:\n    return jsonify(error=str(exc)), 500\n"
            "...\nreturn jsonify(detail=traceback.format_exc()), 500"
        ),
        fix=(
            "Log the exception on the server (`logger.exception(...)`) and send the client a "
            "fixed message, with an error id it can quote; send an exception's text only for "
            "the program's own exceptions written for the user."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/209.html",
            "https://owasp.org/www-community/Improper_Error_Handling",
        ),
    )
    nodes = (ast.Return,)
    triggers = frozenset({"traceback", "except"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Return)
        if node.value is None or not any(ctx.symbols.imports(f) for f in _FRAMEWORKS):
            return
        if not (builds_response(node.value) or in_handler(node, ctx)):
            return
        detail = _detail(node.value, node, ctx)
        if detail:
            yield Hit(
                node, f"The response carries {detail}: the client sees the server's internals."
            )


def _detail(value: ast.expr, at: ast.AST, ctx: ModuleContext, depth: int = 0) -> str:
    """What in `value` is a traceback or a broadly caught exception's text, or ""."""
    caught = _broadly_caught(at, ctx)
    for sub in ast.walk(value):
        if isinstance(sub, ast.Call) and ctx.resolve(sub.func) in _TRACEBACK:
            if _debug_only(sub, ctx):
                continue
            return f"a traceback (`{ast.unparse(sub.func)}()`)"
        if not isinstance(sub, ast.Name):
            continue
        if sub.id in caught and _as_text(sub, value, ctx):
            return f"the text of `{sub.id}`, an exception caught by `except {caught[sub.id]}`"
        if depth < 2 and enclosing_function(at, ctx) is not None and sub.id not in caught:
            for assigned in assigned_values(sub.id, at, ctx):
                found = _detail(assigned, at, ctx, depth + 1)
                if found:
                    return found
    return ""


def _as_text(name: ast.Name, within: ast.expr, ctx: ModuleContext) -> bool:
    """`str(exc)`, `repr(exc)`, `f"{exc}"`, `exc.args`, `"%s" % exc`: its message as data."""
    for sub in ast.walk(within):
        if isinstance(sub, ast.Call) and getattr(sub.func, "id", "") in ("str", "repr"):
            if any(arg is name for arg in sub.args):
                return True
        elif isinstance(sub, ast.FormattedValue):
            if sub.value is name:
                return True
        elif isinstance(sub, ast.Attribute):
            if sub.value is name and sub.attr == "args":
                return True
        elif isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Mod) and sub.right is name:
            return True
    return False


def _debug_only(node: ast.AST, ctx: ModuleContext) -> bool:
    """`traceback.format_exc() if settings.DEBUG else "Internal Server Error"`: shown only
    in development."""
    current, parent = node, ctx.parent(node)
    while parent is not None and not isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
        if (
            isinstance(parent, ast.IfExp | ast.If)
            and current is not parent.test
            and "debug" in ast.unparse(parent.test).lower()
        ):
            return True
        current, parent = parent, ctx.parent(parent)
    return False


def _raises_own_messages(handler: ast.ExceptHandler, ctx: ModuleContext) -> bool:
    """The `try` raises `Exception("...")` itself: the broad handler carries its messages."""
    statement = ctx.parent(handler)
    if not isinstance(statement, ast.Try):
        return False
    for sub in (node for part in statement.body for node in ast.walk(part)):
        if (
            isinstance(sub, ast.Raise)
            and isinstance(sub.exc, ast.Call)
            and getattr(sub.exc.func, "id", "") in _BROAD
            and sub.exc.args
        ):
            return True
    return False


def _broadly_caught(node: ast.AST, ctx: ModuleContext) -> dict[str, str]:
    """Names bound by the `except Exception as exc:` handlers that enclose `node`."""
    caught: dict[str, str] = {}
    for handler in reversed(ctx.ancestors(node, (ast.ExceptHandler,))):  # innermost first
        assert isinstance(handler, ast.ExceptHandler)
        if handler.name is None:
            continue
        types = handler.type
        items = types.elts if isinstance(types, ast.Tuple) else [types]
        shown = ast.unparse(types) if types is not None else ""
        if _raises_own_messages(handler, ctx):
            continue
        if types is None or any(
            isinstance(t, ast.Name | ast.Attribute)
            and (t.id if isinstance(t, ast.Name) else t.attr) in _BROAD
            for t in items
        ):
            caught.setdefault(handler.name, shown)
    return caught
