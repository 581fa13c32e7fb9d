"""lxml-unsafe-parser: an lxml parser told to resolve external entities or use the network."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python import fixes
from secreview.python.context import ModuleContext, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register

_PARSERS = frozenset(
    {
        "lxml.etree.XMLParser",
        "lxml.etree.XMLPullParser",
        "lxml.etree.ETCompatXMLParser",
        "lxml.etree.iterparse",
        "lxml.objectify.makeparser",
        "lxml.objectify.ObjectifiedElement.makeparser",
    }
)


@register
class LxmlUnsafeParser(Rule):
    meta = RuleMeta(
        id="lxml-unsafe-parser",
        cwe=611,
        severity="medium",
        confidence="high",
        title="lxml parser configured to resolve external entities",
        why=(
            "resolve_entities=True makes lxml replace <!ENTITY x SYSTEM 'file:///etc/passwd'> "
            "with the file's contents, and no_network=False lets entities and DTDs fetch URLs: "
            "a document parsed with this parser can read local files into the result or make "
            "the server send requests (XXE, SSRF)."
        ),
        example="parser = etree.XMLParser(resolve_entities=True, no_network=False)",
        fix=(
            "Build parsers with resolve_entities=False (lxml >= 5 defaults to 'internal') and "
            "keep no_network=True; for documents from outside use defusedxml.lxml or "
            "defusedxml.ElementTree."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/611.html",
            "https://lxml.de/api/lxml.etree.XMLParser-class.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html",
        ),
        fixable=True,
    )
    calls = _PARSERS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """Only explicit settings: lxml's defaults changed in 5.0 (resolve_entities='internal'),
        and documents from outside are the `xxe` taint rule's business."""
        short = name.rsplit(".", 1)[-1]
        resolve = keyword(call, "resolve_entities")
        network = keyword(call, "no_network")
        problems = []
        repairs: list = []
        if resolve is not None and ctx.constant_value(resolve) is True:
            problems.append(
                "resolve_entities=True replaces external entities with the files or URLs they name"
            )
            repairs += fixes.replace_node(ctx, resolve, "False", "Do not resolve entities")
        if network is not None and ctx.constant_value(network) is False:
            problems.append("no_network=False lets entities and DTDs fetch URLs")
            repairs += fixes.replace_node(ctx, network, "True", "Keep the parser off the network")
        if not problems:
            return
        yield Hit(
            call,
            f"{short}(): " + "; ".join(problems) + ". Any document parsed with it can read "
            "local files or make the server send requests.",
            fixes=tuple(repairs),
        )
