"""stored-secret-in-response: a secret the server keeps sent back in a response.

Reported: a handler's response (`jsonify(...)`, `JsonResponse({...})`, a dict a Flask view
returns) that carries, whole, a secret read from where the server keeps it: the
configuration (`settings.SECRET_KEY`, `app.config["SECRET_KEY"]`, a `*_SECRET`,
`*_PASSWORD`, `*_SIGNING_KEY` setting) or a stored record's secret attribute (`key.secret`,
`hook.client_secret`, `user.otp_secret`, `user.password_hash`, `user.api_key`). A view that
just created or replaced the secret (its name says it creates, rotates or sets up; it calls
a generator such as `secrets.token_urlsafe`, `pyotp.random_base32`, `Model.objects.create`,
or a model's constructor) shows it once, on purpose, and is not reported; neither is a
prefix (`key.secret[:4]`), a yes/no (`bool(...)`, `is not None`) or a public key.
Passwords under a password key are `password-in-response`'s.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secreview.python.context import ModuleContext, last_name
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import enclosing_function
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.responses import builds_response, in_handler, keyed_values

# a function named so, or calling such, has just made the secret it returns
_CREATES = frozenset(
    {
        "create", "generate", "new", "issue", "rotate", "regenerate", "reset", "register",
        "signup", "enroll", "setup", "enable", "activate", "provision", "add", "obtain",
        "refresh", "login", "random", "urandom", "uuid4", "token", "base32", "make", "mint",
    }
)  # fmt: skip
_NOT_SECRET = frozenset({"public", "pub", "has", "is", "len", "length", "id", "name", "url"})
_PASSWORD = frozenset({"password", "passwd", "pwd"})
_LINKS = frozenset({"reverse", "url", "redirect", "link", "uri", "href"})
_TEMPLATES = frozenset({"render", "render_template", "render_to_response", "TemplateResponse"})
_SETTINGS = ("django.conf.settings",)


@register
class StoredSecretInResponse(Rule):
    meta = RuleMeta(
        id="stored-secret-in-response",
        cwe=200,
        severity="high",
        confidence="medium",
        title="Stored secret sent back in a response",
        why=(
            "A secret the server keeps (its signing key, an API key's secret, a user's "
            "authenticator seed) that a response carries is read by the browser, its "
            "extensions, caches and proxies, and by any script injected into the page: whoever "
            "reads it can sign sessions, call the API or make one-time codes."
        ),
        example="return jsonify(id=key.id, name=key.name, secret=key.secret)",
        fix=(
            "Leave stored secrets out of responses: show an API key's secret once, when it is "
            "created, keep only its hash, and identify it later by a prefix or a name."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/200.html",
            "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/",
        ),
    )
    nodes = (ast.Return,)
    triggers = frozenset({"secret", "SECRET", "_key", "_KEY", "password_hash", "PASSWORD"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Return)
        value = node.value
        if value is None or not (builds_response(value) or in_handler(node, ctx)):
            return
        if _builds_template(value):
            return
        function = enclosing_function(node, ctx)
        if function is None or _creates(function):
            return
        for key, item in _pairs(value):
            if set(words(key)) & _PASSWORD:
                continue  # password-in-response reports it
            found = _stored_secret(item, ctx)
            if found:
                yield Hit(
                    node,
                    f"The response carries {found} as `{key}`, and `{function.name}` did not "
                    "just create it: a stored secret is disclosed to whoever reads the response.",
                )
                return


def _pairs(value: ast.expr) -> Iterator[tuple[str, ast.expr]]:
    """The keys and values of the dicts and keyword arguments the response is built of; not
    those of a URL it redirects to (`eventreverse(..., kwargs={"secret": ...})`), whose
    secret is the link's own access key."""
    return keyed_values(_walk_body(value))


def _walk_body(node: ast.AST) -> Iterator[ast.AST]:
    yield node
    if isinstance(node, ast.Call) and set(words(last_name(node.func))) & _LINKS:
        return
    for child in ast.iter_child_nodes(node):
        yield from _walk_body(child)


def _builds_template(value: ast.expr) -> bool:
    return any(
        isinstance(sub, ast.Call) and last_name(sub.func) in _TEMPLATES for sub in ast.walk(value)
    )


def _creates(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """The function's name says it makes a secret, or it calls a generator or constructor."""
    if set(words(function.name)) & _CREATES:
        return True
    for sub in ast.walk(function):
        if not isinstance(sub, ast.Call):
            continue
        name = last_name(sub.func)
        if set(words(name)) & _CREATES:
            return True
        if name[:1].isupper() and not name.isupper() and not _responds(name):
            return True  # a model built here
    return False


def _responds(name: str) -> bool:
    return (
        "Response" in name
        or name.endswith(("Error", "Exception", "Denied", "Found", "Forbidden"))
        or name in ("Http404", "Q", "F", "Decimal", "Markup")
    )


def _stored_secret(item: ast.expr, ctx: ModuleContext) -> str:
    """How `item` names a stored secret, or "": the whole of a setting or attribute."""
    if isinstance(item, ast.Call) and last_name(item.func) == "str" and len(item.args) == 1:
        item = item.args[0]
    if isinstance(item, ast.Attribute):
        resolved = ctx.resolve(item) or ""
        if resolved.startswith(tuple(s + "." for s in _SETTINGS)) or last_name(item.value) in (
            "settings",
            "config",
            "CONF",
        ):
            return f"the setting `{ast.unparse(item)}`" if _secret_setting(item.attr) else ""
        if _secret_attribute(item.attr):
            return f"the stored `{ast.unparse(item)}`"
        return ""
    config_key = _config_key(item)
    if config_key and _secret_setting(config_key):
        return f"the setting `{ast.unparse(item)[:60]}`"
    return ""


def _config_key(item: ast.expr) -> str:
    """`X.config["KEY"]` or `X.config.get("KEY")`: "KEY"."""
    if isinstance(item, ast.Subscript) and last_name(item.value) == "config":
        key = item.slice
    elif (
        isinstance(item, ast.Call)
        and isinstance(item.func, ast.Attribute)
        and item.func.attr == "get"
        and last_name(item.func.value) == "config"
        and item.args
    ):
        key = item.args[0]
    else:
        return ""
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else ""


def _secret_setting(name: str) -> bool:
    """`SECRET_KEY`, `STRIPE_SECRET`, `SMTP_PASSWORD`, `JWT_SIGNING_KEY`; not a public key,
    nor an API key a settings module keeps for the browser (`MAPS_API_KEY`)."""
    if not name.isupper():
        return False
    parts = set(words(name))
    if parts & _NOT_SECRET:
        return False
    return bool(
        "secret" in parts
        or parts & _PASSWORD
        or ("key" in parts and parts & {"private", "signing", "encryption"})
    )


def _secret_attribute(name: str) -> bool:
    """`secret`, `client_secret`, `otp_secret`, `api_key`, `private_key`, `password_hash`."""
    parts = set(words(name))
    if parts & _NOT_SECRET:
        return False
    if "secret" in parts:
        return True
    if "key" in parts and parts & {"api", "private", "signing", "encryption"}:
        return True
    if name.lower() in ("apikey", "api_token", "otp_seed", "totp_seed"):
        return True
    return bool(parts & _PASSWORD and parts & {"hash", "hashed", "digest"})
