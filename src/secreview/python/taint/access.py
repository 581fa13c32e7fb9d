"""Who may reach a request handler: the marks of an endpoint only administrators reach.

A flow from request data on such an endpoint drops one severity step (the attacker must
already be an administrator). What marks one, as evidence the finding can name:
- a check in the handler itself that leaves unless the user is an administrator
  (`if not request.user.is_superuser: raise PermissionDenied`);
- a decorator that says so: Django's `staff_member_required`, `user_passes_test(lambda u:
  u.is_superuser)`, DRF's `permission_classes([IsAdminUser])`, or a decorator of the tree
  whose body makes such a check (judged by its body, not its name: `@admin_required` that
  only checks a login does not count);
- the view's class: `permission_classes = [IsAdminUser]`, a `test_func` or
  `has_permission` that returns an administrator test, an admin mixin base.

Phase 1 records the evidence per function and class (`FunctionSummary.admin`,
`ModuleSummary.admin_classes`); phase 3 decides, knowing every decorator's body.
"""

from __future__ import annotations

import ast
import re

from secreview import lazyre
from secreview.python.context import ModuleContext, walk
from secreview.python.symbols import walk_statements

# text without which a module holds no administrator check
MENTIONS = lazyre.compile(r"admin|superuser|staff|ADMIN|Admin|Superuser|Staff")
# attributes and methods that test for an administrator
_ADMIN_NAME = lazyre.compile(
    r"^(is_|has_)?(super_?user|staff|admin|administrator|site_admin)$|^role_admin$", re.I
)
# decorators and permission classes that admit administrators only, by qualified name
ADMIN_DECORATORS = frozenset(
    {
        "django.contrib.admin.views.decorators.staff_member_required",
        "django.contrib.auth.decorators.staff_member_required",
        "braces.views.SuperuserRequiredMixin",
    }
)
_ADMIN_PERMISSIONS = lazyre.compile(r"(^|\.)(IsAdminUser|IsSuperUser|IsStaff|IsAdmin)$")
_ADMIN_MIXINS = lazyre.compile(r"(^|\.)(Superuser|Staffuser|Staff|Admin)(Required)?Mixin$")
# methods a class-based view asks whether the user may enter
_ACCESS_METHODS = frozenset(
    {"test_func", "has_permission", "is_accessible", "dispatch", "check_permissions"}
)
# marks recorded for phase 3: a decorator with admin arguments, or a check in the body
ADMIN_MARK = "<admin>"


def admin_test(node: ast.AST) -> bool:
    """An expression that tests for an administrator (`user.is_superuser`,
    `current_user.role_admin()`, `user.role == "admin"`)."""
    return any(map(_tests_admin, walk(node)))


def _tests_admin(sub: ast.AST) -> bool:
    """One node of `admin_test`'s: a name or attribute of an administrator test, or a
    comparison with the administrator role. By class, not isinstance: asked of every node
    of every argument of every `assert...(...)` call of a module's tests."""
    cls = sub.__class__
    if cls is ast.Attribute:
        name = sub.attr  # type: ignore[attr-defined]
    elif cls is ast.Name:
        name = sub.id  # type: ignore[attr-defined]
    else:
        return cls is ast.Compare and any(
            _is_admin_role(c)
            for c in (sub.left, *sub.comparators)  # type: ignore[attr-defined]
        )
    return _ADMIN_NAME.match(name) is not None or _ADMIN_PERMISSIONS.search(name) is not None


def _is_admin_role(node: ast.AST) -> bool:
    """A str literal naming the administrator role (`"admin"`, `"Superuser"`)."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.lower() in ("admin", "administrator", "superuser")
    )


def _leaves(body: list[ast.stmt]) -> bool:
    """The block ends the request: a `raise`, an `abort(...)`, or a `return` (of an error
    response or a redirect)."""
    for stmt in body:
        if isinstance(stmt, (ast.Raise, ast.Return)):
            return True
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("abort", "fail", "deny", "forbidden"):
                return True
    return False


def checks_admin(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The function (or a function nested in it: a decorator's wrapper) leaves unless the
    user is an administrator, by a check at the top of its body; or it answers an access
    question (`test_func`) with an admin test."""
    for node in walk_statements(function):  # statements only: nested defs are statements
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for index, stmt in enumerate(node.body):
            if _asserts_admin(stmt):
                return True
            if isinstance(stmt, ast.If) and (
                _admin_only(stmt)
                or (
                    # `if user.is_admin: return view(...)`, then `abort(403)` after it
                    not stmt.orelse
                    and _proves_admin(stmt.test, True)
                    and _leaves(stmt.body)
                    and _leaves(node.body[index + 1 :])
                )
            ):
                return True
        if node.name in _ACCESS_METHODS and any(
            isinstance(sub, ast.Return) and sub.value is not None and admin_test(sub.value)
            for sub in ast.walk(node)
        ):
            return True
    return False


