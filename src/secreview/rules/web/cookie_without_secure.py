"""cookie-without-secure: a session or token cookie the browser also sends over plain HTTP."""

from __future__ import annotations

from secreview.rules import FixText, RuleMeta
from secreview.rules.support.cookies import CookieAttributeRule
from secreview.rules.support.pattern import register

_SETTINGS = frozenset(
    {
        "SESSION_COOKIE_SECURE",  # Django, Flask
        "CSRF_COOKIE_SECURE",  # Django
        "REMEMBER_COOKIE_SECURE",  # Flask-Login
        "JWT_COOKIE_SECURE",  # Flask-JWT-Extended
    }
)


@register
class CookieWithoutSecure(CookieAttributeRule):
    meta = RuleMeta(
        id="cookie-without-secure",
        cwe=614,
        severity="medium",
        confidence="high",
        title="Sensitive cookie without the Secure attribute",
        why=(
            "Without Secure the browser sends the cookie over plain HTTP too: one http:// "
            "request (a link, an image, a downgrade by someone on the network) hands the "
            "session or token to anyone who can watch the traffic."
        ),
        example=(
            'response.set_cookie("sid", secrets.token_urlsafe(32), httponly=True)\n'
            "SESSION_COOKIE_SECURE = False\n"
            "app.add_middleware(SessionMiddleware, secret_key=KEY, https_only=False)"
        ),
        fix=(
            "Pass secure=True when setting session and token cookies, turn on your framework's "
            "secure-cookie setting for its own session and CSRF cookies, and serve the site only "
            "over HTTPS (HSTS)."
        ),
        fix_by_api=(
            FixText(
                ("falcon",),
                (
                    "Keep `secure=True` (Falcon's default) in `resp.set_cookie(...)`, and leave "
                    "`resp.unset_cookie` and `app.resp_options.secure_cookies_by_default` alone; "
                    "serve the site only over HTTPS (HSTS)."
                ),
            ),
            FixText(
                ("django", "rest_framework"),
                (
                    "Pass `secure=True` to `response.set_cookie(...)`, set `SESSION_COOKIE_SECURE "
                    "= True` and `CSRF_COOKIE_SECURE = True` in settings, and serve the site only "
                    "over HTTPS (`SECURE_HSTS_SECONDS`)."
                ),
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended"),
                (
                    "Pass `secure=True` to `response.set_cookie(...)`, set `SESSION_COOKIE_SECURE "
                    "= True` (and `REMEMBER_COOKIE_SECURE` for Flask-Login) in the app's config, "
                    "and serve the site only over HTTPS (HSTS)."
                ),
            ),
            FixText(
                ("starlette", "fastapi"),
                (
                    "Pass `secure=True` to `response.set_cookie(...)` and `https_only=True` to "
                    "`SessionMiddleware`, and serve the site only over HTTPS (HSTS)."
                ),
            ),
            FixText(
                ("aiohttp",),
                (
                    "Pass `secure=True` to `response.set_cookie(...)` (and to aiohttp_session's "
                    "storage), and serve the site only over HTTPS (HSTS)."
                ),
            ),
            FixText(
                ("tornado",),
                (
                    "Pass `secure=True` to `self.set_cookie(...)` / `self.set_secure_cookie(...)`, "
                    "and serve the site only over HTTPS (HSTS)."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/614.html",
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Cookies#restrict_access_to_cookies",
            "https://docs.djangoproject.com/en/stable/ref/settings/#session-cookie-secure",
        ),
    )
    attribute = "secure"
    shown = "Secure"
    settings = _SETTINGS
    setting_risk = "the browser also sends it over plain HTTP, to anyone watching the network."
    cookie_risk = "the browser also sends it over plain HTTP, to anyone watching the network."
    # set_cookie/set_signed_cookie/set_secure_cookie, one of the settings above, or a session
    # middleware or store (`SessionMiddleware`, aiohttp_session's `…Storage`)
    triggers = frozenset({"_cookie", "_COOKIE_SECURE", "SessionMiddleware", "Storage"})
