"""logout-leaves-session-valid: a logout view that does not end the session it signs out.

Reported: a view named for a logout (`logout`, `member_logout`, `SignOutView.post`) that
ends nothing on the server — it calls no `logout()`, `logout_user()`, `flush()`, `clear()`,
`cycle_key()`, and no revocation or deletion (`revoke`, `invalidate`, `.delete()`, the
project's own `do_logout`) — and only deletes a cookie, removes one key of a server-side
session (Django's `request.session`, Flask-Session), or just redirects or answers. Flask's
default session is a signed cookie the response replaces (and `clear()` would not revoke an
old copy either): removing a key of it is not reported.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, last_name
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

_LOGOUT = frozenset({"logout", "signout", "logoff", "signoff"})
_PAIRS = {("log", "out"): "logout", ("sign", "out"): "signout", ("log", "off"): "logoff"}
# words that may follow the logout word in a view's name (`logout_view`, `logout_then_login`)
_TRAILING = frozenset(
    {"view", "user", "handler", "page", "then", "login", "all", "api", "endpoint"}
)
# a call whose name has one of these words ends or revokes something on the server
_ENDING = frozenset(
    {
        "logout", "signout", "logoff", "flush", "clear", "cycle", "invalidate", "revoke",
        "destroy", "expire", "delete", "terminate", "kill", "end", "remove", "reset",
        "rotate", "regenerate", "forget", "discard", "blacklist", "blocklist", "deactivate",
    }
)  # fmt: skip
_COOKIE_CALLS = frozenset({"delete_cookie", "set_cookie"})
# what a view that only answers calls
_ANSWERS = frozenset(
    {
        "redirect", "url_for", "reverse", "resolve_url", "render", "render_template", "flash",
        "HttpResponseRedirect", "make_response", "jsonify", "JsonResponse", "Response",
        "HttpResponse", "get", "TemplateResponse",
    }
)  # fmt: skip
_ROUTES = frozenset({"route", "get", "post", "put", "delete", "api_view", "require_POST"})
_METHODS = frozenset({"get", "post", "delete", "dispatch"})
_SERVER_SESSIONS = ("flask_session", "flask_kvsession", "beaker")


@register
class LogoutLeavesSessionValid(Rule):
    meta = RuleMeta(
        id="logout-leaves-session-valid",
        cwe=613,
        severity="medium",
        confidence="medium",
        title="Logout leaves the session valid on the server",
        why=(
            "A logout that only forgets the session in the browser (a deleted cookie, one "
            "key removed) leaves it valid on the server: whoever holds a copy of the id or "
            "token (a shared computer, a stolen cookie) stays signed in."
        ),
        example=(
            "def member_logout(request):\n"
            "    del request.session['member_id']\n"
            "    return redirect('/')"
        ),
        fix=(
            "End the session on the server when the user signs out: delete or flush the "
            "session record, revoke the token, then clear the cookie."
        ),
        fix_by_api=(
            FixText(
                ("django",),
                "Call `django.contrib.auth.logout(request)` (it flushes the session), or "
                "`request.session.flush()`.",
            ),
            FixText(
                ("flask", "flask_login", "flask_session"),
                "Call `logout_user()` (Flask-Login) and `session.clear()`; revoke a token of "
                "your own in its store.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/613.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#manual-session-expiration",
        ),
    )
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef)
    triggers = frozenset({"logout", "log_out", "signout", "sign_out", "LogOut", "SignOut"})
    triggers_ignore_case = True

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        if not _is_logout_view(node, ctx):
            return
        server_flask = any(ctx.symbols.imports(m) for m in _SERVER_SESSIONS)
        forgets: list[str] = []
        answers_only = True
        body = [sub for statement in node.body for sub in ast.walk(statement)]
        for sub in body:
            if isinstance(sub, ast.Call):
                name = last_name(sub.func)
                if name in _COOKIE_CALLS:
                    forgets.append(f"`{name}(...)`")
                elif _session_of(sub.func, ctx, server_flask) and name in ("pop", "__delitem__"):
                    forgets.append(f"`{ast.unparse(sub)[:50]}`")
                elif set(words(name)) & _ENDING or _may_end(sub):
                    return
                elif name not in _ANSWERS:
                    answers_only = False
            elif isinstance(sub, ast.Delete):
                for target in sub.targets:
                    if isinstance(target, ast.Subscript) and _session_of(target, ctx, server_flask):
                        forgets.append(f"`del {ast.unparse(target)[:50]}`")
        if forgets:
            yield Hit(
                node,
                f"`{node.name}` signs out with {', '.join(forgets[:2])} only: nothing ends the "
                "session on the server (no `logout()`, `flush()`, `clear()` or revocation), so "
                "a copy of its id stays signed in.",
            )
        elif answers_only and any(isinstance(s, ast.Return) for s in body):
            yield Hit(
                node,
                f"`{node.name}` only answers: nothing ends the session (no `logout()`, "
                "`flush()`, `clear()` or revocation), so the user stays signed in.",
                confidence="low",
            )


def _may_end(call: ast.Call) -> bool:
    """`super().post(request)`, `forget_member(request)`: a call that may end the session
    (the parent view's logout, a helper of the project handed the request or session)."""
    if isinstance(call.func, ast.Name) and call.func.id == "super":
        return True
    if last_name(call.func) in _COOKIE_CALLS | _ANSWERS:
        return False
    return any(
        isinstance(arg, (ast.Name, ast.Attribute)) and last_name(arg) in ("request", "session")
        for arg in [*call.args, *(k.value for k in call.keywords)]
    )


def _logout_name(name: str) -> bool:
    """A name that says the function signs out: the logout word, then nothing or a noun of
    the view (`logout`, `api_logout`, `logout_view`; not `hide_logout_banner`)."""
    parts = words(name)
    merged: list[str] = []
    for part in parts:
        pair = (merged[-1], part) if merged else None
        if pair in _PAIRS:
            merged[-1] = _PAIRS[pair]  # type: ignore[index]
        else:
            merged.append(part)
    for i, part in enumerate(merged):
        if part in _LOGOUT:
            return all(rest in _TRAILING for rest in merged[i + 1 :])
    return False


def _is_logout_view(fn: ast.FunctionDef | ast.AsyncFunctionDef, ctx: ModuleContext) -> bool:
    cls = ctx.enclosing(fn, (ast.ClassDef,))
    if isinstance(cls, ast.ClassDef) and fn.name in _METHODS:
        return _logout_name(cls.name)
    if not _logout_name(fn.name):
        return False
    for decorator in fn.decorator_list:
        func = decorator.func if isinstance(decorator, ast.Call) else decorator
        if last_name(func) in _ROUTES:
            return True
    args = fn.args.posonlyargs + fn.args.args
    return bool(args) and args[0].arg == "request"


def _session_of(node: ast.expr, ctx: ModuleContext, server_flask: bool) -> bool:
    """`request.session` (Django) or, with Flask-Session set up, Flask's `session`: the
    holder of `node` (a method or a subscript of it)."""
    holder = node.value if isinstance(node, (ast.Attribute, ast.Subscript)) else node
    if isinstance(holder, ast.Attribute) and holder.attr == "session":
        return last_name(holder.value) == "request"
    return server_flask and ctx.resolve(holder) in ("flask.session", "quart.session")
