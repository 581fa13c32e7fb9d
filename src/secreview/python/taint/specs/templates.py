"""Template engines: attacker-controlled template source is code execution."""

from secreview.python.taint.spec import Sink

SINKS = (
    Sink("jinja2.Template", "template-injection", (0, "source")),
    Sink("jinja2.Environment.from_string", "template-injection", (0, "source")),
    Sink(".from_string", "template-injection", (0, "source"), receiver="jinja_env"),
    Sink("mako.template.Template", "template-injection", (0, "text")),
    Sink("chameleon.PageTemplate", "template-injection", (0, "body")),
)
