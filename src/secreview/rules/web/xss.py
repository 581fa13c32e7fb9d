"""Taint rule `xss` (CWE-79): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta
from secreview.rules.support.apis import DJANGO, FASTAPI, FLASK

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
        fix_by_api=(
            FixText(
                FLASK,
                "Render through a template (`render_template('page.html', name=name)`, which "
                "autoescapes), or escape with `markupsafe.escape(name)` before building HTML; "
                "never wrap input in `Markup`.",
            ),
            FixText(
                DJANGO,
                "Render through a template (`render(request, 'page.html', {'name': name})`, "
                "which autoescapes), or build the HTML with `format_html('<b>{}</b>', name)`; "
                "never wrap input in `mark_safe`.",
            ),
            FixText(
                FASTAPI,
                "Return `HTMLResponse` only with escaped text (`html.escape(name)`), or render a "
                "Jinja2 template with autoescaping (`Jinja2Templates`).",
            ),
            FixText(
                ("aiohttp", "tornado", "falcon", "pyramid", "webob", "pecan", "bottle", "cherrypy"),
                "Escape the value with `html.escape()` before writing it into HTML, or render it "
                "through an autoescaping template.",
            ),
        ),
        fix_unknown_api=(
            "Escape the value (`html.escape()`) before writing it into HTML, or render it "
            "through an autoescaping template; never mark input as safe markup."
        ),
        kind="taint",
    )
)
