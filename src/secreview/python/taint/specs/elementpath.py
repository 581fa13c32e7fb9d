"""elementpath (XPath 2.0/3.x on ElementTree and lxml trees): expressions built from input."""

from secreview.python.taint.spec import Sink

SINKS = (
    # select(root, path, namespaces=None, parser=None, **kwargs); values belong in
    # `variables={...}`, referenced as `$name`
    Sink("elementpath.select", "xpath-injection", (1, "path")),
    Sink("elementpath.iter_select", "xpath-injection", (1, "path")),
    Sink("elementpath.Selector", "xpath-injection", (0, "path")),
)
