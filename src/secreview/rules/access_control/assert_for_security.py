"""assert-for-security: authorisation and validation decisions made with `assert`."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import (
    call_name,
    enclosing_class,
    enclosing_function,
    in_main_block,
    is_package_module,
)
from secreview.rules.support.names import (
    is_security_check,
    is_security_predicate,
    is_security_value,
)
from secreview.rules.support.pattern import Hit, Rule, register

# Calls that answer "what type/shape is it", never "may they": their arguments are not read.
_SHAPE_CHECKS = frozenset(
    {
        "builtins.isinstance",
        "builtins.issubclass",
        "builtins.hasattr",
        "builtins.callable",
        "builtins.type",
        "builtins.len",
        "builtins.getattr",
    }
)
_DIGEST_COMPARES = frozenset({"hmac.compare_digest", "secrets.compare_digest"})


@register
class AssertForSecurity(Rule):
    meta = RuleMeta(
        id="assert-for-security",
        cwe=617,
        severity="medium",
        confidence="medium",
        title="Security check written as an assert",
        why=(
            "Python removes assert statements when run with -O or PYTHONOPTIMIZE (common in "
            "container images and some WSGI setups), so an authorisation, authentication or "
            "validation decision made with assert silently disappears and every request "
            "passes; when it does run, it fails as a 500 error rather than a 403."
        ),
        example="assert request.user.is_admin, 'admins only'\nassert token == session['csrf']",
        fix=(
            "Use an explicit check that always runs and fails closed (`if not allowed: raise "
            "PermissionError(...)`, or return 403); compare secrets with hmac.compare_digest(). "
            "Keep assert for internal invariants."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Use an explicit check that always runs and fails closed: `if not "
                    "request.user.is_staff: raise PermissionDenied`; compare secrets with "
                    "`hmac.compare_digest()`. Keep assert for internal invariants."
                ),
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended"),
                (
                    "Use an explicit check that always runs and fails closed: `if not "
                    "current_user.is_admin: abort(403)`; compare secrets with "
                    "`hmac.compare_digest()`. Keep assert for internal invariants."
                ),
            ),
            FixText(
                ("fastapi", "starlette"),
                (
                    "Use an explicit check that always runs and fails closed: `if not "
                    "user.is_admin: raise HTTPException(status_code=403)`; compare secrets with "
                    "`hmac.compare_digest()`. Keep assert for internal invariants."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/617.html",
            "https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement",
        ),
    )
    nodes = (ast.Assert,)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Assert)
        if _in_test_code(node, ctx):
            return
        term = _decision(node.test, ctx)
        if term is None:
            return
        yield Hit(
            node,
            f"This assert decides a security question ({term}); python -O strips it, and "
            "then the check never runs.",
        )


_TEST_FRAMEWORKS = ("pytest", "unittest", "testtools", "oslotest", "nose", "hypothesis")


def _in_test_code(node: ast.AST, ctx: ModuleContext) -> bool:
    """Tests assert by design. Test modules are usually not reviewed at all (the pipeline
    skips them without --include-tests); with it, a module using a test framework, a
    test function or a TestCase method is still test code. So is the `if __name__ ==
    "__main__":` block of a package module: its self-test, which the application importing
    the module never runs."""
    if any(ctx.symbols.imports(name) for name in _TEST_FRAMEWORKS):
        return True
    if is_package_module(ctx) and in_main_block(node, ctx):
        return True  # the module's self-test, run by hand (`python -m pkg.crypto`)
    function = enclosing_function(node, ctx)
    if function is not None and function.name.startswith(("test", "_test", "setUp")):
        return True
    cls = enclosing_class(node, ctx)
    return cls is not None and (cls.name.startswith("Test") or cls.name.endswith("Test"))


def _decision(test: ast.expr, ctx: ModuleContext) -> str | None:
    """The security term the test decides on, or None for an invariant or type check."""
    if isinstance(test, ast.BoolOp):
        for value in test.values:
            found = _decision(value, ctx)
            if found:
                return found
        return None
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _decision(test.operand, ctx)
    if isinstance(test, ast.Compare):
        if _is_none_check(test):
            return None
        for operand in (test.left, *test.comparators):
            found = _value_term(operand, ctx)
            if found:
                return found
        return None
    if isinstance(test, ast.Call):
        return _call_term(test, ctx)
    if isinstance(test, (ast.Name, ast.Attribute)):
        name = test.id if isinstance(test, ast.Name) else test.attr
        return name if is_security_predicate(name) else None
    return None


def _value_term(node: ast.expr, ctx: ModuleContext) -> str | None:
    """Inside a comparison: a credential or authorisation fact compared with something."""
    if isinstance(node, ast.Call):
        return _call_term(node, ctx)
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = node.id if isinstance(node, ast.Name) else node.attr
        if is_security_value(name) or is_security_predicate(name):
            return name
        if isinstance(node, ast.Attribute):
            return _value_term(node.value, ctx) if _is_security_owner(node) else None
    if isinstance(node, ast.Subscript):  # session["csrf_token"]
        key = node.slice
        if (
            isinstance(key, ast.Constant)
            and isinstance(key.value, str)
            and (is_security_value(key.value) or is_security_predicate(key.value))
        ):
            return key.value
    return None


def _is_security_owner(node: ast.Attribute) -> bool:
    """`token.value`, `signature.hex()`: an attribute of a credential is still it."""
    return node.attr in ("value", "data", "hex", "digest")


def _call_term(call: ast.Call, ctx: ModuleContext) -> str | None:
    qualified = ctx.resolve(call.func)
    if qualified in _SHAPE_CHECKS:
        return None
    if qualified in _DIGEST_COMPARES:
        return qualified
    name = call_name(call)
    if name and (is_security_check(name) or is_security_predicate(name)):
        return f"{name}()"
    return None


def _is_none_check(test: ast.Compare) -> bool:
    """`x is None` / `x is not None`: presence, not permission."""
    return all(isinstance(op, (ast.Is, ast.IsNot)) for op in test.ops) and any(
        isinstance(v, ast.Constant) and v.value is None for v in (test.left, *test.comparators)
    )
