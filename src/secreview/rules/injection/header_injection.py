"""Taint rule `header-injection` (CWE-113): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="header-injection",
        cwe=113,
        severity="medium",
        confidence="medium",
        title="HTTP response header built from untrusted input",
        why=(
            "Attacker-controlled text is written into a response header by code that sends "
            "it as given (WebOb, http.server, raw WSGI); CR/LF characters in it split the "
            "response or inject headers such as Set-Cookie. Werkzeug (Flask), Django, "
            "aiohttp, Tornado and Starlette refuse such values, so they are not reported."
        ),
        example='resp = webob.Response()\nresp.headers["X-User"] = req.params["user"]',
        fix=(
            "Reject or strip `\\r` and `\\n` from header values, or encode the value "
            "(`urllib.parse.quote`) before setting it."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/113.html",
            "https://owasp.org/www-community/attacks/HTTP_Response_Splitting",
        ),
        kind="taint",
    )
)
