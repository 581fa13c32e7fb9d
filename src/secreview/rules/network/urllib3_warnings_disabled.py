"""urllib3-warnings-disabled: the warning about unverified HTTPS requests silenced for good."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

_DISABLE = frozenset(
    {
        "urllib3.disable_warnings",
        "requests.packages.urllib3.disable_warnings",
        "pip._vendor.urllib3.disable_warnings",
    }
)
_FILTERS = frozenset({"warnings.filterwarnings", "warnings.simplefilter"})
_CERT_WARNINGS = frozenset({"InsecureRequestWarning", "InsecurePlatformWarning"})
# Words of an `if` test that show the warning is silenced only when the user chose an
# unverified connection (`if insecure:`, `if not verify_ssl:`).
_OPT_IN_WORDS = frozenset({"insecure", "verify", "ssl", "tls", "cert", "certs", "unverified"})


@register
class Urllib3WarningsDisabled(Rule):
    meta = RuleMeta(
        id="urllib3-warnings-disabled",
        cwe=295,
        severity="low",
        confidence="medium",
        title="Warnings about unverified HTTPS requests disabled",
        why=(
            "InsecureRequestWarning is how urllib3 and requests report a request made "
            "without certificate verification; silencing it for the whole process hides "
            "every such request, including ones added later by mistake, from logs and tests."
        ),
        example="urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)",
        fix=(
            "Verify certificates (pass verify= a CA bundle) instead of hiding the warning; "
            "if an operator explicitly chose an insecure connection, silence it only in that "
            "branch, or with warnings.catch_warnings() around that one call."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/295.html",
            "https://urllib3.readthedocs.io/en/stable/advanced-usage.html#tls-warnings",
        ),
    )
    calls = _DISABLE | _FILTERS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if _operator_opted_in(call, ctx):
            return
        if name in _DISABLE:
            category = argument(call, 0, "category")
            if category is not None and not _is_cert_warning(category, ctx):
                return
            what = "every urllib3 warning" if category is None else "InsecureRequestWarning"
            yield Hit(
                call,
                f"disable_warnings() silences {what} for the whole process: requests made "
                "without certificate verification go unnoticed.",
            )
            return
        action = ctx.constant_value(argument(call, 0, "action"))
        category = keyword(call, "category") or (
            argument(call, 2, "category")
            if name.endswith("filterwarnings")
            else argument(call, 1, "category")
        )
        if action == "ignore" and category is not None and _is_cert_warning(category, ctx):
            if _inside_catch_warnings(call, ctx):
                return
            yield Hit(
                call,
                "Ignoring InsecureRequestWarning hides, for the whole process, every request "
                "made without certificate verification.",
            )


def _is_cert_warning(node: ast.expr, ctx: ModuleContext) -> bool:
    name = ctx.resolve(node) or (node.attr if isinstance(node, ast.Attribute) else "")
    return name.rsplit(".", 1)[-1] in _CERT_WARNINGS


def _operator_opted_in(call: ast.Call, ctx: ModuleContext) -> bool:
    """Inside `if insecure:` / `if not verify:`: the user asked for no verification."""
    current = ctx.parent(call)
    while current is not None and not isinstance(
        current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Module)
    ):
        if isinstance(current, ast.If):
            names = [
                n.id if isinstance(n, ast.Name) else n.attr
                for n in ast.walk(current.test)
                if isinstance(n, (ast.Name, ast.Attribute))
            ]
            keys = [
                n.value
                for n in ast.walk(current.test)
                if isinstance(n, ast.Constant) and isinstance(n.value, str)
            ]
            if any(_OPT_IN_WORDS & set(words(text)) for text in (*names, *keys)):
                return True
        current = ctx.parent(current)
    return False


def _inside_catch_warnings(call: ast.Call, ctx: ModuleContext) -> bool:
    current = ctx.parent(call)
    while current is not None:
        if isinstance(current, (ast.With, ast.AsyncWith)) and any(
            isinstance(i.context_expr, ast.Call)
            and ctx.resolve(i.context_expr.func) == "warnings.catch_warnings"
            for i in current.items
        ):
            return True
        current = ctx.parent(current)
    return False
