"""The `re` module: request text matched by a regex that backtracks exponentially.

The `redos_pattern` condition reads the pattern (a literal, a module constant, or the
`re.compile(...)` a variable, constant or class attribute holds) and keeps the sink only
when `secreview.python.redos` finds an exponential construct in it.
"""

from secreview.python.taint.spec import Sink
from secreview.rules.support.regex import FUNCTIONS, METHODS

SINKS = (
    *(
        Sink(f"re.{name}", "regex-redos", (data, keyword), "redos_pattern")
        for name, (_, _, data, keyword) in FUNCTIONS.items()
    ),
    *(
        Sink(f"{compiled}.{name}", "regex-redos", (data, "string"), "redos_pattern")
        for compiled in ("re.compile", "re.Pattern")
        for name, data in METHODS.items()
    ),
)
