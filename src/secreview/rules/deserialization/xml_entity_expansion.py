"""Taint rule `xml-entity-expansion` (CWE-776): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="xml-entity-expansion",
        cwe=776,
        severity="medium",
        confidence="low",
        title="Untrusted XML parsed without limits on entity expansion",
        why=(
            "A few hundred bytes of nested entity definitions ('billion laughs') expand to "
            "gigabytes when parsed; the standard library's parsers are protected only when "
            "linked against Expat 2.4.1 or newer (Python's docs still list them as "
            "vulnerable), and lxml drops its limits for parsers built with huge_tree=True."
        ),
        example="tree = xml.etree.ElementTree.fromstring(request.data)",
        fix=(
            "Parse documents from outside with defusedxml (`defusedxml.ElementTree."
            "fromstring`, `defusedxml.minidom.parseString`), which refuses entity "
            "declarations; keep lxml's huge_tree off for untrusted input."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/776.html",
            "https://docs.python.org/3/library/xml.html#xml-vulnerabilities",
            "https://github.com/tiran/defusedxml",
        ),
        fix_by_api=(
            FixText(
                ("lxml",),
                "Parse with `defusedxml.lxml` or an lxml parser without `huge_tree=True` and with "
                "`resolve_entities=False`; limit the input size first.",
            ),
            FixText(
                ("xml",),
                "Parse documents from outside with defusedxml (`defusedxml.ElementTree.fromstring`,"
                " `defusedxml.minidom.parseString`), which refuses entity declarations.",
            ),
        ),
        fix_unknown_api=(
            "Parse documents from outside with defusedxml, which refuses entity declarations, "
            "and limit the input size first."
        ),
        kind="taint",
    )
)
