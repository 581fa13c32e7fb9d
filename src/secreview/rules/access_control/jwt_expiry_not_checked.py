"""jwt-expiry-not-checked: a JWT accepted after it has expired.

Reported: PyJWT or python-jose `decode` with `options` whose `verify_exp` is False (a
literal, a module constant, `dict(...)` or a local). A decode that skips the signature check
as well is `jwt-decode-without-verification`'s, which says more.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import written_dict
from secreview.rules.support.jwt_decoders import JWT_DECODERS
from secreview.rules.support.pattern import Hit, Rule, register


@register
class JwtExpiryNotChecked(Rule):
    meta = RuleMeta(
        id="jwt-expiry-not-checked",
        cwe=613,
        severity="medium",
        confidence="high",
        title="JWT accepted without checking its expiry",
        why=(
            "A token's `exp` claim limits how long a stolen or leaked token works; with "
            "`verify_exp` off, a token is valid forever, including after logout or a "
            "password change."
        ),
        example=('jwt.decode(token, key, algorithms=["HS256"], options={"verify_exp": False})'),
        fix=(
            "Keep the expiry check on (the default) and require the claim: "
            'jwt.decode(token, key, algorithms=[...], options={"require": ["exp"]}); allow '
            "clock skew with `leeway=` rather than turning the check off."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/613.html",
            "https://pyjwt.readthedocs.io/en/stable/usage.html#expiration-time-claim-exp",
        ),
    )
    calls = JWT_DECODERS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        options = written_dict(keyword(call, "options"), ctx)
        if options.get("verify_signature") is False or options.get("verify_exp") is not False:
            return
        yield Hit(
            call,
            f"{name}() with options verify_exp=False accepts the token after its `exp`: a "
            "leaked token never stops working.",
        )
