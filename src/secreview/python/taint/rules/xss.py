"""Taint rule `xss` (CWE-79): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="xss",
        cwe=79,
        severity="high",
        confidence="medium",
        title="Untrusted input written into an HTML response",
        why=(
            "Attacker-controlled text reaches an HTML response (a view's returned text, a "
            "response body sent as text/html, JSON text included), or is marked safe for a "
            "template (`Markup`, `mark_safe`, `|safe`), without escaping; script in it runs in "
            "victims' browsers."
        ),
        example='name = request.args["name"]\nreturn f"<h1>Hello {name}</h1>"',
        fix=(
            "Render through an autoescaping template (`render_template`, Django templates), escape "
            "with `markupsafe.escape()` / `html.escape()`, and never wrap input in "
            "`Markup`/`mark_safe`."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/79.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Pr"
            "evention_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
