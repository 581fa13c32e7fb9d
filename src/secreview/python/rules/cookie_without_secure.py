"""cookie-without-secure: a session or token cookie the browser also sends over plain HTTP."""

from __future__ import annotations

from secreview.python.rules._cookies import CookieAttributeRule
from secreview.python.rules.base import register
from secreview.rules import RuleMeta

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
            'response.set_cookie("sessionid", sid, httponly=True)\nSESSION_COOKIE_SECURE = False'
        ),
        fix=(
            "Pass secure=True for session and token cookies (Falcon sets it by default), set "
            "SESSION_COOKIE_SECURE/CSRF_COOKIE_SECURE = True for Django and Flask, and serve "
            "the site only over HTTPS (HSTS)."
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
    # set_cookie/set_signed_cookie/set_secure_cookie, or one of the settings above
    triggers = frozenset({"_cookie", "_COOKIE_SECURE"})
