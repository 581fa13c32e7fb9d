"""Parse Python source into an AST without ever importing or running it.

Failures become one clear message: a syntax error names the Python version the syntax
needs when that is the likely cause; deep nesting (RecursionError/MemoryError) is reported
instead of crashing the run.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass

# Syntax that older/newer grammars reject, with the version that introduced it.
_VERSION_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<![\w.])(?:[tT][rR]?|[rR][tT])[\"']"), "3.14 (template strings, PEP 750)"),
    # `except A, B:` names two exception classes (3.14); `except A, e:` binds e (Python 2)
    (
        re.compile(r"except\s+[\w.]+\s*,\s*(?:[\w.]+\s*,\s*)*[A-Z][\w.]*\s*:"),
        "3.14 (except without parentheses, PEP 758)",
    ),
    (re.compile(r"^\s*type\s+\w+(\[.*\])?\s*="), "3.12 (type aliases, PEP 695)"),
    (re.compile(r"^\s*(def|class)\s+\w+\["), "3.12 (generic parameters, PEP 695)"),
    (re.compile(r"^\s*except\*"), "3.11 (except*, PEP 654)"),
    (re.compile(r"^\s*match\s+.+:\s*$"), "3.10 (match statements, PEP 634)"),
    (re.compile(r"^\s*print\s+[^(=\s]"), "Python 2 (print statement)"),
    (re.compile(r"^\s*exec\s+[\"'\w]"), "Python 2 (exec statement)"),
    (re.compile(r"except\s+[\w.]+\s*,\s*\w+\s*:"), "Python 2 (except X, e)"),
    (re.compile(r"\b0[0-7]+\b"), "Python 2 (octal literal without 0o)"),
    (re.compile(r"\bur[\"']"), "Python 2 (ur'' literal)"),
)


@dataclass(frozen=True, slots=True)
class ParseFailure:
    message: str
    kind: str  # "syntax" or "too-deep"


def parse_module(text: str, path: str) -> ast.Module | ParseFailure:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences etc. are not our business
            return ast.parse(text, filename=path, type_comments=False)
    except SyntaxError as exc:
        return ParseFailure(_syntax_message(exc, text), "syntax")
    except (RecursionError, MemoryError):
        return ParseFailure(
            "the file is nested too deeply to parse (RecursionError); it was skipped", "too-deep"
        )
    except ValueError as exc:  # e.g. source contains null bytes
        return ParseFailure(f"cannot parse: {exc}", "syntax")


def _syntax_message(exc: SyntaxError, text: str) -> str:
    line = exc.lineno or 0
    where = f"line {line}" + (f", column {exc.offset}" if exc.offset else "")
    message = f"syntax error at {where}: {exc.msg}"
    source_line = exc.text or (
        text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else ""
    )
    hint = _version_hint(source_line or "")
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    if hint and hint.startswith("Python 2"):
        message += f"; this looks like {hint} syntax, which Python 3 cannot parse"
    elif hint and _needs_newer(hint):
        message += f"; this syntax needs Python {hint} (secreview runs on {running})"
    return message


def _version_hint(line: str) -> str | None:
    for pattern, version in _VERSION_HINTS:
        if pattern.search(line):
            return version
    return None


def _needs_newer(hint: str) -> bool:
    """Only blame the version when the running Python is older than the syntax."""
    major, minor = (int(part) for part in hint.split(" ", 1)[0].split("."))
    return sys.version_info[:2] < (major, minor)
