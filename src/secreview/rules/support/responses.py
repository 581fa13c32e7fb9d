"""What the rules about a response's content share: whether a value builds a response,
whether code runs in a request handler, and the keys and values a response is built of.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secreview.python.context import ModuleContext
from secreview.rules.support.bindings import enclosing_function

# the calls that make a response of their arguments, by last name
RESPONSE_BUILDERS = frozenset(
    {
        "jsonify", "make_response", "Response", "JsonResponse", "HttpResponse",
        "HttpResponseServerError", "HttpResponseBadRequest", "JSONResponse", "PlainTextResponse",
        "HTMLResponse",
    }
)  # fmt: skip
# decorators that route requests (or errors) to a function, by last name
ROUTE_DECORATORS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "errorhandler", "app_errorhandler"}
)


def builds_response(value: ast.expr) -> bool:
    """`value` calls one of the response builders somewhere."""
    for sub in ast.walk(value):
        if isinstance(sub, ast.Call):
            func = sub.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in RESPONSE_BUILDERS:
                return True
    return False


def in_handler(node: ast.AST, ctx: ModuleContext) -> bool:
    """A routed view or error handler, or a Django view (first parameter `request`)."""
    function = enclosing_function(node, ctx)
    if function is None:
        return False
    for decorator in function.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(func, ast.Attribute) and func.attr in ROUTE_DECORATORS:
            return True
    args = function.args.posonlyargs + function.args.args
    return bool(args) and args[0].arg == "request"


def keyed_values(nodes: Iterable[ast.AST]) -> Iterator[tuple[str, ast.expr]]:
    """The constant keys and their values of the dicts and keyword arguments among `nodes`
    (the nodes a response is built of)."""
    for sub in nodes:
        if isinstance(sub, ast.Dict):
            for key, item in zip(sub.keys, sub.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield key.value, item
        elif isinstance(sub, ast.Call):
            for kw in sub.keywords:
                if kw.arg:
                    yield kw.arg, kw.value
