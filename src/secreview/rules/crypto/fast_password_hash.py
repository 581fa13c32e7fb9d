"""fast-password-hash: passwords hashed with a fast hash, or a KDF with too little work."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules import FLASK, FixText, RuleMeta
from secreview.rules.support.bindings import (
    assigned_values,
    constant_int,
    enclosing_function,
    scope_nodes,
    self_attribute_values,
)
from secreview.rules.support.crypto import PYCRYPTODOME
from secreview.rules.support.hashing import HASH_CONSTRUCTORS, hash_use, hashes_password
from secreview.rules.support.pattern import Hit, Rule, register

# OWASP Password Storage Cheat Sheet (2023) minimum PBKDF2 iterations per PRF.
OWASP_PBKDF2 = {"sha1": 1_300_000, "sha256": 600_000, "sha512": 210_000}
FLOOR = 10_000  # below this, no current guidance considers PBKDF2 adequate
MIN_BCRYPT_COST = 10
LOWEST_BCRYPT_COST = 4  # bcrypt.gensalt raises below this: no hash is made
# call -> (position, keyword, default, position/keyword of the PRF)
_PBKDF2: dict[str, tuple[int, str, int | None, tuple[int, str]]] = {
    "hashlib.pbkdf2_hmac": (3, "iterations", None, (0, "hash_name")),
    "cryptography.hazmat.primitives.kdf.pbkdf2.PBKDF2HMAC": (
        3,
        "iterations",
        None,
        (0, "algorithm"),
    ),
    **{
        f"{p}.Protocol.KDF.PBKDF2": (3, "count", 1000, (-1, "hmac_hash_module"))
        for p in PYCRYPTODOME
    },
}
_BCRYPT = "bcrypt.gensalt"


@register
class FastPasswordHash(Rule):
    meta = RuleMeta(
        id="fast-password-hash",
        cwe=916,
        severity="high",
        confidence="medium",
        title="Password hashed with a fast hash",
        why=(
            "General-purpose hashes (MD5, SHA-1, SHA-256, ...) are built to be fast: a GPU "
            "tries billions of guesses a second, so a leaked table of such password hashes, "
            "salted or not, is cracked for most users. Password hashing needs a slow, "
            "salted, tunable KDF."
        ),
        example=(
            "user.password = hashlib.sha256(salt + password).hexdigest()\n"
            "hashlib.pbkdf2_hmac('sha256', password, salt, 1000)"
        ),
        fix=(
            "Use argon2-cffi (PasswordHasher), bcrypt.hashpw(pw, bcrypt.gensalt()), "
            "hashlib.scrypt, or PBKDF2-HMAC-SHA256 with at least 600,000 iterations "
            "(OWASP); passlib's CryptContext handles upgrades of old hashes."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Use Django's password hashers: `make_password(raw)` / `check_password(raw, "
                    "hashed)` with `PASSWORD_HASHERS` starting with Argon2 or PBKDF2 (the "
                    "default)."
                ),
            ),
            FixText(
                FLASK,
                (
                    "Use `werkzeug.security.generate_password_hash(pw)` (scrypt or PBKDF2 with "
                    "many iterations) and `check_password_hash`, or argon2-cffi's "
                    "`PasswordHasher`."
                ),
            ),
            FixText(
                ("passlib",),
                (
                    "Hash with a slow scheme through passlib: `CryptContext(schemes=['argon2', "
                    "'bcrypt'])`, which also upgrades old hashes."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/916.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
        ),
    )
    calls = frozenset(HASH_CONSTRUCTORS) | frozenset(_PBKDF2) | frozenset({_BCRYPT})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _PBKDF2:
            yield from self._pbkdf2(call, name, ctx)
        elif name == _BCRYPT:
            cost = constant_int(argument(call, 0, "rounds"), ctx)
            if cost is not None and LOWEST_BCRYPT_COST <= cost < MIN_BCRYPT_COST:
                yield Hit(
                    call,
                    f"bcrypt cost {cost} is {2 ** (MIN_BCRYPT_COST - cost)}x less work than the "
                    f"minimum of {MIN_BCRYPT_COST}; leaked hashes are cracked that much faster.",
                )
        elif hashes_password(hash_use(call, name, ctx)) and not _memo_key(call, ctx):
            algorithm = HASH_CONSTRUCTORS[name][0] or _named(call, ctx)
            yield Hit(
                call,
                f"A password is hashed with {algorithm.upper() if algorithm else 'a fast hash'}, "
                "which is fast to brute-force: a leaked hash is cracked at billions of guesses "
                "a second. Use argon2, bcrypt, scrypt or PBKDF2 with many iterations.",
            )

    def _pbkdf2(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        position, key, default, (prf_position, prf_key) = _PBKDF2[name]
        node = argument(call, position, key)
        if node is None:
            if default is None or has_kwargs_splat(call):
                return
            iterations: int | None = default
        else:
            iterations = constant_int(node, ctx)
        if iterations is None:
            return
        prf_node = (
            argument(call, prf_position, prf_key) if prf_position >= 0 else keyword(call, prf_key)
        )
        prf = _prf(prf_node, ctx)
        minimum = OWASP_PBKDF2.get(prf, OWASP_PBKDF2["sha256"])
        if iterations >= minimum:
            return
        severity = "high" if iterations < FLOOR else "low"
        yield Hit(
            call,
            f"PBKDF2 with {iterations:,} iterations"
            + (" (the default)" if node is None else "")
            + f" is {'far ' if severity == 'high' else ''}below the {minimum:,} OWASP "
            f"recommends for {prf.upper() or 'SHA-256'}: leaked hashes are cheap to "
            "brute-force.",
            severity=severity,
            confidence="high" if severity == "high" else "medium",
        )


def _prf(node: ast.AST | None, ctx: ModuleContext) -> str:
    """ "sha256" from `"sha256"`, `hashes.SHA256()`, or `SHA512` (pycryptodome module);
    pycryptodome's default PRF is HMAC-SHA1; "" when the PRF is not written here."""
    if node is None:
        return "sha1"
    value = ctx.constant_value(node)
    if isinstance(value, str):
        return value.lower().replace("-", "")
    if isinstance(node, ast.Call):
        node = node.func
    name = ctx.resolve(node) or ""
    return name.rsplit(".", 1)[-1].lower()


