"""hardcoded-crypto-key: encryption, MAC and token-signing keys written in the source."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument
from secreview.rules import OPENSTACK, FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values
from secreview.rules.support.crypto import KEYED_CALLS, cipher_inputs, static_value
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.secret_formats import known_format
from secreview.rules.support.secrets import env_fallback, secret_kind

# Token and cookie signers whose key is their second argument (`jwt.encode(payload, key)`).
_SIGNERS_KEY_SECOND = frozenset(
    {"jwt.encode", "jwt.api_jwt.encode", "jwt.decode", "jwt.api_jwt.decode"}
    | {"jose.jwt.encode", "jose.jwt.decode", "jose.jws.sign", "jose.jws.verify"}
)
_ITSDANGEROUS = frozenset(
    f"itsdangerous.{c}"
    for c in (
        "Signer",
        "TimestampSigner",
        "Serializer",
        "TimedSerializer",
        "URLSafeSerializer",
        "URLSafeTimedSerializer",
    )
)
# A verifying key may be public: a PEM public key or certificate in the source is fine.
_PUBLIC = ("-----BEGIN PUBLIC KEY", "-----BEGIN RSA PUBLIC KEY", "-----BEGIN CERTIFICATE")
_PUBLIC += ("ssh-rsa ", "ssh-ed25519 ", "ecdsa-sha2-")


@register
class HardcodedCryptoKey(Rule):
    meta = RuleMeta(
        id="hardcoded-crypto-key",
        cwe=321,
        severity="high",
        confidence="high",
        title="Cryptographic key hard-coded in the source",
        why=(
            "A key written in the source is known to everyone who can read the repository, "
            "a package or an image: they decrypt the data, forge its MACs or sign tokens the "
            "application accepts, and the key cannot be rotated without a release."
        ),
        example=(
            'AES.new(b"0123456789abcdef", AES.MODE_GCM)\n'
            'hmac.new(b"s3cr3t", body, hashlib.sha256)\n'
            'jwt.encode(claims, "my-signing-key", algorithm="HS256")'
        ),
        fix=(
            "Load keys at run time from a secret store (Vault, a KMS) or the environment and fail "
            "if absent; generate them with `os.urandom(32)`, and rotate any key that was "
            "committed."
        ),
        fix_by_api=(
            FixText(
                ("jwt", "jose", "flask_jwt_extended"),
                (
                    "Sign tokens with a key loaded at run time (`jwt.encode(claims, "
                    "os.environ['JWT_SIGNING_KEY'], algorithm='HS256')`, or an RSA/EC private key "
                    "file outside the repository) and fail if it is absent; rotate the committed "
                    "key, which invalidates the tokens it signed."
                ),
            ),
            FixText(
                ("cryptography",),
                (
                    "Load keys at run time from a secret store or the environment and fail if "
                    "absent (`Fernet(os.environ['FERNET_KEY'])`); generate them with "
                    "`Fernet.generate_key()` / `AESGCM.generate_key(bit_length=256)`, and rotate "
                    "any key that was committed."
                ),
            ),
            FixText(
                ("Crypto", "Cryptodome"),
                (
                    "Load keys at run time from a secret store or the environment and fail if "
                    "absent; generate them with `Crypto.Random.get_random_bytes(32)`, and rotate "
                    "any key that was committed."
                ),
            ),
            FixText(
                OPENSTACK,
                (
                    "Load keys at run time from Barbican through Castellan (or configuration "
                    "marked `secret=True`) and fail if absent; rotate any key that was committed."
                ),
            ),
            FixText(
                ("hmac", "hashlib"),
                (
                    "Load the HMAC key at run time from a secret store or the environment and fail "
                    "if absent (`hmac.new(os.environ['SIGNING_KEY'].encode(), msg, "
                    "hashlib.sha256)`); generate it with `secrets.token_bytes(32)` and rotate the "
                    "committed one."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/321.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html#key-storage",
        ),
    )
    calls = KEYED_CALLS | _SIGNERS_KEY_SECOND | _ITSDANGEROUS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _SIGNERS_KEY_SECOND:
            key = argument(call, 1, "key")
        elif name in _ITSDANGEROUS:
            key = argument(call, 0, "secret_key")
        else:
            key = cipher_inputs(call, name, ctx).key
        if key is None or _reported_at_binding(key, ctx):
            return
        what = _what(name)
        value = static_value(key, ctx)
        if value:
            text = value.decode("latin-1") if isinstance(value, bytes) else value
            if text.lstrip().startswith(_PUBLIC):
                return  # verifying with a public key written in the source is fine
            if known_format(text) is not None:
                return  # a PEM private key: secret-in-source reports it where it is written
            yield Hit(
                call,
                f"The {what} key is a constant written in the source: anyone who can read "
                "the code can decrypt, forge or sign with it.",
            )
            return
        default = env_fallback(key, ctx)
        if default:
            yield Hit(
                call,
                f"The {what} key falls back to a literal when the environment variable is "
                "unset: a deployment that forgets it uses a key published in the source.",
                confidence="medium",
            )


def _reported_at_binding(key: ast.AST, ctx: ModuleContext) -> bool:
    """`SIGNING_KEY = b"..."` is reported where it is bound (hardcoded-secret /
    hardcoded-password): reporting every use too would repeat one defect."""
    if isinstance(key, ast.Name):
        name = key.id
    elif isinstance(key, ast.Attribute):
        name = key.attr
    else:
        return False
    if secret_kind(name) not in ("secret", "key", "password"):
        return False
    return (
        isinstance(key, ast.Attribute)
        or bool(assigned_values(name, key, ctx))
        or (name in ctx.symbols.constants)
    )


def _what(name: str) -> str:
    parts = name.split(".")
    if parts[-1] == "new" and len(parts) > 1:
        return "HMAC" if parts[-2] == "hmac" else parts[-2]
    if parts == ["hmac", "digest"]:
        return "HMAC"
    if parts[0] in ("jwt", "jose"):
        return "token-signing"
    return parts[-1]
