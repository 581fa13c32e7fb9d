"""hardcoded-framework-secret-key: the key Django/Flask sign sessions with, in the source."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import (
    Setting,
    fallback,
    flask_app,
    imports_any,
    is_django_settings,
    settings,
    settings_class,
)

# Keys that sign or encrypt sessions, cookies, CSRF and JWT tokens.
_KEYS = frozenset({"SECRET_KEY", "SECRET_KEY_FALLBACKS", "JWT_SECRET_KEY", "WTF_CSRF_SECRET_KEY"})
_FRAMEWORKS = ("django", "flask", "quart", "flask_jwt_extended", "flask_wtf", "starlette")
# Filled in at deployment (`${SECRET_KEY}`, `{{ secret_key }}`, `%(secret)s`): not a key.
_TEMPLATE = re.compile(r"^\s*(\$\{?\w+\}?|\{\{.*\}\}|%\(\w+\)s|<[^>]*>)\s*$")


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
    triggers = frozenset({"SECRET_KEY", "secret_key"})  # the keys above, `app.secret_key`

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        framework_module: bool | None = None
        for setting in settings(ctx):
            if setting.development or not _is_key_setting(setting):
                continue
            framework = "flask"  # which framework's words the fix uses
            if setting.style == "module":
                if framework_module is None:
                    framework_module = is_django_settings(ctx) or imports_any(ctx, *_FRAMEWORKS)
                if not framework_module:
                    continue
                framework = "django" if is_django_settings(ctx) else ""
            elif setting.style == "class":
                framework = settings_class(setting.node, ctx) or ""
                if not framework:
                    continue
                if framework == "flask":
                    framework = "config-class"  # `app.config.from_object(ProductionConfig)`
            elif flask_app(setting.receiver, ctx) is None:
                continue
            hit = _hardcoded(setting, ctx, framework)
            if hit is not None:
                yield hit


def _is_key_setting(setting: Setting) -> bool:
    if setting.style == "app-attribute":
        return setting.key == "secret_key"
    return setting.key in _KEYS


def _hardcoded(setting: Setting, ctx: ModuleContext, framework: str) -> Hit | None:
    literal = ctx.constant_value(setting.value)
    if literal is not NotImplemented:
        if _is_key(literal, setting.key):
            return Hit(
                setting.node,
                f"{setting.key} is a literal in the source: anyone who can read the code can "
                "sign session cookies and tokens the application will trust.",
                api=framework,
            )
        return None
    default = fallback(setting.value, ctx)
    if _is_key(default, setting.key):
        return Hit(
            setting.node,
            f"{setting.key} falls back to a literal when the environment variable is unset: "
            "a deployment that forgets it signs sessions with a key published in the source.",
            confidence="medium",
            api=framework,
        )
    return None


def _is_key(value: object, name: str) -> bool:
    """A non-empty str/bytes that is neither a deploy-time placeholder nor the setting's name."""
    if isinstance(value, (list, tuple)):
        return any(_is_key(v, name) for v in value)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str) or not value.strip():
        return False
    if _TEMPLATE.match(value):
        return False
    return value.strip().lower() not in (name.lower(), "secret_key", "secret-key")
