"""eval-of-non-literal: the builtins eval/exec run on a string built at run time."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument
from secreview.python.taint.privilege import privileged_tool
from secreview.rules import RuleMeta
from secreview.rules.support.charset import inert_parts
from secreview.rules.support.pattern import Hit, Rule, register

_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@register
class EvalOfNonLiteral(Rule):
    meta = RuleMeta(
        id="eval-of-non-literal",
        cwe=95,
        severity="high",
        confidence="medium",
        title="eval/exec of a value that is not a literal",
        why=(
            "eval() and exec() run their argument as Python code with the caller's privileges; "
            "when any part of it comes from a request, file or message, its author runs "
            "arbitrary code, and restricted globals such as {'__builtins__': {}} do not stop it."
        ),
        example="total = eval(request.args['expr'])",
        fix=(
            "Parse data, do not run it: ast.literal_eval() for Python literals, json.loads() "
            "for JSON, a dict of allowed operations (operator.add, ...) or a small parser for "
            "expressions; getattr(obj, name) on an allow-list instead of building code."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/95.html",
            "https://docs.python.org/3/library/ast.html#ast.literal_eval",
        ),
    )
    calls = frozenset({"builtins.eval", "builtins.exec"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """Flag eval/exec whose code argument is not fixed in the source."""
        function = name.rsplit(".", 1)[-1]
        if isinstance(call.func, ast.Name) and _shadowed(call.func.id, call, ctx):
            return  # a local `eval = ...`/parameter/def: not the builtin
        code = argument(call, 0, "source")
        if code is None or ctx.is_constant(code) or inert_parts(code, ctx):
            return  # fixed, or what is not fixed holds digits and comparison signs only
        if _typed_by_the_user(code, call, ctx):
            return  # a prompt that runs the code its own user types (a REPL, a questioner)
        yield Hit(
            call,
            f"{function}() runs a string assembled at run time as Python code; if any part of "
            "it comes from input, its author runs arbitrary code in this process.",
            unless_constant=ctx.constant_unless(code) or (),
        )


def _typed_by_the_user(code: ast.expr, call: ast.Call, ctx: ModuleContext) -> bool:
    """`code = input(...)` in the same function, in a tool that runs as its user
    (`privilege.py`): the user runs their own code, which they could run anyway."""
    if not isinstance(code, ast.Name) or privileged_tool(ctx) is not None:
        return False
    scope = ctx.parent(call)
    while scope is not None and not isinstance(scope, _SCOPES):
        scope = ctx.parent(scope)
    if scope is None:
        return False
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == code.id for t in node.targets)
        and isinstance(node.value, ast.Call)
        and ctx.resolve(node.value.func) == "builtins.input"
        for node in ast.walk(scope)
    )


def _shadowed(name: str, node: ast.AST, ctx: ModuleContext) -> bool:
    """Is `name` bound in an enclosing function, or assigned at module level?

    The symbol table knows module-level imports and defs; parameters, local assignments
    and module-level `eval = ...` rebinding are checked here.
    """
    scope = ctx.parent(node)
    while scope is not None:
        if isinstance(scope, _SCOPES) and _binds(scope, name):
            return True
        scope = ctx.parent(scope)
    return any(
        not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and _binds(statement, name)
        for statement in ctx.tree.body
    )


def _binds(scope: ast.AST, name: str) -> bool:
    if isinstance(scope, _SCOPES):
        arguments = scope.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        if any(a.arg == name for a in every):
            return True
        body: list[ast.AST] = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    else:
        body = [scope]
    for statement in body:
        for node in ast.walk(statement):
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
                return True
            if (
                isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                and node.name == name
            ):
                return True
            if isinstance(node, (ast.Import, ast.ImportFrom)) and any(
                (alias.asname or alias.name.split(".")[0]) == name for alias in node.names
            ):
                return True
    return False
