"""lxml: XML external entities, entity expansion and XPath expressions built from input."""

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
    # xml-entity-expansion: libxml2's expansion limits hold unless a parser sets huge_tree
    *(
        Sink(
            f"lxml.etree.{f}",
            "xml-entity-expansion",
            (0, "text", "source"),
            "lxml_huge_tree",
            confidence="medium",
        )
        for f in ("fromstring", "XML", "parse", "iterparse", "fromstringlist")
    ),
)