def _named(call: ast.Call, ctx: ModuleContext) -> str | None:
    """`hashlib.new("sha256")` -> "sha256"; `hashes.Hash(hashes.SHA256())` -> "sha256"."""
    first = argument(call, 0, "name") or keyword(call, "algorithm")
    value = ctx.constant_value(first)
    if isinstance(value, str):
        return value
    if isinstance(first, ast.Call):
        return (ctx.resolve(first.func) or "").rsplit(".", 1)[-1].lower() or None
    return None


def _memo_key(call: ast.Call, ctx: ModuleContext) -> bool:
    """The digest only looks up and fills an in-memory memo: it is bound to a local name
    that is read nowhere but as a key of one container (`memo[key]`, `key in memo`,
    `key in memo.keys()`) that starts empty in this code (`self._answers = {}`). Nothing
    stores it as a password verifier, and a memo of this process holds no more than the
    process already has: the password."""
    digest: ast.AST = call
    parent = ctx.parent(call)
    if isinstance(parent, ast.Attribute) and parent.attr in ("hexdigest", "digest"):
        digest = ctx.parent(parent) or parent
    holder = ctx.parent(digest)
    if not (
        isinstance(holder, ast.Assign)
        and len(holder.targets) == 1
        and isinstance(holder.targets[0], ast.Name)
    ):
        return False
    key = holder.targets[0].id
    function = enclosing_function(call, ctx)
    if function is None:
        return False
    containers: dict[str, ast.expr] = {}
    for node in scope_nodes(function):
        if isinstance(node, ast.Name) and node.id == key and node is not holder.targets[0]:
            container = _keyed_container(node, ctx)
            if container is None:
                return False
            containers[ast.dump(container)] = container
    return len(containers) == 1 and _starts_empty(next(iter(containers.values())), ctx)


def _keyed_container(name: ast.Name, ctx: ModuleContext) -> ast.expr | None:
    """The container `name` is a key of here (`c[name]`, `name in c`, `name in c.keys()`)."""
    parent = ctx.parent(name)
    if isinstance(parent, ast.Subscript) and parent.slice is name:
        return parent.value
    if (
        isinstance(parent, ast.Compare)
        and parent.left is name
        and len(parent.ops) == 1
        and isinstance(parent.ops[0], (ast.In, ast.NotIn))
    ):
        container = parent.comparators[0]
        if (
            isinstance(container, ast.Call)
            and isinstance(container.func, ast.Attribute)
            and container.func.attr == "keys"
            and not container.args
        ):
            container = container.func.value
        return container
    return None


def _starts_empty(container: ast.expr, ctx: ModuleContext) -> bool:
    """`self.x`/`x` is only ever given an empty dict or set (`{}`, `dict()`, `set()`)."""
    if isinstance(container, ast.Attribute) and isinstance(container.value, ast.Name):
        values = self_attribute_values(container.attr, container, ctx)
    elif isinstance(container, ast.Name):
        values = assigned_values(container.id, container, ctx)
    else:
        return False
    return bool(values) and all(_empty_mapping(v) for v in values)


def _empty_mapping(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict):
        return not value.keys
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in ("dict", "set")
        and not value.args
        and not value.keywords
    )
