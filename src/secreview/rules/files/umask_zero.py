"""umask-zero: a process umask that lets new files be created world-writable."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument
from secreview.rules import RuleMeta
from secreview.rules.support.modes import WORLD_WRITE, mode_bits, octal
from secreview.rules.support.pattern import Hit, Rule, register


@register
class UmaskZero(Rule):
    meta = RuleMeta(
        id="umask-zero",
        cwe=732,
        severity="medium",
        confidence="high",
        title="umask that lets new files be world-writable",
        why=(
            "The umask removes permission bits from every file and directory the process "
            "creates afterwards. Without the world-write bit in it, open() (0o666) and "
            "mkdir() (0o777) create entries any local user can modify, in every thread and "
            "library of the process, not just the code that set it."
        ),
        example="os.umask(0)\nwith open(pid_file, 'w') as fh: ...",
        fix=(
            "Keep a umask of 0o022 or 0o077 and give the few files that must be shared an "
            "explicit mode with os.chmod() (group-writable, not world-writable); to read the "
            "umask use `old = os.umask(0o077); os.umask(old)`."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/732.html",
            "https://docs.python.org/3/library/os.html#os.umask",
        ),
    )
    calls = frozenset({"os.umask"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        bits = mode_bits(argument(call, 0, "mask"), ctx)
        if bits is None or not bits.exact or bits.value & WORLD_WRITE:
            return
        if _read_idiom(call, ctx):
            return
        yield Hit(
            call,
            f"os.umask({octal(bits.value)}) keeps the world-write bit, so files and "
            "directories the process creates from here on are writable by every local user.",
        )


def _read_idiom(call: ast.Call, ctx: ModuleContext) -> bool:
    """`old = os.umask(0)` immediately followed by `os.umask(old)`, or
    `os.umask(os.umask(0))`: reading the umask, nothing is created in between."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.Call) and ctx.resolve(parent.func) == "os.umask":
        return True
    if not (
        isinstance(parent, ast.Assign)
        and len(parent.targets) == 1
        and isinstance(target := parent.targets[0], ast.Name)
    ):
        return False
    block = ctx.parent(parent)
    for field in ("body", "orelse", "finalbody"):
        statements = getattr(block, field, None)
        if isinstance(statements, list) and parent in statements:
            index = statements.index(parent)
            following = statements[index + 1 : index + 2]
            return any(_restores(s, target.id, ctx) for s in following)
    return False


def _restores(statement: ast.stmt, name: str, ctx: ModuleContext) -> bool:
    """The very next statement puts the old mask back (not a block that does so later)."""
    node = statement.value if isinstance(statement, ast.Expr) else None
    return (
        isinstance(node, ast.Call)
        and ctx.resolve(node.func) == "os.umask"
        and bool(node.args)
        and isinstance(node.args[0], ast.Name)
        and node.args[0].id == name
    )
