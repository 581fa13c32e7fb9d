"""Numeric and imaging libraries that evaluate expressions as Python: pandas, numexpr,
SymPy, Pillow's ImageMath (code injection)."""

from secreview.python.taint.spec import Sink

_FRAME_EVAL = ("query", "eval")

SINKS = (
    # pandas.eval and DataFrame.query/eval parse the text with Python's own grammar and
    # resolve attributes and calls in it (the python engine evaluates it outright)
    Sink("pandas.eval", "code-injection", (0, "expr")),
    *(Sink(f"pandas.DataFrame.{m}", "code-injection", (0, "expr")) for m in _FRAME_EVAL),
    *(Sink(f".{m}", "code-injection", (0, "expr"), receiver="dataframe") for m in _FRAME_EVAL),
    # numexpr.evaluate ran eval() on the text before 2.8.5 (CVE-2023-39631); later
    # versions screen it with a block-list
    Sink("numexpr.evaluate", "code-injection", (0, "ex"), confidence="medium"),
    # sympify (and S(), parse_expr) run eval() on the parsed text
    Sink("sympy.sympify", "code-injection", (0, "a")),
    Sink("sympy.S", "code-injection", (0,)),
    Sink("sympy.core.sympify.sympify", "code-injection", (0, "a")),
    Sink("sympy.parsing.sympy_parser.parse_expr", "code-injection", (0, "s")),
    Sink("sympy.parse_expr", "code-injection", (0, "s")),
    # ImageMath.eval ran eval() with a restricted namespace that could be escaped
    # (CVE-2023-50447); Pillow 10.3 renamed it unsafe_eval, the safe form is lambda_eval
    Sink("PIL.ImageMath.eval", "code-injection", (0, "expression")),
    Sink("PIL.ImageMath.unsafe_eval", "code-injection", (0, "expression")),
)
