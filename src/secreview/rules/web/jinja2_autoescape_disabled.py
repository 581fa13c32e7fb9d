"""jinja2-autoescape-disabled: a Jinja2 environment rendering HTML without autoescaping (or
an aiohttp_jinja2 setup, or a template in the code that turns autoescaping off)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable

from secreview import lazyre
from secreview.python import fixes
from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import imports_any

_ENVIRONMENTS = frozenset(
    {
        "jinja2.Environment",
        "jinja2.environment.Environment",
        "jinja2.sandbox.SandboxedEnvironment",
        "jinja2.sandbox.ImmutableSandboxedEnvironment",
    }
)
_TEMPLATES = frozenset({"jinja2.Template", "jinja2.environment.Template"})
_WEB_FRAMEWORKS = (
    "flask",
    "quart",
    "django",
    "pyramid",
    "aiohttp",
    "tornado",
    "starlette",
    "fastapi",
    "webob",
    "falcon",
    "bottle",
    "sanic",
    "werkzeug",
    "cherrypy",
)
_HTML_TAG = lazyre.compile(
    r"<(!doctype|html|head|body|div|span|p|a|table|tr|td|ul|ol|li|form|input|button|script|"
    r"h[1-6]|br|img|strong|em|b|i)\b",
    re.IGNORECASE,
)
_HTML_FILE = lazyre.compile(r"\.(x?html?|html\.j(inja)?2?)$", re.IGNORECASE)
_CONSTANTS = frozenset({ast.Constant})
# template sources given to these as their first argument (render_template_string's own
# templates autoescape; `{% autoescape false %}` in them turns that off for a block; Django's
# `Template` is `django-autoescape-disabled`'s)
_SOURCES = frozenset({"flask.render_template_string", "quart.render_template_string"})
_SETUPS = frozenset({"aiohttp_jinja2.setup"})
# `{% autoescape false %}` (Jinja2), `{% autoescape off %}` (Django)
_OFF_BLOCK = lazyre.compile(r"\{%-?\s*autoescape\s+(false|off|False)\s*-?%\}")


@register
class Jinja2AutoescapeDisabled(Rule):
    meta = RuleMeta(
        id="jinja2-autoescape-disabled",
        cwe=79,
        severity="medium",
        confidence="medium",
        title="Jinja2 renders HTML without autoescaping",
        why=(
            "A jinja2.Environment (or Template) escapes nothing unless autoescape is on, so "
            "every {{ value }} that holds user data writes its markup and script straight "
            "into the page; one forgotten |e is a cross-site scripting hole. The same holds "
            "for aiohttp_jinja2.setup(..., autoescape=False) and for a template written in "
            "the code that turns escaping off for a block ({% autoescape false %})."
        ),
        example=(
            'env = jinja2.Environment(loader=FileSystemLoader("templates"))\n'
            'env.get_template("profile.html").render(name=request.args["name"])'
        ),
        fix=(
            "Build the environment with autoescape=select_autoescape(['html', 'xml']) "
            "(or autoescape=True), and mark trusted markup with Markup in code, not by "
            "turning escaping off."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/79.html",
            "https://jinja.palletsprojects.com/en/stable/api/#autoescaping",
        ),
        fixable=True,
    )
    calls = _ENVIRONMENTS | _TEMPLATES | _SOURCES | _SETUPS
    nodes = (ast.Call,)
    methods = frozenset({"from_string"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`env.from_string("…{% autoescape false %}…")`"""
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "from_string"
            and node.args
        ):
            yield from _turned_off(node, node.args[0], ctx)

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _SOURCES or name in _TEMPLATES:
            yield from _turned_off(call, argument(call, 0, "source"), ctx)
            if name in _SOURCES:
                return
        if name in _SETUPS:  # aiohttp_jinja2 escapes unless told not to
            setting = keyword(call, "autoescape")
            if setting is not None and ctx.constant_value(setting) is False:
                yield Hit(
                    call,
                    "aiohttp_jinja2.setup() with autoescape=False renders every page without "
                    "escaping: a {{ value }} holding user input writes its markup and script "
                    "into the page.",
                    fixes=fixes.replace_node(ctx, setting, "True", "Turn autoescaping on"),
                )
            return
        setting = keyword(call, "autoescape")
        if setting is None and (
            has_kwargs_splat(call) or any(isinstance(a, ast.Starred) for a in call.args)
        ):
            return  # autoescape may come in *args/**options
        if setting is not None and ctx.constant_value(setting) is not False:
            return  # True, select_autoescape(...), or chosen at run time
        how = "autoescape=False" if setting is not None else "no autoescape"
        short = name.rsplit(".", 1)[-1]
        if name in _TEMPLATES:
            source = ctx.constant_value(argument(call, 0, "source"))
            html = isinstance(source, str) and bool(_HTML_TAG.search(source))
            if not html and not (source is NotImplemented and _renders_html(ctx)):
                return  # a config file, an e-mail in plain text, a shell script
        elif not _renders_html(ctx) or _renders_only_text_files(call, ctx):
            return
        yield Hit(
            call,
            f"jinja2.{short}() with {how} renders HTML without escaping: a {{{{ value }}}} "
            "holding user input writes its markup and script into the page.",
            fixes=(
                fixes.replace_node(ctx, setting, "True", "Turn autoescaping on")
                if setting is not None
                else ()
            ),
        )


