"""django-allowed-hosts-wildcard: `ALLOWED_HOSTS = ["*"]` accepts any Host header."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import (
    UNLESS_ENV,
    fallback,
    is_development_file,
    module_settings,
    settings_class,
)

_WILDCARD = "*"


@register
class DjangoAllowedHostsWildcard(Rule):
    # CWE-183 (Permissive List of Allowed Inputs): ALLOWED_HOSTS is Django's allow-list of
    # Host header values, and "*" makes it allow everything. The harm it enables is Host
    # header poisoning; no CWE names that, and CWE-644 is about script in headers.
    meta = RuleMeta(
        id="django-allowed-hosts-wildcard",
        cwe=183,
        severity="medium",
        confidence="high",
        title="Django ALLOWED_HOSTS accepts any Host header",
        why=(
            "ALLOWED_HOSTS is Django's defence against forged Host headers; with '*' "
            "request.get_host() returns whatever the client sent, so password-reset e-mails, "
            "absolute URLs and cached pages can be made to point at the attacker's domain "
            "(Host header poisoning)."
        ),
        example='ALLOWED_HOSTS = ["*"]',
        fix=(
            "List the domains the site serves: `ALLOWED_HOSTS = ['shop.example.com', "
            "'.example.com']`, or read them from the environment without a '*' fallback: "
            "`ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')`."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/183.html",
            "https://docs.djangoproject.com/en/stable/ref/settings/#allowed-hosts",
            "https://docs.djangoproject.com/en/stable/topics/security/#host-headers-virtual-hosting",
        ),
    )
    nodes = (ast.Module,)
    triggers = frozenset({"ALLOWED_HOSTS"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        for setting in module_settings(ctx).get("ALLOWED_HOSTS", ()):
            if setting.development:
                continue
            if setting.style == "class" and settings_class(setting.node, ctx) != "django":
                continue
            if _is_wildcard(setting.value, ctx):
                yield Hit(setting.node, _message(""))
            elif not isinstance(setting.value, ast.IfExp) and _is_wildcard_fallback(
                setting.value, ctx
            ):
                yield Hit(
                    setting.node,
                    _message(UNLESS_ENV),
                    confidence="medium",
                )
        if not is_development_file(ctx):
            yield from _appended_wildcards(ctx)


def _is_wildcard(value: ast.expr, ctx: ModuleContext) -> bool:
    hosts = ctx.constant_value(value)
    return isinstance(hosts, (list, tuple, set)) and _WILDCARD in hosts


def _is_wildcard_fallback(value: ast.expr, ctx: ModuleContext) -> bool:
    hosts = fallback(value, ctx)
    if isinstance(hosts, str):
        hosts = [h.strip() for h in hosts.split(",")]
    return isinstance(hosts, (list, tuple)) and _WILDCARD in [str(h).strip() for h in hosts]


def _appended_wildcards(ctx: ModuleContext) -> Iterable[Hit]:
    """`ALLOWED_HOSTS.append("*")` / `.extend(["*"])` at module level."""
    for statement in ctx.tree.body:
        if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call)):
            continue
        call = statement.value
        func = call.func
        if not (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "ALLOWED_HOSTS"
            and func.attr in ("append", "extend", "insert")
            and call.args
        ):
            continue
        added = ctx.constant_value(call.args[-1])
        if added == _WILDCARD or (isinstance(added, (list, tuple)) and _WILDCARD in added):
            yield Hit(call, _message(""))


def _message(when: str) -> str:
    return (
        f"ALLOWED_HOSTS contains '*'{when}: Django then trusts any Host header, so "
        "password-reset links and other absolute URLs can be made to point at an "
        "attacker's domain."
    )
