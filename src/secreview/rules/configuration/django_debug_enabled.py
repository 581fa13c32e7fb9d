"""django-debug-enabled: `DEBUG = True` in a Django settings module meant for deployment."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import (
    UNLESS_ENV,
    is_django_settings,
    module_settings,
    settings_class,
    switched_on,
)


@register
class DjangoDebugEnabled(Rule):
    meta = RuleMeta(
        id="django-debug-enabled",
        cwe=489,
        severity="high",
        confidence="high",
        title="Django DEBUG enabled in deployment settings",
        why=(
            "With DEBUG = True every error page lists the settings (with most secrets masked, "
            "but not all), the SQL queries run, the installed apps, URL patterns and source "
            "around the failing line; Django also keeps every query in memory."
        ),
        example='# mysite/settings.py\nDEBUG = True\nALLOWED_HOSTS = ["shop.example.com"]',
        fix=(
            "Default to off and opt in per machine: "
            "`DEBUG = os.environ.get('DJANGO_DEBUG') == '1'`, or keep `DEBUG = True` only in "
            "a development settings module (settings/dev.py) that production never loads."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/489.html",
            "https://docs.djangoproject.com/en/stable/ref/settings/#debug",
            "https://docs.djangoproject.com/en/stable/howto/deployment/checklist/#debug",
        ),
    )
    nodes = (ast.Module,)
    triggers = frozenset({"DEBUG"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """Module-level DEBUG in settings modules; django-configurations classes too."""
        for setting in module_settings(ctx).get("DEBUG", ()):
            if setting.development:
                continue
            if setting.style == "module" and not is_django_settings(ctx):
                continue
            if setting.style == "class" and settings_class(setting.node, ctx) != "django":
                continue
            constant = switched_on(setting.value, ctx)
            if constant is None:
                continue
            yield Hit(
                setting.node,
                "DEBUG is on"
                + ("" if constant else UNLESS_ENV)
                + " in deployment settings: error pages show settings, SQL, URL patterns "
                "and source to anyone who triggers an error.",
                confidence=None if constant else "medium",
            )
