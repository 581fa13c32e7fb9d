"""json-endpoint-without-csrf: a cookie-authenticated JSON endpoint another site can call.

The evidence is the whole project (`secreview.python.access`): this module holds the
rule's documentation. Reported: a Flask view that changes stored data, knows its user by the
session cookie (Flask-Login), and parses its JSON body whatever the content type
(`request.get_json(force=True)`, `json.loads(request.get_data())`), in a project where no
CSRF protection covers it (no `CSRFProtect`/`SeaSurf`, or the view is exempt) and the session
cookie is not `SameSite=Lax` or `Strict` (Flask's default is None). A plain
`request.get_json()` refuses a body that is not `application/json`, which another site's page
cannot send without a CORS preflight: it is not reported.
"""

from __future__ import annotations

from secreview.rules import FixText, RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="json-endpoint-without-csrf",
        cwe=352,
        severity="medium",
        confidence="medium",
        title="Cookie-authenticated JSON endpoint without CSRF or SameSite protection",
        why=(
            "The browser sends the session cookie with a request another site's page makes: "
            "a form posting `text/plain` that reads as JSON changes the signed-in user's data "
            "when the endpoint parses any content type and nothing checks a CSRF token or "
            "keeps the cookie from cross-site requests."
        ),
        example=(
            "@app.route('/api/notes/<int:id>', methods=['POST'])\n@login_required\n"
            "def update_note(id):\n    data = request.get_json(force=True)"
        ),
        fix=(
            "Protect the endpoint against cross-site requests: check a CSRF token (a header "
            "the page's script sends), mark the session cookie `SameSite=Lax`, and accept "
            "only `application/json` bodies."
        ),
        fix_by_api=(
            FixText(
                ("flask_wtf",),
                "Drop `@csrf.exempt` (the page's script sends the token in the `X-CSRFToken` "
                "header), set `SESSION_COOKIE_SAMESITE = 'Lax'`, and read the body with "
                "`request.get_json()` (no `force=True`).",
            ),
            FixText(
                ("flask", "flask_login"),
                "Check a CSRF token on every unsafe request (Flask-WTF's CSRF protection, the "
                "token sent in the `X-CSRFToken` header), set `SESSION_COOKIE_SAMESITE = 'Lax'`, "
                "and read the body with `request.get_json()` (no `force=True`).",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/352.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html",
        ),
        kind="project",
    )
)
