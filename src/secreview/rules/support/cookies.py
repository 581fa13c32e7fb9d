"""Cookies set by web frameworks: which are sensitive, and how each attribute is set.

The three cookie rules (Secure, HttpOnly, SameSite) share this reading of `set_cookie`
calls (Werkzeug/Flask, Django, WebOb/Pyramid, aiohttp, Tornado, Bottle, Falcon,
Starlette) and of the session-cookie settings (Django, Flask, Flask-Login,
Flask-JWT-Extended).

Only *sensitive* cookies are reported. What makes one is where its value comes from: a
secret made for it (`secrets.token_urlsafe()`, `os.urandom()`), a signer or a JWT
(`serializer.dumps(...)`, `jwt.encode(...)`, `signing.dumps(...)`), the session's own key
(`request.session.session_key`), followed through the function's variables and the
module's functions here (`credential_maker`), and across modules by the taint engine
(`taint/specs/credentials.py`, whose sinks read the call with `attribute_off`); and signed
cookies (`set_signed_cookie`, Tornado's
`set_secure_cookie`), which exist to be trusted. A cookie whose name (`sessionid`,
`remember_token`) or value's name (`user.api_token`) only says so is a hint, reported at
low confidence (medium when the call turns the attribute off in so many words). A theme,
language or consent cookie gains nothing from these attributes, and a cookie being deleted
(`max_age=0`) carries nothing.

The session middlewares and stores that set their own cookie (Starlette's
`SessionMiddleware(https_only=False, same_site="none")`, aiohttp_session's storages with
`secure=False`/`httponly=False`) are reported like the frameworks' settings.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from secreview.model import Confidence
from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword, walk
from secreview.python.taint.specs.credentials import TOKEN_MAKERS
from secreview.rules.support.bindings import assigned_values, producers
from secreview.rules.support.names import SECURITY_NOUNS, words
from secreview.rules.support.pattern import Hit, Rule
from secreview.rules.support.webconfig import (
    Setting,
    fallback,
    flask_app,
    imports_any,
    is_base_settings_file,
    is_development_code,
    settings,
)

Attribute = Literal["secure", "httponly", "samesite"]
State = Literal["on", "off", "unknown"]
# How a weakening setting is written: a literal, an env lookup's default, or a shared base file.
Weakened = Literal["constant", "fallback", "base"]

_METHODS = frozenset({"set_cookie", "set_signed_cookie", "set_secure_cookie"})
COOKIE_METHODS = _METHODS  # the only calls `cookie_call` reads
_SIGNED = frozenset({"set_signed_cookie", "set_secure_cookie"})
# words of a cookie's name (or of the expression naming it) that make it sensitive
_NAME_WORDS = SECURITY_NOUNS | frozenset(
    {
        "session",
        "sessionid",
        "sid",
        "sso",
        "saml",
        "oauth",
        "oidc",
        "remember",
        "login",
        "logged",
        "identity",
        "refresh",
        "access",
        "user",
        "userid",
        "uid",
        "apikey",
    }
)
# words of the value's expression that make it a credential
_VALUE_WORDS = frozenset(
    {
        "token",
        "session",
        "sessionid",
        "sid",
        "jwt",
        "secret",
        "signature",
        "signed",
        "credential",
        "credentials",
        "auth",
        "csrf",
        "xsrf",
        "password",
        "passwd",
        "apikey",
    }
)
_CSRF_WORDS = frozenset({"csrf", "xsrf", "csrftoken"})
# calls whose result is a credential: a secret made to be one, a signed value, a JWT
_CREDENTIAL_CALLS = frozenset(
    {
        *TOKEN_MAKERS,
        "django.middleware.csrf.get_token",
        "flask_wtf.csrf.generate_csrf",
        "django.contrib.auth.tokens.default_token_generator.make_token",
    }
)
# methods of signers (an object these packages made) that give a signed value
_SIGNER_PACKAGES = ("itsdangerous.", "django.core.signing.")
_SIGNER_METHODS = frozenset({"dumps", "sign", "sign_object"})
# attributes that hold the session's own key (`request.session.session_key`, Flask-Session's
# `session.sid`) and a Tornado handler's signing method
_CREDENTIAL_ATTRS = frozenset({"session_key", "sid"})
_CREDENTIAL_METHODS = frozenset({"create_signed_value"})
_FOLLOW = 3  # assignments followed back from the cookie's value
_COOKIE_JARS = ("http.cookiejar", "cookielib", "requests.cookies", "aiohttp.CookieJar")

# Positions of secure/httponly/samesite in `set_cookie(key, value, ...)` by framework.
_POSITIONS: dict[str, dict[str, int]] = {
    "werkzeug": {"secure": 6, "httponly": 7, "samesite": 8},  # Flask, Werkzeug, Django
    "webob": {"secure": 5, "httponly": 6, "samesite": 9},  # WebOb, Pyramid
}


@dataclass(frozen=True, slots=True)
class CookieCall:
    call: ast.Call
    name: ast.expr  # the cookie's name as written
    label: str  # how messages name the cookie
    why_sensitive: str  # "its name", "its value", "it is signed"
    framework: str  # falcon, starlette, werkzeug, webob, other
    # None (the rule's own) when the value is a credential or the cookie is signed; "low"
    # when only a name says so
    confidence: Confidence | None


def cookie_call(call: ast.Call, ctx: ModuleContext) -> CookieCall | None:
    """A sensitive cookie set by `call`, or None (not set_cookie, not sensitive, deleted)."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _METHODS:
        return None
    if _is_cookie_jar(func.value, ctx) or is_development_code(call, ctx):
        return None
    name = argument(call, 0, "key") or keyword(call, "name")
    value = argument(call, 1, "value")
    if name is None or _is_deletion(call, ctx):
        return None
    label = _label(name, ctx)
    maker = credential_maker(value, ctx, 0) if value is not None else None
    confidence: Confidence | None = None
    if func.attr in _SIGNED:
        why = "it is signed to be trusted"
    elif maker is not None:
        why = f"its value comes from `{maker}`"
    elif _sensitive_words(name, ctx) & _NAME_WORDS:
        why, confidence = "its name says so", "low"
    elif value is not None and _sensitive_words(value, ctx) & _VALUE_WORDS:
        why, confidence = "its value's name says so", "low"
    else:
        return None
    return CookieCall(call, name, label, why, _framework(ctx), confidence)


