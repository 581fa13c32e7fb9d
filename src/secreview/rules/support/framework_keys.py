"""The keys web frameworks sign sessions, cookies, CSRF and JWT tokens with, written into the
source: what hardcoded-framework-secret-key reports, and what the other secret rules leave to
it."""

from __future__ import annotations

from collections.abc import Iterator

from secreview import lazyre
from secreview.python.context import ModuleContext
from secreview.rules.support.pattern import Hit
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
_TEMPLATE = lazyre.compile(r"^\s*(\$\{?\w+\}?|\{\{.*\}\}|%\(\w+\)s|<[^>]*>)\s*$")


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


def framework_key_hits(ctx: ModuleContext) -> Iterator[Hit]:
    """The Django/Flask/Starlette signing keys this module sets to a literal, or to one the
    environment falls back to (hardcoded-framework-secret-key; the other secret rules leave
    those lines to it)."""
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
