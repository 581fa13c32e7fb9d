"""A mechanical fix shared by rules whose remedy is one keyword argument: `secret=True`,
`filter="data"`. Replaces the keyword's value when present, else appends the keyword
after the last argument; the positions come from the AST (see `secreview.python.fixes`)."""

from __future__ import annotations

import ast

from secreview.model import Location, Replacement
from secreview.python import fixes
from secreview.python.context import ModuleContext, has_kwargs_splat, keyword


def set_keyword(
    ctx: ModuleContext, call: ast.Call, name: str, value: str, description: str
) -> tuple[Replacement, ...]:
    existing = keyword(call, name)
    if existing is not None:
        return fixes.replace_node(ctx, existing, value, description)
    if has_kwargs_splat(call):
        return ()  # **kwargs might already carry it
    arguments: list[ast.AST] = [*call.args, *call.keywords]
    if not arguments:
        return ()
    last = max(arguments, key=lambda a: (a.end_lineno or 0, a.end_col_offset or 0))
    end = ctx.location(last)
    line, column = end.end_line or end.line, end.end_column or end.column
    where = Location(end.path, line, column, line, column)
    return (Replacement(where, f", {name}={value}", description, ctx.line_text(line)),)
