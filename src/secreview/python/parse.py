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

from secreview import lazyre

# Syntax that older/newer grammars reject, with the version that introduced it.
_VERSION_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (lazyre.compile(r"(?<![\w.])(?:[tT][rR]?|[rR][tT])[\"']"), "3.14 (template strings, PEP 750)"),
    # `except A, B:` names two exception classes (3.14); `except A, e:` binds e (Python 2)
    (
        lazyre.compile(r"except\s+[\w.]+\s*,\s*(?:[\w.]+\s*,\s*)*[A-Z][\w.]*\s*:"),
        "3.14 (except without parentheses, PEP 758)",
    ),
    (lazyre.compile(r"^\s*type\s+\w+(\[.*\])?\s*="), "3.12 (type aliases, PEP 695)"),
    (lazyre.compile(r"^\s*(def|class)\s+\w+\["), "3.12 (generic parameters, PEP 695)"),
    (lazyre.compile(r"^\s*except\*"), "3.11 (except*, PEP 654)"),
    (lazyre.compile(r"^\s*match\s+.+:\s*$"), "3.10 (match statements, PEP 634)"),
    (lazyre.compile(r"^\s*print\s+[^(=\s]"), "Python 2 (print statement)"),
    (lazyre.compile(r"^\s*exec\s+[\"'\w]"), "Python 2 (exec statement)"),
    (lazyre.compile(r"except\s+[\w.]+\s*,\s*\w+\s*:"), "Python 2 (except X, e)"),
    (lazyre.compile(r"\b0[0-7]+\b"), "Python 2 (octal literal without 0o)"),
    (lazyre.compile(r"\bur[\"']"), "Python 2 (ur'' literal)"),
)


# --- huge literals -----------------------------------------------------------------------
# CPython's parser takes about 1 KB of memory per element of a literal: a 5 MB table of
# numbers (generated data, a lookup table) costs well over a gigabyte to parse, for nothing a
# rule or the data-flow analysis could find in it. In sources this large, long runs of simple
# elements (numbers, True/False/None, short strings, and small tuples, lists and dicts of
# them) keep their first KEEP_ITEMS elements; the rest of the run is dropped, its line breaks
# kept, so every line number stays right. The file gets a diagnostic saying so.
BIG_SOURCE = 1_000_000  # characters; smaller sources are parsed as they are
KEEP_ITEMS = 1_000
MIN_RUN = 20_000  # elements; shorter runs are parsed as they are
_ATOM = (
    r"""(?:[-+]?(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)"""
    r"""(?:[eE][-+]?\d+)?[jJ]?)|True|False|None"""
    r"""|[rbuRBU]?"[^"\\\n]{0,12}"|[rbuRBU]?'[^'\\\n]{0,12}')"""
)
_PAIR = rf"{_ATOM}(?:\s*:\s*{_ATOM})?"
_GROUP = rf"[(\[{{]\s*(?:{_PAIR}\s*,\s*){{0,16}}(?:{_PAIR})?\s*[)\]}}]"
_ITEM = lazyre.compile(rf"\s*(?:{_GROUP}|{_PAIR})\s*,")


def shrink_literals(text: str) -> tuple[str, list[tuple[int, int]]]:
    """`text` with the elements of huge literals after the first KEEP_ITEMS dropped (line
    breaks kept), and (line, elements) for each literal shortened; `text` itself when it is
    small or holds none."""
    if len(text) < BIG_SOURCE:
        return text, []
    runs: list[tuple[int, int, int]] = []  # (start, end, elements) of each long run
    start = end = count = 0
    for match in _ITEM.finditer(text):
        if match.start() == end and count:
            end, count = match.end(), count + 1
            continue
        if count >= MIN_RUN:
            runs.append((start, end, count))
        start, end, count = match.start(), match.end(), 1
    if count >= MIN_RUN:
        runs.append((start, end, count))
    if not runs:
        return text, []
    parts: list[str] = []
    notes: list[tuple[int, int]] = []
    position = 0
    for first, last, elements in runs:
        cut = first
        for _ in range(KEEP_ITEMS):  # past the elements kept
            match = _ITEM.match(text, cut)
            assert match is not None
            cut = match.end()
        parts.append(text[position:cut])
        parts.append("\n" * text.count("\n", cut, last))
        notes.append((text.count("\n", 0, first) + 1, elements))
        position = last
    parts.append(text[position:])
    return "".join(parts), notes


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
