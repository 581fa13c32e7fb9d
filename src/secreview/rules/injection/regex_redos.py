"""regex-redos: regular expressions that backtrack exponentially (ReDoS).

One rule, two forms: the taint engine reports request data reaching such a regex (high,
sinks in `taint/specs/regex.py`); this pattern form reports the regex where it is written
(low: whether its input is attacker-controlled is not visible here). The findings stage
keeps only the data-flow finding when both flag the same statement.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python import redos
from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta, register_meta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.regex import FUNCTIONS, regex_of_call

META = register_meta(
    RuleMeta(
        id="regex-redos",
        cwe=1333,
        severity="high",
        confidence="high",
        title="Regular expression with exponential backtracking",
        why=(
            "Python's re engine backtracks: a repetition whose body can match the same text "
            "in several ways ((a+)+, (\\w+\\s?)*, (.|\\s)*) tries every split of a long run "
            "once the rest of the pattern fails, doubling the time with each extra character. "
            "Thirty characters from a request can hold a worker for minutes (ReDoS)."
        ),
        example=(
            "NAME = re.compile(r'^(\\w+\\s?)+$')\n"
            "if not NAME.match(request.args['name']): abort(400)"
        ),
        fix=(
            "Make every repetition unambiguous: (\\w+\\s?)+ -> \\w+(\\s\\w+)*, (a+)+ -> a+, "
            "(.|\\s)* -> [\\s\\S]*; or use possessive/atomic forms (Python 3.11+: (\\w+\\s?)++, "
            "(?>...)), limit the input length before matching, or use a linear-time engine "
            "(google-re2)."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1333.html",
            "https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS",
        ),
        kind="taint",
    )
)


@register
class RegexRedos(Rule):
    meta = META
    calls = frozenset({"re.compile", *(f"re.{name}" for name in FUNCTIONS)})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        use = regex_of_call(call, ctx)
        if use is None:
            return
        verdict = redos.analyze(use.pattern, use.flags, full_match=use.full_match)
        if verdict is None:
            return
        yield Hit(
            call,
            f"This regex has {verdict.detail} ({verdict.kind}); on a long input that almost "
            "matches, the engine backtracks exponentially. Its input is not visibly "
            "request data here, but the fix is cheap.",
            severity="low",
            confidence="medium",
        )
