"""weak-cipher: DES, 3DES, RC4, Blowfish, RC2, IDEA, CAST5 and XOR ciphers."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from secreview import lazyre
from secreview.python.context import ModuleContext, argument
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.crypto import algorithm_names, pycryptodome_names
from secreview.rules.support.pattern import Hit, Rule, register

# Why each is weak, in a reviewer's words.
_WHY = {
    "DES": "DES has a 56-bit key that is brute-forced in hours",
    "DES3": "3DES has a 64-bit block (Sweet32 collisions after ~32 GB) and is withdrawn by NIST",
    "TripleDES": (
        "3DES has a 64-bit block (Sweet32 collisions after ~32 GB) and is withdrawn by NIST"
    ),
    "ARC4": "RC4's keystream is biased; plaintext is recovered from enough ciphertexts",
    "Blowfish": "Blowfish has a 64-bit block (Sweet32) and weak keys",
    "ARC2": "RC2 has a 64-bit block and related-key attacks",
    "RC2": "RC2 has a 64-bit block and related-key attacks",
    "IDEA": "IDEA has a 64-bit block and weak-key classes",
    "CAST": "CAST5 has a 64-bit block (Sweet32)",
    "CAST5": "CAST5 has a 64-bit block (Sweet32)",
    "XOR": "a repeating-key XOR is not encryption",
    "des": "DES has a 56-bit key that is brute-forced in hours",
    "triple_des": "3DES has a 64-bit block (Sweet32) and is withdrawn by NIST",
}
_PYCRYPTODOME = pycryptodome_names(
    ("DES", "DES3", "ARC4", "Blowfish", "ARC2", "CAST", "XOR"), "new"
)
_CRYPTOGRAPHY = algorithm_names(("TripleDES", "ARC4", "Blowfish", "IDEA", "CAST5", "RC2"))
_PYDES = frozenset({"pyDes.des", "pyDes.triple_des"})
_SET_CIPHERS = "set_ciphers"
# Words of an OpenSSL cipher string (or suite name) that enable a weak suite.
_WEAK_WORDS = frozenset({"RC4", "DES", "3DES", "CBC3", "NULL", "eNULL", "aNULL", "EXPORT", "EXP"})
_ITEMS = lazyre.compile(r"[:, ]+")


@register
class WeakCipher(Rule):
    meta = RuleMeta(
        id="weak-cipher",
        cwe=327,
        severity="high",
        confidence="high",
        title="Broken or weak cipher",
        why=(
            "DES is brute-forced; RC4's keystream biases reveal plaintext; 64-bit-block ciphers "
            "(3DES, Blowfish, RC2, IDEA, CAST5) leak plaintext through block collisions after a "
            "few gigabytes (Sweet32). Data encrypted with them is not confidential."
        ),
        example=(
            "cipher = DES.new(key, DES.MODE_CBC, iv)\n"
            "Cipher(algorithms.TripleDES(key), modes.CBC(iv))\n"
            "ctx.set_ciphers('RC4-SHA')"
        ),
        fix=(
            "Use AES-GCM or ChaCha20-Poly1305 (cryptography's AESGCM/ChaCha20Poly1305, or "
            "Fernet for a ready-made recipe); for TLS keep the default cipher list or use "
            "'ECDHE+AESGCM:ECDHE+CHACHA20'. Keep a weak cipher only to decrypt legacy data, "
            "and re-encrypt it."
        ),
        fix_by_api=(
            FixText(
                ("Crypto", "Cryptodome"),
                (
                    "Use `AES.new(key, AES.MODE_GCM)` or `ChaCha20_Poly1305` (pycryptodome); keep "
                    "the weak cipher only to decrypt legacy data, and re-encrypt it."
                ),
            ),
            FixText(
                ("cryptography",),
                (
                    "Use `AESGCM` or `ChaCha20Poly1305` (or Fernet for a ready-made recipe); keep "
                    "the weak cipher only to decrypt legacy data, and re-encrypt it."
                ),
            ),
            FixText(
                ("ssl",),
                (
                    "Keep the default cipher list of `ssl.create_default_context()`, or "
                    "`ctx.set_ciphers('ECDHE+AESGCM:ECDHE+CHACHA20')`."
                ),
            ),
            FixText(
                ("OpenSSL",),
                (
                    "Keep OpenSSL's default cipher list, or "
                    "`ctx.set_cipher_list(b'ECDHE+AESGCM:ECDHE+CHACHA20')`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/327.html",
            "https://sweet32.info/",
            "https://cryptography.io/en/latest/hazmat/decrepit/ciphers/",
        ),
    )
    calls = _PYCRYPTODOME | _CRYPTOGRAPHY | _PYDES
    nodes = (ast.Call,)
    methods = frozenset({_SET_CIPHERS})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        parts = name.split(".")
        cipher = parts[-2] if name in _PYCRYPTODOME else parts[-1]
        label = {"DES3": "3DES", "ARC4": "RC4", "ARC2": "RC2", "CAST": "CAST5"}.get(cipher, cipher)
        yield Hit(
            call,
            f"{label} is not a safe cipher: {_WHY[cipher]}. Use AES-GCM or ChaCha20-Poly1305.",
        )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`ctx.set_ciphers("...RC4...")` on an SSL context (receiver type unknown)."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != _SET_CIPHERS:
            return
        suites = ctx.constant_value(argument(node, 0, "cipherlist"))
        if not isinstance(suites, (str, bytes)):
            return
        text = suites.decode("latin-1") if isinstance(suites, bytes) else suites
        weak = _weak_suite(text)
        if weak:
            yield Hit(
                node,
                f"set_ciphers() enables {weak} suites; a peer or an attacker who downgrades "
                "the handshake to them gets traffic that is not confidential.",
                confidence="medium",
            )


def _weak_suite(cipherlist: str) -> str | None:
    """The first weak word of an item that is not removed (`!RC4`, `-DES`)."""
    for item in _ITEMS.split(cipherlist):
        if not item or item[0] in "!-":
            continue
        for word in re.split(r"[-+]", item.lstrip("+@")):
            if word in _WEAK_WORDS:
                return word
    return None
