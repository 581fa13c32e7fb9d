"""django-autoescape-disabled: Django's template engine (or a Jinja2 backend Django
configures) told not to escape: `Engine(autoescape=False)`, a deployment settings module's
`TEMPLATES` entry with `"OPTIONS": {"autoescape": False}`, or a template written in the code
that turns escaping off for a block (`{% autoescape off %}`).

Settings written for development or tests (`settings/dev.py`, `class TestingConfig`, an
`if DEBUG:` branch) are left alone, as `django-debug-enabled` leaves them
(`support.webconfig`)."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator

from secreview import lazyre
from secreview.python import fixes
from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import is_django_settings, module_settings

_ENGINES = frozenset({"django.template.Engine", "django.template.engine.Engine"})
_TEMPLATES = frozenset({"django.template.Template", "django.template.base.Template"})
# the backends whose OPTIONS take `autoescape`
_BACKENDS = lazyre.compile(r"\.(DjangoTemplates|Jinja2)$")
# `{% autoescape off %}`: Django's switch for a block
_OFF_BLOCK = lazyre.compile(r"\{%-?\s*autoescape\s+off\s*-?%\}")


@register
class DjangoAutoescapeDisabled(Rule):
    meta = RuleMeta(
        id="django-autoescape-disabled",
        cwe=79,
        severity="medium",
        confidence="medium",
        title="Django templates render HTML without autoescaping",
        why=(
            "Django escapes every {{ value }} only while autoescape is on: an Engine built "
            "with autoescape=False, a TEMPLATES backend whose OPTIONS turn it off, or a "
            "{% autoescape off %} block writes the markup and script a value holds straight "
            "into the page, so one value from a user is a cross-site scripting hole."
        ),
        example=(
            "TEMPLATES = [{\n"
            '    "BACKEND": "django.template.backends.django.DjangoTemplates",\n'
            '    "OPTIONS": {"autoescape": False},\n'
            "}]"
        ),
        fix=(
            'Leave autoescape on (drop the option, or "autoescape": True), and mark markup '
            "the program builds itself with format_html() or mark_safe() on a constant; "
            "for plain-text output (mail), render those templates with an engine of their own."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/79.html",
            "https://docs.djangoproject.com/en/stable/ref/templates/builtins/#autoescape",
            "https://docs.djangoproject.com/en/stable/topics/templates/#django.template.backends.django.DjangoTemplates",
        ),
        fixable=True,
    )
    calls = _ENGINES | _TEMPLATES
    nodes = (ast.Module,)
    triggers = frozenset({"autoescape"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _TEMPLATES:
            text = ctx.constant_value(argument(call, 0, "template_string"))
            if isinstance(text, str) and _OFF_BLOCK.search(text):
                yield Hit(
                    call,
                    "The template turns autoescaping off ({% autoescape off %}): every "
                    "{{ value }} in that block writes its markup and script into the page.",
                )
            return
        setting = keyword(call, "autoescape")
        if setting is not None and ctx.constant_value(setting) is False:
            yield Hit(
                call,
                "django.template.Engine(autoescape=False) renders every template without "
                "escaping: a {{ value }} holding user input writes its markup and script "
                "into the page.",
                fixes=fixes.replace_node(ctx, setting, "True", "Turn autoescaping on"),
            )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`TEMPLATES = [{"BACKEND": "…DjangoTemplates", "OPTIONS": {"autoescape": False}}]`
        in a settings module meant for deployment."""
        for setting in module_settings(ctx).get("TEMPLATES", ()):
            if setting.development or not is_django_settings(ctx):
                continue
            for backend, value in _switches(setting.value, ctx):
                yield Hit(
                    value,
                    f"TEMPLATES turns autoescaping off for the {backend} backend: every "
                    "{{ value }} of its templates writes its markup and script into the page.",
                    fixes=fixes.replace_node(ctx, value, "True", "Turn autoescaping on"),
                )


def _switches(value: ast.expr, ctx: ModuleContext) -> Iterator[tuple[str, ast.expr]]:
    """The `"autoescape": False` values of the backends a TEMPLATES list configures."""
    if not isinstance(value, (ast.List, ast.Tuple)):
        return
    for entry in value.elts:
        if not isinstance(entry, ast.Dict):
            continue
        fields = _fields(entry, ctx)
        backend = ctx.constant_value(fields.get("BACKEND"))
        options = fields.get("OPTIONS")
        if not (isinstance(backend, str) and (found := _BACKENDS.search(backend))):
            continue
        if isinstance(options, ast.Dict):
            switch = _fields(options, ctx).get("autoescape")
            if switch is not None and ctx.constant_value(switch) is False:
                yield found.group(1), switch


def _fields(node: ast.Dict, ctx: ModuleContext) -> dict[str, ast.expr]:
    out: dict[str, ast.expr] = {}
    for key, value in zip(node.keys, node.values, strict=True):
        name = ctx.constant_value(key) if key is not None else None
        if isinstance(name, str):
            out[name] = value
    return out
