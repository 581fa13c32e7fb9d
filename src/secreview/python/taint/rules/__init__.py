"""Taint rules: one module per sink family (rule id, CWE, docs, sink specs), and the rules about
the checks on a flow (`CHECK_RULES`)."""

# the rules that report a check on a flow that looks protective but is not (`taint/weak.py`):
# they have no sinks of their own, and need the engine to follow data to every sink
CHECK_RULES = (
    "weak-path-containment-check",
    "weak-url-check",
    "weak-regex-validator",
    "incomplete-block-list",
    "escaping-wrong-context",
    "conditional-check",
)
