"""Taint rule `trust-boundary-violation` (CWE-501): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="trust-boundary-violation",
        cwe=501,
        severity="medium",
        confidence="medium",
        title="Untrusted input stored in the server-side session",
        why=(
            "Request data is stored in the session next to trusted values; later "
            "code reads it back "
            "as if the server had set it (for example a role or user id)."
        ),
        example='session["role"] = request.args["role"]',
        fix=(
            "Validate the value before storing it (allow-list, type conversion), or"
            " keep request data"
            " out of the session and derive trusted values on the server."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/501.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
