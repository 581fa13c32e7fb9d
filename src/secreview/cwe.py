"""The MITRE CWE catalog (shipped by the `cwe2` package): names, existence, parents, pillars.

Every CWE that leaves the program goes through here, so a rule can never report an id that
does not exist or a name that drifted from MITRE's. `cwe2.Database.get` rescans every CSV on
each call (~0.2 s); we read the CSVs once into an index instead, and read categories and
views (which the CSVs do not list) once from the XML catalog cwe2 ships beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from secreview import lazyre

# The ten top-level entries of the Research Concepts view (CWE-1000).
PILLARS: frozenset[int] = frozenset({284, 435, 664, 682, 691, 693, 697, 703, 707, 710})

RESEARCH_VIEW = 1000
_XML_NS = "{http://cwe.mitre.org/cwe-7}"
_WORD = lazyre.compile(r"[a-z0-9]+")
# The common term MITRE puts in a name: "... SQL Command ('SQL Injection')".
_TERM = lazyre.compile(r"\('([^']+)'\)")


class UnknownCWE(KeyError):
    """The id is not in the catalog (never reported: a finding's CWE must exist)."""

    def __init__(self, cwe_id: int) -> None:
        super().__init__(cwe_id)
        self.cwe_id = cwe_id

    def __str__(self) -> str:
        return f"CWE-{self.cwe_id} is not in the MITRE CWE catalog {version()}"


@dataclass(frozen=True, slots=True)
class Relation:
    """One entry of a weakness's Related Weaknesses column."""

    nature: str  # ChildOf, CanPrecede, PeerOf, ...
    target: int
    view: int
    primary: bool


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    name: str
    abstraction: str | None  # Pillar/Class/Base/Variant/Compound; None for categories/views
    status: str
    kind: str  # "weakness", "category" or "view"
    relations: tuple[Relation, ...] = ()


def _parse_relations(text: str) -> tuple[Relation, ...]:
    """Parse `::NATURE:ChildOf:CWE ID:77:VIEW ID:1000:ORDINAL:Primary::...`."""
    relations: list[Relation] = []
    for chunk in text.split("::"):
        parts = chunk.split(":")
        if len(parts) < 2:
            continue
        fields = dict(zip(parts[0::2], parts[1::2], strict=False))
        try:
            target = int(fields["CWE ID"])
            view = int(fields["VIEW ID"])
        except (KeyError, ValueError):
            continue
        relations.append(
            Relation(
                nature=fields.get("NATURE", ""),
                target=target,
                view=view,
                primary=fields.get("ORDINAL") == "Primary",
            )
        )
    return tuple(relations)


def _csv_paths() -> list[str]:
    from cwe2.database import Database  # cwe2 opens every CSV on import: import only when needed

    paths = list(Database.database_paths)
    # The research view holds every weakness with its view-1000 relations: read it first.
    paths.sort(key=lambda p: Path(p).name != f"{RESEARCH_VIEW}.csv")
    return paths


def _xml_path() -> str:
    from cwe2.mappings import xml_database_path

    return str(xml_database_path)


@cache
def _index() -> dict[int, Entry]:
    """Every weakness in the CSVs cwe2 ships, read once."""
    entries: dict[int, Entry] = {}
    for path in _csv_paths():
        _read_csv(path, entries)
    return entries


@cache
def _research_index() -> dict[int, Entry]:
    """The research view alone: every current weakness, from a twelfth of the CSV text
    `_index` reads (a review's few lookups then cost ~30 ms instead of ~350 ms). Its entries
    are the ones `_index` keeps, since it reads the research view first."""
    entries: dict[int, Entry] = {}
    path = _research_csv()
    if path is not None:
        _read_csv(path, entries)
    return entries


def _research_csv() -> str | None:
    """The research view's CSV, found in cwe2's package folder: importing `cwe2.database`
    to ask costs 0.2 s (it resolves and opens all fifty files), more than reading this one.
    When the folder does not hold exactly one, cwe2 is asked after all."""
    import importlib.util

    spec = importlib.util.find_spec("cwe2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        found = list(Path(folder).glob(f"database*/**/{RESEARCH_VIEW}.csv"))
        if len(found) == 1:
            return str(found[0])
    paths = _csv_paths()
    return paths[0] if paths and Path(paths[0]).name == f"{RESEARCH_VIEW}.csv" else None


def _read_csv(path: str, entries: dict[int, Entry]) -> None:
    import csv  # only a report with findings reads the catalog

    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            entry = _entry(row)
            if entry is not None and entry.id not in entries:
                entries[entry.id] = entry


def _entry(row: dict) -> Entry | None:
    """The weakness a CSV row describes; None for a row without a numeric id."""
    try:
        cwe_id = int(row["CWE-ID"])
    except (KeyError, TypeError, ValueError):
        return None
    return Entry(
        id=cwe_id,
        name=row.get("Name") or "",
        abstraction=row.get("Weakness Abstraction") or None,
        status=row.get("Status") or "",
        kind="weakness",
        relations=_parse_relations(row.get("Related Weaknesses") or ""),
    )


@cache
def _research_entry(cwe_id: int) -> Entry | None:
    """`_research_index().get(cwe_id)`, parsing only the id's row until the index is built:
    a one-file review's lookups (its findings' CWEs) then cost a few milliseconds, not the
    ~30 ms of decoding and parsing the whole view. Its row is the first line that starts
    with the id and a comma outside quotes (a quoted field may hold line breaks), found in
    the file's bytes (UTF-8: an ASCII byte is always that character); an id written another
    way (`0079`) is left to the index."""
    import csv

    data = None if _research_index.cache_info().currsize else _research_bytes()
    if not data:
        return _research_index().get(cwe_id)
    needle = b"\n%d," % cwe_id
    start = data.find(needle)
    while start != -1 and data.count(b'"', 0, start) % 2:
        start = data.find(needle, start + 1)
    if start == -1:
        return _research_index().get(cwe_id)
    header = next(csv.reader(_lines(data, 0)))
    return _entry(next(csv.DictReader(_lines(data, start + 1), fieldnames=header)))


@cache
def _research_bytes() -> bytes:
    """The research view's CSV file (b"" when there is none)."""
    path = _research_csv()
    if path is None:
        return b""
    with open(path, "rb") as handle:
        return handle.read()


def _lines(data: bytes, start: int) -> Iterator[str]:
    """The lines of `data` from `start` on, decoded, each with its `\\n`: what the csv module
    reads of the file opened with `newline=""` (MITRE's CSVs end lines with `\\n` alone)."""
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end == -1 else end + 1
        yield data[start:end].decode("utf-8")
        start = end


@cache
def _categories_and_views() -> dict[int, Entry]:
    """Categories and views, which only the XML catalog lists; parsed once, on first need."""
    import xml.etree.ElementTree as ET

    entries: dict[int, Entry] = {}
    kinds = {f"{_XML_NS}Category": "category", f"{_XML_NS}View": "view"}
    for _event, element in ET.iterparse(_xml_path()):
        kind = kinds.get(element.tag)
        if kind is not None:
            cwe_id = int(element.get("ID", "0"))
            entries[cwe_id] = Entry(
                id=cwe_id,
                name=element.get("Name", ""),
                abstraction=None,
                status=element.get("Status", ""),
                kind=kind,
            )
        if kind is not None or element.tag == f"{_XML_NS}Weakness":
            element.clear()  # keep memory flat over the 14 MB file
    return entries


def _lookup(cwe_id: int) -> Entry | None:
    entry = _research_entry(cwe_id) or _index().get(cwe_id)
    if entry is None:
        entry = _categories_and_views().get(cwe_id)
    return entry


def get(cwe_id: int) -> Entry:
    """The catalog entry for `cwe_id`; raises `UnknownCWE`."""
    entry = _lookup(int(cwe_id))
    if entry is None:
        raise UnknownCWE(int(cwe_id))
    return entry


def exists(cwe_id: int) -> bool:
    try:
        return _lookup(int(cwe_id)) is not None
    except (TypeError, ValueError):
        return False


def name(cwe_id: int) -> str:
    """MITRE's official name, e.g. 'Incorrect Comparison' for 697."""
    return get(cwe_id).name


def label(cwe_id: int) -> str:
    """How reports name a CWE: `Official Name (CWE-n)`."""
    return f"{name(cwe_id)} (CWE-{int(cwe_id)})"


def abstraction(cwe_id: int) -> str | None:
    """Pillar, Class, Base, Variant or Compound; None for categories and views."""
    return get(cwe_id).abstraction


def url(cwe_id: int) -> str:
    return f"https://cwe.mitre.org/data/definitions/{int(cwe_id)}.html"


def parents(cwe_id: int, view: int = RESEARCH_VIEW) -> list[int]:
    """Direct ChildOf targets of `cwe_id` in `view`, the primary parent first."""
    relations = [r for r in get(cwe_id).relations if r.nature == "ChildOf" and r.view == view]
    relations.sort(key=lambda r: not r.primary)
    seen: dict[int, None] = {}
    for relation in relations:
        seen.setdefault(relation.target, None)
    return list(seen)


@cache
def pillar(cwe_id: int) -> int | None:
    """The CWE-1000 pillar above `cwe_id` (following primary parents); a pillar is its own."""
    current = int(cwe_id)
    get(current)  # unknown ids raise
    visited: set[int] = set()
    while current not in PILLARS:
        if current in visited or not exists(current):
            return None
        visited.add(current)
        ups = parents(current)
        if not ups:
            return None  # categories, views and orphans belong to no pillar
        current = ups[0]
    return current


@cache
def _names() -> list[tuple[int, str, frozenset[str], bool, frozenset[str]]]:
    """(id, folded name, name words, deprecated, folded common terms) per weakness, by id."""
    return [
        (
            entry.id,
            entry.name.casefold(),
            frozenset(_WORD.findall(entry.name.casefold())),
            entry.status == "Deprecated",
            frozenset(" ".join(t.casefold().split()) for t in _TERM.findall(entry.name)),
        )
        for entry in sorted(_index().values(), key=lambda e: e.id)
    ]


def find_by_name(text: str) -> list[int]:
    """Ids whose official name is `text` (case-insensitive), then those whose common term is
    (`('SQL Injection')`), then names containing all its words, closest first.

    Lets a reviewer (or an LLM answer) that names a weakness be mapped to the right id,
    e.g. 'Incorrect Comparison' is CWE-697, whatever number was claimed.
    """
    wanted = " ".join(text.casefold().split())
    words = frozenset(_WORD.findall(wanted))
    if not words:
        return []
    names = _names()
    exact = [cwe_id for cwe_id, lowered, *_ in names if lowered == wanted]
    exact += [cwe_id for cwe_id, *_, terms in names if wanted in terms and cwe_id not in exact]
    # closest names first (shortest); deprecated entries only after every live one
    partial = sorted(
        (deprecated, len(lowered), cwe_id)
        for cwe_id, lowered, name_words, deprecated, _ in names
        if words <= name_words and cwe_id not in exact
    )
    return exact + [cwe_id for *_, cwe_id in partial]


@cache
def version() -> str:
    """The catalog version cwe2 ships (e.g. '4.14'), read from the XML catalog's header."""
    path = _xml_path()
    try:
        with open(path, encoding="utf-8") as handle:
            head = handle.read(2048)
    except OSError:
        head = ""
    match = re.search(r'<Weakness_Catalog[^>]*\bVersion="([^"]+)"', head)
    if match:
        return match.group(1)
    match = re.search(r"cwec_v([\d.]+)\.xml$", path)
    return match.group(1) if match else "unknown"
