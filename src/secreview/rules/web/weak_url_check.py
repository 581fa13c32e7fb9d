"""Taint rule `weak-url-check` (CWE-601): a check of a redirect or request URL that another
host passes (`url.startswith('/')`, a prefix without the host's end, a host found anywhere in
the URL). Found by `taint/weak.py` on the flows of `open-redirect` and `ssrf` sinks; the
finding takes the sink's CWE (601 or 918) and names the check's weakness (CWE-187, 1289)."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="weak-url-check",
        cwe=601,
        severity="medium",
        confidence="high",
        title="URL check that another host passes",
        why=(
            "The URL is checked before the redirect or request, but the check reads its text "
            "instead of its parsed scheme and host: `//evil.example` and `/\\evil.example` start "
            "with `/`, `https://good.example.evil.example` starts with `https://good.example`, "
            "and any URL can contain `good.example`."
        ),
        example=(
            "url = request.args['next']\n"
            "if not url.startswith('/'):\n    abort(400)\nreturn redirect(url)"
        ),
        fix=(
            "Parse the URL and allow-list scheme and host exactly: "
            "`url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()})` "
            "(Django), or `parts = urlsplit(url)` with `parts.scheme in {'http', 'https'} and "
            "parts.hostname in ALLOWED_HOSTS`."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/601.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Unvalidated_Redirects_and_Forwards"
            "_Cheat_Sheet.html",
            "https://cwe.mitre.org/data/definitions/187.html",
        ),
        kind="taint",
    )
)
