"""static-iv: an initialisation vector written in the source, or the key reused as the IV."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.crypto import (
    CIPHER_CALLS,
    IV_MODES,
    cipher_inputs,
    static_value,
)
from secreview.rules.support.pattern import Hit, Rule, register


@register
class StaticIv(Rule):
    meta = RuleMeta(
        id="static-iv",
        cwe=1204,
        severity="medium",
        confidence="high",
        title="Fixed initialisation vector",
        why=(
            "CBC, CFB and OFB need a fresh, unpredictable IV for every message. With a fixed "
            "IV equal plaintexts (and equal prefixes) encrypt to equal ciphertexts, OFB "
            "repeats its keystream outright, and a predictable CBC IV enables chosen-"
            "plaintext attacks (BEAST). Using the key as the IV also lets a chosen-"
            "ciphertext attacker recover the key."
        ),
        example=(
            'AES.new(key, AES.MODE_CBC, iv=b"\\x00" * 16)\n'
            'Cipher(algorithms.AES(key), modes.CBC(b"0123456789abcdef"))'
        ),
        fix=(
            "Generate the IV per message with os.urandom(16) (or "
            "Crypto.Random.get_random_bytes(16)) and store it in front of the ciphertext; "
            "better, switch to AES-GCM (AESGCM) with a random 12-byte nonce."
        ),
        fix_by_api=(
            FixText(
                ("Crypto", "Cryptodome"),
                (
                    "Omit `iv=` so pycryptodome generates one per message (`cipher.iv`), or pass "
                    "`get_random_bytes(16)`, and store it in front of the ciphertext; better, use "
                    "`AES.MODE_GCM`."
                ),
            ),
            FixText(
                ("cryptography",),
                (
                    "Generate the IV per message with `os.urandom(16)` and store it in front of "
                    "the ciphertext; better, switch to `AESGCM` with a random 12-byte nonce."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1204.html",
            "https://cwe.mitre.org/data/definitions/329.html",
            "https://csrc.nist.gov/pubs/sp/800/38/a/final",
        ),
    )
    calls = CIPHER_CALLS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        inputs = cipher_inputs(call, name, ctx)
        if inputs.iv is None or (inputs.mode is not None and inputs.mode not in IV_MODES):
            return
        mode = inputs.mode or "this mode"
        value = static_value(inputs.iv, ctx)
        if value:
            yield Hit(
                call,
                f"The {mode} IV is a constant written in the source, so every message starts "
                "from the same IV: equal plaintexts give equal ciphertexts and the IV is "
                "predictable.",
            )
        elif _same_name(inputs.iv, inputs.key):
            yield Hit(
                call,
                f"The key is also used as the {mode} IV: the IV is then predictable and an "
                "attacker who can have ciphertexts decrypted recovers the key.",
                severity="high",
            )


def _same_name(a: ast.AST | None, b: ast.AST | None) -> bool:
    return (
        a is not None
        and b is not None
        and ast.dump(a) == ast.dump(b)
        and not isinstance(a, ast.Constant)
    )