_CHECK_CALL = lazyre.compile(r"^_?(require|check|ensure|assert|verify|enforce)", re.I)


def _asserts_admin(stmt: ast.stmt) -> bool:
    """A statement that only calls a check which raises unless the user is an administrator
    (its result unused): `check_auth_token(required_role=[ROLE.ADMIN])`, `require_admin()`."""
    if not isinstance(stmt, ast.Expr) or not isinstance(stmt.value, ast.Call):
        return False
    call = stmt.value
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if not _CHECK_CALL.match(name):
        return False
    arguments = (*call.args, *(k.value for k in call.keywords))
    # each argument an administrator test (`admin_test`) or naming the administrator role
    # (`["admin"]`, `"superuser"`), in one pass over its nodes
    return "admin" in name.lower() or any(
        _tests_admin(sub) or _is_admin_role(sub) for arg in arguments for sub in walk(arg)
    )


def _admin_only(stmt: ast.If) -> bool:
    """`if not user.is_superuser: raise ...` / `if user.is_admin: ... else: abort(403)`: the
    path that goes on is the administrator's."""
    return (_leaves(stmt.body) and _proves_admin(stmt.test, False)) or (
        bool(stmt.orelse) and _leaves(stmt.orelse) and _proves_admin(stmt.test, True)
    )


def _proves_admin(test: ast.expr, outcome: bool) -> bool:
    """Whether `test` evaluating to `outcome` means the user is an administrator
    (`not a or not user.is_admin` being false does)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return _proves_admin(test.operand, not outcome)
    if isinstance(test, ast.BoolOp):
        # all of `a and b` true, or all of `a or b` false: each part has that value
        if isinstance(test.op, ast.And) == outcome:
            return any(_proves_admin(value, outcome) for value in test.values)
        return False
    if isinstance(test, ast.Compare) and any(
        isinstance(op, (ast.NotEq, ast.IsNot, ast.NotIn)) for op in test.ops
    ):
        return not outcome and admin_test(test)
    return outcome and admin_test(test)


def decorator_marks(ctx: ModuleContext, function: ast.FunctionDef | ast.AsyncFunctionDef,
                    module_names: frozenset[str] = frozenset()) -> tuple[str, ...]:  # fmt: skip
    """The function's decorators by qualified name (a module-level object's too:
    `bp.route` of `bp = Blueprint(...)` is `<module>.bp.route`); `ADMIN_MARK` for one whose
    arguments admit administrators only (`user_passes_test(lambda u: u.is_superuser)`)."""
    out: list[str] = []
    for decorator in function.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = ctx.resolve(target)
        root = target
        while isinstance(root, ast.Attribute):
            root = root.value
        if name is None and isinstance(root, ast.Name) and root.id in module_names:
            name = f"{ctx.symbols.module}.{ast.unparse(target)}"
        if name is not None:
            out.append(name)
        if isinstance(decorator, ast.Call) and any(
            admin_test(arg) for arg in (*decorator.args, *(k.value for k in decorator.keywords))
        ):
            out.append(ADMIN_MARK)
    return tuple(out)


def admin_class(ctx: ModuleContext, cls: ast.ClassDef) -> bool:
    """A view class only administrators enter: admin permission classes, an access
    method that tests for one, or an admin mixin base."""
    for base in cls.bases:
        name = ctx.resolve(base) or ""
        if name in ADMIN_DECORATORS or _ADMIN_MIXINS.search(name):
            return True
    for item in cls.body:
        if isinstance(item, (ast.Assign, ast.AnnAssign)):
            targets = item.targets if isinstance(item, ast.Assign) else [item.target]
            if (
                any(isinstance(t, ast.Name) and t.id == "permission_classes" for t in targets)
                and item.value is not None
                and admin_test(item.value)
            ):
                return True
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and (
            item.name in _ACCESS_METHODS and checks_admin(item)
        ):
            return True
    return False
