"""state-change-on-get: a view only GET reaches that deletes or changes stored data.

CSRF protection (Django's middleware, Flask-WTF) checks unsafe methods only: a GET that
changes data is triggered by any page the victim opens (`<img src=".../delete">`), by
link prefetchers and by crawlers. Reported: a Flask route with no `methods` (GET only) or
only safe ones, `@bp.get`, a Django view under `@require_GET`/`@require_safe`, a DRF
`@api_view` with only GET, whose name says it changes something (`delete_book`,
`borrow`, `reset_counts`, `revoke_…`) and whose body deletes (`db.session.delete`,
`.delete()`, `os.remove`) or writes (`commit`, `save`, `objects.update`). A page that also
tidies up (a view counter, stale rows) is not reported; neither are the links a mail sends
(`confirm_email`, `unsubscribe`), which must be GETs, nor a visitor's preference kept in
the session (`change_lang`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secreview.python.access import names as access
from secreview.python.access.views import on_query
from secreview.python.context import ModuleContext, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_DJANGO_GET_ONLY = frozenset(
    {"django.views.decorators.http.require_GET", "django.views.decorators.http.require_safe"}
)
_DJANGO_METHODS = "django.views.decorators.http.require_http_methods"
_DELETES = frozenset({"os.remove", "os.unlink", "os.rmdir", "shutil.rmtree"})
# first words of a view name that say it changes something
_VERBS = frozenset(
    {
        "add", "approve", "archive", "assign", "ban", "block", "borrow", "cancel", "change",
        "clear", "close", "create", "delete", "deny", "disable", "drop", "edit", "enable",
        "follow", "grant", "join", "kick", "leave", "like", "lock", "mark", "move", "pin",
        "promote", "publish", "purge", "reject", "remove", "rename", "reset", "restore",
        "revoke", "save", "set", "subscribe", "toggle", "transfer", "unban", "unfollow",
        "unlock", "unpin", "update", "upvote", "vote",
    }
)  # fmt: skip


# a preference kept for the visitor (a language, a theme) is no attack target
_PREFERENCES = frozenset({"lang", "language", "locale", "theme", "timezone", "tz"})
_CLIENT_SESSIONS = frozenset({"flask.session", "quart.session"})


@register
class StateChangeOnGet(Rule):
    meta = RuleMeta(
        id="state-change-on-get",
        cwe=352,
        severity="medium",
        confidence="medium",
        title="GET request that deletes or changes stored data",
        why=(
            "CSRF protection only checks POST, PUT, PATCH and DELETE: a GET that changes data "
            "is performed with the victim's session by any page they open "
            '(`<img src="/book/7/delete">`), and by link prefetchers and crawlers.'
        ),
        example=(
            "@app.route('/book/<int:id>/delete')\n@login_required\ndef delete_book(id):\n"
            "    db.session.delete(Book.query.get_or_404(id))\n    db.session.commit()"
        ),
        fix=(
            "Accept the change only by POST (or DELETE/PUT/PATCH) with the framework's CSRF "
            "token, and keep GET for reading."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                "Accept the change only by POST (`@require_POST`, or `@api_view(['POST'])`) "
                "with `{% csrf_token %}` in the form, and keep GET for reading.",
            ),
            FixText(
                ("flask", "quart"),
                "Accept the change only by POST (`methods=['POST']`) with Flask-WTF's CSRF "
                "token in the form, and keep GET for reading.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/352.html",
            "https://owasp.org/www-community/attacks/csrf",
        ),
    )
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef)
    triggers = frozenset({"route", "get", "require_GET", "require_safe", "api_view"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        how = _get_only(node, ctx)
        if not how or access.AUTH_FLOW.search(node.name):
            return
        if not set(words(node.name)) & _VERBS or set(words(node.name)) & _PREFERENCES:
            return  # a page that also tidies up (a view counter, stale rows) is not the defect
        deletes, writes = _changes(node, ctx)
        change = deletes or writes
        if change:
            yield Hit(
                node,
                f"`{node.name}` is reached by GET only ({how}) and changes stored data "
                f"({change}): any page the user opens can trigger it.",
            )


def _get_only(fn: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> str:
    """How the view is limited to safe methods, as written; "" if it is not."""
    for decorator in fn.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ctx.resolve(func) or ""
        if name in _DJANGO_GET_ONLY:
            return f"`@{name.rsplit('.', 1)[-1]}`"
        if isinstance(decorator, ast.Call):
            if name == _DJANGO_METHODS and decorator.args:
                if _safe_only(decorator.args[0], ctx):
                    return f"`@require_http_methods({ast.unparse(decorator.args[0])})`"
            elif name.endswith("api_view"):
                methods = (
                    decorator.args[0] if decorator.args else keyword(decorator, "http_method_names")
                )
                if methods is None or _safe_only(methods, ctx):
                    return "`@api_view` with GET only"
            elif isinstance(func, ast.Attribute) and _is_path(decorator):
                if func.attr == "get":
                    return f"`@{ast.unparse(func)}`"
                if func.attr == "route":
                    methods = keyword(decorator, "methods")
                    if methods is None:
                        return "a route without `methods`, GET only"
                    if _safe_only(methods, ctx):
                        return f"`methods={ast.unparse(methods)}`"
        elif name.endswith("api_view"):
            return "`@api_view` with GET only"
    return ""


def _is_path(call: ast.Call) -> bool:
    first = call.args[0] if call.args else keyword(call, "rule")
    return isinstance(first, ast.Constant) and str(first.value).startswith("/")


def _safe_only(node: ast.expr, ctx: ModuleContext) -> bool:
    value = ctx.constant_value(node)
    if not isinstance(value, (list, tuple, set, frozenset)) or not value:
        return False
    return all(isinstance(m, str) and m.upper() in _SAFE for m in value)


def _changes(fn: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> tuple[str, str]:
    """(the first deletion, the first other write) of the view's own body, as written."""
    deletes = writes = ""
    for call in sorted(_own_calls(fn), key=lambda c: (c.lineno, c.col_offset)):
        func = call.func
        shown = f"`{ast.unparse(func)[:50]}(...)` at line {call.lineno}"
        if (ctx.resolve(func) or "") in _DELETES or (
            isinstance(func, ast.Attribute) and func.attr == "delete"
        ):
            deletes = deletes or shown
        elif (ctx.resolve(func) or "").rsplit(".", 1)[0] in _CLIENT_SESSIONS:
            continue  # the signed cookie of the visitor, not stored data
        elif isinstance(func, ast.Attribute) and (
            func.attr in access.WRITE_METHODS
            or (func.attr in access.QUERY_WRITES and on_query(func.value))
        ):
            writes = writes or shown
    return deletes, writes


def _own_calls(fn: ast.AST) -> Iterator[ast.Call]:
    pending = list(ast.iter_child_nodes(fn))
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Call):
            yield node
        pending.extend(ast.iter_child_nodes(node))