def credential_maker(value: ast.expr, ctx: ModuleContext, depth: int) -> str | None:
    """The call (or attribute) a cookie's value comes from that makes it a credential:
    `secrets.token_urlsafe`, a signer's `dumps`, `jwt.encode`, `session_key`; followed
    through the variables of the function, a few assignments deep."""
    for node in ast.walk(value):
        if isinstance(node, ast.Call):
            made = _credential_call(node, ctx)
            if made is None and depth < _FOLLOW:
                made = _returned_credential(node, ctx, depth + 1)
            if made is not None:
                return made
        elif isinstance(node, ast.Attribute) and node.attr in _CREDENTIAL_ATTRS:
            return ast.unparse(node)
        elif isinstance(node, ast.Name) and depth < _FOLLOW:
            for bound in assigned_values(node.id, node, ctx):
                if bound is not node and (made := credential_maker(bound, ctx, depth + 1)):
                    return made
    return None


def _returned_credential(call: ast.Call, ctx: ModuleContext, depth: int) -> str | None:
    """`issue_token(user)` of a function this module defines: what its returns make."""
    if not isinstance(call.func, ast.Name):
        return None
    for statement in ctx.tree.body:
        if (
            isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef))
            and statement.name == call.func.id
        ):
            for node in walk(statement):
                if isinstance(node, ast.Return) and node.value is not None:
                    made = credential_maker(node.value, ctx, depth)
                    if made is not None:
                        return made
    return None


