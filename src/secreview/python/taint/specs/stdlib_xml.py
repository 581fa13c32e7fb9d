"""The standard library's XML parsers (Expat underneath): entity expansion from input.

Only data from requests and sockets is reported: a file named on the command line is the
user's own document, and the parsers' other risks (external entities) are off by default
since Python 3.7.1.
"""

from secreview.python.taint.spec import Sink

_F = frozenset
_RULE = "xml-entity-expansion"

SINKS = (
    *(
        Sink(f"{module}.{function}", _RULE, (0, "text", "source"), confidence="low")
        for module in ("xml.etree.ElementTree", "xml.etree.cElementTree")
        for function in ("fromstring", "XML", "parse", "iterparse", "fromstringlist")
    ),
    *(
        Sink(
            f"{module}.{function}",
            _RULE,
            (0, "file", "string", "stream_or_string"),
            confidence="low",
        )
        for module in ("xml.dom.minidom", "xml.dom.pulldom", "xml.dom.expatbuilder")
        for function in ("parse", "parseString")
    ),
    Sink("xml.sax.parse", _RULE, (0, "source"), confidence="low"),
    Sink("xml.sax.parseString", _RULE, (0, "string"), confidence="low"),
    Sink("xmlrpc.client.loads", _RULE, (0, "data"), confidence="low"),
)

RULE_SOURCE_KINDS = {_RULE: _F({"http", "network"})}
