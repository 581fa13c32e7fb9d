"""Taint rule `conditional-check` (CWE-20): a check on a flow that decides only under a
condition that is not about the data (a setting, a debug flag), so the data reaches the sink
unchecked when the condition is off. Found by `taint/weak.py` on any sink's flow; the finding
takes the sink's CWE and names CWE-20 as the check's weakness."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="conditional-check",
        cwe=20,
        severity="high",
        confidence="medium",
        title="Check that only runs under a condition",
        why=(
            "The value is checked only when a setting or flag that has nothing to do with the "
            "value is on: with it off (as it may be in production, or by default) the value "
            "reaches the sink unchecked."
        ),
        example=(
            "name = request.args['name']\n"
            "if app.config['STRICT_NAMES'] and not SAFE_NAME.fullmatch(name):\n"
            "    abort(400)\nreturn open(os.path.join(BASE, name)).read()"
        ),
        fix=(
            "Run the check on every path to the sink, whatever the settings: validate where "
            "the value is used, and let a setting at most make the check stricter."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/20.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html",
        ),
        kind="taint",
    )
)
