"""missing-privilege-drop-check: a failed privilege drop swallowed, the process goes on."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.privileges import DROPS

# Exceptions a failed setuid()/setgroups() raises, and the handlers that catch them.
_CATCHES_OSERROR = frozenset(
    {
        "builtins.OSError",
        "builtins.PermissionError",
        "builtins.EnvironmentError",
        "builtins.IOError",
        "builtins.Exception",
        "builtins.BaseException",
    }
)
_EXITS = frozenset({"sys.exit", "os._exit", "os.abort", "builtins.exit", "builtins.quit"})


@register
class MissingPrivilegeDropCheck(Rule):
    meta = RuleMeta(
        id="missing-privilege-drop-check",
        cwe=273,
        severity="high",
        confidence="high",
        title="Failure to drop privileges ignored",
        why=(
            "os.setuid()/setgid()/setgroups() raise when the drop fails (not root, a "
            "seccomp or capability policy, a bad ID). Catching that and carrying on leaves "
            "the process running with the privileges it meant to shed, and everything it "
            "does next (parsing input, running plugins) happens as root."
        ),
        example=(
            "try:\n    os.setuid(uid)\n"
            "except OSError:\n    LOG.warning('could not drop privileges')"
        ),
        fix=(
            "Let the exception end the process (or re-raise it after logging), and verify "
            "the result: os.getuid() == uid and os.geteuid() == uid after the drop."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/273.html",
            "https://wiki.sei.cmu.edu/confluence/display/c/POS37-C.+Ensure+that+privilege+relinquishment+is+successful",
        ),
    )
    calls = DROPS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        child: ast.AST = call
        parent = ctx.parent(call)
        while parent is not None and not isinstance(
            parent, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
        ):
            if isinstance(parent, (ast.Try, ast.TryStar)) and child in parent.body:
                swallowing = [h for h in parent.handlers if _catches(h, ctx) and _swallows(h, ctx)]
                if swallowing:
                    yield Hit(
                        call,
                        f"If {name}() fails, the except clause at line {swallowing[0].lineno} "
                        "lets the process continue with the privileges it meant to drop.",
                    )
                    return
            if isinstance(parent, (ast.With, ast.AsyncWith)) and _suppresses(parent, ctx):
                yield Hit(
                    call,
                    f"contextlib.suppress() hides a failed {name}(); the process continues "
                    "with the privileges it meant to drop.",
                )
                return
            child, parent = parent, ctx.parent(parent)


def _catches(handler: ast.ExceptHandler, ctx: ModuleContext) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return any(ctx.resolve(t) in _CATCHES_OSERROR for t in types)


def _swallows(handler: ast.ExceptHandler, ctx: ModuleContext) -> bool:
    """No raise, no exit, no return: execution continues after the try."""
    for statement in handler.body:
        for node in ast.walk(statement):
            if isinstance(node, (ast.Raise, ast.Return)):
                return False
            if isinstance(node, ast.Call) and ctx.resolve(node.func) in _EXITS:
                return False
    return True


def _suppresses(statement: ast.With | ast.AsyncWith, ctx: ModuleContext) -> bool:
    for item in statement.items:
        expr = item.context_expr
        if (
            isinstance(expr, ast.Call)
            and ctx.resolve(expr.func) == "contextlib.suppress"
            and any(ctx.resolve(a) in _CATCHES_OSERROR for a in expr.args)
        ):
            return True
    return False
