"""What a hash is computed from and for: the names around a hash construction.

fast-password-hash asks "is this digest a password hash?" (weak-hash-for-security follows
its digests to their use instead: `taint/specs/weak_digest.py`). The answer comes from the
data hashed (the call's argument and any later `h.update(x)`) and where the digest goes
(`password_hash = md5(x).hexdigest()`).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules.support.bindings import enclosing_function, scope_nodes
from secreview.rules.support.crypto import PYCRYPTODOME
from secreview.rules.support.names import words
from secreview.rules.support.secrets import (
    destination_names,
    is_password_name,
    value_names,
)

_HASHLIB_ALGORITHMS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b")
_HASHLIB_ALGORITHMS += ("sha3_224", "sha3_256", "sha3_384", "sha3_512", "blake2s", "shake_128")
_PYCRYPTODOME_HASHES = ("MD2", "MD4", "MD5", "SHA", "SHA1", "SHA224", "SHA256", "SHA384")
_PYCRYPTODOME_HASHES += ("SHA512", "SHA3_256", "SHA3_512", "BLAKE2b", "BLAKE2s", "RIPEMD160")
# constructor -> (algorithm, position of the data argument; -1 = none)
HASH_CONSTRUCTORS: dict[str, tuple[str, int]] = {
    **{f"hashlib.{a}": (a, 0) for a in _HASHLIB_ALGORITHMS},
    **{f"oslo_utils.secretutils.{a}": (a, 0) for a in ("md5", "sha1")},
    **{f"{p}.Hash.{h}.new": (h.lower(), 0) for p in PYCRYPTODOME for h in _PYCRYPTODOME_HASHES},
    "hashlib.new": ("", 1),
    "cryptography.hazmat.primitives.hashes.Hash": ("", -1),
}
_DIGESTS = frozenset({"hexdigest", "digest"})


@dataclass(frozen=True, slots=True)
class HashUse:
    data: tuple[str, ...]  # names the hashed data is read from
    destinations: tuple[str, ...]  # names the digest is given
    function: str  # the enclosing function's name


def hash_use(call: ast.Call, name: str, ctx: ModuleContext) -> HashUse:
    _, position = HASH_CONSTRUCTORS.get(name, ("", 0))
    data: list[str] = []
    if position >= 0:
        first = argument(call, position, "data") or keyword(call, "string")
        if first is not None:
            data += value_names(first, ctx)
    destinations = destination_names(call, ctx)
    holder = _held_in(call, ctx)
    function = enclosing_function(call, ctx)
    if holder is not None:
        # `h = hashlib.md5(); h.update(x); token = h.hexdigest()`
        scope = function if function is not None else ctx.tree
        for node in scope_nodes(scope):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == holder
            ):
                if node.func.attr == "update" and node.args:
                    data += value_names(node.args[0], ctx)
                elif node.func.attr in _DIGESTS:
                    destinations += destination_names(node, ctx)
        destinations = [d for d in destinations if d != holder]
    return HashUse(tuple(data), tuple(destinations), function.name if function else "")


def _held_in(call: ast.Call, ctx: ModuleContext) -> str | None:
    """The variable a hash object is bound to (`h = hashlib.sha1()`), if any."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, ast.Name):
            return target.id
    return None


def hashes_password(use: HashUse) -> bool:
    """The digest is a password hash: a password is hashed, or the result is stored as one
    (`password_hash = ...`, `user.password = sha256(raw).hexdigest()`)."""
    if any(is_password_name(n) for n in use.data):
        return True
    for destination in use.destinations:
        if is_password_name(destination):
            return True
        parts = words(destination)
        if any(is_password_name(p) for p in parts) and (
            parts[-1] in ("hash", "hashed", "digest") or parts[0] == "hashed"
        ):
            return True
    return False
