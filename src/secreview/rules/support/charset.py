"""Which characters a string built at run time can hold, read from how it is built.

eval-of-non-literal asks whether the parts of a code string that are not fixed in the source
can change what the code does. A part that can only hold digits, dots, blanks and comparison
signs cannot: without letters, underscores or quotes it names nothing and calls nothing, and
without `*` it cannot build a huge power. Such parts are numbers (`int(x)`,
`sys.version_info[1]`, `"{:02d}".format(n)`), and the groups of a regex match whose
sub-pattern admits only such characters (`re.match(r"([<=>]+)(\\d+)", s).group(1)`), with
what `str()`, `.split()`, `.strip()` and indexing keep of them. Anything else is unknown.
"""

from __future__ import annotations

import ast
import re
import string
import warnings
from functools import cache

from secreview.python.context import ModuleContext, argument
from secreview.rules.support.bindings import assigned_values

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

Chars = frozenset[str]
DIGITS: Chars = frozenset(string.digits)
INTEGER: Chars = DIGITS | {"-"}
# What a part of a code string may hold and still not change what the code does.
INERT: Chars = DIGITS | frozenset(".,<>=!+- \t")
_MATCHERS = frozenset({"re.match", "re.search", "re.fullmatch"})
_KEEPING = frozenset({"split", "rsplit", "strip", "lstrip", "rstrip"})  # keep a subset
_NUMBERS = frozenset({"builtins.int", "builtins.len", "builtins.abs"})
_MAX_DEPTH = 8


def inert_parts(node: ast.AST, ctx: ModuleContext) -> bool:
    """Every part of a code string that is not fixed in the source holds only `INERT`
    characters (`"1 + " + str(n)`, `here + m.group(2) + wanted`)."""
    return all(
        ctx.is_constant(part) or _within(text_characters(part, ctx), INERT)
        for part in _parts(node, ctx, 0)
    )


def text_characters(node: ast.AST, ctx: ModuleContext, depth: int = 0) -> Chars | None:
    """`characters` of `node` written as text (`str(x)`, `f"{x}"`): a list's text adds
    brackets, quotes and commas, so a value that may be a list is unknown."""
    return None if _may_be_list(node, ctx, depth) else characters(node, ctx, depth)


def _may_be_list(node: ast.AST, ctx: ModuleContext, depth: int) -> bool:
    """Is `node` (possibly) the list `.split()` returns, or a slice of it?"""
    if depth > _MAX_DEPTH:
        return True
    if isinstance(node, ast.Call):
        return isinstance(node.func, ast.Attribute) and node.func.attr in ("split", "rsplit")
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Slice) and _may_be_list(node.value, ctx, depth + 1)
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        return any(v is not node and _may_be_list(v, ctx, depth + 1) for v in values)
    return False


def _within(found: Chars | None, allowed: Chars) -> bool:
    return found is not None and found <= allowed


def _parts(node: ast.AST, ctx: ModuleContext, depth: int) -> list[ast.AST]:
    """The pieces a string is concatenated from, through variables bound once."""
    if depth > _MAX_DEPTH:
        return [node]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _parts(node.left, ctx, depth + 1) + _parts(node.right, ctx, depth + 1)
    if isinstance(node, ast.JoinedStr):
        return [
            p
            for v in node.values
            for p in (
                _parts(v.value, ctx, depth + 1)
                if isinstance(v, ast.FormattedValue) and v.conversion == -1
                else [v]
            )
        ]
    if isinstance(node, ast.Name) and not ctx.is_constant(node):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1 and values[0] is not node:
            return _parts(values[0], ctx, depth + 1)
    return [node]


