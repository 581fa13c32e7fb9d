"""Template engines: attacker-controlled template source is code execution.

Template source is also what a loader is given (`DictLoader({"page.html": x})`, Mako's
`lookup.put_string(name, x)`), and what is written into a file in a template directory,
which the application renders later (`conditions.template_file`).

A template file of the tree a view renders (`RENDERS`) escapes its context values unless it
writes one raw (`{{ k|safe }}`, `{% autoescape off %}`): such a value is an xss sink
(`conditions.template_raw`, reading the file with `raw_templates.py`), its note naming the
template's line."""

from secreview.python.taint.spec import Sink

# calls that render a template of the tree with a context
RENDERS = (
    "flask.render_template",
    "quart.render_template",
    "django.shortcuts.render",
    "django.shortcuts.render_to_response",
    "django.template.loader.render_to_string",
    "django.template.response.TemplateResponse",
    "tornado.web.RequestHandler.render",
    "tornado.web.RequestHandler.render_string",
    "aiohttp_jinja2.render_template",
    "aiohttp_jinja2.render_string",
)

SINKS = (
    # a context value the template writes without escaping
    *(Sink(name, "xss", ("*",), "template_raw") for name in RENDERS),
    Sink(".TemplateResponse", "xss", ("*",), "template_raw"),
    Sink("jinja2.Template", "template-injection", (0, "source")),
    Sink("jinja2.Environment.from_string", "template-injection", (0, "source")),
    Sink(".from_string", "template-injection", (0, "source"), receiver="jinja_env"),
    Sink("mako.template.Template", "template-injection", (0, "text")),
    Sink("chameleon.PageTemplate", "template-injection", (0, "body")),
    Sink("jinja2.DictLoader", "template-injection", (0, "mapping")),
    Sink("jinja2.loaders.DictLoader", "template-injection", (0, "mapping")),
    Sink("mako.lookup.TemplateLookup.put_string", "template-injection", (1, "text")),
    Sink(".put_string", "template-injection", (1, "text"), receiver="mako_lookup"),
    Sink(".write", "template-injection", (0,), "template_file"),
    Sink(".write_text", "template-injection", (0, "data"), "template_file"),
)
