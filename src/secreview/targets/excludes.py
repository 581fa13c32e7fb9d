"""Exclude globs (`--exclude`, `exclude = [...]` in the config), with gitignore-like meaning.

- A pattern without a slash (`*_pb2.py`, `migrations`) matches a file or directory *name*
  at any depth.
- A pattern with a slash (`tests/fixtures/**`, `src/gen/*.py`, `/setup.py`) is anchored: it
  matches the whole path relative to the review root (and to the config file's directory).
- A trailing slash (`migrations/`, `docs/build/`) matches directories only.
- `*` and `?` stay inside one path segment, `[...]` is a character class, and `**` as a whole
  segment spans any number of segments (zero included), as in `PurePath.full_match`.
- An excluded directory excludes everything below it.

The translation to regular expressions is our own rather than `PurePath.full_match` or
`glob.translate` because both are new in Python 3.13 and the project supports 3.12.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Anchor:
    """How to turn a review-relative path into the path an anchored pattern is written against.

    Anchored patterns from the config file are relative to the file's directory, which need
    not be the review root (e.g. `cd src && secreview review .` with the config one level up).
    """

    strip: str = ""  # the path must start with this; it is removed
    add: str = ""  # then this is prepended

    def apply(self, path: str) -> str | None:
        if not path.startswith(self.strip):
            return None
        return self.add + path[len(self.strip) :]


@dataclass(frozen=True, slots=True)
class _Pattern:
    text: str
    regex: re.Pattern[str]
    anchored: bool
    dir_only: bool


class Excludes:
    """A compiled set of exclude patterns; `match` says which pattern (if any) excludes a path."""

    def __init__(self, patterns: Iterable[str], anchors: Sequence[Anchor] = (Anchor(),)):
        self.patterns = [p for p in (_compile(text) for text in patterns) if p is not None]
        self.anchors = tuple(dict.fromkeys(anchors)) or (Anchor(),)

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match(self, path: str, *, is_dir: bool) -> str | None:
        """The pattern that excludes `path` itself (its ancestors are not looked at)."""
        if not self.patterns or not path:
            return None
        name = path.rpartition("/")[2]
        for pattern in self.patterns:
            if pattern.dir_only and not is_dir:
                continue
            if pattern.anchored:
                for anchor in self.anchors:
                    anchored = anchor.apply(path)
                    if anchored and pattern.regex.fullmatch(anchored):
                        return pattern.text
            elif pattern.regex.fullmatch(name):
                return pattern.text
        return None

    def match_path(self, path: str, *, is_dir: bool) -> str | None:
        """The pattern that excludes `path` or any directory above it (for named paths)."""
        if not self.patterns or not path:
            return None
        parts = path.split("/")
        for end in range(1, len(parts) + 1):
            hit = self.match("/".join(parts[:end]), is_dir=is_dir or end < len(parts))
            if hit is not None:
                return hit
        return None


def _compile(text: str) -> _Pattern | None:
    pattern = text.strip()
    if not pattern:
        return None
    dir_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    anchored = "/" in pattern
    pattern = pattern.lstrip("/")
    if not pattern:
        return None
    if not anchored:
        return _Pattern(text, re.compile(_segment(pattern)), anchored=False, dir_only=dir_only)
    segments: list[str] = []
    for segment in pattern.split("/"):
        if segment and not (segment == "**" and segments[-1:] == ["**"]):
            segments.append(segment)
    regex = ""
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment != "**":
            regex += _segment(segment) + ("" if last else "/")
        elif not last:
            regex += "(?:[^/]+/)*"  # any number of whole segments, zero included
        elif index:
            # `a/**` covers `a` itself too: excluding a directory excludes what it holds
            regex = regex[:-1] + "(?:/.*)?"
        else:
            regex = ".*"
    return _Pattern(text, re.compile(regex), anchored=True, dir_only=dir_only)


def _segment(segment: str) -> str:
    """Regex for one path segment: `*`, `?` and `[...]` never match a slash."""
    out: list[str] = []
    i = 0
    while i < len(segment):
        char = segment[i]
        i += 1
        if char == "*":
            while i < len(segment) and segment[i] == "*":
                i += 1
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = i
            if end < len(segment) and segment[end] in "!^":
                end += 1
            if end < len(segment) and segment[end] == "]":
                end += 1
            end = segment.find("]", end)
            if end < 0:
                out.append(re.escape(char))
                continue
            body = segment[i:end]
            negate = body[:1] in ("!", "^")
            body = re.sub(r"([\\\[&~|])", r"\\\1", body[1:] if negate else body)
            body = ("^" if negate else "") + body
            out.append(f"(?!/)[{body}]")
            i = end + 1
        else:
            out.append(re.escape(char))
    return "".join(out)