def characters(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> Chars | None:
    """The characters the str (or number, or list of str) `node` can hold; None if any."""
    if node is None or depth > _MAX_DEPTH:
        return None
    if isinstance(node, ast.Constant):
        return frozenset(str(node.value)) if isinstance(node.value, (str, int)) else None
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if not values or any(v is node for v in values):
            return None
        found = [characters(v, ctx, depth + 1) for v in values]
        return None if None in found else frozenset().union(*found)  # type: ignore[arg-type]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = characters(node.left, ctx, depth + 1), characters(node.right, ctx, depth + 1)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Subscript):
        if _is_version_info(node.value, ctx):
            return DIGITS
        return characters(node.value, ctx, depth + 1)  # an element, or a slice, of the value
    if isinstance(node, ast.Attribute) and _is_version_info(node.value, ctx):
        return DIGITS if node.attr in ("major", "minor", "micro", "serial") else None
    if isinstance(node, ast.Call):
        return _call_characters(node, ctx, depth)
    return None


def _call_characters(call: ast.Call, ctx: ModuleContext, depth: int) -> Chars | None:
    name = ctx.resolve(call.func)
    if name in _NUMBERS:
        return INTEGER
    if name == "builtins.str" and len(call.args) == 1 and not call.keywords:
        return text_characters(call.args[0], ctx, depth + 1)
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in _KEEPING:
        return characters(func.value, ctx, depth + 1)
    if func.attr == "format" and isinstance(func.value, ast.Constant):
        return _format_characters(func.value.value, call, ctx, depth)
    if func.attr == "group" and len(call.args) <= 1 and not call.keywords:
        pattern = _matched_pattern(func.value, ctx)
        group = ctx.constant_value(call.args[0]) if call.args else 0
        if pattern is not None and isinstance(group, int):
            return group_characters(pattern, group)
    return None


def _format_characters(
    template: object, call: ast.Call, ctx: ModuleContext, depth: int
) -> Chars | None:
    """`"{:02d}".format(n)`: the template's own text and its arguments' characters (a
    `!r` conversion adds quotes: unknown)."""
    if not isinstance(template, str) or "!r" in template or "!a" in template:
        return None
    arguments = (*call.args, *(k.value for k in call.keywords))
    found = [text_characters(a, ctx, depth + 1) for a in arguments]
    if None in found:
        return None
    text = re.sub(r"\{[^{}]*\}", "", template)
    return frozenset(text).union(*found)  # type: ignore[arg-type]


def _is_version_info(node: ast.AST, ctx: ModuleContext) -> bool:
    return ctx.resolve(node) == "sys.version_info"


def _matched_pattern(node: ast.AST, ctx: ModuleContext) -> str | None:
    """The pattern of `re.match(PATTERN, s)` that `node` (a match, or a name bound to one
    once) holds; None when it is not such a match."""
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) != 1:
            return None
        node = values[0]
    if not isinstance(node, ast.Call) or ctx.resolve(node.func) not in _MATCHERS:
        return None
    pattern = ctx.constant_value(argument(node, 0, "pattern"))
    flags = argument(node, 2, "flags")
    return pattern if isinstance(pattern, str) and flags is None else None


@cache
def group_characters(pattern: str, group: int) -> Chars | None:
    """The characters group `group` (0: the whole match) of `pattern` can match; None when
    it can match characters this does not list (`.`, `\\w`, a negated class)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    if group == 0:
        return _items(list(parsed))
    found = _find_group(list(parsed), group)
    return None if found is None else _items(found)


def _find_group(items: list, group: int) -> list | None:
    for op, av in items:
        if op is C.SUBPATTERN:
            if av[0] == group:
                return list(av[3])
            inner = _find_group(list(av[3]), group)
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            inner = _find_group(list(av[2]), group)
        elif op is C.BRANCH:
            inner = next((f for b in av[1] if (f := _find_group(list(b), group)) is not None), None)
        elif op is C.ATOMIC_GROUP:
            inner = _find_group(list(av), group)
        else:
            continue
        if inner is not None:
            return inner
    return None


def _items(items: list) -> Chars | None:
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
        elif op is C.IN:
            found = _class(av)
            if found is None:
                return None
            out |= found
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            found = _items(list(av[2]))
            if found is None:
                return None
            out |= found
        elif op is C.SUBPATTERN:
            found = _items(list(av[3]))
            if found is None:
                return None
            out |= found
        elif op is C.BRANCH:
            for branch in av[1]:
                found = _items(list(branch))
                if found is None:
                    return None
                out |= found
        elif op is C.AT:
            continue  # ^ $ \b: no character
        else:
            return None  # ANY, NOT_LITERAL, a backreference, a lookaround, ...
    return frozenset(out)


def _class(items: list) -> Chars | None:
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
        elif op is C.RANGE:
            low, high = av
            if high - low > 128:
                return None
            out.update(chr(c) for c in range(low, high + 1))
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            out |= DIGITS  # and other scripts' digits: no letters either
        elif op is C.CATEGORY and av is C.CATEGORY_SPACE:
            out |= set(" \t\n\r\f\v")
        else:
            return None  # NEGATE, \w, \W, \S, \D, ...
    return frozenset(out)
