"""Taint rule `code-injection` (CWE-95): metadata here, sinks in `taint/specs/`."""

from secreview.rules import RuleMeta, register_meta

META = register_meta(
    RuleMeta(
        id="code-injection",
        cwe=95,
        severity="critical",
        confidence="high",
        title="Untrusted input evaluated as Python code",
        why=(
            "Attacker-controlled text reaches `eval`, `exec` or `compile`, which run it as Python "
            "code with the full power of the process (as `pandas.eval`, `DataFrame.query`, "
            "SymPy's `sympify` and Pillow's `ImageMath.eval` do with their text)."
        ),
        example='expr = request.form["expr"]\nresult = eval(expr)',
        fix=(
            "Never evaluate input: parse literals with `ast.literal_eval()`, or map the allowed "
            "operations to functions explicitly."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/95.html",
            "https://docs.python.org/3/library/ast.html#ast.literal_eval",
        ),
        kind="taint",
    )
)
