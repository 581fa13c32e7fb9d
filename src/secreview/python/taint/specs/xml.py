"""lxml: XML external entities and XPath expressions built from input."""

from secreview.python.taint.spec import Sink

SINKS = (
    *(
        Sink(f"lxml.etree.{f}", "xxe", (0, "text", "source"), "lxml_resolving_parser")
        for f in ("fromstring", "XML", "parse", "iterparse", "fromstringlist")
    ),
    Sink("lxml.etree.XPath", "xpath-injection", (0, "path")),
    Sink("lxml.etree.ETXPath", "xpath-injection", (0, "path")),
    Sink(".xpath", "xpath-injection", (0, "_path"), receiver="any"),
    Sink(".evaluate", "xpath-injection", (0,), receiver="xpath_evaluator"),
)
