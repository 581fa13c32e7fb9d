"""Taint rule `code-injection` (CWE-95): metadata here, sinks in `taint/specs/`."""

from secreview.rules import FixText, RuleMeta, register_meta

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
        fix_by_api=(
            FixText(
                ("pandas",),
                "Keep the expression constant and refer to values as `@name` "
                '(`df.query("region == @region")`), or filter with a boolean mask '
                "(`df[df[column] == value]`, with `column` from an allow-list).",
            ),
            FixText(
                ("numexpr",),
                "Keep the expression constant and pass the values in `local_dict`; an "
                "expression chosen by the user must come from an allow-list.",
            ),
            FixText(
                ("sympy",),
                "Build expressions from `sympy.Symbol(name)` and operators, or parse with "
                "`parse_expr(text, local_dict={...}, global_dict={})` only after checking the "
                "text against a grammar of your own; `sympify` runs `eval` on its input.",
            ),
            FixText(
                ("PIL",),
                "Use `ImageMath.lambda_eval(lambda args: ..., a=a, b=b)` with a function written "
                "in the source; never evaluate an expression from the user.",
            ),
        ),
        kind="taint",
    )
)
