"""short-asymmetric-key: RSA/DSA keys under 2048 bits and elliptic curves under 224 bits."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values, constant_int
from secreview.rules.support.crypto import PYCRYPTODOME
from secreview.rules.support.pattern import Hit, Rule, register

MIN_BITS = 2048  # NIST SP 800-131A: RSA/DSA below 2048 bits is disallowed since 2013
BROKEN_BITS = 1024  # factored/broken in practice, or within reach
MIN_CURVE_BITS = 224

_ASYMMETRIC = "cryptography.hazmat.primitives.asymmetric"
# call -> (position, keyword, default) of its key size
_SIZED: dict[str, tuple[int, str, int | None]] = {
    f"{_ASYMMETRIC}.rsa.generate_private_key": (1, "key_size", None),
    f"{_ASYMMETRIC}.dsa.generate_private_key": (0, "key_size", None),
    f"{_ASYMMETRIC}.dsa.generate_parameters": (0, "key_size", None),
    f"{_ASYMMETRIC}.dh.generate_parameters": (1, "key_size", None),
    **{f"{p}.PublicKey.RSA.generate": (0, "bits", None) for p in PYCRYPTODOME},
    **{f"{p}.PublicKey.DSA.generate": (0, "bits", None) for p in PYCRYPTODOME},
    "paramiko.RSAKey.generate": (0, "bits", None),
    "paramiko.rsakey.RSAKey.generate": (0, "bits", None),
    "paramiko.DSSKey.generate": (0, "bits", 1024),
    "paramiko.dsskey.DSSKey.generate": (0, "bits", 1024),
    "rsa.newkeys": (0, "nbits", None),
}
_CURVE_CALLS = frozenset(
    {f"{_ASYMMETRIC}.ec.generate_private_key", f"{_ASYMMETRIC}.ec.derive_private_key"}
)
_SMALL_CURVES = {  # cryptography class name -> bits
    "SECP192R1": 192,
    "SECT163K1": 163,
    "SECT163R2": 163,
}
_ECC_GENERATE = frozenset({f"{p}.PublicKey.ECC.generate" for p in PYCRYPTODOME})
_SMALL_ECC_NAMES = {  # pycryptodome curve names (lower-cased) -> bits
    "p-192": 192,
    "p192": 192,
    "nist p-192": 192,
    "prime192v1": 192,
    "secp192r1": 192,
}
_PYOPENSSL_TYPES = frozenset({"OpenSSL.crypto.TYPE_RSA", "OpenSSL.crypto.TYPE_DSA"})


@register
class ShortAsymmetricKey(Rule):
    meta = RuleMeta(
        id="short-asymmetric-key",
        cwe=326,
        severity="medium",
        confidence="high",
        title="Asymmetric key too short",
        why=(
            "RSA and DSA keys below 2048 bits and elliptic curves below 224 bits are within "
            "reach of well-funded attackers (RSA-768 is factored, 1024-bit keys are "
            "considered broken); signatures made with them can be forged and traffic "
            "decrypted."
        ),
        example=(
            "rsa.generate_private_key(public_exponent=65537, key_size=1024)\n"
            "RSA.generate(1024)\nec.generate_private_key(ec.SECP192R1())"
        ),
        fix=(
            "Generate RSA keys of 3072 bits (2048 at least), or use Ed25519 / "
            "ec.SECP256R1(); with paramiko prefer Ed25519Key or ECDSAKey over DSSKey."
        ),
        fix_by_api=(
            FixText(
                ("paramiko",),
                (
                    "Generate an Ed25519 key with ssh-keygen and load it "
                    "(`paramiko.Ed25519Key.from_private_key_file`), or "
                    "`RSAKey.generate(bits=3072)`; avoid `DSSKey`."
                ),
            ),
            FixText(
                ("cryptography",),
                (
                    "Generate RSA keys of 3072 bits "
                    "(`rsa.generate_private_key(public_exponent=65537, key_size=3072)`), or use "
                    "Ed25519 / `ec.SECP256R1()`."
                ),
            ),
            FixText(
                ("Crypto", "Cryptodome"),
                (
                    "Generate RSA keys of 3072 bits (`RSA.generate(3072)`), or use "
                    "`ECC.generate(curve='p256')`."
                ),
            ),
            FixText(
                ("OpenSSL",),
                (
                    "Generate RSA keys of 3072 bits: `key.generate_key(crypto.TYPE_RSA, 3072)`; "
                    "avoid DSA."
                ),
            ),
            FixText(
                ("rsa",),
                "Generate keys of 3072 bits: `rsa.newkeys(3072)`.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/326.html",
            "https://csrc.nist.gov/pubs/sp/800/131/a/r2/final",
            "https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/#generation",
        ),
    )
    calls = frozenset(_SIZED) | _CURVE_CALLS | _ECC_GENERATE
    nodes = (ast.Call,)
    methods = frozenset({"generate_key"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _SIZED:
            position, keyword_name, default = _SIZED[name]
            size_node = argument(call, position, keyword_name)
            if size_node is None:
                if default is None or has_kwargs_splat(call) or len(call.args) > position:
                    return
                bits: object = default
            else:
                bits = constant_int(size_node, ctx)
            if isinstance(bits, int) and 0 < bits < MIN_BITS:
                algorithm = _algorithm(name)
                yield _hit(call, f"a {bits}-bit {algorithm} key", bits)
        elif name in _CURVE_CALLS:
            curve = argument(call, 0, "curve") if "generate" in name else argument(call, 1, "curve")
            bits = _curve_bits(curve, ctx)
            if bits is not None:
                yield _hit(call, f"a {bits}-bit elliptic curve", bits, curve_bits=True)
        elif name in _ECC_GENERATE:
            curve_name = ctx.constant_value(keyword(call, "curve"))
            if isinstance(curve_name, str) and curve_name.lower() in _SMALL_ECC_NAMES:
                bits = _SMALL_ECC_NAMES[curve_name.lower()]
                yield _hit(call, f"a {bits}-bit elliptic curve ({curve_name})", bits, True)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """pyOpenSSL: `key.generate_key(crypto.TYPE_RSA, 1024)` on any PKey object."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "generate_key":
            return
        key_type = argument(node, 0, "type")
        kind = ctx.resolve(key_type) if key_type is not None else None
        if kind not in _PYOPENSSL_TYPES:
            return
        bits = constant_int(argument(node, 1, "bits"), ctx)
        if isinstance(bits, int) and 0 < bits < MIN_BITS:
            algorithm = "RSA" if kind.endswith("RSA") else "DSA"
            yield _hit(node, f"a {bits}-bit {algorithm} key", bits)


