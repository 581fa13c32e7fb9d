"""weak-hash-for-security: MD5/SHA-1 where a security property depends on the digest."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.python.rules._bindings import call_name
from secreview.python.rules._crypto import PYCRYPTODOME
from secreview.python.rules._hashing import hash_use, hashes_password, security_purpose
from secreview.python.rules.base import Hit, Rule, register
from secreview.rules import OPENSTACK, FixText, RuleMeta

_WEAK = frozenset({"md2", "md4", "md5", "sha", "sha1", "md5-sha1", "md5_sha1"})
_HASHES = "cryptography.hazmat.primitives.hashes"
_CONSTRUCTORS = frozenset(
    {"hashlib.md5", "hashlib.sha1", "hashlib.new"}
    | {"oslo_utils.secretutils.md5", "oslo_utils.secretutils.sha1"}
    | {f"{p}.Hash.{h}.new" for p in PYCRYPTODOME for h in ("MD2", "MD4", "MD5", "SHA", "SHA1")}
)
_PYCA_WEAK = frozenset({f"{_HASHES}.MD5", f"{_HASHES}.SHA1"})
_PYCA_HASH = f"{_HASHES}.Hash"
# Where a weak cryptography hash is harmless: HMAC and the KDFs and OAEP/MGF1 built on it
# keep their strength with SHA-1 (they need no collision resistance).
_HMAC_BASED = frozenset({"HMAC", "MGF1", "OAEP", "PBKDF2HMAC", "HKDF", "HKDFExpand"})
_HMAC_BASED |= frozenset({"ConcatKDFHMAC", "KBKDFHMAC", "X963KDF", "ConcatKDFHash"})
# Methods that sign or verify with the hash: collisions there forge signatures.
_SIGNING = frozenset({"sign", "verify", "ECDSA", "PSS", "Prehashed", "signer", "verifier"})


@register
class WeakHashForSecurity(Rule):
    meta = RuleMeta(
        id="weak-hash-for-security",
        cwe=328,
        severity="medium",
        confidence="medium",
        title="MD5/SHA-1 used where security depends on the hash",
        why=(
            "MD5 and SHA-1 collisions are cheap (SHA-1 since SHAttered, MD5 in seconds): "
            "signatures, integrity checks against an attacker, and tokens or identifiers "
            "derived from them can be forged. As a cache key, ETag or checksum against "
            "accidental corruption they are fine, and they are not reported there."
        ),
        example=(
            "signature = hashlib.md5(secret + body).hexdigest()\n"
            "private_key.sign(data, padding.PKCS1v15(), hashes.SHA1())"
        ),
        fix=(
            "Use SHA-256 or better (hashlib.sha256, hashes.SHA256()); to authenticate "
            "messages use hmac.new(key, msg, hashlib.sha256) and hmac.compare_digest. Where "
            "the digest is not a security control, say so with usedforsecurity=False."
        ),
        fix_by_api=(
            FixText(
                ("cryptography",),
                (
                    "Use `hashes.SHA256()` or better; to authenticate messages use `hmac.HMAC(key, "
                    "hashes.SHA256())` and `verify()`."
                ),
            ),
            FixText(
                OPENSTACK,
                (
                    "Use `hashlib.sha256` or better; to authenticate messages use `hmac.new(key, "
                    "msg, hashlib.sha256)` and `hmac.compare_digest`. Where the digest is not a "
                    "security control, use `oslo_utils.secretutils.md5(..., "
                    "usedforsecurity=False)`."
                ),
            ),
            FixText(
                ("hashlib",),
                (
                    "Use `hashlib.sha256` or better; to authenticate messages use `hmac.new(key, "
                    "msg, hashlib.sha256)` and `hmac.compare_digest`. Where the digest is not a "
                    "security control, say so with `usedforsecurity=False`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/328.html",
            "https://shattered.io/",
            "https://docs.python.org/3/library/hashlib.html#hashlib.new",
        ),
    )
    calls = _CONSTRUCTORS | _PYCA_WEAK | frozenset({_PYCA_HASH})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _PYCA_WEAK:
            yield from self._pyca_algorithm(call, name, ctx)
            return
        if name == _PYCA_HASH:
            algorithm = argument(call, 0, "algorithm")
            if not isinstance(algorithm, ast.Call) or ctx.resolve(algorithm.func) not in _PYCA_WEAK:
                return
            label = (ctx.resolve(algorithm.func) or "").rsplit(".", 1)[1]
        else:
            label = _algorithm(call, name, ctx)
            if label is None:
                return
        if ctx.constant_value(keyword(call, "usedforsecurity")) is False:
            return
        use = hash_use(call, name, ctx)
        if hashes_password(use):
            return  # fast-password-hash reports it: any fast hash is wrong for passwords
        purpose = security_purpose(use)
        if purpose is None:
            return
        yield Hit(
            call,
            f"{label.upper()} is used for {purpose}; its collisions are practical, so a "
            "digest an attacker must not forge or match should use SHA-256 or better.",
        )

    def _pyca_algorithm(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """`hashes.SHA1()` handed to a signing call is a forgeable signature; handed to
        HMAC/OAEP/KDFs it is fine; inside `hashes.Hash(...)` the Hash call decides."""
        parent = ctx.parent(call)
        if isinstance(parent, ast.keyword):
            parent = ctx.parent(parent)
        if not isinstance(parent, ast.Call) or parent.func is call:
            return
        callee = call_name(parent)
        if callee in _HMAC_BASED or ctx.resolve(parent.func) == _PYCA_HASH:
            return
        if callee in _SIGNING:
            label = name.rsplit(".", 1)[1]
            yield Hit(
                call,
                f"Signing with {label}: a collision (practical for {label}) lets an attacker "
                "get one document signed and use the signature on another.",
                severity="high",
                confidence="high",
            )


def _algorithm(call: ast.Call, name: str, ctx: ModuleContext) -> str | None:
    """The weak algorithm a constructor makes, or None (`hashlib.new("sha256")`)."""
    if name != "hashlib.new":
        return name.rsplit(".", 2)[-2] if name.endswith(".new") else name.rsplit(".", 1)[1]
    algorithm = ctx.constant_value(argument(call, 0, "name"))
    if isinstance(algorithm, str) and algorithm.lower() in _WEAK:
        return algorithm
    return None
