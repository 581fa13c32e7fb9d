"""What an argument vector runs: shared by the command-injection taint sinks and the
shell-true-non-constant pattern rule."""

from __future__ import annotations

import ast

_SHELLS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "fish", "csh", "tcsh"})


def shell_script(vector: list[ast.expr]) -> list[ast.expr]:
    """`["sh", "-c", script, ...]`: a shell parses the script after `-c` (or `-ec`,
    `-lc`, …) as a command line, exactly as with shell=True; later elements are only its
    positional parameters."""
    if not vector or not isinstance(head := vector[0], ast.Constant):
        return []
    if not isinstance(head.value, str) or head.value.rsplit("/", 1)[-1] not in _SHELLS:
        return []
    for index, element in enumerate(vector[1:-1], start=1):
        if not isinstance(element, ast.Constant) or not isinstance(element.value, str):
            return []  # an option built at run time: where the script is, is unknown
        flag = element.value
        if flag.startswith("-") and not flag.startswith("--") and "c" in flag[1:]:
            script = vector[index + 1]
            return [script.value if isinstance(script, ast.Starred) else script]
    return []
