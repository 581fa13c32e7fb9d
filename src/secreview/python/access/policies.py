"""Phase 1 of `policy-default-allows-anyone`: the oslo.policy defaults a module declares.

A default is `RuleDefault(name, check_str, ...)` or `DocumentedRuleDefault(name=...,
check_str=..., operations=[{"method": ..., "path": ...}])` of `oslo_policy.policy`. Its check
string is kept as written: a literal, or the qualified name of a constant (often of another
module: `base.RULE_ANY`), which the whole-program pass looks up among every module's string
constants (`module_constants`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import replace

from secreview.model import Finding
from secreview.python.access.facts import PolicyDefault
from secreview.python.context import ModuleContext, argument
from secreview.rules import RuleMeta, get_rule

RULE = "policy-default-allows-anyone"
_DEFAULTS = frozenset(
    {
        "oslo_policy.policy.RuleDefault",
        "oslo_policy.policy.DocumentedRuleDefault",
    }
)


def policy_defaults(ctx: ModuleContext) -> Iterator[PolicyDefault]:
    if not ctx.symbols.imports("oslo_policy"):
        return
    for node in ctx.nodes:
        if not isinstance(node, ast.Call) or ctx.resolve(node.func) not in _DEFAULTS:
            continue
        check = argument(node, 1, "check_str")
        if check is None:
            continue
        literal = ctx.constant_value(check)
        text = literal if isinstance(literal, str) else ""
        ref = ""
        if not isinstance(literal, str):
            if not isinstance(check, (ast.Name, ast.Attribute)):
                continue  # built from parts: `PROJECT_MEMBER + " or " + ADMIN`
            ref = ctx.resolve(check) or ""
            if not ref:
                continue
        yield PolicyDefault(
            name=_name(argument(node, 0, "name"), ctx),
            check=text,
            check_ref=ref,
            methods=_methods(argument(node, 3, "operations")),
            finding=_candidate(check, ctx),
        )


def module_constants(ctx: ModuleContext) -> Iterator[tuple[str, str]]:
    """The module's string constants a check string elsewhere may name, open or not."""
    if "oslo_policy" not in ctx.source.text and "policies" not in ctx.symbols.module:
        return
    for statement in ctx.tree.body:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Constant)
            and isinstance(statement.value.value, str)
            and statement.targets[0].id in ctx.symbols.constants
        ):
            name = statement.targets[0].id
            yield f"{ctx.symbols.module}.{name}", statement.value.value


def _name(node: ast.expr | None, ctx: ModuleContext) -> str:
    """The rule's name: a literal, a constant, or `ROOT % "verb"` (its verb when the root is
    another module's)."""
    if node is None:
        return ""
    value = ctx.constant_value(node)
    if isinstance(value, str):
        return value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        right = ctx.constant_value(node.right)
        left = ctx.constant_value(node.left)
        if isinstance(right, str) and isinstance(left, str) and "%s" in left:
            return left % right  # `POLICY_ROOT % "delete"` with the root of this module
        if isinstance(right, str):
            return f"…{right}"
    return ""


def _methods(node: ast.expr | None) -> tuple[str, ...] | None:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    methods: list[str] = []
    for item in node.elts:
        if not isinstance(item, ast.Dict):
            return None
        for key, value in zip(item.keys, item.values, strict=True):
            if isinstance(key, ast.Constant) and key.value == "method":
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    return None
                methods.append(value.value.upper())
    return tuple(methods) or None


def _candidate(node: ast.expr, ctx: ModuleContext) -> Finding:
    from secreview.python.analyzer import make_finding  # the analyzer imports this module

    meta = get_rule(RULE)
    assert isinstance(meta, RuleMeta)
    finding = make_finding(meta, node, ctx, "")
    return replace(finding, region=(node.lineno, node.end_lineno or node.lineno))
