"""Taint rule `trust-boundary-violation` (CWE-501): metadata here; the session stores are in
`taint/specs/` (`SESSION_OBJECTS`, a request's `session_attr`), and which keys the program
reads as trusted in `taint/sessions.py`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="trust-boundary-violation",
        cwe=501,
        severity="medium",
        confidence="medium",
        title="Untrusted input stored in the server-side session",
        why=(
            "Request data is stored in the session under a key that other code reads back "
            "as if the server had set it (a role checked by a guard, the user id a lookup "
            "loads, a URL a redirect follows), so the client decides what the server trusts."
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
