"""Source excerpts for the HTML report: the lines around a finding or a trace step, coloured.

A `Finding` carries only its flagged snippet; the lines around it come from the reviewed
files under `Review.root`, read when the report is rendered. The code is hostile and the
files may have moved on since the review, so every read is guarded: a path that leaves the
root, a missing, unreadable, binary or oversized file, or a file whose lines no longer hold
the flagged snippet gives no excerpt, and the report shows the recorded snippet instead.
Every returned line is escaped HTML.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pygments.lexer import Lexer
from pygments.lexers import PythonLexer, TextLexer, get_lexer_for_filename
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from secreview.model import Diagnostic
from secreview.targets.source import decode_source, read_file
from secreview.targets.walk import Target

if TYPE_CHECKING:
    from pygments.token import _TokenType

MAX_FILE_BYTES = 5 * 1024 * 1024  # the default max-file-size: larger files were not reviewed
MAX_COLOURED_BYTES = 1024 * 1024  # above this, plain text: colouring is not worth the time
MAX_MARKED_LINES = 30  # a flagged statement longer than this is shown by its first lines
MAX_LINE_CHARS = 1000  # a longer line is shown cut, uncoloured: a report is not a copy
NEAR = 3  # how far from its line a snippet may sit and still count as the reviewed code
CLASS_PREFIX = "p-"  # token classes (`p-k`, `p-s2`) cannot collide with the report's own
_PYTHON = (".py", ".pyi", ".pyw")


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Lines `first`.. of a file as HTML, with `marked` the line numbers to highlight."""

    first: int
    lines: tuple[str, ...]
    marked: range


@dataclass(frozen=True, slots=True)
class _Source:
    raw: tuple[str, ...]  # the file's lines as text
    coloured: tuple[str, ...]  # the same lines as HTML


class SourceFiles:
    """The files of one review, each read and coloured at most once."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)
        self._real_root = os.path.realpath(self.root)
        self._files: dict[str, _Source | None] = {}
        self._stale: set[str] = set()

    def holds(self, path: str, line: int, end_line: int | None, snippet: str) -> bool:
        """Whether `path` is readable and still holds `snippet` at (or a few lines from)
        `line`, so an excerpt shows the code that was reviewed."""
        source = self._load(path)
        if source is None or not 1 <= line <= len(source.raw):
            return False
        wanted = _first_code_line(snippet)
        if not wanted:
            return True
        last = max(line, end_line or line)
        window = source.raw[max(0, line - 1 - NEAR) : min(len(source.raw), last + NEAR)]
        return any(wanted in " ".join(text.split()) for text in window)

    def mark_stale(self, path: str) -> None:
        """`path` changed since the review (an engine finding's snippet is not in it): none
        of its lines are shown, since their numbers may no longer match."""
        self._stale.add(path)

    def excerpt(self, path: str, line: int, end_line: int | None, context: int) -> Excerpt | None:
        """Lines `line`..`end_line` marked, with `context` lines either side; None when the
        file cannot be shown or the line is not in it."""
        if path in self._stale:
            return None
        source = self._load(path)
        if source is None or not 1 <= line <= len(source.raw):
            return None
        last = min(max(line, end_line or line), len(source.raw), line + MAX_MARKED_LINES - 1)
        start = max(1, line - context)
        stop = min(len(source.raw), last + context)
        return Excerpt(start, source.coloured[start - 1 : stop], range(line, last + 1))

    def _load(self, path: str) -> _Source | None:
        if path not in self._files:
            self._files[path] = self._read(path)
        return self._files[path]

    def _read(self, path: str) -> _Source | None:
        full = self._inside_root(path)
        if full is None:
            return None
        data = read_file(Target(path, full, self.root), MAX_FILE_BYTES)
        if isinstance(data, Diagnostic):
            return None
        text = decode_source(data, path)
        if isinstance(text, Diagnostic):
            return None
        raw = tuple(text.split("\n"))
        if text.endswith("\n"):
            raw = raw[:-1]
        coloured = colour(text, path) if len(data) <= MAX_COLOURED_BYTES else None
        if coloured is None or len(coloured) != len(raw):
            coloured = tuple(html.escape(line, quote=False) for line in raw)
        if any(len(line) > MAX_LINE_CHARS for line in raw):  # a minified or generated line
            coloured = tuple(
                html.escape(line[: MAX_LINE_CHARS - 1], quote=False) + "…"
                if len(line) > MAX_LINE_CHARS
                else shown
                for line, shown in zip(raw, coloured, strict=True)
            )
        return _Source(raw, coloured)

    def _inside_root(self, path: str) -> str | None:
        """The file's absolute path, or None when it is not a file under the review root
        (an absolute path, `..`, or a symlink out: a finding's path is not trusted)."""
        if not path or os.path.isabs(path) or "\0" in path:
            return None
        full = os.path.join(self.root, path)
        try:
            real = os.path.realpath(full)
            inside = os.path.commonpath([real, self._real_root]) == self._real_root
        except (OSError, ValueError):
            return None
        return full if inside and real != self._real_root else None


def colour(text: str, path: str) -> tuple[str, ...]:
    """`text` lexed as a whole (so multi-line strings colour right), split into HTML lines."""
    lines: list[str] = []
    current: list[str] = []
    for token_type, value in _lexer(path).get_tokens(text):
        css = _css_class(token_type)
        for index, part in enumerate(value.split("\n")):
            if index:
                lines.append("".join(current))
                current = []
            if part:
                escaped = html.escape(part, quote=False)
                current.append(
                    f'<span class="{CLASS_PREFIX}{css}">{escaped}</span>' if css else escaped
                )
    if current:
        lines.append("".join(current))
    return tuple(lines)


def _lexer(path: str) -> Lexer:
    """Python for Python files, Pygments' guess by file name for the rest, else plain text.
    `stripnl=False` keeps leading blank lines, so line numbers stay right."""
    if path.endswith(_PYTHON):
        return PythonLexer(stripnl=False, ensurenl=True)
    try:
        return get_lexer_for_filename(path, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return TextLexer(stripnl=False, ensurenl=True)


def _css_class(token_type: _TokenType) -> str:
    while token_type not in STANDARD_TYPES and token_type.parent is not None:
        token_type = token_type.parent
    return STANDARD_TYPES.get(token_type, "")


def _first_code_line(snippet: str) -> str:
    for line in snippet.splitlines():
        words = " ".join(line.split())
        if words:
            return words
    return ""
