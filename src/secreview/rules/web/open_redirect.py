"""Taint rule `open-redirect` (CWE-601): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta
from secreview.rules.support.apis import DJANGO, FASTAPI, FLASK

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
        fix_by_api=(
            FixText(
                FLASK,
                "Redirect to your own endpoints with `redirect(url_for('index'))`; for a `next` "
                "parameter, accept only a relative path (`urlsplit(target).netloc == ''` and no "
                "leading `//`) or a host from an allow-list.",
            ),
            FixText(
                DJANGO,
                "Check the target with `url_has_allowed_host_and_scheme(url, "
                "allowed_hosts={request.get_host()}, require_https=request.is_secure())` before "
                "`redirect()`, and fall back to a fixed URL "
                "(`resolve_url(settings.LOGIN_REDIRECT_URL)`).",
            ),
            FixText(
                FASTAPI,
                "Redirect to your own routes (`request.url_for('home')`); for a `next` parameter "
                "accept only a relative path (`urlsplit(target).netloc == ''` and no leading `//`) "
                "or a host from an allow-list before `RedirectResponse(target)`.",
            ),
            FixText(
                ("aiohttp", "tornado", "falcon", "pyramid", "webob", "pecan", "bottle"),
                "Accept only a relative path (`urlsplit(target).netloc == ''` and no leading "
                "`//`) or a host from an allow-list before redirecting; otherwise redirect to a "
                "fixed page.",
            ),
        ),
        fix_unknown_api=(
            "Redirect only to relative paths or allow-listed hosts: parse the target "
            "(`urllib.parse.urlsplit`) and accept it only without a host, or with one from the "
            "allow-list; otherwise redirect to a fixed page."
        ),
        kind="taint",
    )
)