def _turned_off(call: ast.Call, source: ast.expr | None, ctx: ModuleContext) -> Iterable[Hit]:
    """A template written in the code that turns autoescaping off for a block."""
    text = ctx.constant_value(source) if source is not None else None
    if isinstance(text, str) and _OFF_BLOCK.search(text):
        yield Hit(
            call,
            "The template turns autoescaping off ({% autoescape false %}): every "
            "{{ value }} in that block writes its markup and script into the page.",
        )


# Template files that are no HTML: configuration, scripts, plain-text mail, data (XML and
# SVG are left out: they are markup, and escaping matters there as in HTML).
_TEXT_FILE = lazyre.compile(
    r"\.(cfg|conf|ini|toml|ya?ml|json|env|txt|text|sh|bash|ps1|bat|py|sql|md|rst|csv|"
    r"service|desktop|properties)(\.(template|tmpl|tpl|j2|jinja2?|in))?$",
    re.IGNORECASE,
)
_LOADING = frozenset({"get_template", "select_template", "get_or_select_template"})


def _renders_only_text_files(call: ast.Call, ctx: ModuleContext) -> bool:
    """The environment is kept in a local variable that loads only named templates, all of
    them text files (`env.get_template("config.cfg.template")`): a web application that
    writes its own configuration file renders no page with it."""
    statement = ctx.parent(call)
    function = ctx.enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef))
    if not (
        isinstance(statement, ast.Assign)
        and statement.value is call
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and function is not None
    ):
        return False
    variable = statement.targets[0].id
    loaded = 0
    for node in ast.walk(function):
        if not isinstance(node, ast.Name) or node.id != variable or node is statement.targets[0]:
            continue
        use = ctx.parent(node)
        caller = ctx.parent(use) if isinstance(use, ast.Attribute) else None
        if not (
            isinstance(use, ast.Attribute)
            and use.attr in _LOADING
            and isinstance(caller, ast.Call)
            and caller.func is use
            and caller.args
            and not caller.keywords
        ):
            return False  # passed on, stored, or rendering a string: it may be a page
        names = ctx.constant_value(caller.args[0])
        names = [names] if isinstance(names, str) else names
        if not (
            isinstance(names, (list, tuple))
            and names
            and all(isinstance(n, str) and _TEXT_FILE.search(n) for n in names)
        ):
            return False
        loaded += 1
    return loaded > 0


def _renders_html(ctx: ModuleContext) -> bool:
    """The module serves web pages (imports a web framework) or names HTML templates/markup.

    Jinja2 also renders configuration files, e-mails and scripts, where HTML escaping
    would be wrong; without a sign of HTML the environment is not reported."""
    cached = ctx.memo.get("renders-html")
    if cached is None:
        cached = ctx.memo["renders-html"] = imports_any(ctx, *_WEB_FRAMEWORKS) or any(
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and bool(_HTML_FILE.search(node.value) or _HTML_TAG.search(node.value))
            for node in ctx.nodes_of(_CONSTANTS)
        )
    return bool(cached)
