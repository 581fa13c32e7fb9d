"""timing-unsafe-comparison: a secret compared with `==`, which stops at the first difference.

Reported: `==`/`!=` between an HMAC the code computes (`hmac.new(...).hexdigest()`,
`hmac.digest(...)`, or a local holding one) and any value that is not a constant; or between
what the request sends (directly or through a local) and a value whose name says it is a
secret (a token, signature, MAC, password, secret, API key). An SQL expression
(`Token.query.filter(Token.value == token)`), two values the server holds
(`reset.token == previous.token`), a plain content digest (`sha256(a) == sha256(b)`) and a
comparison with a constant are not.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values, enclosing_function, name_roots
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.request_data import client_reads

_QUERY_CALLS = frozenset(
    {"filter", "filter_by", "where", "having", "exclude", "join", "outerjoin", "and_", "or_"}
)
_HMAC = frozenset({"hmac.new", "hmac.digest", "hmac.HMAC"})
_SECRET_WORDS = frozenset(
    {"token", "secret", "signature", "sig", "hmac", "mac", "password", "passwd", "apikey"}
)


@register
class TimingUnsafeComparison(Rule):
    meta = RuleMeta(
        id="timing-unsafe-comparison",
        cwe=208,
        severity="medium",
        confidence="medium",
        title="Secret compared with == instead of a constant-time comparison",
        why=(
            "`==` on strings and bytes returns at the first byte that differs, so the time it "
            "takes tells an attacker how much of a guessed signature, token or key is right; "
            "with enough requests the secret is recovered byte by byte."
        ),
        example=(
            "expected = hmac.new(key, body, 'sha256').hexdigest()\n"
            "if request.headers['X-Signature'] != expected:\n    abort(401)"
        ),
        fix=(
            "Compare secrets with `hmac.compare_digest(a, b)` (or `secrets.compare_digest`), "
            "whose time does not depend on where they differ."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Compare secrets with `django.utils.crypto.constant_time_compare(a, b)` or "
                    "`hmac.compare_digest(a, b)`, whose time does not depend on where they "
                    "differ."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/208.html",
            "https://docs.python.org/3/library/hmac.html#hmac.compare_digest",
        ),
        fixable=False,
    )
    nodes = (ast.Compare,)
    triggers = frozenset({"hmac", "request", "token", "secret", "signature", "password", "key"})
    triggers_ignore_case = True

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Compare)
        if len(node.ops) != 1 or not isinstance(node.ops[0], (ast.Eq, ast.NotEq)):
            return
        left, right = node.left, node.comparators[0]
        # what is compared first, whether it is fixed last: the constant propagation of the
        # enclosing function costs more than the rest, and most comparisons are neither
        hmac = None
        if "hmac" in name_roots(ctx):
            hmac = next((one for one in (left, right) if _is_hmac(one, node, ctx)), None)
        secret = None
        if hmac is None:
            secret = next(
                (
                    (one, other)
                    for one, other in ((left, right), (right, left))
                    if _names_secret(other) and _from_client(one, node, ctx)
                ),
                None,
            )
        if hmac is None and secret is None:
            return
        if ctx.is_constant(left) or ctx.is_constant(right) or _in_query(node, ctx):
            return
        if hmac is not None:
            yield Hit(node, f"An HMAC (`{_shown(hmac)}`) is compared with `==`: {_LEAK}")
        elif secret is not None:
            one, other = secret
            yield Hit(
                node,
                f"`{_shown(other)}`, a secret, is compared with what the request sends "
                f"(`{_shown(one)}`) by `==`: {_LEAK}",
            )


_LEAK = "the time it takes tells how much of a guess is right."


def _in_query(node: ast.Compare, ctx: ModuleContext) -> bool:
    """`Token.query.filter(Token.value == token)`: an SQL expression the database evaluates
    (with an index lookup), not a comparison in Python."""
    parent = ctx.parent(node)
    while isinstance(parent, (ast.BoolOp, ast.UnaryOp)):
        parent = ctx.parent(parent)
    if not isinstance(parent, ast.Call):
        return False
    func = parent.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _QUERY_CALLS


def _shown(node: ast.expr) -> str:
    text = ast.unparse(node)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_hmac(node: ast.expr, at: ast.AST, ctx: ModuleContext, depth: int = 0) -> bool:
    """An HMAC computed here: `hmac.new(...).hexdigest()`, `hmac.digest(...)`, a local
    holding one, or `"sha256=" + <one>`."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _is_hmac(node.left, at, ctx, depth) or _is_hmac(node.right, at, ctx, depth)
    if isinstance(node, ast.Call):
        func = node.func
        if ctx.resolve(func) in _HMAC:
            return True
        if isinstance(func, ast.Attribute) and func.attr in ("hexdigest", "digest"):
            inner = func.value
            return isinstance(inner, ast.Call) and ctx.resolve(inner.func) in _HMAC
        return False
    if isinstance(node, ast.Name) and depth < 2 and enclosing_function(at, ctx) is not None:
        values = assigned_values(node.id, at, ctx)
        return bool(values) and all(_is_hmac(v, at, ctx, depth + 1) for v in values)
    return False


def _from_client(node: ast.expr, at: ast.AST, ctx: ModuleContext, depth: int = 0) -> bool:
    if next(client_reads(node), None) is not None:
        return True
    if isinstance(node, ast.Name) and depth < 2 and enclosing_function(at, ctx) is not None:
        values = assigned_values(node.id, at, ctx)
        return bool(values) and all(_from_client(v, at, ctx, depth + 1) for v in values)
    return False


def _names_secret(node: ast.expr) -> bool:
    """The value's name ends with a word for a secret: `API_KEY`, `reset.token`,
    `config["WEBHOOK_SECRET"]`, `get_signature()`; not `token_type` or `API_VERSION`."""
    name = ""
    if isinstance(node, ast.Name):
        name = node.id
    elif isinstance(node, ast.Attribute):
        name = node.attr
    elif isinstance(node, ast.Subscript):
        key = node.slice
        name = key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""
    elif isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        name = name.removeprefix("get_")
    parts = words(name)
    if not parts:
        return False
    if parts[-1] == "key":
        return len(parts) > 1 and parts[-2] in ("api", "access", "secret", "shared", "hmac")
    return parts[-1] in _SECRET_WORDS
