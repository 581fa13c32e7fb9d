"""Template engines: attacker-controlled template source is code execution.

Template source is also what a loader is given (`DictLoader({"page.html": x})`, Mako's
`lookup.put_string(name, x)`), and what is written into a file in a template directory,
which the application renders later (`conditions.template_file`)."""

from secreview.python.taint.spec import Sink

SINKS = (
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
