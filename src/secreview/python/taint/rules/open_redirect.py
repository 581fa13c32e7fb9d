"""Taint rule `open-redirect` (CWE-601): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="open-redirect",
        cwe=601,
        severity="medium",
        confidence="medium",
        title="Redirect to an untrusted URL",
        why=(
            "The response sends the browser to a URL the attacker chose (a redirect, a "
            "Location or Refresh header, a meta refresh or script in the page, a link the "
            "template makes of it), so a link on the trusted site takes victims to a "
            "phishing page."
        ),
        example='return redirect(request.args["next"])',
        fix=(
            "Redirect only to relative paths or allow-listed hosts: check with "
            "`django.utils.http.url_has_allowed_host_and_scheme()` or parse the URL"
            " and compare its "
            "host; prefer `url_for()` targets."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/601.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_a"
            "nd_Forwards_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
