"""Taint rule `escaping-wrong-context` (CWE-838): escaping that does not fit where the text
goes: HTML escaping without quotes inside an attribute (`quote=False`, `cgi.escape`), or
inside a URL or event-handler attribute or a `<script>`, `shlex.quote` inside quotes of
the shell text, SQL quotes doubled for MySQL or stripped, `re.escape` for SQL or a shell.
Found by `taint/weak.py`; the finding takes the sink's CWE and names CWE-838."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="escaping-wrong-context",
        cwe=838,
        severity="high",
        confidence="high",
        title="Escaping that does not fit where the text goes",
        why=(
            "The value is escaped, but for another context than the one it lands in: "
            '`html.escape(x, quote=False)` leaves `"` to close an attribute, HTML escaping '
            "leaves `javascript:` in a link and `alert(1)` in a `<script>`'s code, "
            "`shlex.quote(x)` inside `'...'` is unquoted by the surrounding quotes."
        ),
        example="return f'<a title=\"{html.escape(name, quote=False)}\">{name}</a>'",
        fix=(
            "Escape for the context the value lands in: `html.escape(x)` (quotes included) for "
            "a quoted attribute, an allow-listed scheme for a URL, JSON (`|tojson`) for a "
            "script, `shlex.quote(x)` on its "
            "own, never inside quotes, bound parameters for SQL."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/838.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention"
            "_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
