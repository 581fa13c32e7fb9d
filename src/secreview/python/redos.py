"""Regular expressions whose backtracking is exponential in the input length (ReDoS).

Python's `re` is a backtracking engine. A repetition whose body can match the same text in
more than one way — `(a+)+`, `(\\w+\\s?)*`, `(\\w|\\d)+`, `(x+x+)+` — tries every way of
splitting a run of such characters once the rest of the pattern fails, which doubles the
work for each extra character. This module finds those shapes structurally on the parse
tree `re._parser` builds (the same one `re.compile` uses), without running the regex:

- a repeated body with a *pivot*: an inner repetition (max >= 2) such that everything
  else in the body may match the empty string;
- a repeated alternation with two branches that can match the same single character;
- a repeated body with two adjacent unbounded repetitions over overlapping characters.

It reports only when something after the repetition can fail (else the first match
succeeds and nothing backtracks). Polynomial (quadratic) cases are deliberately left out:
they are everywhere in ordinary code and rarely exploitable.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    try:  # Python 3.11+
        from re import _constants as C  # type: ignore[attr-defined]
        from re import _parser as sre_parse  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - older Pythons
        import sre_constants as C  # type: ignore[no-redef]
        import sre_parse  # type: ignore[no-redef]

# Characters we test class membership on: ASCII and a few non-ASCII letters, digits, spaces.
_PROBES = frozenset(chr(i) for i in range(128)) | frozenset("é\u00a0\u2003ß中٣Ω")
_ALL = _PROBES
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT)
_OUTER_MIN_MAX = 10  # `(a+){1,3}` is bounded work; `{1,10}` and beyond is not


@dataclass(frozen=True, slots=True)
class Verdict:
    kind: str  # "nested quantifier", "overlapping alternatives", "adjacent quantifiers"
    detail: str


def analyze(pattern: str | bytes, flags: int = 0, *, full_match: bool = False) -> Verdict | None:
    """The exponential-backtracking construct of `pattern`, or None (also when it does
    not compile). `full_match`: the call requires the whole input to match (fullmatch)."""
    try:
        return _analyze(pattern, flags, full_match)
    except (re.error, RecursionError, OverflowError, TypeError, ValueError):
        return None


@cache
def _analyze(pattern: str | bytes, flags: int, full_match: bool) -> Verdict | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = sre_parse.parse(pattern, flags)
    state = getattr(parsed, "state", None)
    scan = _Scan(getattr(state, "flags", flags), isinstance(pattern, bytes))
    return scan.sequence(list(parsed), tail_fails=full_match)


class _Scan:
    def __init__(self, flags: int, is_bytes: bool):
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.dotall = bool(flags & re.DOTALL)
        self.ascii = is_bytes or bool(flags & re.ASCII)

    # --- the walk ------------------------------------------------------------------
    def sequence(self, items: list, tail_fails: bool) -> Verdict | None:
        for index, (op, av) in enumerate(items):
            after = tail_fails or any(self.can_fail(item) for item in items[index + 1 :])
            found = self.item(op, av, after)
            if found is not None:
                return found
        return None

    def item(self, op, av, tail_fails: bool) -> Verdict | None:
        if op in _REPEATS:
            _, high, body = av
            body = list(body)
            if tail_fails and (high == C.MAXREPEAT or high >= _OUTER_MIN_MAX):
                found = self.ambiguous(body)
                if found is not None:
                    return found
            return self.sequence(body, tail_fails or self._nonempty(body))
        if op is C.SUBPATTERN:
            return self.sequence(list(av[-1]), tail_fails)
        if op is C.BRANCH:
            for branch in av[1]:
                found = self.sequence(list(branch), tail_fails)
                if found is not None:
                    return found
        if op in (C.ASSERT, C.ASSERT_NOT):
            return self.sequence(list(av[1]), False)
        if op is C.GROUPREF_EXISTS:
            for branch in av[1:]:
                if branch is not None:
                    found = self.sequence(list(branch), tail_fails)
                    if found is not None:
                        return found
        return None  # atomic groups and possessive repeats never backtrack into themselves

    def _nonempty(self, body: list) -> bool:
        return not self.nullable_seq(body)

    # --- ambiguity of a repeated body -------------------------------------------------
    def ambiguous(self, body: list) -> Verdict | None:
        return self.pivot(body) or self.adjacent(body) or self.twin_branches(body)

    def twin_branches(self, items: list) -> Verdict | None:
        """`(a|a)*` parses as `a(?:|)`: two alternatives that both match nothing make every
        iteration match the same text two ways."""
        if self.nullable_seq(items):
            return None  # an empty iteration: the engine stops those
        for op, av in items:
            if op is C.BRANCH and sum(self.nullable_seq(list(b)) for b in av[1]) >= 2:
                return Verdict("overlapping alternatives", "alternatives that match the same text")
            if op is C.SUBPATTERN:
                found = self.twin_branches(list(av[-1]))
                if found is not None:
                    return found
        return None

    def pivot(self, items: list) -> Verdict | None:
        """An element that can match c and cc while every other element may be empty."""
        for index, (op, av) in enumerate(items):
            others = items[:index] + items[index + 1 :]
            if not all(self.nullable(item) for item in others):
                continue
            if op in _REPEATS:
                _, high, inner = av
                inner = list(inner)
                if high >= 2 and self.first_seq(inner):
                    return Verdict("nested quantifier", "a repetition inside a repetition")
            elif op is C.SUBPATTERN:
                found = self.pivot(list(av[-1])) or self.adjacent(list(av[-1]))
                if found is not None:
                    return found
            elif op is C.BRANCH:
                branches = [list(b) for b in av[1]]
                for branch in branches:
                    found = self.pivot(branch)
                    if found is not None:
                        return found
                singles = [s for s in (self.single_chars(b) for b in branches) if s]
                for i, left in enumerate(singles):
                    if any(left & right for right in singles[i + 1 :]):
                        return Verdict(
                            "overlapping alternatives",
                            "alternatives that can match the same character",
                        )
        return None

    def adjacent(self, items: list) -> Verdict | None:
        """`x+x+`: two unbounded repetitions over shared characters, only optional
        elements between them."""
        repeats = [
            (i, self.first_seq(list(av[2])))
            for i, (op, av) in enumerate(items)
            if op in _REPEATS and av[1] == C.MAXREPEAT
        ]
        for a, (i, chars_i) in enumerate(repeats):
            for j, chars_j in repeats[a + 1 :]:
                between = items[i + 1 : j]
                if chars_i & chars_j and all(self.nullable(x) for x in between):
                    return Verdict(
                        "adjacent quantifiers",
                        "two repetitions over the same characters inside a repetition",
                    )
        return None

    def single_chars(self, branch: list) -> frozenset[str]:
        """Characters a branch can match as a whole one-character match."""
        meaningful = [item for item in branch if not self.nullable(item)]
        if len(meaningful) != 1:
            return frozenset()
        op, av = meaningful[0]
        if op is C.SUBPATTERN:
            return self.single_chars(list(av[-1]))
        if op in _REPEATS and av[0] <= 1 <= av[1]:
            return self.single_chars(list(av[2]))
        return self.chars(op, av) or frozenset()

    # --- nullable / first sets ----------------------------------------------------------
    def nullable(self, item) -> bool:
        op, av = item
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            return True
        if op in (*_REPEATS, C.POSSESSIVE_REPEAT):
            return av[0] == 0 or self.nullable_seq(list(av[2]))
        if op is C.SUBPATTERN:
            return self.nullable_seq(list(av[-1]))
        if op is C.ATOMIC_GROUP:
            return self.nullable_seq(list(av))
        if op is C.BRANCH:
            return any(self.nullable_seq(list(b)) for b in av[1])
        if op is C.GROUPREF_EXISTS:
            return any(b is None or self.nullable_seq(list(b)) for b in av[1:])
        return False

    def nullable_seq(self, items: list) -> bool:
        return all(self.nullable(item) for item in items)

    def can_fail(self, item) -> bool:
        op, _ = item
        return op in (C.AT, C.ASSERT, C.ASSERT_NOT, C.GROUPREF) or not self.nullable(item)

    def first_seq(self, items: list) -> frozenset[str]:
        out: set[str] = set()
        for item in items:
            out |= self.first(item)
            if not self.nullable(item):
                break
        return frozenset(out)

    def first(self, item) -> frozenset[str]:
        op, av = item
        chars = self.chars(op, av)
        if chars is not None:
            return chars
        if op in (*_REPEATS, C.POSSESSIVE_REPEAT):
            return self.first_seq(list(av[2])) if av[1] > 0 else frozenset()
        if op is C.SUBPATTERN:
            return self.first_seq(list(av[-1]))
        if op is C.ATOMIC_GROUP:
            return self.first_seq(list(av))
        if op is C.BRANCH:
            return frozenset().union(*(self.first_seq(list(b)) for b in av[1]))
        if op in (C.GROUPREF, C.GROUPREF_EXISTS):
            return _ALL
        return frozenset()

    def chars(self, op, av) -> frozenset[str] | None:
        """The probe characters a one-character element matches; None for other elements."""
        if op is C.LITERAL:
            out = frozenset({chr(av)})
        elif op is C.NOT_LITERAL:
            out = _ALL - {chr(av)}
        elif op is C.ANY:
            out = _ALL if self.dotall else _ALL - {"\n"}
        elif op is C.IN:
            out = self.char_class(av)
        else:
            return None
        if self.ignore_case:
            out = out | {c.swapcase() for c in out if len(c.swapcase()) == 1}
        return out & _ALL

    def char_class(self, items) -> frozenset[str]:
        out: set[str] = set()
        negate = False
        for op, av in items:
            if op is C.NEGATE:
                negate = True
            elif op is C.LITERAL:
                out.add(chr(av))
            elif op is C.RANGE:
                low, high = av
                out |= {c for c in _PROBES if low <= ord(c) <= high}
            elif op is C.CATEGORY:
                out |= self.category(av)
        return frozenset(_ALL - out if negate else out)

    def category(self, name) -> set[str]:
        ascii_only = self.ascii
        tests = {
            C.CATEGORY_DIGIT: lambda c: c.isdecimal() and (c.isascii() or not ascii_only),
            C.CATEGORY_SPACE: lambda c: c.isspace() and (c.isascii() or not ascii_only),
            C.CATEGORY_WORD: lambda c: (
                (c.isalnum() or c == "_") and (c.isascii() or not ascii_only)
            ),
        }
        negated = {
            C.CATEGORY_NOT_DIGIT: C.CATEGORY_DIGIT,
            C.CATEGORY_NOT_SPACE: C.CATEGORY_SPACE,
            C.CATEGORY_NOT_WORD: C.CATEGORY_WORD,
        }
        if name in tests:
            return {c for c in _PROBES if tests[name](c)}
        if name in negated:
            test = tests[negated[name]]
            return {c for c in _PROBES if not test(c)}
        return set(_PROBES)  # line breaks and other rare categories: assume anything
