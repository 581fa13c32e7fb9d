"""static-nonce: a nonce written in the source for CTR, GCM, CCM, EAX, OCB or ChaCha20."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import producers
from secreview.rules.support.crypto import (
    AEAD,
    CIPHER_CALLS,
    MISUSE_RESISTANT,
    cipher_inputs,
    static_value,
)
from secreview.rules.support.pattern import Hit, Rule, register

# AEADs whose `.encrypt(nonce, data, aad)` must never repeat a nonce under one key
# (AESSIV takes no nonce, and AESGCMSIV is built to survive a repeated one).
_NONCE_AEADS = frozenset(f"{AEAD}.{c}" for c in ("AESGCM", "AESCCM", "AESOCB3", "ChaCha20Poly1305"))


@register
class StaticNonce(Rule):
    meta = RuleMeta(
        id="static-nonce",
        cwe=323,
        severity="high",
        confidence="high",
        title="Fixed nonce reused under one key",
        why=(
            "A nonce written in the source is the same for every message encrypted with the "
            "key. In CTR, GCM and ChaCha20 two messages under one nonce share a keystream: "
            "XOR-ing the ciphertexts gives the XOR of the plaintexts, and with GCM the "
            "authentication key leaks so forged messages verify."
        ),
        example=(
            'AESGCM(key).encrypt(b"\\x00" * 12, data, None)\n'
            'AES.new(key, AES.MODE_CTR, nonce=b"fixed")'
        ),
        fix=(
            "Use a fresh random nonce per message (os.urandom(12) for AESGCM and "
            "ChaCha20Poly1305) sent with the ciphertext, or let pycryptodome pick one "
            "(omit nonce= and read cipher.nonce); for deterministic encryption use AESSIV or "
            "AESGCMSIV."
        ),
        fix_by_api=(
            FixText(
                ("Crypto", "Cryptodome"),
                (
                    "Omit `nonce=` so pycryptodome picks a fresh one per message (read "
                    "`cipher.nonce` and send it with the ciphertext)."
                ),
            ),
            FixText(
                ("cryptography",),
                (
                    "Use a fresh random nonce per message (`os.urandom(12)` for `AESGCM` and "
                    "`ChaCha20Poly1305`) sent with the ciphertext; for deterministic encryption "
                    "use `AESSIV` or `AESGCMSIV`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/323.html",
            "https://cryptography.io/en/latest/hazmat/primitives/aead/",
        ),
    )
    calls = CIPHER_CALLS
    nodes = (ast.Call,)
    methods = frozenset({"encrypt"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        inputs = cipher_inputs(call, name, ctx)
        if inputs.nonce is None or inputs.mode in MISUSE_RESISTANT:
            return
        if static_value(inputs.nonce, ctx):
            what = inputs.mode or name.rsplit(".", 2)[-2 if name.endswith(".new") else -1]
            yield Hit(call, _message(what))

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`aead.encrypt(nonce, data, aad)` on an AESGCM/ChaCha20Poly1305/... object."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "encrypt":
            return
        nonce = argument(node, 0, "nonce")
        if nonce is None or not static_value(nonce, ctx):
            return
        made_by = producers(func.value, ctx) & _NONCE_AEADS
        if made_by:
            yield Hit(node, _message(sorted(made_by)[0].rsplit(".", 1)[1]))


def _message(what: str) -> str:
    return (
        f"The {what} nonce is a constant written in the source, so it repeats for every "
        "message under this key: the keystream repeats and plaintexts (with GCM, the "
        "authentication key) can be recovered."
    )
