"""authorization-from-client-data: access granted on what the client says it is.

The decision is an `if` that lets the request through or ends it (one branch returns,
raises or aborts) on a value the client sends: a cookie, a header, a query or form field, a
JSON body, directly or through a local variable, whose name says it is a role or a privilege
(`role`, `is_admin`, `staff`, `access_level`), compared only with constants or taken as true
or false. A test that also asks the server (`request.user.is_staff`, `current_user.role`) is
the server's decision; a value compared with a server-side secret is authentication (a token
check), not this; keystonemiddleware's identity headers (`X-Roles`), which the middleware
sets after removing the client's, are not client data.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secreview.python.access import names as access_names
from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.request_data import CLIENT_KIND, client_reads, may_read_client

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
# words that name a role or a privilege
_PRIVILEGE = frozenset(
    {
        "admin", "administrator", "superuser", "root", "staff", "privilege", "privileges",
        "privileged", "role", "roles", "permission", "permissions", "perm", "perms", "level",
        "authorized", "authorised", "authenticated", "logged", "loggedin", "isadmin", "sudo",
        "moderator", "owner",
    }
)  # fmt: skip
# words that make the value a credential or a preference rather than a privilege
_NOT_PRIVILEGE = frozenset(
    {"token", "key", "secret", "signature", "password", "csrf", "tips", "theme", "hint"}
)
# identity headers an authentication middleware sets after dropping the client's own
_MIDDLEWARE_HEADERS = ("x-roles", "x_roles", "http_x_roles", "x-service-roles", "x-identity")
_CONVERSIONS = frozenset({"int", "str", "bool", "float", "lower", "upper", "strip", "get"})


@register
class AuthorizationFromClientData(Rule):
    meta = RuleMeta(
        id="authorization-from-client-data",
        cwe=807,
        severity="high",
        confidence="medium",
        title="Access decided by a role or privilege the client sends",
        why=(
            "Cookies, headers, query and form fields are written by the client: a check such "
            "as `request.cookies.get('role') == 'admin'` lets anyone who sets that value in "
            "their own request through."
        ),
        example=(
            "if request.cookies.get('role') == 'admin':\n    return render_template('admin.html')"
        ),
        fix=(
            "Decide on the server's record of the signed-in user (`current_user.is_admin`, "
            "`request.user.has_perm(...)`), or on a value the server signed (a session it "
            "issued); never on a role, privilege or user id the request carries."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Decide on `request.user` (`is_staff`, `has_perm(...)`, a "
                    "`@permission_required` decorator, DRF `permission_classes`), never on a "
                    "cookie, header or form field the client sends."
                ),
            ),
            FixText(
                ("flask", "quart", "flask_login"),
                (
                    "Decide on the signed-in user (`current_user.is_admin` with Flask-Login, or "
                    "the server-side session), never on a cookie, header or form field the "
                    "client sends."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/807.html",
            "https://cwe.mitre.org/data/definitions/565.html",
            "https://owasp.org/Top10/A01_2021-Broken_Access_Control/",
        ),
    )
    nodes = (ast.FunctionDef, ast.AsyncFunctionDef)
    triggers = frozenset({"request"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        if not may_read_client(node, ctx):
            return  # every decision starts at a read of the function's
        held: dict[str, tuple[str, str]] = {}  # local name -> (client part, key)
        for statement in _own_statements(node):
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target = statement.targets[0]
                read = next(client_reads(statement.value, held), None)
                if isinstance(target, ast.Name):
                    if read is not None:
                        held[target.id] = (read[0], read[1] or target.id)
                    else:
                        held.pop(target.id, None)
            elif isinstance(statement, ast.If) and _leaves(statement):
                hit = _decision(statement.test, held, ctx)
                if hit is not None:
                    yield hit


def _own_statements(fn: FunctionNode) -> Iterator[ast.stmt]:
    """The function's statements in source order, not those of nested functions."""
    pending = list(reversed(fn.body))
    while pending:
        statement = pending.pop()
        yield statement
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        children = [
            child
            for field in ("body", "orelse", "finalbody", "handlers")
            for child in getattr(statement, field, [])
        ]
        for handler in children:
            if isinstance(handler, ast.ExceptHandler):
                children.extend(handler.body)
        pending.extend(reversed([c for c in children if isinstance(c, ast.stmt)]))


def _leaves(statement: ast.If) -> bool:
    """One branch of the `if` ends the request: a return, a raise, an abort."""
    for branch in (statement.body, statement.orelse):
        for sub in branch:
            if isinstance(sub, (ast.Return, ast.Raise)):
                return True
            if isinstance(sub, ast.Expr) and isinstance(sub.value, ast.Call):
                func = sub.value.func
                if getattr(func, "id", getattr(func, "attr", "")) == "abort":
                    return True
    return False


def _decision(test: ast.expr, held: dict[str, tuple[str, str]], ctx: ModuleContext) -> Hit | None:
    if _asks_server(test, held):
        return None
    for part, key in client_reads(test, held):
        parts = set(words(key))
        if not parts & _PRIVILEGE or parts & _NOT_PRIVILEGE:
            continue
        if key.lower().startswith(_MIDDLEWARE_HEADERS):
            continue
        if not _only_constants(test, held, ctx):
            return None
        kind = CLIENT_KIND.get(part, "request parameter")
        return Hit(
            test,
            f"Access is decided by `{key}`, a {kind} the client sends "
            f"(`request.{part}`): anyone can set it in their own request.",
        )
    return None


def _asks_server(test: ast.expr, held: dict[str, tuple[str, str]]) -> bool:
    """The test also consults the server's idea of the user (`request.user.is_staff`)."""
    for sub in ast.walk(test):
        if isinstance(sub, ast.Attribute):
            if sub.attr == "user" and isinstance(sub.value, (ast.Name, ast.Attribute)):
                return True
            if access_names.IDENTITY.match(sub.attr):
                return True
        elif (
            isinstance(sub, ast.Name) and sub.id not in held and access_names.IDENTITY.match(sub.id)
        ):
            return True
    return False


def _only_constants(test: ast.expr, held: dict[str, tuple[str, str]], ctx: ModuleContext) -> bool:
    """The client value alone decides: it is taken as true or false, converted (`int(...)`,
    `.lower()`), or compared with constants; not passed to a check of the server's
    (`granted.issuperset(roles)`) nor compared with a server-side value."""
    return _alone(test, held, ctx)


def _alone(node: ast.expr, held: dict[str, tuple[str, str]], ctx: ModuleContext) -> bool:
    if next(client_reads(node, held), None) is None:
        return ctx.is_constant(node)
    if isinstance(node, ast.BoolOp):
        return any(_alone(v, held, ctx) for v in node.values if _client_in(v, held))
    if isinstance(node, ast.UnaryOp):
        return _alone(node.operand, held, ctx)
    if isinstance(node, ast.Compare):
        return all(_alone(o, held, ctx) for o in (node.left, *node.comparators))
    if isinstance(node, ast.Call):
        func = node.func
        name = getattr(func, "id", getattr(func, "attr", ""))
        if name not in _CONVERSIONS:
            return False
        if isinstance(func, ast.Attribute) and _client_in(func.value, held):
            return True  # `request.cookies.get("role")`, `role.lower()`
        return all(_alone(a, held, ctx) for a in node.args if _client_in(a, held))
    return isinstance(node, (ast.Name, ast.Attribute, ast.Subscript))


def _client_in(node: ast.expr, held: dict[str, tuple[str, str]]) -> bool:
    return next(client_reads(node, held), None) is not None
