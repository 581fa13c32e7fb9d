"""cookie-without-samesite: a session or token cookie sent on cross-site requests."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, keyword
from secreview.python.rules._cookies import (
    COOKIE_METHODS,
    cookie_call,
    hit_for_setting,
    state,
    weakened_settings,
)
from secreview.python.rules.base import Hit, Rule, register
from secreview.rules import RuleMeta

_SETTINGS = frozenset(
    {
        "SESSION_COOKIE_SAMESITE",  # Django (default Lax), Flask (default unset)
        "CSRF_COOKIE_SAMESITE",  # Django
        "REMEMBER_COOKIE_SAMESITE",  # Flask-Login
        "JWT_COOKIE_SAMESITE",  # Flask-JWT-Extended
    }
)


@register
class CookieWithoutSamesite(Rule):
    meta = RuleMeta(
        id="cookie-without-samesite",
        cwe=1275,
        severity="low",
        confidence="medium",
        title="Sensitive cookie without a SameSite restriction",
        why=(
            "A session cookie without SameSite=Lax/Strict (or with SameSite=None) goes along "
            "with requests other sites trigger, which is what cross-site request forgery "
            "needs; Chrome treats a missing SameSite as Lax, but Firefox and Safari send the "
            "cookie on cross-site POSTs."
        ),
        example='response.set_cookie("sessionid", sid, secure=True, httponly=True)',
        fix=(
            "Pass samesite='Lax' (or 'Strict' where cross-site links need not stay logged in), "
            "and keep SESSION_COOKIE_SAMESITE/CSRF_COOKIE_SAMESITE at 'Lax'; use 'None' only "
            "for cookies that must work in cross-site frames, with CSRF tokens."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1275.html",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value",
            "https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-samesite",
        ),
    )
    nodes = (ast.Call, ast.Module)
    methods = COOKIE_METHODS
    # set_cookie/set_signed_cookie/set_secure_cookie, or one of the settings above
    triggers = frozenset({"_cookie", "_COOKIE_SAMESITE"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Module):
            for setting, kind in weakened_settings(_SETTINGS, (None, False, "None"), ctx):
                yield hit_for_setting(
                    setting,
                    kind,
                    "the browser sends it with requests other sites trigger "
                    "(cross-site request forgery).",
                )
            return
        assert isinstance(node, ast.Call)
        cookie = cookie_call(node, ctx)
        if cookie is None or state(cookie, "samesite", ctx) != "off":
            return
        explicit = keyword(node, "samesite") or keyword(node, "same_site")
        how = "with SameSite=None" if explicit is not None else "without SameSite"
        yield Hit(
            node,
            f"Cookie {cookie.label} is sensitive ({cookie.why_sensitive}) but set {how}: "
            "browsers that do not default to Lax send it with requests other sites trigger.",
            confidence=None if cookie.confident else "low",
        )
