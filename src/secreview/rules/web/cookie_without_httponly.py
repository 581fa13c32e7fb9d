"""cookie-without-httponly: a session or token cookie that page scripts can read."""

from __future__ import annotations

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.cookies import CookieAttributeRule, CookieCall, is_csrf_cookie
from secreview.rules.support.pattern import register

# CSRF cookies stay readable on purpose (double-submit: the page copies the token into a
# header), so CSRF_COOKIE_HTTPONLY = False is not reported.
_SETTINGS = frozenset({"SESSION_COOKIE_HTTPONLY", "REMEMBER_COOKIE_HTTPONLY"})


@register
class CookieWithoutHttponly(CookieAttributeRule):
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
        example=(
            'response.set_cookie("auth", jwt.encode(claims, key, "HS256"), secure=True)\n'
            "EncryptedCookieStorage(key, httponly=False)"
        ),
        fix=(
            "Pass httponly=True when setting session and authentication cookies and keep your "
            "framework's session cookie HttpOnly; only a CSRF token the page must read stays "
            "script-visible."
        ),
        fix_by_api=(
            FixText(
                ("falcon",),
                (
                    "Keep `http_only=True` (Falcon's default) in `resp.set_cookie(...)` for "
                    "session and authentication cookies; only a CSRF token the page must read "
                    "stays script-visible."
                ),
            ),
            FixText(
                ("django", "rest_framework"),
                (
                    "Pass `httponly=True` to `response.set_cookie(...)` and keep "
                    "`SESSION_COOKIE_HTTPONLY = True` in settings; only the CSRF cookie the page "
                    "must read stays script-visible."
                ),
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended"),
                (
                    "Pass `httponly=True` to `response.set_cookie(...)` and keep "
                    "`SESSION_COOKIE_HTTPONLY = True` (and `REMEMBER_COOKIE_HTTPONLY`) in the "
                    "app's config; only a CSRF token the page must read stays script-visible."
                ),
            ),
            FixText(
                ("starlette", "fastapi"),
                (
                    "Pass `httponly=True` to `response.set_cookie(...)` for session and "
                    "authentication cookies."
                ),
            ),
            FixText(
                ("aiohttp",),
                (
                    "Pass `httponly=True` to `response.set_cookie(...)` (and to aiohttp_session's "
                    "storage) for session and authentication cookies."
                ),
            ),
            FixText(
                ("tornado",),
                (
                    "Pass `httponly=True` to `self.set_cookie(...)` / "
                    "`self.set_secure_cookie(...)` for session and authentication cookies."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1004.html",
            "https://owasp.org/www-community/HttpOnly",
        ),
    )
    attribute = "httponly"
    shown = "HttpOnly"
    settings = _SETTINGS
    setting_risk = "page scripts can read it, so any XSS steals the session."
    cookie_risk = "any script in the page can read it, so one XSS flaw leaks it."
    # set_cookie/set_signed_cookie/set_secure_cookie, one of the settings above, or a session
    # middleware or store (`SessionMiddleware`, aiohttp_session's `…Storage`)
    triggers = frozenset({"_cookie", "_COOKIE_HTTPONLY", "SessionMiddleware", "Storage"})

    def exempt(self, cookie: CookieCall, ctx: ModuleContext) -> bool:
        return is_csrf_cookie(cookie, ctx)  # double-submit CSRF cookies stay readable
