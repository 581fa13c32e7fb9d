"""Taint rule `xxe` (CWE-611): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="xxe",
        cwe=611,
        severity="high",
        confidence="medium",
        title="Untrusted XML parsed with external entities enabled",
        why=(
            "An XML document from the attacker is parsed by a parser that resolves "
            "external entities,"
            " so it can read local files or make the server fetch URLs."
            " (lxml 5.2 and later resolve only internal entities unless a parser says "
            "resolve_entities=True.)"
        ),
        example=(
            "parser = lxml.etree.XMLParser(resolve_entities=True)\n"
            "doc = lxml.etree.fromstring(request.data, parser)"
        ),
        fix=(
            "Parse untrusted XML with `defusedxml` (`defusedxml.lxml.fromstring`, "
            "`defusedxml.ElementTree`) or an lxml parser built with `resolve_entities=False, "
            "no_network=True`."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/611.html",
            "https://github.com/tiran/defusedxml",
        ),
        fix_by_api=(
            FixText(
                ("lxml",),
                "Parse with `defusedxml.lxml.fromstring(data)`, or with an lxml parser built as "
                "`etree.XMLParser(resolve_entities=False, no_network=True)`.",
            ),
            FixText(
                ("xml",),
                "Parse untrusted XML with defusedxml (`defusedxml.ElementTree.fromstring`, "
                "`defusedxml.minidom.parseString`, `defusedxml.sax`), which refuses external "
                "entities.",
            ),
        ),
        fix_unknown_api=(
            "Parse untrusted XML with defusedxml, or with a parser that resolves no external "
            "entities and makes no network access."
        ),
        kind="taint",
    )
)
