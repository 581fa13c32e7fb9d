"""Mechanical fixes: text replacements a rule attaches to a Hit, for review systems to offer
as one-click suggestions (Gerrit fix_suggestions, GitHub suggested changes).

A fix is only offered when the rewrite is certain from the syntax alone (`yaml.load` ->
`yaml.safe_load`, dropping `verify=False`); anything needing judgement stays in the rule's
prose `fix`. Positions come from the AST, so they are exact for any formatting.
"""

from __future__ import annotations

import ast

from secreview.model import Location, Replacement
from secreview.python.context import ModuleContext


def replace_node(
    ctx: ModuleContext, node: ast.AST, text: str, description: str
) -> tuple[Replacement, ...]:
    """Replace the source of `node` with `text`."""
    return (_replacement(ctx, ctx.location(node), text, description),)


def _replacement(ctx: ModuleContext, where: Location, text: str, description: str) -> Replacement:
    last = where.end_line or where.line
    original = "\n".join(ctx.line_text(n) for n in range(where.line, last + 1))
    return Replacement(where, text, description, original)


def replace_attribute_name(
    ctx: ModuleContext, node: ast.AST, new_name: str, description: str
) -> tuple[Replacement, ...]:
    """`yaml.load` -> `yaml.safe_load`: rewrite the last name of a dotted expression, keeping
    whatever module alias precedes it. A bare name (`from yaml import load`) gets no fix,
    since the import would have to change too."""
    if not isinstance(node, ast.Attribute):
        return ()
    where = ctx.location(node)
    if where.end_line is None or where.end_column is None:
        return ()
    start = where.end_column - len(node.attr)
    line = ctx.line_text(where.end_line)
    if start < 1 or line[start - 1 : where.end_column - 1] != node.attr:
        return ()  # the name is not where the AST says (a line continuation inside it)
    span = Location(where.path, where.end_line, start, where.end_line, where.end_column)
    return (_replacement(ctx, span, new_name, description),)


def remove_keyword(
    ctx: ModuleContext, call: ast.Call, keyword: ast.keyword, description: str
) -> tuple[Replacement, ...]:
    """Drop `keyword` from `call` with the comma that joins it to its neighbour:
    `get(url, verify=False)` -> `get(url)`, `Session(verify=False, x=1)` -> `Session(x=1)`."""
    arguments: list[ast.AST] = sorted(
        [*call.args, *call.keywords],
        key=lambda a: (getattr(a, "lineno", 0), getattr(a, "col_offset", 0)),
    )
    if keyword not in arguments:
        return ()
    index = arguments.index(keyword)
    this = ctx.location(keyword)
    if index > 0:  # from the end of the previous argument to the end of this one
        before = ctx.location(arguments[index - 1])
        start = (before.end_line or before.line, before.end_column or before.column)
        end = (this.end_line or this.line, this.end_column or this.column)
    elif index + 1 < len(arguments):  # first argument: up to the start of the next one
        after = ctx.location(arguments[index + 1])
        start = (this.line, this.column)
        end = (after.line, after.column)
    else:  # the only argument
        start = (this.line, this.column)
        end = (this.end_line or this.line, this.end_column or this.column)
    span = Location(this.path, start[0], start[1], end[0], end[1])
    return (_replacement(ctx, span, "", description),)


def apply(text: str, replacements: tuple[Replacement, ...], first_line: int = 1) -> str:
    """`text` (whose first line is `first_line` of its file) with the replacements made;
    later replacements first, so earlier positions stay valid."""
    lines = text.split("\n")
    shift = first_line - 1
    for fix in sorted(
        replacements, key=lambda r: (r.location.line, r.location.column), reverse=True
    ):
        loc = fix.location
        first, last = loc.line - shift, (loc.end_line or loc.line) - shift
        head = lines[first - 1][: loc.column - 1]
        tail = lines[last - 1][(loc.end_column or loc.column) - 1 :]
        lines[first - 1 : last] = (head + fix.text + tail).split("\n")
    return "\n".join(lines)
