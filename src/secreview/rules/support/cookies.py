"""Cookies set by web frameworks: which are sensitive, and how each attribute is set.

The three cookie rules (Secure, HttpOnly, SameSite) share this reading of `set_cookie`
calls (Werkzeug/Flask, Django, WebOb/Pyramid, aiohttp, Tornado, Bottle, Falcon,
Starlette) and of the session-cookie settings (Django, Flask, Flask-Login,
Flask-JWT-Extended).

Only *sensitive* cookies are reported: those whose name or value says they carry a session,
a login or a token (`sessionid`, `remember_token`, `set_cookie("x", jwt.encode(...))`), and
signed cookies (`set_signed_cookie`, Tornado's `set_secure_cookie`), which exist to be
trusted. A theme, language or consent cookie gains nothing from these attributes, and a
cookie being deleted (`max_age=0`) carries nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules.support.bindings import producers
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
    confident: bool  # sensitive by its own constant name, or because it is signed


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
    if func.attr in _SIGNED:
        why, confident = "it is signed to be trusted", True
    elif _sensitive_words(name, ctx) & _NAME_WORDS:
        why, confident = "its name", isinstance(ctx.constant_value(name), str)
    elif value is not None and _sensitive_words(value, ctx) & _VALUE_WORDS:
        why, confident = "its value", False
    else:
        return None
    return CookieCall(call, name, label, why, _framework(ctx), confident)


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
    methods = COOKIE_METHODS
    attribute: ClassVar[Attribute]
    settings: ClassVar[frozenset[str]]  # the framework settings that control it
    weak_values: ClassVar[tuple[object, ...]] = (False,)  # setting values that turn it off
    setting_risk: ClassVar[str]  # what a weakened setting lets happen
    cookie_risk: ClassVar[str]  # what a cookie set without it lets happen
    shown: ClassVar[str]  # the attribute as Set-Cookie spells it
    unsure: ClassVar[str] = "medium"  # confidence when the cookie is only probably sensitive

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Module):
            for setting, kind in weakened_settings(self.settings, self.weak_values, ctx):
                yield hit_for_setting(setting, kind, self.setting_risk)
            return
        assert isinstance(node, ast.Call)
        cookie = cookie_call(node, ctx)
        if cookie is None or self.exempt(cookie, ctx):
            return
        if state(cookie, self.attribute, ctx) != "off":
            return
        yield Hit(
            node,
            f"Cookie {cookie.label} is sensitive ({cookie.why_sensitive}) but set "
            f"{self.how(node)}: {self.cookie_risk}",
            confidence=None if cookie.confident else self.unsure,  # type: ignore[arg-type]
        )

    def exempt(self, cookie: CookieCall, ctx: ModuleContext) -> bool:
        return False

    def how(self, call: ast.Call) -> str:
        return f"without {self.shown}"
