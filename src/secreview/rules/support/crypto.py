"""The crypto libraries' vocabulary, and values fixed in the source.

The crypto rules (weak-cipher, ecb-mode, static-iv, static-nonce, hardcoded-crypto-key,
short-asymmetric-key, rsa-without-oaep) name the same APIs of pycryptodome (`Crypto` and
`Cryptodome`), cryptography and PyCA's AEADs; the tables live here once. `static_value`
answers "is this key/IV written in the source?" through module constants, single local
assignments, `self.x` set in the class, and the usual decodings (`bytes.fromhex("00..")`,
`"k".encode()`, `b"\\0" * 16`, `bytes(16)`).
"""

from __future__ import annotations

import ast
import base64
import binascii
from dataclasses import dataclass

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules.support.bindings import assigned_values, self_attribute_values

PYCRYPTODOME = ("Crypto", "Cryptodome")
CIPHER_PACKAGE = tuple(f"{p}.Cipher" for p in PYCRYPTODOME)
CRYPTOGRAPHY_CIPHERS = "cryptography.hazmat.primitives.ciphers"
_ALGORITHM_PACKAGES = (
    f"{CRYPTOGRAPHY_CIPHERS}.algorithms",
    "cryptography.hazmat.decrepit.ciphers.algorithms",
)
MODES = f"{CRYPTOGRAPHY_CIPHERS}.modes"
AEAD = f"{CRYPTOGRAPHY_CIPHERS}.aead"
_MAX_DEPTH = 5  # steps through names and expressions before a value counts as unknown


def pycryptodome_names(modules: tuple[str, ...], attr: str) -> frozenset[str]:
    """`Crypto.Cipher.AES.new` and `Cryptodome.Cipher.AES.new` for each module."""
    return frozenset(f"{package}.{m}.{attr}" for package in CIPHER_PACKAGE for m in modules)


def algorithm_names(algorithms: tuple[str, ...]) -> frozenset[str]:
    """cryptography's `algorithms.X` in both its primitives and decrepit packages."""
    return frozenset(f"{package}.{a}" for package in _ALGORITHM_PACKAGES for a in algorithms)


# pycryptodome cipher modules whose `new(key, ...)` takes a key.
PYCRYPTODOME_CIPHERS = (
    "AES",
    "DES",
    "DES3",
    "ARC2",
    "ARC4",
    "Blowfish",
    "CAST",
    "ChaCha20",
    "ChaCha20_Poly1305",
    "Salsa20",
    "XOR",
)
# pycryptodome block ciphers (they take a mode).
PYCRYPTODOME_BLOCK = ("AES", "DES", "DES3", "ARC2", "Blowfish", "CAST")
# pycryptodome mode numbers (`AES.MODE_CBC == 2`), for modes given as numbers or names.
PYCRYPTODOME_MODES = {
    1: "ECB",
    2: "CBC",
    3: "CFB",
    5: "OFB",
    6: "CTR",
    7: "OPENPGP",
    8: "CCM",
    9: "EAX",
    10: "SIV",
    11: "GCM",
    12: "OCB",
}
# Modes whose per-message input is an IV (must be unpredictable) vs a nonce (must be unique).
IV_MODES = frozenset({"CBC", "CFB", "OFB", "OPENPGP", "CFB8"})
NONCE_MODES = frozenset({"CTR", "CCM", "EAX", "GCM", "OCB"})
# Nonce-misuse-resistant modes: a repeated nonce leaks only that two messages are equal.
MISUSE_RESISTANT = frozenset({"SIV", "GCMSIV"})

# cryptography AEAD classes: constructor takes the key, `.encrypt(nonce, data, aad)`.
AEAD_CLASSES = frozenset(
    f"{AEAD}.{c}"
    for c in ("AESGCM", "AESCCM", "AESOCB3", "AESSIV", "AESGCMSIV", "ChaCha20Poly1305")
)


def is_pycryptodome(name: str) -> bool:
    """A qualified name inside pycryptodome (`Crypto.…` or `Cryptodome.…`)."""
    return name.split(".", 1)[0] in PYCRYPTODOME


