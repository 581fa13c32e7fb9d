"""Taint rule `ssrf` (CWE-918): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="ssrf",
        cwe=918,
        severity="high",
        confidence="medium",
        title="Server-side request to an untrusted URL",
        why=(
            "The server fetches a URL or connects to a host the attacker chose, reaching internal "
            "services (cloud metadata at 169.254.169.254, admin ports) that the "
            "attacker cannot reach"
            " directly."
        ),
        example='url = request.args["url"]\nrequests.get(url, timeout=5)',
        fix=(
            "Build the URL from a fixed base and validate the host against an allow-list after "
            "parsing (`urllib.parse.urlsplit(url).hostname in ALLOWED_HOSTS`); "
            "block private address "
            "ranges when arbitrary hosts are a feature."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/918.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_For"
            "gery_Prevention_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