def _algorithm(name: str) -> str:
    if ".dh." in name:
        return "Diffie-Hellman"
    if ".dsa." in name or ".DSA." in name or "DSSKey" in name:
        return "DSA"
    return "RSA"


def _hit(node: ast.AST, what: str, bits: int, curve_bits: bool = False) -> Hit:
    broken = bits < (160 if curve_bits else BROKEN_BITS + 1)
    minimum = "224 bits (use SECP256R1 or Ed25519)" if curve_bits else f"{MIN_BITS} bits"
    return Hit(
        node,
        f"This generates {what}; below {minimum} keys can be broken, so signatures made with "
        "it can be forged and data encrypted to it read.",
        severity="high" if broken else None,
    )


def _curve_bits(curve: ast.AST | None, ctx: ModuleContext) -> int | None:
    """`ec.SECP192R1()` (or the class itself, or a name bound to either) -> 192."""
    if isinstance(curve, ast.Name):
        values = assigned_values(curve.id, curve, ctx)
        if len(values) == 1 and values[0] is not curve:
            curve = values[0]
    if isinstance(curve, ast.Call):
        curve = curve.func
    name = ctx.resolve(curve) if curve is not None else None
    if name and name.startswith(f"{_ASYMMETRIC}.ec."):
        return _SMALL_CURVES.get(name.rsplit(".", 1)[1])
    return None
