"""What characters a string built at run time can hold (eval-of-non-literal's evidence)."""

from __future__ import annotations

import pytest

from secreview.rules.support.charset import DIGITS, group_characters


@pytest.mark.parametrize(
    ("pattern", "group", "expected"),
    [
        (r"([<=>]+)(\d+)", 1, frozenset("<=>")),
        (r"([<=>]+)(\d+)", 2, DIGITS),
        (r"([<=>]+)(\d+)", 0, frozenset("<=>") | DIGITS),
        (r"(?:a|(x[0-9.]{1,3}))", 1, frozenset("x.") | DIGITS),
        (r"(\w+)", 1, None),  # letters
        (r"([^;]+)", 1, None),  # a negated class admits nearly anything
        (r"(.+)", 1, None),
        (r"(\d+", 1, None),  # does not compile
        (r"(\d+)", 2, None),  # no such group
    ],
)
def test_group_characters(pattern: str, group: int, expected: frozenset[str] | None) -> None:
    assert group_characters(pattern, group) == expected
