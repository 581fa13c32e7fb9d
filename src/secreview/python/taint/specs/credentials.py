"""Credentials: values made to authenticate their bearer, followed to the cookies that carry
them (the cookie rules' flows, across functions and modules).

A *credential* is what a secret maker, a signer or a JWT library gives: `secrets.token_*`,
`os.urandom`, `jwt.encode`, a signer's or serializer's `dumps`/`sign`, Flask-JWT-Extended's
`create_access_token`. Its source kind `credential` is reported only by the three cookie
rules, and they report no other kind (`SOURCE_KIND_RULES`, `RULE_SOURCE_KINDS`): a token
is no attacker data. The sinks are `set_cookie(name, value)` calls that leave off the
attribute the rule is about (`rules/_cookies.attribute_off`: the framework's defaults, a
deletion, a CSRF cookie left readable on purpose). Within one function the pattern rules
see the same (`_cookies.credential_maker`); a finding of both on one statement is one.
"""

from secreview.python.taint.spec import Sink, Source

KIND = "credential"
_F = frozenset
_RULES = {
    "secure": "cookie-without-secure",
    "httponly": "cookie-without-httponly",
    "samesite": "cookie-without-samesite",
}
_DESCRIPTION = "a credential"

# calls whose result is a credential made to be one: a random secret, a JWT, a signed dump
# (the cookie rules' own module-level reading uses them too, `rules/support/cookies.py`)
TOKEN_MAKERS = (
    "secrets.token_hex",
    "secrets.token_urlsafe",
    "secrets.token_bytes",
    "os.urandom",
    "jwt.encode",
    "jose.jwt.encode",
    "authlib.jose.jwt.encode",
    "flask_jwt_extended.create_access_token",
    "flask_jwt_extended.create_refresh_token",
    "django.core.signing.dumps",
)
_MAKERS = (
    *TOKEN_MAKERS,
    "django.core.signing.Signer.sign",
    "django.core.signing.Signer.sign_object",
    "django.core.signing.TimestampSigner.sign",
    "django.core.signing.TimestampSigner.sign_object",
    *(
        f"itsdangerous.{cls}.{method}"
        for cls in (
            "Signer",
            "TimestampSigner",
            "Serializer",
            "URLSafeSerializer",
            "TimedSerializer",
            "URLSafeTimedSerializer",
        )
        for method in ("dumps", "sign")
    ),
)

SOURCES = tuple(
    Source(name, KIND, f"{_DESCRIPTION} made by {name}", call=True, also_call=True)
    for name in _MAKERS
)

SINKS = tuple(
    Sink(".set_cookie", rule, (1, "value"), f"cookie_without_{attribute}")
    for attribute, rule in _RULES.items()
)

SOURCE_KIND_RULES = {KIND: _F(_RULES.values())}
RULE_SOURCE_KINDS = {rule: _F({KIND}) for rule in _RULES.values()}
