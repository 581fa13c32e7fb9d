"""identity-in-unsigned-cookie: who the user is, or what they may do, in a cookie the
client can rewrite.

Reported: `set_cookie(name, value)` (not Django's `set_signed_cookie`) whose name says it
holds an identity or a privilege (`user_id`, `customer_id`, `role`, `is_admin`,
`logged_in`), unless the value is signed or encrypted (`signer.dumps(...)`, a `Fernet`
token, a JWT) or a random token; and a cookie of any name whose value is a plain
serialisation (`json.dumps`, `pickle.dumps`, `base64`) of data with such a key
(`{"id": ..., "role": ...}`). A user name kept to fill in the login form is not identity.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

# a cookie name (its words) that holds an identity or a privilege
_IDENTITY = (
    {"user", "id"}, {"uid"}, {"userid"}, {"account", "id"}, {"customer", "id"},
    {"member", "id"}, {"role"}, {"roles"}, {"admin"}, {"isadmin"}, {"staff"},
    {"logged", "in"}, {"loggedin"}, {"authenticated"}, {"permissions"}, {"privilege"},
    {"access", "level"}, {"superuser"},
)  # fmt: skip
_NOT_IDENTITY = frozenset({"token", "session", "sid", "csrf", "csrftoken", "xsrf", "hint"})
# plain serialisations: the client reads and rewrites them
_PLAIN = frozenset(
    {
        "json.dumps", "pickle.dumps", "marshal.dumps", "base64.b64encode",
        "base64.urlsafe_b64encode", "base64.b64decode", "str", "builtins.str",
    }
)  # fmt: skip
_IDENTITY_KEYS = frozenset({"id", "user", "user_id", "uid", "role", "roles", "admin", "is_admin"})


@register
class IdentityInUnsignedCookie(Rule):
    meta = RuleMeta(
        id="identity-in-unsigned-cookie",
        cwe=565,
        severity="high",
        confidence="medium",
        title="User identity or role kept in a cookie the client can change",
        why=(
            "A cookie is the client's to edit: an identity or a role stored in it as plain "
            "text, JSON, base64 or a pickle lets anyone become another user, or an "
            "administrator, by changing the value (and a pickle runs their code when read)."
        ),
        example="response.set_cookie('user_id', str(user.id))",
        fix=(
            "Keep the identity in the framework's server-side or signed session, or sign the "
            "cookie and check the signature when it is read."
        ),
        fix_by_api=(
            FixText(
                ("django",),
                "Keep the identity in `request.session` (set by `login()`), or use "
                "`set_signed_cookie` and `get_signed_cookie`, which checks the signature.",
            ),
            FixText(
                ("flask", "quart", "werkzeug"),
                "Keep the identity in Flask's signed `session` (or Flask-Login), or sign the "
                "cookie with itsdangerous and check it when it is read.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/565.html",
            "https://cwe.mitre.org/data/definitions/602.html",
        ),
    )
    nodes = (ast.Call,)
    methods = frozenset({"set_cookie"})
    triggers = frozenset({"set_cookie"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Call)
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == "set_cookie"):
            return
        name = ctx.constant_value(argument(node, 0, "key"))
        value = argument(node, 1, "value")
        if not isinstance(name, str) or value is None:
            return
        parts = set(words(name))
        plain = _plain_serialisation(value, ctx)
        if parts & _NOT_IDENTITY:
            return
        if any(needed <= parts for needed in _IDENTITY) and _unsigned(value, ctx):
            yield Hit(
                node,
                f"The cookie `{name}` holds the user's identity or role as the client sees "
                "it: anyone can set it to another user's value.",
            )
        elif plain and _names_identity(value, ctx):
            yield Hit(
                node,
                f"The cookie `{name}` holds the user's identity in plain {plain}: the client "
                "can decode it, change it and send it back.",
            )


def _calls(value: ast.AST, ctx: ModuleContext) -> list[str]:
    return [ctx.resolve(s.func) or "" for s in ast.walk(value) if isinstance(s, ast.Call)]


def _unsigned(value: ast.expr, ctx: ModuleContext) -> bool:
    """The value is the data itself, not a signature or ciphertext of it: a name, an
    attribute, `str(...)`, or a plain serialisation."""
    return all(name in _PLAIN for name in _calls(value, ctx))


def _plain_serialisation(value: ast.expr, ctx: ModuleContext, depth: int = 0) -> str:
    """`json.dumps`, `pickle.dumps` or `base64` in the value (through a local), or ""."""
    for name in _calls(value, ctx):
        if name in _PLAIN and name not in ("str", "builtins.str"):
            return name.split(".", 1)[0]
    if depth < 2:
        for sub in ast.walk(value):
            if isinstance(sub, ast.Name):
                for assigned in _assigned(sub, ctx):
                    found = _plain_serialisation(assigned, ctx, depth + 1)
                    if found:
                        return found
    return ""


def _names_identity(value: ast.expr, ctx: ModuleContext, depth: int = 0) -> bool:
    """A dict with an identity key (`{"id": ..., "role": ...}`), in the value or a local."""
    for sub in ast.walk(value):
        if isinstance(sub, ast.Dict):
            keys = {k.value for k in sub.keys if isinstance(k, ast.Constant)}
            if keys & _IDENTITY_KEYS:
                return True
        if (
            isinstance(sub, ast.Name)
            and depth < 2
            and any(_names_identity(v, ctx, depth + 1) for v in _assigned(sub, ctx))
        ):
            return True
    return False


def _assigned(name: ast.Name, ctx: ModuleContext) -> list[ast.expr]:
    return assigned_values(name.id, name, ctx)
