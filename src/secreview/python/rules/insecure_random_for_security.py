"""insecure-random-for-security: the `random` module making tokens, passwords, keys, nonces."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.python.rules._bindings import producers
from secreview.python.rules._names import words
from secreview.python.rules._secrets import (
    Kind,
    describe,
    destination,
    enclosing_function_name,
    secret_kind,
)
from secreview.python.rules.base import Hit, Rule, register
from secreview.rules import RuleMeta

_FUNCTIONS = ("random", "randint", "randrange", "choice", "choices", "sample")
_FUNCTIONS += ("getrandbits", "randbytes", "uniform")
_RANDOM = frozenset(f"random.{f}" for f in _FUNCTIONS)
_NUMPY = frozenset(
    f"numpy.random.{f}" for f in ("randint", "choice", "bytes", "random", "rand", "random_sample")
)
_UUID1 = "uuid.uuid1"
_SEEDABLE = frozenset({"random.Random", "numpy.random.RandomState", "numpy.random.default_rng"})
_METHODS = frozenset(_FUNCTIONS) | {"integers", "bytes"}
# Words of names whose values are meant to be random but not secret.
_NOT_SECRET = frozenset(
    {"jitter", "delay", "backoff", "sleep", "interval", "timeout", "wait", "retry", "retries"}
    | {"port", "index", "idx", "offset", "sample", "samples", "weight", "color", "colour"}
    | {"shuffle", "order", "jitter", "spread", "splay", "skew", "ttl", "length", "size"}
    | {"count", "seed", "probability", "chance", "percent", "ratio", "x", "y", "z"}
)
_SEVERITY = {"nonce": "medium", "salt": "medium"}
_COOKIE_SETTERS = frozenset({"set_cookie", "set_secure_cookie", "set_signed_cookie"})
# Cookie names that say the cookie authenticates its bearer.
_SESSION_COOKIE_WORDS = frozenset({"session", "sess", "sid", "auth", "remember", "login"})


@register
class InsecureRandomForSecurity(Rule):
    meta = RuleMeta(
        id="insecure-random-for-security",
        cwe=338,
        severity="high",
        confidence="medium",
        title="Non-cryptographic random numbers used for a secret",
        why=(
            "The random module is a Mersenne Twister: after 624 outputs an observer can "
            "predict every past and future value, and its seed is guessable. Tokens, "
            "passwords, keys, session ids or one-time codes made with it can be predicted "
            "by an attacker who sees a few of them."
        ),
        example=(
            "token = ''.join(random.choice(string.ascii_letters) for _ in range(32))\n"
            "otp = random.randint(100000, 999999)"
        ),
        fix=(
            "Use the secrets module: secrets.token_urlsafe(32), secrets.token_hex(16), "
            "secrets.choice(alphabet), secrets.randbelow(10**6); or random.SystemRandom(). "
            "random stays fine for jitter, backoff, sampling and simulations."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/338.html",
            "https://docs.python.org/3/library/random.html",
            "https://docs.python.org/3/library/secrets.html",
        ),
    )
    calls = _RANDOM | _NUMPY | frozenset({_UUID1})
    nodes = (ast.Call,)
    methods = _METHODS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        kind, where = _secret_destination(call, ctx)
        if kind is None:
            return
        if name == _UUID1:
            yield Hit(
                call,
                f"uuid1() is built from the clock and the host's MAC address, not randomness; "
                f"{describe(kind)} ({where}) made from it can be guessed. Use "
                "secrets.token_urlsafe().",
                severity=_SEVERITY.get(kind),
            )
            return
        yield _hit(call, name, kind, where)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """Methods of a `random.Random(...)` instance (`rng = random.Random(seed)`)."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _METHODS:
            return
        if ctx.resolve(func) is not None:
            return  # a resolved name: check_call decides
        made_by = producers(func.value, ctx) & _SEEDABLE
        if not made_by:
            return
        kind, where = _secret_destination(node, ctx)
        if kind is not None:
            yield _hit(node, f"{sorted(made_by)[0]}().{func.attr}", kind, where)


def _hit(node: ast.AST, name: str, kind: Kind, where: str) -> Hit:
    return Hit(
        node,
        f"{name}() is predictable (Mersenne Twister), yet it makes {describe(kind)} ({where}); an "
        "attacker who sees a few outputs can predict it. Use the secrets module.",
        severity=_SEVERITY.get(kind),
    )


def _secret_destination(call: ast.Call, ctx: ModuleContext) -> tuple[Kind | None, str]:
    """The secret a random value becomes, judged by the name it lands in; when it lands in
    a name that says nothing (`s`, `result`), by the function that makes it
    (`def generate_token`)."""
    cookie = _cookie_name(call, ctx)
    if cookie is not None:
        cookie_words = set(words(cookie))
        if secret_kind(cookie) is not None or cookie_words & _SESSION_COOKIE_WORDS:
            return "session", f"cookie {cookie!r}"
        return None, ""
    landing, names = destination(call, ctx)
    for name in names:
        kind = secret_kind(name)
        if kind is not None and kind != "signature":
            return kind, name
    if landing not in ("assign", "return") or any(
        w in _NOT_SECRET for n in names for w in words(n)
    ):
        return None, ""
    function = enclosing_function_name(call, ctx)
    kind = secret_kind(function)
    if kind is not None and kind != "signature":
        return kind, function
    return None, ""


def _cookie_name(node: ast.AST, ctx: ModuleContext) -> str | None:
    """The name of the cookie a value is set as (`resp.set_cookie("sid", value)`), if any."""
    current = node
    for _ in range(8):
        parent = ctx.parent(current)
        if parent is None or isinstance(parent, ast.stmt):
            return None
        if (
            isinstance(parent, ast.Call)
            and isinstance(parent.func, ast.Attribute)
            and parent.func.attr in _COOKIE_SETTERS
            and current is not parent.func
        ):
            name = ctx.constant_value(argument(parent, 0, "key"))
            if not isinstance(name, str):
                name = ctx.constant_value(keyword(parent, "name"))
            return name if isinstance(name, str) and current is not _first(parent) else None
        current = parent
    return None


def _first(call: ast.Call) -> ast.AST | None:
    return call.args[0] if call.args else None
