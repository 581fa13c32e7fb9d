"""Taint rule `incomplete-block-list` (CWE-184): a check that refuses some attack text
(`"<script>" in x`, `';' in cmd`, a keyword list) and lets other forms of the attack through.
Found by `taint/weak.py`; the finding takes the sink's CWE and names CWE-184."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="incomplete-block-list",
        cwe=184,
        severity="high",
        confidence="high",
        title="Block-list that lets other forms of the attack through",
        why=(
            "The value is refused when it contains some known attack text, which leaves every "
            "other form of the attack: `<img src=x onerror=...>` has no `<script>`, `$(id)` "
            "no `;`, `1 OR 1=1` no quote."
        ),
        example=(
            "comment = request.form['comment']\n"
            "if '<script>' in comment.lower():\n    abort(400)\n"
            "return f'<p>{comment}</p>'"
        ),
        fix=(
            "Allow-list what may pass (`re.fullmatch` of a safe pattern, or one of a set of "
            "known values), or neutralise the value for its sink: bound SQL parameters, an "
            "argument list without a shell, escaping on output."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/184.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
