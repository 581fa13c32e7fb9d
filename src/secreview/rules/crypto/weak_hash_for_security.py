"""weak-hash-for-security: MD5/SHA-1 where a security property depends on the digest.

Two parts under one id. The data flow (`taint/specs/weak_digest.py`, hooks in
`taint/predictable.py`) follows a digest of `hashlib.md5`/`sha1`/`new("md5")`, `zlib.crc32`,
oslo's `secretutils.md5` (not with `usedforsecurity=False`) to where it is stored as a
password (hash), a session id or a signature, or compared as a token, signature or
checksum. The pattern part here: SHA-1/MD5 handed to a signing call of `cryptography`."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import OPENSTACK, FixText, RuleMeta
from secreview.rules.support.bindings import call_name
from secreview.rules.support.pattern import Hit, Rule, register

_HASHES = "cryptography.hazmat.primitives.hashes"
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
            "MD5 and SHA-1 collisions are cheap (SHA-1 since SHAttered, MD5 in seconds) and "
            "they, like CRC32, are fast to brute-force: a signature or token compared against "
            "one can be forged, an integrity check of downloaded or uploaded content passes "
            "a crafted file, a stored password hash is cracked, a session id guessed. As a "
            "cache key, ETag or content-addressed file name they are fine, and they are not "
            "reported there."
        ),
        example=(
            "if hashlib.md5(secret + body).hexdigest() == request.headers['X-Signature']:\n"
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
        kind="taint",
        references=(
            "https://cwe.mitre.org/data/definitions/328.html",
            "https://shattered.io/",
            "https://docs.python.org/3/library/hashlib.html#hashlib.new",
        ),
    )
    calls = _PYCA_WEAK

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        yield from self._pyca_algorithm(call, name, ctx)

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
