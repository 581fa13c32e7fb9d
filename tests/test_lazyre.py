"""`lazyre.compile`: a module-level pattern compiled on first use behaves as `re.compile`'s."""

from __future__ import annotations

import copy
import pickle
import re

import pytest

from secreview import lazyre
from secreview.python import parse


def test_a_lazy_pattern_answers_as_the_compiled_one() -> None:
    lazy = lazyre.compile(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    real = re.compile(r"(?P<word>[a-z]+)-(\d+)", re.IGNORECASE)
    text = "Ab-12, cd-3 and x"
    assert lazy.search(text).group("word") == real.search(text).group("word") == "Ab"
    assert lazy.match(text).span() == real.match(text).span()
    assert lazy.fullmatch("cd-3") is not None and lazy.fullmatch(text) is None
    assert lazy.findall(text) == real.findall(text)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in real.finditer(text)]
    assert lazy.sub("<>", text) == real.sub("<>", text)
    assert lazy.split(text) == real.split(text)
    assert (lazy.pattern, lazy.flags, lazy.groups) == (real.pattern, real.flags, real.groups)
    assert lazy.groupindex == real.groupindex and repr(lazy) == repr(real)


def test_a_lazy_pattern_compiles_only_when_used() -> None:
    lazy = lazyre.LazyPattern(r"a+")
    assert lazy._compiled is None
    assert lazy.search("baa") is not None
    assert lazy._compiled is not None and "search" in vars(lazy)


def test_a_lazy_pattern_equals_hashes_pickles_and_copies_as_the_compiled_one() -> None:
    lazy = lazyre.compile(r"x\d", re.ASCII)
    real = re.compile(r"x\d", re.ASCII)
    assert lazy == real and real == lazy and lazy == lazyre.compile(r"x\d", re.ASCII)
    assert lazy != lazyre.compile(r"x\d") and hash(lazy) == hash(real)
    assert pickle.loads(pickle.dumps(lazy)) == real
    assert copy.copy(lazy) == real and copy.deepcopy(lazy) == real


def test_a_bad_pattern_fails_when_first_used() -> None:
    lazy = lazyre.compile(r"(unclosed")
    with pytest.raises(re.error):
        lazy.search("x")


def test_module_patterns_are_compiled_on_first_use() -> None:
    """The syntax hints serve only files that fail to parse: a review of good code never
    compiles them (the start-up a one-file review pays)."""
    hints = [pattern for pattern, _ in parse._VERSION_HINTS]
    assert all(isinstance(p, lazyre.LazyPattern) for p in hints)
    failure = parse.parse_module("print 'hello'\n", "old.py")
    assert isinstance(failure, parse.ParseFailure) and "Python 2" in failure.message
