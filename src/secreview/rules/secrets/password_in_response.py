"""password-in-response: a password or its hash sent back to the client.

Reported: a handler's response (`jsonify(...)`, `JsonResponse({...})`, a dict a Flask view
returns) with a key named for a password (`password`, `password_hash`, `passwd`) whose value
is not a constant or a yes/no answer (`has_password=...`); and a DRF `ModelSerializer` of a
user model (`User`, `get_user_model()`) with `fields = "__all__"` and no `exclude` of the
password, or `password` among its fields without `write_only`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secreview.python.context import ModuleContext, last_name
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.responses import builds_response, in_handler, keyed_values

_PASSWORD = frozenset({"password", "passwd", "pwd"})
_PREDICATES = frozenset({"has", "is", "can", "needs", "must", "requires", "show"})
_SERIALIZERS = frozenset({"ModelSerializer", "HyperlinkedModelSerializer"})


@register
class PasswordInResponse(Rule):
    meta = RuleMeta(
        id="password-in-response",
        cwe=200,
        severity="high",
        confidence="medium",
        title="Password or password hash sent in a response",
        why=(
            "A response is read by the browser, its extensions, caches and logs on the way: "
            "a password there is disclosed, and a hash can be cracked offline."
        ),
        example="return jsonify(id=user.id, email=user.email, password=user.password)",
        fix=(
            "Leave passwords and their hashes out of every response: list the fields a "
            "response carries instead of sending whole records."
        ),
        fix_by_api=(
            FixText(
                ("rest_framework",),
                "List the serializer's fields without `password` (or `exclude = ['password']`"
                "), and mark a password the client sends `write_only`.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/200.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/",
        ),
    )
    nodes = (ast.Return, ast.ClassDef)
    triggers = frozenset({"password", "passwd", "pwd", "__all__"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.ClassDef):
            yield from _serializer(node, ctx)
            return
        assert isinstance(node, ast.Return)
        if node.value is None or not (builds_response(node.value) or in_handler(node, ctx)):
            return
        for key, value in _pairs(node.value):
            parts = words(key)
            if not parts or parts[0] in _PREDICATES or not set(parts) & _PASSWORD:
                continue
            if ctx.is_constant(value) or isinstance(value, (ast.Compare, ast.BoolOp, ast.UnaryOp)):
                continue
            yield Hit(node, f"The response carries `{key}` (`{ast.unparse(value)[:40]}`).")
            return


def _pairs(value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """The keys and values of the dicts and keyword arguments the response is built of."""
    return keyed_values(ast.walk(value))


def _serializer(cls: ast.ClassDef, ctx: ModuleContext) -> Iterator[Hit]:
    if not any(last_name(base) in _SERIALIZERS for base in cls.bases):
        return
    meta = next((s for s in cls.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)
    if meta is None:
        return
    settings = {
        target.id: statement.value
        for statement in meta.body
        if isinstance(statement, ast.Assign)
        for target in statement.targets
        if isinstance(target, ast.Name)
    }
    model = settings.get("model")
    if model is None or not _is_user_model(model):
        return
    fields = ctx.constant_value(settings.get("fields"))
    excluded = ctx.constant_value(settings.get("exclude"))
    if isinstance(excluded, (list, tuple)) and "password" in excluded:
        return
    write_only = "write_only" in ast.unparse(settings.get("extra_kwargs", ast.Constant(None)))
    if fields == "__all__" or (
        isinstance(fields, (list, tuple)) and "password" in fields and not write_only
    ):
        shown = "every field" if fields == "__all__" else "`password`"
        yield Hit(
            cls,
            f"`{cls.name}` serializes {shown} of the user model, the password hash included.",
        )


def _is_user_model(node: ast.expr) -> bool:
    name = last_name(node)
    return name.endswith("User") or name == "get_user_model"
