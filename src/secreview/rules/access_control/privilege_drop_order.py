"""privilege-drop-order: the user dropped before the groups, so the groups cannot be."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import assigned_values, scope_nodes
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.privileges import GROUP_SETTERS, USER_SETTERS


@register
class PrivilegeDropOrder(Rule):
    meta = RuleMeta(
        id="privilege-drop-order",
        cwe=696,
        severity="medium",
        confidence="high",
        title="User ID dropped before group IDs",
        why=(
            "Changing groups needs root. Once setuid()/seteuid() has given up root, a later "
            "setgid()/setgroups()/initgroups() fails, so the process either dies there or, "
            "if the error is caught, keeps root's group and supplementary groups (disk, "
            "shadow, docker ...) for the rest of its life."
        ),
        example="os.setuid(pw.pw_uid)\nos.setgid(pw.pw_gid)",
        fix=(
            "Drop in this order: os.setgroups([]) or os.initgroups(user, gid), then "
            "os.setgid(gid), then os.setuid(uid) last; afterwards check os.getuid()/getgid()."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/696.html",
            "https://wiki.sei.cmu.edu/confluence/display/c/POS36-C.+Observe+correct+revocation+order+while+relinquishing+privileges",
        ),
    )
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)
    # a report needs a user change first: os.setuid & co., by whatever alias, end in these
    triggers = frozenset(name.rsplit(".", 1)[1] for name in USER_SETTERS)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        calls = sorted(
            (
                (n.lineno, n.col_offset, ctx.resolve(n.func), n)
                for n in scope_nodes(node)
                if isinstance(n, ast.Call)
            ),
            key=lambda item: (item[0], item[1]),
        )
        user_drop: tuple[str, ast.Call] | None = None  # the latest user change so far
        for _, _, name, call in calls:
            if name in USER_SETTERS:
                user_drop = None if _regains_root(call, ctx) else (name, call)
            elif name in GROUP_SETTERS and user_drop is not None:
                first, where = user_drop
                yield Hit(
                    where,
                    f"{first}() gives up root before {name}() runs; without root the group "
                    "change fails, and the process keeps root's groups if that error is "
                    "caught.",
                )
                return


_SAVED_IDS = frozenset({"os.getuid", "os.geteuid", "os.getresuid"})


def _regains_root(call: ast.Call, ctx: ModuleContext) -> bool:
    """`os.seteuid(0)` or `os.seteuid(saved_euid)` (saved by `saved_euid = os.geteuid()`):
    taking the old identity back, after which changing groups works again."""
    if not call.args:
        return False
    return all(ctx.constant_value(a) == 0 or _saved_identity(a, ctx) for a in call.args)


def _saved_identity(node: ast.expr, ctx: ModuleContext, depth: int = 0) -> bool:
    if isinstance(node, ast.Call):
        return ctx.resolve(node.func) in _SAVED_IDS
    if isinstance(node, ast.Name) and depth < 4:  # `a = b; b = a` must not loop
        values = assigned_values(node.id, node, ctx)
        return any(v is not node and _saved_identity(v, ctx, depth + 1) for v in values)
    return False
