"""xml-sax-external-entities: a SAX parser switched to fetch external entities."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python import fixes
from secreview.python.context import ModuleContext, argument
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import constant_string
from secreview.rules.support.pattern import Hit, Rule, register

_FEATURES = {
    "xml.sax.handler.feature_external_ges": "external general entities",
    "xml.sax.handler.feature_external_pes": "external parameter entities",
    "http://xml.org/sax/features/external-general-entities": "external general entities",
    "http://xml.org/sax/features/external-parameter-entities": "external parameter entities",
}


@register
class XmlSaxExternalEntities(Rule):
    meta = RuleMeta(
        id="xml-sax-external-entities",
        cwe=611,
        severity="medium",
        confidence="high",
        title="SAX parser set to resolve external entities",
        why=(
            "Python's SAX parsers leave external entities alone unless feature_external_ges "
            "(or _pes) is turned on; with it on, a document can name file:///etc/passwd or an "
            "internal URL and the parser reads it into the content it reports (XXE, SSRF)."
        ),
        example="parser = xml.sax.make_parser()\nparser.setFeature(feature_external_ges, True)",
        fix=(
            "Leave feature_external_ges/feature_external_pes off (the default since Python "
            "3.7.1), or parse with defusedxml.sax, which refuses entity declarations."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/611.html",
            "https://docs.python.org/3/library/xml.sax.handler.html#xml.sax.handler.feature_external_ges",
        ),
        fixable=True,
    )
    nodes = (ast.Call,)
    methods = frozenset({"setFeature"})
    triggers = frozenset({"setFeature"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr != "setFeature":
            return
        feature = argument(node, 0, "name")
        value = argument(node, 1, "state")
        if feature is None or value is None:
            return
        which = _FEATURES.get(ctx.resolve(feature) or constant_string(feature, ctx) or "")
        state = ctx.constant_value(value)
        if which is None or state is NotImplemented or not state:
            return  # another feature, chosen at run time, or switched off
        yield Hit(
            node,
            f"setFeature(..., True) makes this SAX parser fetch {which}: a document can pull "
            "local files or internal URLs into what the parser reports.",
            fixes=fixes.replace_node(ctx, value, "False", "Leave external entities off"),
        )