def _credential_call(call: ast.Call, ctx: ModuleContext) -> str | None:
    name = ctx.resolve(call.func)
    if name in _CREDENTIAL_CALLS:
        return name
    func = call.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in _CREDENTIAL_METHODS:
        return ast.unparse(func)
    if func.attr in _SIGNER_METHODS and (
        (name or "").startswith(_SIGNER_PACKAGES)
        or any(p.startswith(_SIGNER_PACKAGES) for p in producers(func.value, ctx))
    ):
        return f"{ast.unparse(func.value)}.{func.attr}"
    return None


def attribute_off(call: ast.Call, attribute: Attribute, ctx: ModuleContext) -> bool:
    """`set_cookie(...)` sets a cookie without `attribute`, whatever the cookie holds (the
    engine decides that by the value's flow: `taint/specs/credentials.py`); not a cookie jar's
    call, a deletion, development code, nor (for HttpOnly) a CSRF cookie."""
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr not in _METHODS:
        return False
    name = argument(call, 0, "key") or keyword(call, "name")
    if name is None or _is_cookie_jar(func.value, ctx) or is_development_code(call, ctx):
        return False
    if _is_deletion(call, ctx):
        return False
    cookie = CookieCall(call, name, _label(name, ctx), "", _framework(ctx), None)
    if attribute == "httponly" and is_csrf_cookie(cookie, ctx):
        return False
    return state(cookie, attribute, ctx) == "off"


def is_csrf_cookie(cookie: CookieCall, ctx: ModuleContext) -> bool:
    return bool(_sensitive_words(cookie.name, ctx) & _CSRF_WORDS)


def state(cookie: CookieCall, attribute: Attribute, ctx: ModuleContext) -> State:
    """How the call sets `attribute`, the framework's default included."""
    call = cookie.call
    names = {"httponly": ("httponly", "http_only"), "samesite": ("samesite", "same_site")}
    node = None
    for name in names.get(attribute, (attribute,)):
        node = keyword(call, name) or node
    positions = _POSITIONS.get(cookie.framework)
    if node is None and positions is not None:
        node = argument(call, positions[attribute])
    elif node is None and len(call.args) > 2:
        return "unknown"  # positional attributes of an API we cannot place
    if node is None:
        if has_kwargs_splat(call) or any(isinstance(a, ast.Starred) for a in call.args):
            return "unknown"  # it may come in *args/**kwargs
        return "on" if _default_on(cookie.framework, attribute) else "off"
    value = ctx.constant_value(node)
    if value is NotImplemented:
        return "unknown"
    if attribute == "samesite":
        if isinstance(value, str) and value.lower() in ("lax", "strict"):
            return "on"
        return "off" if value in (None, False) or str(value).lower() == "none" else "unknown"
    return "on" if value else "off"


def _default_on(framework: str, attribute: Attribute) -> bool:
    if framework == "falcon":
        return attribute in ("secure", "httponly")  # Falcon's defaults: Secure, HttpOnly
    if framework == "starlette":
        return attribute == "samesite"  # Starlette/FastAPI default to SameSite=Lax
    return False


def _framework(ctx: ModuleContext) -> str:
    if imports_any(ctx, "falcon"):
        return "falcon"
    if imports_any(ctx, "starlette", "fastapi"):
        return "starlette"
    if imports_any(ctx, "webob", "pyramid"):
        return "webob"
    if imports_any(ctx, "flask", "werkzeug", "quart", "django"):
        return "werkzeug"
    return "other"


def _is_deletion(call: ast.Call, ctx: ModuleContext) -> bool:
    """`set_cookie(name, "", max_age=0)` / `expires=0`: the cookie is being removed."""
    for name in ("max_age", "expires", "expires_days"):
        found = ctx.constant_value(keyword(call, name))
        if found == 0 or (isinstance(found, str) and "1970" in found):
            return True
    return False


