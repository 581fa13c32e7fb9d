"""File permission bits fixed in the source: `0o777`, `stat.S_IRWXU | stat.S_IWOTH`, "a+w".

Rules need the bits a mode expression *certainly* sets: `st.st_mode | stat.S_IWOTH` is
world-writable whatever `st.st_mode` holds, while `mode & 0o755` is unknown.
"""

from __future__ import annotations

import ast
import stat
from dataclasses import dataclass

from secreview import lazyre
from secreview.python.context import ModuleContext
from secreview.rules.support.bindings import assigned_values

WORLD_WRITE = stat.S_IWOTH
STICKY = stat.S_ISVTX
_SYMBOLIC = lazyre.compile(r"^([ugoa]*)([-+=])([rwxXst]*)$")


@dataclass(frozen=True, slots=True)
class Bits:
    """Bits certainly set, and whether they are all the bits (the mode is fully known)."""

    value: int
    exact: bool


def mode_bits(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> Bits | None:
    if node is None or depth > 6:
        return None
    value = ctx.constant_value(node)
    if isinstance(value, int) and not isinstance(value, bool):
        return Bits(value, True)
    if isinstance(node, (ast.Attribute, ast.Name)):
        name = ctx.resolve(node) or ""
        if name.startswith("stat.S_") and isinstance(getattr(stat, name[5:], None), int):
            return Bits(getattr(stat, name[5:]), True)
        if isinstance(node, ast.Name):
            values = assigned_values(node.id, node, ctx)
            if len(values) == 1 and values[0] is not node:
                return mode_bits(values[0], ctx, depth + 1)
        return None
    if isinstance(node, ast.BinOp):
        left = mode_bits(node.left, ctx, depth + 1)
        right = mode_bits(node.right, ctx, depth + 1)
        if isinstance(node.op, ast.BitOr):
            if left and right:
                return Bits(left.value | right.value, left.exact and right.exact)
            known = left or right
            return Bits(known.value, False) if known else None
        if left and right and left.exact and right.exact:
            try:
                return Bits(_arith(node.op, left.value, right.value), True)
            except (ArithmeticError, ValueError):
                return None
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
        inner = mode_bits(node.operand, ctx, depth + 1)
        return Bits(~inner.value & 0o7777, True) if inner and inner.exact else None
    if (  # int("0777", 8)
        isinstance(node, ast.Call)
        and ctx.resolve(node.func) == "builtins.int"
        and len(node.args) == 2
        and ctx.constant_value(node.args[1]) == 8
    ):
        text = ctx.constant_value(node.args[0])
        if isinstance(text, str):
            return octal_text(text)
    return None


def _arith(op: ast.operator, a: int, b: int) -> int:
    if isinstance(op, ast.BitAnd):
        return a & b
    if isinstance(op, ast.BitXor):
        return a ^ b
    if isinstance(op, ast.Add):
        return a + b
    if isinstance(op, ast.Sub):
        return a - b
    raise ValueError(op)


def octal_text(text: str) -> Bits | None:
    """'0777' / '1777' as chmod(1) reads them."""
    digits = text.strip()
    if digits.startswith("0o"):
        digits = digits[2:]
    if digits and len(digits) <= 5 and all(c in "01234567" for c in digits):
        return Bits(int(digits, 8), True)
    return None


def symbolic_adds_world_write(text: str) -> bool:
    """chmod(1) symbolic modes: 'a+w', 'o=rwx', 'ugo+rw' (but not '+w', which the umask
    filters, nor 'o-w')."""
    for clause in text.split(","):
        match = _SYMBOLIC.match(clause.strip())
        if match is None:
            continue
        who, op, perms = match.groups()
        if op in "+=" and "w" in perms and ("o" in who or "a" in who):
            return True
    return False


def octal(value: int) -> str:
    return f"0o{value:o}"
