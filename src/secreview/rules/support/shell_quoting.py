"""When a command line built at run time is still safe for a shell: every run-time piece is
a constant, a number, or passed through `shlex.quote` (shell-true-non-constant, and
processutils-shell for oslo's `execute(..., shell=True)`)."""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext

# Calls that quote a value for a POSIX shell, making it one literal word.
_QUOTERS = frozenset({"shlex.quote", "pipes.quote", "shlex.join"})

# and calls whose result holds no shell syntax at all: numbers

_SHELL_SAFE = _QUOTERS | frozenset({"builtins.int", "builtins.float", "builtins.len"})


def shell_quoted(node: ast.AST, ctx: ModuleContext) -> bool:
    """Every run-time piece of the command is a constant or passed through shlex.quote,
    there or into the variable it reads (`host = shlex.quote(host)`, on every path; how a
    variable's text was put together is not checked for quotes around the quoted word)."""
    if ctx.is_constant(node):
        return True
    if isinstance(node, ast.Name):
        return ctx.is_constant(node, safe_calls=_SHELL_SAFE)
    if isinstance(node, ast.Call):
        name = ctx.resolve(node.func)
        if name in _SHELL_SAFE:
            return True
        func = node.func
        if isinstance(func, ast.Attribute) and ctx.is_constant(func.value):
            if func.attr == "format":  # "ls {}".format(shlex.quote(p))
                return all(shell_quoted(a, ctx) for a in node.args) and all(
                    shell_quoted(k.value, ctx) for k in node.keywords
                )
            if func.attr == "join" and len(node.args) == 1:  # " ".join([...])
                items = node.args[0]
                if isinstance(items, (ast.GeneratorExp, ast.ListComp)):
                    return shell_quoted(items.elt, ctx)
                return isinstance(items, (ast.List, ast.Tuple)) and all(
                    shell_quoted(e, ctx) for e in items.elts
                )
        return False
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return shell_quoted(node.left, ctx) and shell_quoted(node.right, ctx)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        values = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        return ctx.is_constant(node.left) and all(shell_quoted(v, ctx) for v in values)
    if isinstance(node, ast.JoinedStr):
        previous = ""
        for value in node.values:
            if isinstance(value, ast.Constant):
                previous = str(value.value)
            elif not isinstance(value, ast.FormattedValue) or not shell_quoted(value.value, ctx):
                return False
            elif previous.endswith(("'", '"')):
                return False  # f"echo '{shlex.quote(x)}'": the outer quotes undo the quoting
        return True
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(shell_quoted(e, ctx) for e in node.elts)
    return False
