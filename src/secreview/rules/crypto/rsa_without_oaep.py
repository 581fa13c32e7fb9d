"""rsa-without-oaep: RSA encryption with PKCS#1 v1.5 padding (or none) instead of OAEP."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import producers
from secreview.rules.support.crypto import PYCRYPTODOME
from secreview.rules.support.pattern import Hit, Rule, register

_PKCS1V15 = "cryptography.hazmat.primitives.asymmetric.padding.PKCS1v15"
_PYCRYPTODOME_V15 = frozenset(f"{p}.Cipher.PKCS1_v1_5.new" for p in PYCRYPTODOME)
_PYTHON_RSA = frozenset({"rsa.encrypt", "rsa.decrypt", "rsa.pkcs1.encrypt", "rsa.pkcs1.decrypt"})
_M2CRYPTO = {
    "M2Crypto.RSA.pkcs1_padding": "PKCS#1 v1.5 padding",
    "M2Crypto.RSA.sslv23_padding": "SSLv23 (PKCS#1 v1.5) padding",
    "M2Crypto.RSA.no_padding": "no padding (textbook RSA)",
}
_M2CRYPTO_ATTRS = frozenset(name.rsplit(".", 1)[1] for name in _M2CRYPTO)
_CRYPT_METHODS = frozenset({"encrypt", "decrypt"})
# (`private_encrypt` signs: PKCS#1 v1.5 signature padding is not the oracle-prone kind.)
_M2_METHODS = frozenset({"public_encrypt", "private_decrypt"})


@register
class RsaWithoutOaep(Rule):
    meta = RuleMeta(
        id="rsa-without-oaep",
        cwe=780,
        severity="medium",
        confidence="high",
        title="RSA encryption without OAEP padding",
        why=(
            "RSA encryption with PKCS#1 v1.5 padding is open to Bleichenbacher's padding-"
            "oracle attack: if the decrypting side reveals (by error or timing) whether "
            "padding was valid, an attacker decrypts ciphertexts without the key. Textbook "
            "RSA (no padding) is deterministic and malleable."
        ),
        example=(
            "public_key.encrypt(message, padding.PKCS1v15())\n"
            "PKCS1_v1_5.new(key).encrypt(message)  # Crypto.Cipher\nrsa.encrypt(message, pub)"
        ),
        fix=(
            "Encrypt with OAEP: public_key.encrypt(m, padding.OAEP(mgf=padding.MGF1("
            "hashes.SHA256()), algorithm=hashes.SHA256(), label=None)), or "
            "Crypto.Cipher.PKCS1_OAEP. PKCS#1 v1.5 remains fine for signatures."
        ),
        fix_by_api=(
            FixText(
                ("cryptography",),
                (
                    "Encrypt with OAEP: `public_key.encrypt(m, "
                    "padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), "
                    "label=None))`. PKCS#1 v1.5 remains fine for signatures."
                ),
            ),
            FixText(
                ("Crypto", "Cryptodome"),
                "Encrypt with `Crypto.Cipher.PKCS1_OAEP.new(key)` instead of `PKCS1_v1_5`.",
            ),
            FixText(
                ("rsa",),
                (
                    "python-rsa only offers PKCS#1 v1.5 encryption: switch to cryptography's "
                    "`padding.OAEP`, or use it for signatures only."
                ),
            ),
            FixText(
                ("M2Crypto",),
                "Encrypt with `RSA.pkcs1_oaep_padding`.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/780.html",
            "https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/#encryption",
        ),
    )
    calls = _PYCRYPTODOME_V15 | _PYTHON_RSA
    nodes = (ast.Call, ast.Attribute)
    methods = _CRYPT_METHODS
    # .encrypt/.decrypt (pyca, python-rsa), PKCS1_v1_5.new, or an M2Crypto padding
    triggers = frozenset({"encrypt", "decrypt", "PKCS1_v1_5"}) | _M2CRYPTO_ATTRS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _PYCRYPTODOME_V15:
            yield Hit(
                call,
                "Crypto.Cipher.PKCS1_v1_5 encrypts with PKCS#1 v1.5 padding, open to "
                "Bleichenbacher's padding-oracle attack; use PKCS1_OAEP.",
            )
        else:
            yield Hit(
                call,
                f"{name}() (python-rsa) uses PKCS#1 v1.5 encryption padding only, open to "
                "Bleichenbacher's padding-oracle attack; use cryptography's OAEP.",
            )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Call):
            yield from self._pyca(node, ctx)
        elif isinstance(node, ast.Attribute):
            yield from self._m2crypto(node, ctx)

    def _pyca(self, call: ast.Call, ctx: ModuleContext) -> Iterable[Hit]:
        """`key.encrypt(m, padding.PKCS1v15())` / `.decrypt(c, pad)`; `.sign` is fine."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _CRYPT_METHODS:
            return
        pad = argument(call, 1, "padding")
        if pad is None or _PKCS1V15 not in producers(pad, ctx):
            return
        yield Hit(
            call,
            f"RSA .{func.attr}() with PKCS1v15 padding is open to Bleichenbacher's padding-"
            "oracle attack; use padding.OAEP.",
        )

    def _m2crypto(self, node: ast.Attribute, ctx: ModuleContext) -> Iterable[Hit]:
        """`rsa.public_encrypt(data, RSA.pkcs1_padding)`."""
        if node.attr not in _M2CRYPTO_ATTRS:
            return
        label = _M2CRYPTO.get(ctx.resolve(node) or "")
        parent = ctx.parent(node)
        if label is None or not isinstance(parent, ast.Call) or node not in parent.args:
            return
        func = parent.func
        if isinstance(func, ast.Attribute) and func.attr in _M2_METHODS:
            yield Hit(
                parent,
                f"RSA {func.attr}() with {label} is open to padding-oracle attacks (or is "
                "textbook RSA); use RSA.pkcs1_oaep_padding.",
            )
