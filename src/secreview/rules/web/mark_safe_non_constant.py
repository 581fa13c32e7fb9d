"""mark-safe-non-constant: text built at run time declared safe HTML, so it is never escaped."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview import lazyre
from secreview.python.context import ModuleContext, argument
from secreview.rules import FLASK, FixText, RuleMeta
from secreview.rules.support.bindings import assigned_values, call_name
from secreview.rules.support.pattern import Hit, Rule, register

_MARKERS = frozenset(
    {
        "markupsafe.Markup",
        "flask.Markup",
        "jinja2.Markup",
        "jinja2.utils.Markup",
        "django.utils.safestring.mark_safe",
        "django.utils.safestring.SafeString",
        "django.utils.safestring.SafeText",
    }
)
# format_html(format_string, *args) escapes args, never the format string itself.
_FORMATTERS = {"django.utils.html.format_html": 0, "django.utils.html.format_html_join": 1}
# Calls whose result is escaped or rendered HTML.
_SAFE_PRODUCERS = frozenset(
    {
        *_MARKERS,
        *_FORMATTERS,
        "markupsafe.escape",
        "markupsafe.Markup.escape",
        "flask.escape",
        "jinja2.escape",
        "html.escape",
        "django.utils.html.escape",
        "django.utils.html.conditional_escape",
        "django.utils.html.json_script",
        "django.utils.html.urlize",
        "django.utils.html.linebreaks",
        "django.template.loader.render_to_string",
        "django.template.defaultfilters.linebreaksbr",
        "flask.render_template",
        "flask.render_template_string",
        "bleach.clean",
        "nh3.clean",
        # flatatt joins attributes with format_html_join: every value escaped
        "django.forms.utils.flatatt",
        # a number with the locale's separators (the server's settings, never a user's)
        "django.utils.formats.number_format",
    }
)
_SAFE_METHODS = frozenset({"render", "escape", "format_html"})
_MAX_DEPTH = 4
# gettext and friends (`_`, `gettext_lazy`, `ngettext`, `pgettext`): translations of literals
_TRANSLATION = lazyre.compile(
    r"^(_|u?gettext(_lazy|_noop)?|u?ngettext(_lazy)?|n?pgettext(_lazy)?)$"
)


@register
class MarkSafeNonConstant(Rule):
    meta = RuleMeta(
        id="mark-safe-non-constant",
        cwe=79,
        severity="medium",
        confidence="low",
        title="Text built at run time marked as safe HTML",
        why=(
            "Markup()/mark_safe() tell the template engine the text is already HTML, so "
            "autoescaping skips it; when any part of that text can come from a user, its "
            "markup and script reach the page as written."
        ),
        example='return mark_safe(f"<b>{user.display_name}</b>")',
        fix=(
            "Build the HTML with escaping and keep the safe-markup marker for constant markup: "
            "escape every inserted value (`html.escape`) before marking the result safe."
        ),
        fix_by_api=(
            FixText(
                ("django", "rest_framework"),
                (
                    "Build the HTML with escaping: `format_html('<b>{}</b>', name)` (or "
                    "`format_html_join`); keep `mark_safe` for constant markup."
                ),
            ),
            FixText(
                ("markupsafe", "jinja2", *FLASK),
                (
                    "Build the HTML with escaping: `Markup('<b>{}</b>').format(name)` or "
                    "`Markup('<b>%s</b>') % name` escape the inserted values; keep `Markup(...)` "
                    "on a whole string for constant markup."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/79.html",
            "https://docs.djangoproject.com/en/stable/ref/utils/#django.utils.safestring.mark_safe",
            "https://markupsafe.palletsprojects.com/en/stable/escaping/",
        ),
    )
    calls = _MARKERS | frozenset(_FORMATTERS)

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        short = name.rsplit(".", 1)[-1]
        if name in _FORMATTERS:
            fmt = argument(call, _FORMATTERS[name], "format_string")
            if fmt is None or _is_safe(fmt, ctx, 0):
                return
            yield Hit(
                call,
                f"{short}() escapes its arguments but not its format string, and this one is "
                "built at run time: whatever it interpolates reaches the page unescaped. Pass "
                "the values as arguments instead.",
            )
            return
        text = argument(call, 0, "s" if "mark_safe" in name else "base")
        if text is None or _is_safe(text, ctx, 0) or _back_to_text(call, ctx):
            return
        yield Hit(
            call,
            f"{short}() marks text built at run time as safe HTML, so it is never escaped: "
            "if any part of it comes from a user, their markup and script reach the page.",
        )


def _is_safe(node: ast.expr, ctx: ModuleContext, depth: int) -> bool:
    """Constant markup, escaped or rendered HTML, and compositions of those."""
    if depth > _MAX_DEPTH:
        return False
    if ctx.is_constant(node):
        return True
    if isinstance(node, ast.Call):
        return _is_safe_call(node, ctx, depth)
    if isinstance(node, ast.JoinedStr):
        return all(
            isinstance(v, ast.Constant) or _is_safe(v.value, ctx, depth + 1)  # type: ignore[attr-defined]
            for v in node.values
        )
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Mod) and _is_markup(node.left, ctx):
            return True  # Markup("<b>%s</b>") % value escapes value
        return _is_safe(node.left, ctx, depth + 1) and _is_safe(node.right, ctx, depth + 1)
    if isinstance(node, ast.IfExp):
        return _is_safe(node.body, ctx, depth + 1) and _is_safe(node.orelse, ctx, depth + 1)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_is_safe(e, ctx, depth + 1) for e in node.elts)
    if isinstance(node, (ast.ListComp, ast.GeneratorExp)):
        return _is_safe(node.elt, ctx, depth + 1)
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        return bool(values) and all(v is not node and _is_safe(v, ctx, depth + 1) for v in values)
    return False


def _is_safe_call(call: ast.Call, ctx: ModuleContext, depth: int) -> bool:
    name = ctx.resolve(call.func)
    if name in _SAFE_PRODUCERS:
        return True
    func = call.func
    if _TRANSLATION.match(call_name(call)) and all(ctx.is_constant(a) for a in call.args):
        return True  # _("<b>{name}</b> was saved"): the translation of a literal
    if name in _MARKDOWN_ESCAPING:
        return _escapes_html(call, ctx)  # mistune.markdown(text, escape=True)
    if _escaping_markdown(func, ctx):
        return True  # md(text) with md = mistune.create_markdown(escape=True)
    if not isinstance(func, ast.Attribute):
        return False
    if func.attr in _SAFE_METHODS:
        return True  # template.render(...), Markup.escape(...)
    if func.attr == "format" and _is_markup(func.value, ctx):
        return True  # Markup("<b>{}</b>").format(value) escapes value
    if func.attr == "translate" and len(call.args) == 1 and _escapes_markup(call.args[0], ctx):
        return True  # str(value).translate(_js_escapes): Django's escapejs
    if func.attr == "join" and call.args:
        return _is_safe(func.value, ctx, depth + 1) and _is_safe(call.args[0], ctx, depth + 1)
    if func.attr in ("format", "replace", "strip", "upper", "lower") and _is_safe(
        func.value, ctx, depth + 1
    ):
        return all(_is_safe(a, ctx, depth + 1) for a in call.args)
    return False


# mistune's converters escape the raw HTML in their input when told `escape=True`
# (`mistune.markdown(text, escape=True)`, `md = mistune.create_markdown(escape=True)`); the
# default keeps it, so they are safe only with that flag.
_MARKDOWN_ESCAPING = frozenset({"mistune.markdown"})
_MARKDOWN_MAKERS = frozenset({"mistune.create_markdown"})


def _escapes_html(call: ast.Call, ctx: ModuleContext) -> bool:
    escape = next((k.value for k in call.keywords if k.arg == "escape"), None)
    return ctx.constant_value(escape) is True


def _escaping_markdown(func: ast.expr, ctx: ModuleContext) -> bool:
    """`func` is a converter mistune.create_markdown(escape=True) made, called at once or
    through the variable holding it (also one a lambda reads from its function)."""
    if isinstance(func, ast.Call):
        return ctx.resolve(func.func) in _MARKDOWN_MAKERS and _escapes_html(func, ctx)
    if not isinstance(func, ast.Name):
        return False
    values = assigned_values(func.id, func, ctx)
    return bool(values) and all(
        isinstance(v, ast.Call)
        and ctx.resolve(v.func) in _MARKDOWN_MAKERS
        and _escapes_html(v, ctx)
        for v in values
    )


# The characters that open a tag or an entity: a table that replaces all three leaves
# no markup in the text (`escapejs`, `escapejson`: `{ord("<"): "\\u003C", ...}`).
_MARKUP_OPENERS = frozenset("<>&")


def _escapes_markup(table: ast.expr, ctx: ModuleContext) -> bool:
    """`table` is a str.translate table, written as a dict in the module, that replaces `<`,
    `>` and `&` with text holding no `<` or `>`. Entries added later (`.update(...)`) can
    only replace more characters."""
    if isinstance(table, ast.Call) and ctx.resolve(table.func) == "str.maketrans":
        table = table.args[0] if len(table.args) == 1 else table
    if isinstance(table, ast.Name):
        values = assigned_values(table.id, table, ctx)
        if len(values) != 1:
            return False
        return _escapes_markup(values[0], ctx) if values[0] is not table else False
    if not isinstance(table, ast.Dict):
        return False
    replaced: set[str] = set()
    for key, value in zip(table.keys, table.values, strict=True):
        char = _table_key(key, ctx)
        if char is None:
            continue
        text = ctx.constant_value(value)
        if not isinstance(text, str) or "<" in text or ">" in text:
            return False
        replaced.add(char)
    return _MARKUP_OPENERS.issubset(replaced)


def _table_key(key: ast.expr | None, ctx: ModuleContext) -> str | None:
    """The character a translate table's key stands for: `ord("<")`, `60` or `"<"`."""
    if (
        isinstance(key, ast.Call)
        and isinstance(key.func, ast.Name)
        and key.func.id == "ord"
        and len(key.args) == 1
    ):
        key = key.args[0]
    value = ctx.constant_value(key) if key is not None else None
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 0x110000:
        return chr(value)
    if isinstance(value, str) and len(value) == 1:
        return value
    return None


def _back_to_text(call: ast.Call, ctx: ModuleContext) -> bool:
    """`Markup(x).striptags()` / `.unescape()`: the markup is at once turned back into plain
    text, which is escaped like any other str."""
    parent = ctx.parent(call)
    return (
        isinstance(parent, ast.Attribute)
        and parent.attr in ("striptags", "unescape")
        and isinstance(ctx.parent(parent), ast.Call)
    )


def _is_markup(node: ast.expr, ctx: ModuleContext) -> bool:
    return isinstance(node, ast.Call) and ctx.resolve(node.func) in _MARKERS