def pycryptodome_mode(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> str | None:
    """`AES.MODE_CBC` (any cipher module, or a name bound to it, or its number) -> "CBC"."""
    if node is None or depth > _MAX_DEPTH:
        return None
    name = ctx.resolve(node) or ""
    if is_pycryptodome(name) and ".MODE_" in name:
        return name.rsplit(".MODE_", 1)[1]
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1 and values[0] is not node:
            return pycryptodome_mode(values[0], ctx, depth + 1)
    value = ctx.constant_value(node)
    if isinstance(value, int) and not isinstance(value, bool):
        return PYCRYPTODOME_MODES.get(value)
    return None


# --- values fixed in the source ----------------------------------------------------------
_DECODERS = {
    "binascii.unhexlify": binascii.unhexlify,
    "binascii.a2b_hex": binascii.a2b_hex,
    "base64.b64decode": base64.b64decode,
    "base64.urlsafe_b64decode": base64.urlsafe_b64decode,
    "base64.b32decode": base64.b32decode,
    "base64.b16decode": base64.b16decode,
    "base64.decodebytes": base64.decodebytes,
    "builtins.bytes.fromhex": bytes.fromhex,
    "builtins.bytearray.fromhex": bytearray.fromhex,
}


def static_value(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> bytes | str | None:
    """The str/bytes a key, IV or nonce expression always has, if it is written in the
    source; None when it is computed at run time (or unknown)."""
    if node is None or depth > _MAX_DEPTH:
        return None
    value = ctx.constant_value(node)
    if isinstance(value, (bytes, str)):
        return value
    if value is not NotImplemented:
        return None
    if isinstance(node, ast.Name):
        return _single_static(assigned_values(node.id, node, ctx), node, ctx, depth)
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        return _single_static(self_attribute_values(node.attr, node, ctx), node, ctx, depth)
    if isinstance(node, ast.BinOp):
        return _binop(node, ctx, depth)
    if isinstance(node, ast.Call):
        return _call(node, ctx, depth)
    return None


def _single_static(
    values: list[ast.expr], node: ast.AST, ctx: ModuleContext, depth: int
) -> bytes | str | None:
    """Every binding of the name is the same fixed value (`iv = b"0" * 16` once)."""
    found = {static_value(v, ctx, depth + 1) for v in values if v is not node}
    return found.pop() if len(found) == 1 else None


def _binop(node: ast.BinOp, ctx: ModuleContext, depth: int) -> bytes | str | None:
    left = static_value(node.left, ctx, depth + 1)
    if isinstance(node.op, ast.Mult):
        count = ctx.constant_value(node.right)
        if left is None:  # 16 * b"\0"
            left, count = static_value(node.right, ctx, depth + 1), ctx.constant_value(node.left)
        if left is not None and isinstance(count, int) and 0 <= count <= 4096:
            return left * count
        return None
    if isinstance(node.op, ast.Add):
        right = static_value(node.right, ctx, depth + 1)
        if isinstance(left, bytes) and isinstance(right, bytes):
            return left + right
        if isinstance(left, str) and isinstance(right, str):
            return left + right
    return None


def _call(node: ast.Call, ctx: ModuleContext, depth: int) -> bytes | str | None:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "encode" and not node.keywords:
        inner = static_value(func.value, ctx, depth + 1)
        return inner.encode("utf-8", "replace") if isinstance(inner, str) else None
    name = ctx.resolve(func) or ""
    if name in ("builtins.bytes", "builtins.bytearray") and len(node.args) == 1:
        size = ctx.constant_value(node.args[0])
        if isinstance(size, int) and not isinstance(size, bool) and 0 <= size <= 4096:
            return bytes(size)
        inner = static_value(node.args[0], ctx, depth + 1)
        return inner if isinstance(inner, bytes) else None
    if name in ("builtins.bytes", "builtins.str") and len(node.args) == 2:
        # bytes("k", "utf-8") encodes a str, str(b"k", "utf-8") decodes bytes
        inner = static_value(node.args[0], ctx, depth + 1)
        if name == "builtins.bytes":
            return inner.encode("utf-8", "replace") if isinstance(inner, str) else None
        return inner.decode("utf-8", "replace") if isinstance(inner, bytes) else None
    decoder = _DECODERS.get(name)
    if decoder is not None and len(node.args) == 1:
        inner = static_value(node.args[0], ctx, depth + 1)
        if inner is None:
            return None
        try:
            return bytes(decoder(inner))  # type: ignore[operator]
        except (ValueError, TypeError, binascii.Error):
            return None
    return None


# --- what a cipher call is given -----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class CipherInputs:
    """The key, IV and nonce expressions of one cipher construction, and its mode."""

    key: ast.expr | None = None
    iv: ast.expr | None = None
    nonce: ast.expr | None = None
    mode: str | None = None
    library: str = ""


_STREAM_NEW = pycryptodome_names(("ChaCha20", "ChaCha20_Poly1305", "Salsa20"), "new")
PYCRYPTODOME_NEW = pycryptodome_names(PYCRYPTODOME_CIPHERS, "new")
_ALGORITHM_CLASSES = ("AES", "AES128", "AES256", "Camellia", "ChaCha20", "SM4", "TripleDES")
_ALGORITHM_CLASSES += ("Blowfish", "ARC4", "IDEA", "CAST5", "SEED", "RC2")
_ALL_ALGORITHMS = algorithm_names(_ALGORITHM_CLASSES)
_IV_MODE_CLASSES = frozenset(f"{MODES}.{m}" for m in ("CBC", "CFB", "OFB", "CFB8"))
_NONCE_MODE_CLASSES = {f"{MODES}.CTR": "nonce", f"{MODES}.GCM": "initialization_vector"}
# calls that take a key first (or by keyword `key`): MACs, AEADs, Fernet
_KEY_FIRST = (
    frozenset({"hmac.new", "hmac.HMAC", "hmac.digest", "cryptography.fernet.Fernet"})
    | frozenset({"cryptography.hazmat.primitives.hmac.HMAC"})
    | frozenset(f"{p}.Hash.{m}.new" for p in PYCRYPTODOME for m in ("HMAC", "CMAC", "Poly1305"))
    | AEAD_CLASSES
)
CIPHER_CALLS = (
    PYCRYPTODOME_NEW | _ALL_ALGORITHMS | _IV_MODE_CLASSES | frozenset(_NONCE_MODE_CLASSES)
)
KEYED_CALLS = PYCRYPTODOME_NEW | _ALL_ALGORITHMS | _KEY_FIRST


def cipher_inputs(call: ast.Call, name: str, ctx: ModuleContext) -> CipherInputs:
    """Read a construction's inputs as its library defines its parameters."""
    if name in PYCRYPTODOME_NEW:
        return _pycryptodome_inputs(call, name, ctx)
    if name in _IV_MODE_CLASSES:
        iv = argument(call, 0, "initialization_vector")
        return CipherInputs(iv=iv, mode=name.rsplit(".", 1)[1], library="cryptography")
    if name in _NONCE_MODE_CLASSES:
        nonce = argument(call, 0, _NONCE_MODE_CLASSES[name])
        return CipherInputs(nonce=nonce, mode=name.rsplit(".", 1)[1], library="cryptography")
    if name in _ALL_ALGORITHMS:
        nonce = argument(call, 1, "nonce") if name.endswith(".ChaCha20") else None
        return CipherInputs(key=argument(call, 0, "key"), nonce=nonce, library="cryptography")
    if name in _KEY_FIRST:
        return CipherInputs(key=argument(call, 0, "key"), library=name)
    return CipherInputs()


def _pycryptodome_inputs(call: ast.Call, name: str, ctx: ModuleContext) -> CipherInputs:
    key = argument(call, 0, "key")
    if name in _STREAM_NEW:
        # Salsa20.new(key, nonce); ChaCha20 and ChaCha20_Poly1305 take keywords only
        salsa = name.endswith(".Salsa20.new")
        nonce = argument(call, 1, "nonce") if salsa else keyword(call, "nonce")
        return CipherInputs(key=key, nonce=nonce, library="pycryptodome")
    mode = pycryptodome_mode(argument(call, 1, "mode"), ctx)
    iv = keyword(call, "iv") or keyword(call, "IV")
    nonce = keyword(call, "nonce")
    if len(call.args) > 2 and not isinstance(call.args[2], ast.Starred):
        if mode in IV_MODES:
            iv = call.args[2]
        elif mode in NONCE_MODES or mode in MISUSE_RESISTANT:
            nonce = call.args[2]
    return CipherInputs(key=key, iv=iv, nonce=nonce, mode=mode, library="pycryptodome")