def _is_cookie_jar(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """`session.cookies.set_cookie(c)`, `jar.set_cookie(c)`: client-side cookie jars."""
    if isinstance(receiver, ast.Attribute) and receiver.attr == "cookies":
        return True
    text = receiver.id if isinstance(receiver, ast.Name) else getattr(receiver, "attr", "")
    if "jar" in words(text):
        return True
    return any(p.startswith(_COOKIE_JARS) for p in producers(receiver, ctx))


def _sensitive_words(node: ast.expr, ctx: ModuleContext) -> set[str]:
    """Words of a constant string, or of the identifiers an expression is made of."""
    text = ctx.constant_value(node)
    if isinstance(text, str):
        return _cookie_words(text)
    found: set[str] = set()
    for part in ast.walk(node):
        if isinstance(part, ast.Name):
            found |= _cookie_words(part.id)
        elif isinstance(part, ast.Attribute):
            found |= _cookie_words(part.attr)
        elif isinstance(part, ast.Constant) and isinstance(part.value, str):
            found |= _cookie_words(part.value)
    return found


def _cookie_words(text: str) -> set[str]:
    """`PHPSESSID` and `connect.sid` are session cookies too."""
    found = set(words(text))
    for word in list(found):
        if "sess" in word or word.endswith("sid"):
            found.add("session")
    return found


def _label(name: ast.expr, ctx: ModuleContext) -> str:
    text = ctx.constant_value(name)
    if isinstance(text, str):
        return f"'{text}'"
    written = ast.unparse(name)
    return written if len(written) <= 40 else "this cookie"


# --- session middlewares and stores -----------------------------------------------------------
_STORAGE_MODULES = ("", "cookie_storage.", "redis_storage.", "memcached_storage.", "nacl_storage.")
# the keyword each one takes for an attribute of its own cookie
_MIDDLEWARES: dict[str, dict[str, str]] = {
    "starlette.middleware.sessions.SessionMiddleware": {
        "secure": "https_only",
        "samesite": "same_site",
    },
    **{
        f"aiohttp_session.{module}{cls}": {
            "secure": "secure",
            "httponly": "httponly",
            "samesite": "samesite",
        }
        for module in _STORAGE_MODULES
        for cls in (
            "EncryptedCookieStorage",
            "SimpleCookieStorage",
            "RedisStorage",
            "MemcachedStorage",
            "NaClCookieStorage",
        )
    },
}
MIDDLEWARE_CALLS = frozenset({*_MIDDLEWARES, "starlette.middleware.Middleware"})


def session_middleware(
    call: ast.Call, name: str, attribute: Attribute, ctx: ModuleContext
) -> tuple[str, ast.keyword] | None:
    """`SessionMiddleware(app, https_only=...)`, `app.add_middleware(SessionMiddleware, ...)`,
    `Middleware(SessionMiddleware, ...)`, `EncryptedCookieStorage(key, secure=...)`: the
    middleware's short name and the keyword that sets `attribute` of its cookie."""
    owner = name
    if name == "starlette.middleware.Middleware" or not name:
        first = argument(call, 0, "cls")
        owner = (ctx.resolve(first) or "") if first is not None else ""
    spelled = _MIDDLEWARES.get(owner, {}).get(attribute)
    if spelled is None:
        return None
    for given in call.keywords:
        if given.arg == spelled:
            return owner.rsplit(".", 1)[-1], given
    return None


# --- settings ------------------------------------------------------------------------------
def weakened_settings(
    keys: frozenset[str], weak: tuple[object, ...], ctx: ModuleContext
) -> Iterable[tuple[Setting, Weakened]]:
    """Writes of cookie settings (`SESSION_COOKIE_SECURE = False`) to a weak value.

    These names belong to Django, Flask and its extensions only, so a module-level or
    config-class write counts anywhere; `app.config[...]` writes need a Flask app.
    """
    for setting in settings(ctx):
        if setting.key not in keys or setting.development:
            continue
        if setting.style == "app-config" and flask_app(setting.receiver, ctx) is None:
            continue
        if setting.style == "app-attribute":
            continue
        value = ctx.constant_value(setting.value)
        constant = value is not NotImplemented
        if not constant:
            value = fallback(setting.value, ctx)
        if any(value is w or (isinstance(w, str) and value == w) for w in weak) and not (
            _strengthened_later(setting, weak, ctx)
        ):
            if is_base_settings_file(ctx):
                yield setting, "base"
            else:
                yield setting, ("constant" if constant else "fallback")


def _strengthened_later(setting: Setting, weak: tuple[object, ...], ctx: ModuleContext) -> bool:
    """`SESSION_COOKIE_SECURE = False` then `if not DEBUG: SESSION_COOKIE_SECURE = True`."""
    for other in settings(ctx):
        if other.key != setting.key or other is setting or other.development:
            continue
        if getattr(other.node, "lineno", 0) <= getattr(setting.node, "lineno", 0):
            continue
        value = ctx.constant_value(other.value)
        if value is NotImplemented or not any(
            value is w or (isinstance(w, str) and value == w) for w in weak
        ):
            return True
    return False


def hit_for_setting(setting: Setting, kind: Weakened, consequence: str) -> Hit:
    """`kind`: "constant", "fallback" (an env lookup's default) or "base" (a shared settings
    file that deployment-specific settings usually override)."""
    when = " when the environment variable is unset" if kind == "fallback" else ""
    if kind == "base":
        when = " unless deployment settings override it"
    return Hit(
        setting.node,
        f"{setting.key} weakens the session cookie{when}: {consequence}",
        confidence={"constant": None, "fallback": "medium"}.get(kind, "low"),
    )


class CookieAttributeRule(Rule):
    """One cookie attribute (Secure, HttpOnly, SameSite) left off a sensitive cookie, or
    turned off by a framework setting: the three cookie rules differ only in the data."""

    nodes = (ast.Call, ast.Module)
    methods = COOKIE_METHODS | {"add_middleware"}
    calls = MIDDLEWARE_CALLS
    attribute: ClassVar[Attribute]
    settings: ClassVar[frozenset[str]]  # the framework settings that control it
    weak_values: ClassVar[tuple[object, ...]] = (False,)  # setting values that turn it off
    setting_risk: ClassVar[str]  # what a weakened setting lets happen
    cookie_risk: ClassVar[str]  # what a cookie set without it lets happen
    shown: ClassVar[str]  # the attribute as Set-Cookie spells it

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        yield from self._middleware(call, name, ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Module):
            for setting, kind in weakened_settings(self.settings, self.weak_values, ctx):
                yield hit_for_setting(setting, kind, self.setting_risk)
            return
        assert isinstance(node, ast.Call)
        if isinstance(node.func, ast.Attribute) and node.func.attr == "add_middleware":
            yield from self._middleware(node, "", ctx)
            return
        cookie = cookie_call(node, ctx)
        if cookie is None or self.exempt(cookie, ctx):
            return
        if state(cookie, self.attribute, ctx) != "off":
            return
        confidence = cookie.confidence
        if confidence == "low" and self._turned_off(node, ctx):
            confidence = "medium"  # `secure=False` in so many words on a session-named cookie
        yield Hit(
            node,
            f"Cookie {cookie.label} is sensitive ({cookie.why_sensitive}) but set "
            f"{self.how(node)}: {self.cookie_risk}",
            confidence=confidence,
        )

    def _turned_off(self, call: ast.Call, ctx: ModuleContext) -> bool:
        spellings = {"httponly": ("httponly", "http_only"), "samesite": ("samesite", "same_site")}
        return any(
            keyword(call, name) is not None
            for name in spellings.get(self.attribute, (self.attribute,))
        )

    def _middleware(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """A session middleware or store given a weak value for its own cookie."""
        found = session_middleware(call, name, self.attribute, ctx)
        if found is None:
            return
        owner, given = found
        value = ctx.constant_value(given.value)
        weak = value is False or (
            self.attribute == "samesite"
            and (value is None or (isinstance(value, str) and value.lower() == "none"))
        )
        if value is NotImplemented or not weak:
            return
        yield Hit(
            call,
            f"{owner}({given.arg}={ast.unparse(given.value)}) weakens the session cookie: "
            f"{self.setting_risk}",
        )

    def exempt(self, cookie: CookieCall, ctx: ModuleContext) -> bool:
        return False

    def how(self, call: ast.Call) -> str:
        return f"without {self.shown}"
