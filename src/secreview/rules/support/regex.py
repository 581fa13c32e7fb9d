"""Which regular expression a `re` call runs: its pattern text, flags and anchoring.

Shared by the regex-redos pattern rule and its taint sink condition: `re.match(P, s)`,
`re.compile(P, re.X).search(s)`, and compiled patterns kept in a variable, a module
constant or a class attribute (`self._NAME_RE.match(s)`).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from secreview.python.context import ModuleContext, argument
from secreview.rules.support.bindings import (
    assigned_values,
    constant_string,
    self_attribute_values,
)

# re module functions: (pattern position, flags position, data position, data keyword)
FUNCTIONS: dict[str, tuple[int, int, int, str]] = {
    "match": (0, 2, 1, "string"),
    "search": (0, 2, 1, "string"),
    "fullmatch": (0, 2, 1, "string"),
    "findall": (0, 2, 1, "string"),
    "finditer": (0, 2, 1, "string"),
    "split": (0, 3, 1, "string"),
    "sub": (0, 4, 2, "string"),
    "subn": (0, 4, 2, "string"),
}
# methods of a compiled pattern: data position
METHODS: dict[str, int] = {
    "match": 0,
    "search": 0,
    "fullmatch": 0,
    "findall": 0,
    "finditer": 0,
    "split": 0,
    "sub": 1,
    "subn": 1,
}
_FLAG_NAMES = frozenset(
    {"I", "IGNORECASE", "S", "DOTALL", "X", "VERBOSE", "A", "ASCII", "M", "MULTILINE", "U"}
)


@dataclass(frozen=True, slots=True)
class RegexUse:
    pattern: str | bytes
    flags: int
    full_match: bool
    node: ast.AST  # where the pattern is written


def regex_of_call(call: ast.Call, ctx: ModuleContext) -> RegexUse | None:
    """The regex a call of `re.<function>` or of a compiled pattern's method runs."""
    func = call.func
    name = ctx.resolve(func) or ""
    method = func.attr if isinstance(func, ast.Attribute) else ""
    if name.startswith("re.") and name[3:] in (*FUNCTIONS, "compile"):
        function = name[3:]
        pattern_at, flags_at = (0, 1) if function == "compile" else FUNCTIONS[function][:2]
        return _use(
            argument(call, pattern_at, "pattern"),
            argument(call, flags_at, "flags"),
            function == "fullmatch",
            ctx,
        )
    if method in METHODS and isinstance(func, ast.Attribute):
        compiled = compiled_pattern(func.value, ctx)
        if compiled is not None:
            use = regex_of_call(compiled, ctx)
            if use is not None and method == "fullmatch":
                return RegexUse(use.pattern, use.flags, True, use.node)
            return use
    return None


def compiled_pattern(node: ast.AST, ctx: ModuleContext, depth: int = 0) -> ast.Call | None:
    """The `re.compile(...)` call a receiver holds, when it is visible in this module."""
    if depth > 3:
        return None
    if isinstance(node, ast.Call):
        return node if ctx.resolve(node.func) == "re.compile" else None
    values: list[ast.expr] = []
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
    elif (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        values = self_attribute_values(node.attr, node, ctx)
    if len(values) != 1:
        return None
    return compiled_pattern(values[0], ctx, depth + 1)


def _use(
    pattern: ast.AST | None, flags: ast.AST | None, full: bool, ctx: ModuleContext
) -> RegexUse | None:
    if pattern is None:
        return None
    text: str | bytes | None = constant_string(pattern, ctx)
    if text is None:
        value = ctx.constant_value(pattern)
        text = value if isinstance(value, bytes) else None
    if text is None:
        return None
    value = flag_value(flags, ctx)
    if value is None:
        return None
    return RegexUse(text, value, full, pattern)


def flag_value(node: ast.AST | None, ctx: ModuleContext) -> int | None:
    """`re.I | re.X` -> int; None when the flags are not fixed in the source."""
    if node is None:
        return 0
    constant = ctx.constant_value(node)
    if isinstance(constant, int) and not isinstance(constant, bool):
        return constant
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitOr, ast.Add)):
        left, right = flag_value(node.left, ctx), flag_value(node.right, ctx)
        return None if left is None or right is None else left | right
    name = ctx.resolve(node) or ""
    for prefix in ("re.RegexFlag.", "re."):
        if name.startswith(prefix) and name[len(prefix) :] in _FLAG_NAMES:
            return int(getattr(re, name[len(prefix) :]))
    return None
