"""cookie-without-httponly: a session or token cookie that page scripts can read."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.python.rules._cookies import (
    COOKIE_METHODS,
    cookie_call,
    hit_for_setting,
    is_csrf_cookie,
    state,
    weakened_settings,
)
from secreview.python.rules.base import Hit, Rule, register
from secreview.rules import RuleMeta

# CSRF cookies stay readable on purpose (double-submit: the page copies the token into a
# header), so CSRF_COOKIE_HTTPONLY = False is not reported.
_SETTINGS = frozenset({"SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_HTTPONLY"})


@register
class CookieWithoutHttponly(Rule):
    meta = RuleMeta(
        id="cookie-without-httponly",
        cwe=1004,
        severity="medium",
        confidence="high",
        title="Sensitive cookie without the HttpOnly attribute",
        why=(
            "Without HttpOnly any script running in the page can read the cookie "
            "(document.cookie), so a single cross-site scripting flaw, or a compromised "
            "third-party script, sends the session or token to the attacker."
        ),
        example='response.set_cookie("auth_token", token, secure=True)',
        fix=(
            "Pass httponly=True (http_only for Falcon) for session and authentication cookies "
            "and keep SESSION_COOKIE_HTTPONLY = True; only a CSRF token the page must read "
            "stays script-visible."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1004.html",
            "https://owasp.org/www-community/HttpOnly",
        ),
    )
    nodes = (ast.Call, ast.Module)
    methods = COOKIE_METHODS
    # set_cookie/set_signed_cookie/set_secure_cookie, or one of the settings above
    triggers = frozenset({"_cookie", "_COOKIE_HTTPONLY"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.Module):
            for setting, kind in weakened_settings(_SETTINGS, (False,), ctx):
                yield hit_for_setting(
                    setting, kind, "page scripts can read it, so any XSS steals the session."
                )
            return
        assert isinstance(node, ast.Call)
        cookie = cookie_call(node, ctx)
        if cookie is None or is_csrf_cookie(cookie, ctx):
            return
        if state(cookie, "httponly", ctx) != "off":
            return
        yield Hit(
            node,
            f"Cookie {cookie.label} is sensitive ({cookie.why_sensitive}) but set without "
            "HttpOnly: any script in the page can read it, so one XSS flaw leaks it.",
            confidence=None if cookie.confident else "medium",
        )
