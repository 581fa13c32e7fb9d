"""except-pass-security-check: a security check whose failure is caught and ignored."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import call_name
from secreview.rules.support.names import is_security_check, words
from secreview.rules.support.pattern import Hit, Rule, register

_LOG_METHODS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "log", "print"}
)


@register
class ExceptPassSecurityCheck(Rule):
    meta = RuleMeta(
        id="except-pass-security-check",
        cwe=636,
        severity="medium",
        confidence="medium",
        title="Failed security check caught and ignored",
        why=(
            "Checks such as verify(), authorize() or policy enforce() report 'no' by raising. "
            "An except clause that only passes or logs turns that 'no' into 'yes': execution "
            "continues after the try exactly as if the signature, token or permission had "
            "been valid (fail open)."
        ),
        example=(
            "try:\n    public_key.verify(signature, payload, padding.PKCS1v15(), SHA256())\n"
            "except InvalidSignature:\n    LOG.warning('bad signature')\nprocess(payload)"
        ),
        fix=(
            "Fail closed: re-raise, return an error (403/401) or stop in the except clause, or "
            "put the protected work inside the try after the check (or in its else: block) "
            "so it only runs when the check passed."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/636.html",
            "https://owasp.org/www-community/Fail_securely",
        ),
    )
    nodes = (ast.Try, ast.TryStar, ast.With)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.With):
            if not _suppresses(node, ctx):
                return
            body, how = node.body, "contextlib.suppress()"
        else:
            assert isinstance(node, (ast.Try, ast.TryStar))
            if node.orelse:
                return  # the protected work sits in else:, which runs only on success
            handler = next((h for h in node.handlers if _swallows(h) and not _state_only(h)), None)
            if handler is None:
                return
            body, how = node.body, f"the except clause at line {handler.lineno}"
        check = _trailing_check(body)
        if check is None:
            return
        name = call_name(check)
        yield Hit(
            check,
            f"When {name}() rejects, {how} swallows the error and execution continues after "
            "the try as if the check had passed.",
        )


def _trailing_check(body: list[ast.stmt]) -> ast.Call | None:
    """A security check whose result is discarded (it raises to say no), with nothing but
    other such checks or logging after it inside the try."""
    found: ast.Call | None = None
    for statement in reversed(body):
        call = statement.value if isinstance(statement, ast.Expr) else None
        if isinstance(call, ast.Await):
            call = call.value
        if isinstance(call, ast.Call) and is_security_check(call_name(call)):
            found = call
            continue
        if _is_logging(statement):
            continue
        break
    return found


def _swallows(handler: ast.ExceptHandler) -> bool:
    """Only `pass`, `...`, a docstring or log calls: the try's successor runs next."""
    return bool(handler.body) and all(
        isinstance(s, ast.Pass)
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        or _is_logging(s)
        for s in handler.body
    )


def _state_only(handler: ast.ExceptHandler) -> bool:
    """`except PasswordExpired:` — the check passed and reports a state of the credential
    (expired, must change), which the caller may deliberately accept."""
    if handler.type is None:
        return False
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return bool(types) and all(
        isinstance(t, (ast.Name, ast.Attribute))
        and any(w in ("expired", "expiry") for w in words(call_name(t)))
        for t in types
    )


def _is_logging(statement: ast.stmt) -> bool:
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return False
    return call_name(statement.value) in _LOG_METHODS


def _suppresses(statement: ast.With, ctx: ModuleContext) -> bool:
    return any(
        isinstance(item.context_expr, ast.Call)
        and ctx.resolve(item.context_expr.func) == "contextlib.suppress"
        for item in statement.items
    )
