"""ecb-mode: block ciphers in ECB mode, which encrypts equal blocks to equal ciphertext."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, has_kwargs_splat
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values
from secreview.rules.support.crypto import (
    MODES,
    PYCRYPTODOME_BLOCK,
    is_pycryptodome,
    pycryptodome_mode,
    pycryptodome_names,
)
from secreview.rules.support.pattern import Hit, Rule, register

_BLOCK_NEW = pycryptodome_names(PYCRYPTODOME_BLOCK, "new")
_ECB = MODES + ".ECB"


@register
class EcbMode(Rule):
    meta = RuleMeta(
        id="ecb-mode",
        cwe=327,
        severity="medium",
        confidence="high",
        title="Block cipher in ECB mode",
        why=(
            "ECB encrypts each block on its own, so equal plaintext blocks give equal "
            "ciphertext blocks: structure shows through (the 'ECB penguin'), blocks can be "
            "cut, reordered and replayed, and nothing detects tampering."
        ),
        example=(
            "AES.new(key, AES.MODE_ECB).encrypt(pad(data, 16))\n"
            "Cipher(algorithms.AES(key), modes.ECB())"
        ),
        fix=(
            "Use an authenticated mode with a fresh nonce per message: "
            "AESGCM(key).encrypt(os.urandom(12), data, aad) (cryptography), "
            "AES.new(key, AES.MODE_GCM) (pycryptodome), or Fernet."
        ),
        fix_by_api=(
            FixText(
                ("Crypto", "Cryptodome"),
                (
                    "Use an authenticated mode with a fresh nonce per message: `AES.new(key, "
                    "AES.MODE_GCM)` (pycryptodome picks the nonce; send `cipher.nonce` and the tag "
                    "with the ciphertext)."
                ),
            ),
            FixText(
                ("cryptography",),
                (
                    "Use an authenticated mode with a fresh nonce per message: "
                    "`AESGCM(key).encrypt(os.urandom(12), data, aad)`, or Fernet for a ready-made "
                    "recipe."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/327.html",
            "https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#cryptography.hazmat.primitives.ciphers.modes.ECB",
        ),
    )
    calls = _BLOCK_NEW | frozenset({_ECB})
    nodes = (ast.Attribute,)
    # pycryptodome names start with Crypto/Cryptodome; cryptography's is modes.ECB
    triggers = frozenset({"Crypto", "ECB"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name == _ECB:
            yield Hit(
                call,
                "modes.ECB() encrypts equal plaintext blocks to equal ciphertext blocks; the "
                "data's structure shows and blocks can be swapped undetected.",
            )
            return
        mode = argument(call, 1, "mode")
        if mode is not None:
            # `AES.MODE_ECB` is reported where it is written (check_node); the mode's number
            # (`AES.new(key, 1)`, or a name bound to it) only here
            if pycryptodome_mode(mode, ctx) == "ECB" and not _names_ecb(mode, ctx):
                yield Hit(call, _message(name.rsplit(".", 2)[-2]))
        elif (
            len(call.args) == 1
            and not isinstance(call.args[0], ast.Starred)
            and not has_kwargs_splat(call)
        ):
            cipher = name.rsplit(".", 2)[-2]
            yield Hit(
                call,
                f"{cipher}.new(key) without a mode is ECB in PyCrypto (pycryptodome rejects "
                "it): equal plaintext blocks give equal ciphertext blocks.",
                confidence="medium",
            )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`AES.MODE_ECB` used as a value, wherever it is passed or stored."""
        assert isinstance(node, ast.Attribute)
        if node.attr != "MODE_ECB" or not isinstance(node.ctx, ast.Load):
            return
        if not _is_ecb_constant(node, ctx):
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Compare) or (
            isinstance(parent, ast.Dict) and any(k is node for k in parent.keys)
        ):
            return  # `if mode == AES.MODE_ECB: raise ...`, a table keyed by mode
        cipher = (ctx.resolve(node) or "").rsplit(".", 2)[-2]
        yield Hit(node, _message(cipher))


def _names_ecb(node: ast.AST, ctx: ModuleContext, depth: int = 0) -> bool:
    """The mode expression is, or is bound to, the `MODE_ECB` attribute (reported there)."""
    if _is_ecb_constant(node, ctx):
        return True
    if isinstance(node, ast.Name) and depth < 4:
        values = assigned_values(node.id, node, ctx)
        return any(v is not node and _names_ecb(v, ctx, depth + 1) for v in values)
    return False


def _is_ecb_constant(node: ast.AST, ctx: ModuleContext) -> bool:
    name = ctx.resolve(node) or ""
    return is_pycryptodome(name) and name.endswith(".MODE_ECB")


def _message(cipher: str) -> str:
    return (
        f"{cipher} in MODE_ECB encrypts equal plaintext blocks to equal ciphertext blocks; "
        "the data's structure shows and blocks can be swapped undetected."
    )
