"""Regular expressions compiled on first use, for the patterns modules define at import.

Start-up is part of every review, and a one-file review is mostly start-up: compiling the
~200 patterns the modules define was 7 % of it, and most of them serve code a given file
does not have (a template language, a credential format, a syntax error's hint). `compile`
returns a stand-in that compiles its pattern the first time one of its attributes is read and
from then on holds the compiled pattern's attributes as its own, so `PATTERN.search(text)`
costs what it did once the pattern is in use.

The stand-in answers every attribute of `re.Pattern` (`search`, `match`, `sub`, `pattern`,
`flags`, ...); it is not itself one, so pass `PATTERN.pattern` to `re` functions that take a
pattern (no module does: they call the pattern's methods).
"""

from __future__ import annotations

import re
from typing import Any, cast


class LazyPattern:
    """`re.compile(pattern, flags)`, done when first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def _pattern(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return self._compiled

    def __getattr__(self, name: str) -> Any:
        # reached only for an attribute not held yet: copied once, read directly afterwards
        value = getattr(self._pattern(), name)
        if not name.startswith("__"):
            setattr(self, name, value)
        return value

    def __repr__(self) -> str:
        return repr(self._pattern())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPattern):
            other = other._pattern()
        return self._pattern() == other

    def __hash__(self) -> int:
        return hash(self._pattern())

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        """Pickled (or copied) as the compiled pattern it stands for."""
        return re.compile, self._source


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern compiled on first use; typed as the `re.Pattern` it behaves as."""
    return cast(re.Pattern[str], LazyPattern(pattern, flags))
