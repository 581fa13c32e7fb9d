"""Taint rule `template-injection` (CWE-1336): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta
from secreview.rules.support.apis import DJANGO, FLASK

META = register_meta(
    RuleMeta(
        id="template-injection",
        cwe=1336,
        severity="critical",
        confidence="high",
        title="Template source built from untrusted input",
        why=(
            "Attacker-controlled text is compiled as a template (Jinja2, Django, Mako, Tornado), "
            "given to a template loader, or written into a template file the application "
            "renders later; template syntax such as `{{ ... }}` then runs expressions on the "
            "server."
        ),
        example='return render_template_string("Hello " + request.args["name"])',
        fix=(
            "Keep templates constant and pass input as context variables: "
            '`render_template_string("Hello {{ name }}", name=name)`; keep text users edit '
            "as data a fixed template shows, or render it in a `SandboxedEnvironment`, never "
            "in a file of the template folder."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1336.html",
            "https://portswigger.net/web-security/server-side-template-injection",
        ),
        fix_by_api=(
            FixText(
                FLASK,
                "Keep the template constant and pass input as variables: "
                "`render_template_string('Hello {{ name }}', name=name)`, or a template file with "
                "`render_template`.",
            ),
            FixText(
                DJANGO,
                "Keep the template constant (a template file, or `Template('Hello {{ name }}')`) "
                "and pass input in the context: `template.render(Context({'name': name}))`.",
            ),
            FixText(
                ("jinja2",),
                "Keep the template constant and pass input as variables: "
                "`env.from_string('Hello {{ name }}').render(name=name)`; for templates users "
                "must write, use `jinja2.sandbox.SandboxedEnvironment`.",
            ),
            FixText(
                ("mako",),
                "Keep the template constant and pass input as variables: "
                "`Template('Hello ${name | h}').render(name=name)`.",
            ),
        ),
        fix_unknown_api=(
            "Keep the template text constant and pass input as a template variable; for "
            "templates users must write, use a sandboxed environment."
        ),
        kind="taint",
    )
)
