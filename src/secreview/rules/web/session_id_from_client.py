"""session-id-from-client: a session store keyed by the id the client sent, as sent.

Reported: in a function, a value the client sends (a cookie, header, query or form field)
whose name says it is a session id (`sid`, `session_id`, `X-Session-Id`), directly or
through a local (`sid = request.cookies.get("sid") or secrets.token_urlsafe()`), used as
the key under which a session store keeps data (`SESSIONS[sid] = ...`,
`cache.setex(f"session:{sid}", ...)`, `store.setdefault(sid, {})`) when the function never
checks that the server issued it (`sid in SESSIONS`, `SESSIONS.get(sid)`,
`cache.exists(...)`, a lookup `SESSIONS[sid]`). A login (a function that checks a password)
that stores the user under the client's id is reported even when the id exists: the id was
known before the login, so whoever planted it shares the session. Django's and Flask's own
sessions are `session-not-renewed-on-login`'s.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, last_name
from secreview.rules import RuleMeta
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.request_data import client_reads, may_read_client

_SESSION_WORDS = frozenset({"sid", "session", "sess", "sessionid", "sessid"})
_STORES = frozenset({"set", "setex", "psetex", "hset", "hmset", "add", "put", "setdefault"})
_CHECKS = frozenset({"get", "exists", "has_key", "contains", "hget", "hgetall", "load", "ttl"})
_PASSWORD_CHECKS = frozenset(
    {"check_password", "check_password_hash", "verify_password", "checkpw", "authenticate"}
)
_NOT_STORES = frozenset({"session", "cookies", "COOKIES", "headers", "META", "environ"})


@register
class SessionIdFromClient(Rule):
    meta = RuleMeta(
        id="session-id-from-client",
        cwe=384,
        severity="medium",
        confidence="medium",
        title="Session id taken from the client as sent",
        why=(
            "A session store that keeps data under whatever id the client sends lets an "
            "attacker choose the id: planted in a victim's browser (a link, a subdomain "
            "cookie), it becomes the victim's session, signed in once the victim logs in."
        ),
        example=(
            "sid = request.cookies.get('sid') or secrets.token_urlsafe()\n"
            "SESSIONS[sid] = {'cart': cart}"
        ),
        fix=(
            "Generate session ids on the server (`secrets.token_urlsafe(32)`), accept a "
            "client's id only when the store already holds it, and issue a new id at login."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/384.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#session-id-generation-and-verification",
        ),
    )
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef)
    triggers = frozenset({"sid", "session", "sess"})
    triggers_ignore_case = True

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        if not may_read_client(node, ctx):
            return  # no client value to hold: no walk
        body = [sub for statement in node.body for sub in ast.walk(statement)]
        held = _client_session_ids(body)
        if not held:
            return
        login = any(
            isinstance(sub, ast.Call) and last_name(sub.func) in _PASSWORD_CHECKS for sub in body
        )
        checked = _checked(body, held)
        if checked and not login:
            return
        for sub in body:
            store = _store_of(sub, held)
            if store is None:
                continue
            name, what = store
            if login:
                message = (
                    f"After the password check, {what} keeps the user under `{name}`, the "
                    "session id the client sent: the id known before the login stays the "
                    "signed-in one."
                )
            else:
                message = (
                    f"{what} keeps data under `{name}`, the session id the client sent, which "
                    "is never checked to be one the server issued: the client picks its id."
                )
            yield Hit(sub, message)
            return


def _client_session_ids(body: list[ast.AST]) -> set[str]:
    """Locals assigned a client value that is a session id (by the key read, or the name)."""
    held: set[str] = set()
    for sub in body:
        if not (isinstance(sub, ast.Assign) and len(sub.targets) == 1):
            continue
        target = sub.targets[0]
        if not isinstance(target, ast.Name):
            continue
        for _part, key in client_reads(sub.value):
            if _is_session_id(key) or (not key and _is_session_id(target.id)):
                held.add(target.id)
    return held


def _is_session_id(name: str) -> bool:
    parts = words(name)
    if "csrf" in parts or "xsrf" in parts:
        return False
    if set(parts) & {"sid", "sessionid", "sessid"}:
        return True
    return bool(set(parts) & {"session", "sess"} and set(parts) & {"id", "key", "token"})


def _mentions(node: ast.AST, held: set[str]) -> str:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id in held:
            return sub.id
    return ""


def _checked(body: list[ast.AST], held: set[str]) -> bool:
    """`sid in store`, `store.get(sid)` (without a default), `cache.exists(...)`, `store[sid]`
    read: the function asks whether the server knows the id."""
    for sub in body:
        if isinstance(sub, ast.Compare) and any(
            isinstance(o, (ast.In, ast.NotIn)) for o in sub.ops
        ):
            if _mentions(sub.left, held):
                return True
        elif _lookup(sub, held) or (
            isinstance(sub, ast.Subscript)
            and isinstance(sub.ctx, ast.Load)
            and _mentions(sub.slice, held)
            and last_name(sub.value) not in _NOT_STORES
        ):
            return True
    return False


def _lookup(node: ast.AST, held: set[str]) -> bool:
    """`store.get(sid)` (a `get` with a default answers either way), `cache.exists(sid)`."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _CHECKS
        and bool(node.args)
        and bool(_mentions(node.args[0], held))
        and (node.func.attr != "get" or len(node.args) == 1)
    )


def _store_of(node: ast.AST, held: set[str]) -> tuple[str, str] | None:
    """(the id's name, the store) when `node` stores data under a client session id."""
    if isinstance(node, ast.Assign):
        for target in node.targets:
            while isinstance(target, ast.Subscript):
                name = _mentions(target.slice, held)
                if name and last_name(target.value) not in _NOT_STORES:
                    return name, f"`{ast.unparse(target.value)[:40]}`"
                target = target.value  # type: ignore[assignment]
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _STORES
        and node.args
        and last_name(node.func.value) not in _NOT_STORES
    ):
        name = _mentions(node.args[0], held)
        if name:
            return name, f"`{ast.unparse(node.func)[:40]}(...)`"
    return None
