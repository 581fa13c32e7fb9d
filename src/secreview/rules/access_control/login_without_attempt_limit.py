"""login-without-attempt-limit: a password or one-time-code check in a project that limits
attempts nowhere.

The evidence is the whole project (`secreview.python.access`): this module holds the
rule's documentation.
"""

from __future__ import annotations

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="login-without-attempt-limit",
        cwe=307,
        severity="low",
        confidence="low",
        title="Login or code check with no limit on attempts anywhere in the project",
        why=(
            "Without a rate limit, a lockout or a failed-attempt counter, an attacker can try "
            "passwords (or every one-time code) as fast as the server answers; the defence "
            "may live outside the code (a proxy, a WAF), hence the low confidence."
        ),
        example=(
            "@app.route('/login', methods=['POST'])\ndef login():\n"
            "    if check_password_hash(user.password_hash, request.form['password']): ..."
        ),
        fix=(
            "Limit attempts per account and per client address: a rate limiter, a throttle, "
            "or a failed-attempt counter with a lockout."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                "Limit attempts with django-axes or django-ratelimit, or DRF throttle classes "
                "(`throttle_classes`), per account and per client address.",
            ),
            FixText(
                ("flask", "quart"),
                "Limit attempts with Flask-Limiter (`@limiter.limit('5 per minute')`), per "
                "account and per client address.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/307.html",
            "https://owasp.org/www-community/controls/Blocking_Brute_Force_Attacks",
        ),
        kind="project",
    )
)
