"""session-not-renewed-on-login: a custom login that keeps the session it was given.

Reported: a function that checks a password (`check_password`, `check_password_hash`,
`authenticate`, `verify_password`, `bcrypt.checkpw`, a passlib `verify`) and then stores who
signed in into a server-side session (`request.session["member_id"] = ...`, or Flask's
`session[...]` in a module that sets up Flask-Session), without renewing its id first
(`cycle_key()`, `flush()`, `clear()`, Django's `login()`, `regenerate`). Flask's default
session is a signed cookie the login replaces: it is not reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, last_name
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

_PASSWORD_CHECKS = frozenset(
    {
        "check_password", "check_password_hash", "authenticate", "verify_password", "checkpw",
        "verify", "check_credentials", "verify_credentials",
    }
)  # fmt: skip
_RENEWALS = frozenset(
    {"cycle_key", "flush", "clear", "login", "regenerate", "regenerate_id", "rotate", "renew"}
)
_IDENTITY_WORDS = frozenset({"user", "uid", "userid", "account", "member", "customer", "login"})
_SERVER_SESSIONS = ("flask_session", "flask_kvsession", "beaker")


@register
class SessionNotRenewedOnLogin(Rule):
    meta = RuleMeta(
        id="session-not-renewed-on-login",
        cwe=384,
        severity="medium",
        confidence="medium",
        title="Login keeps the session id the client arrived with",
        why=(
            "A session id fixed before the login stays valid after it: an attacker who "
            "planted that id in the victim's browser (a link, a subdomain cookie) shares the "
            "victim's signed-in session."
        ),
        example=(
            "if check_password(request.POST['password'], member.password):\n"
            "    request.session['member_id'] = member.pk"
        ),
        fix=(
            "Issue a new session id when the user signs in (renew or clear the session "
            "before storing who signed in), and keep the old id from working."
        ),
        fix_by_api=(
            FixText(
                ("django",),
                "Sign the user in with `login(request, user)`, which issues a new session id "
                "(or call `request.session.cycle_key()` before storing the user).",
            ),
            FixText(
                ("flask", "flask_session", "quart"),
                "Call `session.clear()` before storing the user, so that Flask-Session issues "
                "a new session id (and deletes the old one).",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/384.html",
            "https://owasp.org/www-community/attacks/Session_fixation",
        ),
    )
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef)
    triggers = frozenset({"session"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        if not ctx.may_call(node, _PASSWORD_CHECKS):
            return  # nothing is ever checked: no statement to read
        checked = renewed = False
        server_flask = any(ctx.symbols.imports(m) for m in _SERVER_SESSIONS)
        for statement in _in_order(node):
            for call in (s for s in ast.walk(statement) if isinstance(s, ast.Call)):
                name = last_name(call.func)
                if name in _PASSWORD_CHECKS:
                    checked = True
                elif name in _RENEWALS:
                    renewed = True
            if not checked or renewed or not isinstance(statement, ast.Assign):
                continue
            for target in statement.targets:
                key = _session_key(target, ctx, server_flask)
                if key and set(words(key)) & _IDENTITY_WORDS:
                    yield Hit(
                        statement,
                        f"After the password check, `{key}` is stored in the session the "
                        "client arrived with, whose id is never renewed: a fixed session id "
                        "becomes a signed-in one.",
                    )
                    return


def _in_order(fn: ast.AST) -> list[ast.stmt]:
    """The function's statements, nested blocks included, in source order."""
    found = [s for s in ast.walk(fn) if isinstance(s, ast.stmt) and s is not fn]
    return sorted(found, key=lambda s: (s.lineno, s.col_offset))


def _session_key(target: ast.expr, ctx: ModuleContext, server_flask: bool) -> str:
    if not isinstance(target, ast.Subscript):
        return ""
    holder = target.value
    django = (
        isinstance(holder, ast.Attribute)
        and holder.attr == "session"
        and (last_name(holder.value) == "request")
    )
    flask = server_flask and ctx.resolve(holder) in ("flask.session", "quart.session")
    key = target.slice
    if (django or flask) and isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    return ""
