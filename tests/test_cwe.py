"""The CWE catalog wrapper: official names, pillars, lookups by name, unknown ids."""

from __future__ import annotations

import re
from importlib import metadata

import pytest

from secreview import cwe


def test_official_names() -> None:
    assert cwe.name(78) == (
        "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')"
    )
    # easily confused pillars: exceptional conditions vs comparisons
    assert cwe.name(703) == "Improper Check or Handling of Exceptional Conditions"
    assert cwe.name(697) == "Incorrect Comparison"
    assert cwe.label(697) == "Incorrect Comparison (CWE-697)"


def test_abstraction_and_parents() -> None:
    assert cwe.abstraction(78) == "Base"
    assert cwe.abstraction(95) == "Variant"
    assert cwe.abstraction(707) == "Pillar"
    assert cwe.parents(78) == [77]
    assert cwe.parents(95) == [94]
    assert cwe.parents(707) == []
    # 22 has two parents in view 1000; the primary one (706) comes first
    assert cwe.parents(22)[0] == 706 and 668 in cwe.parents(22)


@pytest.mark.parametrize(
    ("cwe_id", "pillar"),
    [(78, 707), (89, 707), (22, 664), (502, 664), (295, 284), (95, 707), (697, 697), (703, 703)],
)
def test_pillar(cwe_id: int, pillar: int) -> None:
    assert cwe.pillar(cwe_id) == pillar
    assert pillar in cwe.PILLARS


def test_pillars_are_the_ten_of_view_1000() -> None:
    assert sorted(cwe.PILLARS) == [284, 435, 664, 682, 691, 693, 697, 703, 707, 710]
    assert all(cwe.abstraction(p) == "Pillar" and cwe.pillar(p) == p for p in cwe.PILLARS)


def test_categories_and_views_exist_but_have_no_pillar() -> None:
    assert cwe.exists(16) and cwe.name(16) == "Configuration"  # a category
    assert cwe.exists(1000) and cwe.name(1000) == "Research Concepts"  # a view
    assert cwe.abstraction(16) is None
    assert cwe.pillar(16) is None


def test_unknown_id() -> None:
    assert not cwe.exists(999999)
    assert not cwe.exists(0)
    with pytest.raises(cwe.UnknownCWE) as raised:
        cwe.name(999999)
    assert isinstance(raised.value, KeyError)
    assert "CWE-999999" in str(raised.value)
    with pytest.raises(KeyError):
        cwe.pillar(999999)
    with pytest.raises(KeyError):
        cwe.label(999999)


def test_find_by_name() -> None:
    assert cwe.find_by_name("Incorrect Comparison")[0] == 697
    assert cwe.find_by_name("incorrect   COMPARISON")[0] == 697
    # more names contain both words; the exact name still wins
    assert len(cwe.find_by_name("Incorrect Comparison")) > 1
    # MITRE's common term in parentheses ranks before names that merely contain the words
    assert cwe.find_by_name("SQL Injection")[0] == 89
    assert cwe.find_by_name("OS Command Injection") == [78]
    assert cwe.find_by_name("") == []
    assert cwe.find_by_name("no such weakness anywhere xyzzy") == []


def test_url_and_version() -> None:
    assert cwe.url(502) == "https://cwe.mitre.org/data/definitions/502.html"
    assert re.fullmatch(r"\d+\.\d+", cwe.version())
    if metadata.version("cwe2") == "3.0.0":
        assert cwe.version() == "4.14"  # the catalog cwe2 3.0.0 ships


def test_index_is_built_once_and_lookups_are_cheap() -> None:
    cwe.name(79)  # builds the index
    info = cwe._index.cache_info()
    for _ in range(1000):
        assert cwe.exists(89)
        cwe.name(79)
        cwe.pillar(22)
        cwe.parents(78)
    assert cwe._index.cache_info().misses == info.misses  # never rebuilt


def test_a_weakness_read_alone_is_the_entry_the_index_holds() -> None:
    """Before the research view is parsed, a lookup parses only its id's row: every row so
    read is the entry the index then holds, and an id not in the view is the index's."""
    cwe._research_entry.cache_clear()
    cwe._research_index.cache_clear()
    ids = [int(line.split(b",", 1)[0]) for line in cwe._research_bytes().splitlines()[1:]]
    alone = {cwe_id: cwe._research_entry(cwe_id) for cwe_id in ids}
    assert cwe._research_index.cache_info().currsize == 0  # no row needed the whole view
    index = cwe._research_index()
    assert len(ids) > 900 and all(alone[i] == index[i] for i in ids)
    cwe._research_entry.cache_clear()
    cwe._research_index.cache_clear()
    assert cwe._research_entry(16) is None and cwe.get(16).kind == "category"
