"""cookie-without-samesite: a session or token cookie sent on cross-site requests."""

from __future__ import annotations

import ast

from secreview.python.context import keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.cookies import CookieAttributeRule
from secreview.rules.support.pattern import register

_SETTINGS = frozenset(
    {
        "SESSION_COOKIE_SAMESITE",  # Django (default Lax), Flask (default unset)
        "CSRF_COOKIE_SAMESITE",  # Django
        "REMEMBER_COOKIE_SAMESITE",  # Flask-Login
        "JWT_COOKIE_SAMESITE",  # Flask-JWT-Extended
    }
)


@register
class CookieWithoutSamesite(CookieAttributeRule):
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
        example=(
            'response.set_cookie("sid", signer.dumps(user.id), secure=True, httponly=True)\n'
            'app.add_middleware(SessionMiddleware, secret_key=KEY, same_site="none")'
        ),
        fix=(
            "Pass samesite='Lax' (or 'Strict' where cross-site links need not stay logged in) when "
            "setting session cookies, and keep your framework's session cookie at 'Lax'; use "
            "'None' only for cookies that must work in cross-site frames, with CSRF tokens."
        ),
        fix_by_api=(
            FixText(
                ("falcon",),
                (
                    "Pass `same_site='Lax'` (or 'Strict') to `resp.set_cookie(...)`; use 'None' "
                    "only for cookies that must work in cross-site frames, with CSRF tokens."
                ),
            ),
            FixText(
                ("django", "rest_framework"),
                (
                    "Pass `samesite='Lax'` (or 'Strict') to `response.set_cookie(...)` and keep "
                    "`SESSION_COOKIE_SAMESITE` / `CSRF_COOKIE_SAMESITE` at 'Lax'; use 'None' only "
                    "for cookies that must work in cross-site frames, with CSRF tokens."
                ),
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended"),
                (
                    "Pass `samesite='Lax'` (or 'Strict') to `response.set_cookie(...)` and set "
                    "`SESSION_COOKIE_SAMESITE = 'Lax'` in the app's config; use 'None' only for "
                    "cookies that must work in cross-site frames, with CSRF tokens."
                ),
            ),
            FixText(
                ("starlette", "fastapi"),
                (
                    "Pass `samesite='lax'` (or 'strict') to `response.set_cookie(...)` and "
                    "`same_site='lax'` to `SessionMiddleware`."
                ),
            ),
            FixText(
                ("aiohttp",),
                "Pass `samesite='Lax'` (or 'Strict') to `response.set_cookie(...)`.",
            ),
            FixText(
                ("tornado",),
                "Pass `samesite='Lax'` (or 'Strict') to `self.set_cookie(...)`.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1275.html",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie#samesitesamesite-value",
            "https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-samesite",
        ),
    )
    attribute = "samesite"
    shown = "SameSite"
    settings = _SETTINGS
    weak_values = (None, False, "None")
    setting_risk = (
        "the browser sends it with requests other sites trigger (cross-site request forgery)."
    )
    cookie_risk = "browsers that do not default to Lax send it with requests other sites trigger."
    # set_cookie/set_signed_cookie/set_secure_cookie, one of the settings above, or a session
    # middleware or store (`SessionMiddleware`, aiohttp_session's `…Storage`)
    triggers = frozenset({"_cookie", "_COOKIE_SAMESITE", "SessionMiddleware", "Storage"})

    def how(self, call: ast.Call) -> str:
        explicit = keyword(call, "samesite") or keyword(call, "same_site")
        return "with SameSite=None" if explicit is not None else "without SameSite"
