"""hardcoded-framework-secret-key: the key Django/Flask sign sessions with, in the source."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.framework_keys import framework_key_hits
from secreview.rules.support.pattern import Hit, Rule, register


@register
class HardcodedFrameworkSecretKey(Rule):
    meta = RuleMeta(
        id="hardcoded-framework-secret-key",
        cwe=321,
        severity="high",
        confidence="high",
        title="Framework signing key hard-coded in the source",
        why=(
            "Django's SECRET_KEY and Flask's secret_key sign session cookies, password-reset "
            "tokens and CSRF tokens; whoever reads the source (repository, image, package) can "
            "forge a session for any user, and with pickle-based sessions run code."
        ),
        example='SECRET_KEY = "django-insecure-3x!q..."\napp.secret_key = "dev"',
        fix=(
            "Load the key at start-up from the environment or a secret store and fail when it is "
            "missing; generate it with `secrets.token_urlsafe(50)` and rotate the leaked one."
        ),
        fix_by_api=(
            FixText(
                ("config-class",),
                "Read it from the environment in the config class and fail when it is missing: "
                "`SECRET_KEY = os.environ['SECRET_KEY']` (a KeyError at start-up, never a "
                "default); generate it with `secrets.token_hex(32)` and rotate the leaked one.",
            ),
            FixText(
                ("flask", "quart", "werkzeug", "flask_wtf", "flask_login", "flask_jwt_extended"),
                (
                    "Load it at start-up and fail when it is missing: `app.config['SECRET_KEY'] = "
                    "os.environ['FLASK_SECRET_KEY']` (or `app.config.from_prefixed_env()`); "
                    "generate it with `secrets.token_hex(32)` and rotate the leaked one (Flask's "
                    "SECRET_KEY_FALLBACKS keeps old sessions valid meanwhile)."
                ),
            ),
            FixText(
                ("starlette", "fastapi"),
                (
                    "Load it at start-up and fail when it is missing: `SessionMiddleware(app, "
                    "secret_key=os.environ['SESSION_SECRET_KEY'])`; generate it with "
                    "`secrets.token_urlsafe(50)` and rotate the leaked one."
                ),
            ),
            FixText(
                ("django", "rest_framework"),
                (
                    "Load it at start-up from the environment or a secret store and fail when it "
                    "is missing: `SECRET_KEY = os.environ['DJANGO_SECRET_KEY']`; generate it with "
                    "`django.core.management.utils.get_random_secret_key()` and rotate the leaked "
                    "one (SECRET_KEY_FALLBACKS)."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/321.html",
            "https://docs.djangoproject.com/en/stable/ref/settings/#secret-key",
            "https://flask.palletsprojects.com/en/stable/config/#SECRET_KEY",
        ),
    )
    nodes = (ast.Module,)
    triggers = frozenset({"SECRET_KEY", "secret_key"})  # the keys `framework_keys` knows

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        return framework_key_hits(ctx)
