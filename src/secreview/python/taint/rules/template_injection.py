"""Taint rule `template-injection` (CWE-1336): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="template-injection",
        cwe=1336,
        severity="critical",
        confidence="high",
        title="Template source built from untrusted input",
        why=(
            "Attacker-controlled text is compiled as a template (Jinja2, Django, Mako, Tornado); "
            "template syntax such as `{{ ... }}` then runs expressions on the server."
        ),
        example='return render_template_string("Hello " + request.args["name"])',
        fix=(
            "Keep templates constant and pass input as context variables: "
            '`render_template_string("Hello {{ name }}", name=name)`.'
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1336.html",
            "https://portswigger.net/web-security/server-side-template-injection",
        ),
        kind="taint",
    )
)
