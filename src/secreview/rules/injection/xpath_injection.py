"""Taint rule `xpath-injection` (CWE-643): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="xpath-injection",
        cwe=643,
        severity="high",
        confidence="medium",
        title="XPath expression built from untrusted input",
        why=(
            "Attacker-controlled text is spliced into an XPath expression, changing which nodes it "
            "selects (for example bypassing a login check)."
        ),
        example='name = request.args["user"]\ntree.xpath(f"//user[@name=\'{name}\']")',
        fix=(
            'Pass values as XPath variables (`tree.xpath("//user[@name=$name]", '
            "name=name)`) instead "
            "of formatting them into the expression."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/643.html",
            "https://lxml.de/xpathxslt.html#the-xpath-method",
        ),
        kind="taint",
    )
)
