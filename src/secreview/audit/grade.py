"""Grade an extracted review: what is wrong with each claim and with the response as a whole.

Claim checks (catalog, lines, quoted code) come from `secreview.claims`, shared with the LLM
pass; this module adds the response-level ones the study's seeds showed: a CWE list walked
in order instead of defects found, text spent on the license header and imports, generic
hedges, answers not in the requested form, and (with the code) a clean verdict the engine
contradicts.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from secreview import cwe as catalog
from secreview import lazyre
from secreview.audit.extract import Extraction, Unit
from secreview.claims import Claim, Problem, SourceLines, check_claim, identify
from secreview.model import Finding

# Lists a model may walk instead of reviewing: the CWE-1000 pillars (the list the study gave
# the models), and MITRE's CWE Top 25 of 2023 and 2024, each in its published order.
KNOWN_LISTS: dict[str, tuple[int, ...]] = {
    "the CWE-1000 pillars": tuple(sorted(catalog.PILLARS)),
    "the 2023 CWE Top 25": (
        *(787, 79, 89, 416, 78, 20, 125, 22, 352, 434, 862, 476, 287),
        *(190, 502, 77, 119, 798, 918, 306, 362, 269, 94, 863, 276),
    ),
    "the 2024 CWE Top 25": (
        *(79, 787, 89, 352, 22, 125, 78, 416, 862, 434, 94, 20, 77),
        *(287, 269, 502, 200, 863, 918, 119, 476, 798, 190, 400, 306),
    ),
}
# Claims in a row that must follow a list to count as walking it: three pillars are already
# implausible as real findings; Top 25 entries are common, so a longer run is needed.
MIN_WALK = {"the CWE-1000 pillars": 3}
DEFAULT_MIN_WALK = 4
# Lines either side of an engine finding (and its trace) a claim may point at to cover it.
MATCH_RADIUS = 2
# Boilerplate is a problem from this many sentences, or this share of the response.
BOILERPLATE_SENTENCES = 3
BOILERPLATE_SHARE = 0.25
# A "no defects" answer followed by this many explanatory items is not the requested form.
EXPLAINED_ITEMS = 3

# Words that make a sentence about a line a security remark rather than a restatement.
_SECURITY = lazyre.compile(
    r"vulnerab|attack|inject|unsafe|insecure|taint|saniti|exploit|\bCWE\b|untrusted|malicious|"
    r"escalat|traversal|overflow|bypass|\bXSS\b|\bCSRF\b|hard-?coded|\brisk",
    re.IGNORECASE,
)
_LICENSE_TALK = lazyre.compile(
    r"\blicen[cs]e[ds]?\b|\bcopyright(?:ed)?\b|\bwarrant(?:y|ies)\b|\"AS IS\"|\bapache\b|"
    r"permissions and limitations|in compliance with",
    re.IGNORECASE,
)
_IMPORT_TALK = lazyre.compile(
    r"\bimports?\s+(?:the\s+)?`?[\w.]+`?\s+(?:module|package|library)\b|"
    r"^`(?:import|from)\s+[\w.]+|\bthis line imports\b",
    re.IGNORECASE,
)
_LINE_TALK = lazyre.compile(
    r"\b(?:this|the) line\s+(?:\w+\s+){0,2}(?:sets|defines|checks|logs|creates|begins|raises|"
    r"executes|indicates|informs|provides|is|calls|returns|assigns|declares|initiali[sz]es)\b|"
    r"^`[^`]+`\s*:\s*this\b",
    re.IGNORECASE,
)
_HEDGE = lazyre.compile(
    r"\bcould\s+(?:potentially\s+)?(?:lead|allow|result|cause|be exploited|be manipulated)|"
    r"\bpotentially\b|\bmay\s+(?:lead|allow|result|cause)|\bmight\b|\bin an unintended way|"
    r"\b(?:lead(?:ing)? to|caus(?:e|ing)|result(?:ing)? in)\s+(?:\w+\s+)?security "
    r"(?:vulnerabilit(?:y|ies)|issues?|risks?|problems?)|"
    r"\bwithout proper (?:validation|sanitization|checks?|verification)|"
    r"\bnot properly (?:validated|sanitized|checked|verified)|"
    r"\bhelps? to (?:avoid|prevent) security|\bconsistent (?:way|set|mechanism|manner)|"
    r"\bsecure (?:mechanism|manner|way|communication channel|comparison methods?)|"
    r"\bbest practices?\b|\bif an attacker (?:can|could|is able to) (?:manipulate|control)",
    re.IGNORECASE,
)
_SOURCE = lazyre.compile(
    r"\brequest\.|\bHTTP\b|\brequest (?:data|parameters?|body|headers?|arguments?|args|form)\b|"
    r"\bquery (?:string|parameters?)\b|\bform (?:data|fields?)\b|"
    r"\buser[- ](?:input|supplied|provided|controlled)\b|\bfrom the (?:client|network|user|"
    r"request|caller)\b|\benvironment variables?\b|\bcommand[- ]line arguments?\b|\bsys\.argv\b|"
    r"\bstdin\b|\bsocket\b|\buploaded\b|\bcookies?\b|\bURL (?:parameters?|path)\b|"
    r"\bJSON (?:body|payload)\b|\bRPC\b|\bmessage queue\b|\btainted\b|\buntrusted (?:input|data)",
    re.IGNORECASE,
)
_LINE_MENTION = lazyre.compile(r"\blines?\s*[:#]?\s*\d+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AuditStats:
    words: int = 0
    sentences: int = 0
    claims: int = 0
    items: int = 0
    boilerplate_sentences: int = 0

    @property
    def words_per_claim(self) -> float | None:
        return round(self.words / self.claims, 1) if self.claims else None

    @property
    def boilerplate_share(self) -> float:
        return round(self.boilerplate_sentences / self.sentences, 3) if self.sentences else 0.0


@dataclass(frozen=True, slots=True)
class Audit:
    """The grade of one review text; reports render it, the CLI turns it into an exit code."""

    review_path: str
    extraction: Extraction
    problems: tuple[Problem, ...]
    stats: AuditStats
    code_path: str | None = None
    engine_findings: tuple[Finding, ...] | None = None  # None: the engine was not run
    missed: tuple[Finding, ...] = field(default=())

    @property
    def claims(self) -> tuple[Claim, ...]:
        return self.extraction.claims

    def problems_of(self, claim: int | None) -> list[Problem]:
        """A claim's problems, or (None) those of the response as a whole."""
        return [p for p in self.problems if p.claim == claim]

    @property
    def clean(self) -> bool:
        return not self.problems and not self.missed


def grade(
    extraction: Extraction,
    *,
    review_path: str = "-",
    code: str | None = None,
    code_path: str | None = None,
    findings: Sequence[Finding] | None = None,
) -> Audit:
    """Every problem of the review; `code` (the reviewed file's text) enables the line
    checks, `findings` (the engine's, on that file) the verdict and coverage checks."""
    lines = SourceLines(code) if code is not None else None
    problems: list[Problem] = []
    for index, claim in enumerate(extraction.claims):
        problems += [replace(p, claim=index) for p in check_claim(claim, lines)]
    problems += _list_walk(extraction.claims)
    boilerplate, boilerplate_problems = _boilerplate(extraction)
    problems += boilerplate_problems
    problems += _vague(extraction)
    problems += _non_compliant(extraction)
    missed: tuple[Finding, ...] = ()
    if findings is not None:
        problems += _unsupported_verdict(extraction, findings)
        missed = tuple(f for f in findings if not _covered(f, extraction.claims))
    problems.sort(key=lambda p: (p.claim is not None, p.claim or 0))
    stats = AuditStats(
        words=extraction.words,
        sentences=len(extraction.sentences()),
        claims=len(extraction.claims),
        items=sum(1 for u in extraction.units if u.in_list),
        boilerplate_sentences=boilerplate,
    )
    return Audit(
        review_path=review_path,
        extraction=extraction,
        problems=tuple(problems),
        stats=stats,
        code_path=code_path,
        engine_findings=tuple(findings) if findings is not None else None,
        missed=missed,
    )


# --- a CWE list walked in order ----------------------------------------------------------------
def _list_walk(claims: Sequence[Claim]) -> list[Problem]:
    """Claims whose CWEs (or claimed names) follow a known list entry by entry, in order."""
    problems: list[Problem] = []
    for name, entries in KNOWN_LISTS.items():
        position = {cwe_id: i for i, cwe_id in enumerate(entries)}
        places = [_place(claim, position) for claim in claims]
        run = _longest_run(places)
        needed = MIN_WALK.get(name, DEFAULT_MIN_WALK)
        with_cwe = sum(1 for c in claims if c.cwe is not None)
        if len(run) >= needed and len(run) * 2 >= max(with_cwe, 1):
            first, last = run[0], run[-1]
            walked = [entries[places[i]] for i in run]  # type: ignore[index]
            problems.append(
                Problem(
                    "cwe-list-walk",
                    f"claims {first + 1}-{last + 1} follow {name} in order, one claim per "
                    f"entry ({', '.join(f'CWE-{c}' for c in walked)}): a list walked, not "
                    "defects found in the code",
                    cwes=tuple(walked),
                )
            )
    return problems


def _place(claim: Claim, position: dict[int, int]) -> int | None:
    """The claim's entry in the list: by its CWE id, else by the CWE its name really is."""
    if claim.cwe in position:
        return position[claim.cwe]
    if claim.cwe_name:
        for cwe_id in identify(claim.cwe_name, limit=1):
            if cwe_id in position:
                return position[cwe_id]
    return None


def _longest_run(places: Sequence[int | None]) -> list[int]:
    """Indexes of the longest stretch of consecutive claims whose places rise by one or two
    (a walk may skip an entry) — claim order following list order."""
    best: list[int] = []
    current: list[int] = []
    for index, place in enumerate(places):
        previous = places[current[-1]] if current else None
        if place is not None and previous is not None and 1 <= place - previous <= 2:
            current.append(index)
        else:
            current = [index] if place is not None else []
        if len(current) > len(best):
            best = list(current)
    return best


# --- boilerplate -------------------------------------------------------------------------------
def _boilerplate_kind(sentence: str, unit: Unit) -> str | None:
    """'license', 'imports' or 'harmless lines' when the sentence only explains those."""
    if _SECURITY.search(sentence) or unit.role == "defect":
        return None
    if _LICENSE_TALK.search(sentence):
        return "license"
    if _IMPORT_TALK.search(sentence) or _IMPORT_TALK.search(unit.text.split("\n", 1)[0][:80]):
        return "imports"
    if _LINE_TALK.search(sentence) or (unit.in_list and _LINE_TALK.search(unit.text[:200])):
        return "harmless lines"
    return None


def _boilerplate(extraction: Extraction) -> tuple[int, list[Problem]]:
    by_kind: dict[str, list[str]] = {}
    count = 0
    for unit, sentence in extraction.sentences():
        kind = _boilerplate_kind(sentence, unit)
        if kind is None:
            continue
        count += 1
        labels = by_kind.setdefault(kind, [])
        if unit.label not in labels:
            labels.append(unit.label)
    total = len(extraction.sentences())
    if not count or (count < BOILERPLATE_SENTENCES and count / max(total, 1) < BOILERPLATE_SHARE):
        return count, []
    parts = [f"{kind} ({_span(labels)})" for kind, labels in by_kind.items()]
    detail = (
        f"{count} of {total} sentences explain the {_join(parts)} instead of reporting "
        "defects; a review should never restate the code or explain harmless lines"
    )
    if all(not label.startswith("item") for labels in by_kind.values() for label in labels):
        detail = (
            f"{count} of {total} sentences explain the {_join(list(by_kind))} instead of "
            "reporting defects; a review should never restate the code or explain harmless lines"
        )
    return count, [Problem("boilerplate", detail)]


# --- vagueness ---------------------------------------------------------------------------------
def _hedges(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(0).lower() for m in _HEDGE.finditer(text)))


def _flat(text: str) -> str:
    """One line, single spaces: phrases wrapped over lines still match."""
    return " ".join(text.split())


def _vague(extraction: Extraction) -> list[Problem]:
    """Claims (each) and other text (together) whose reasons are generic hedges with no
    source of attacker data, or with no line."""
    problems: list[Problem] = []
    notes: list[str] = []
    phrases: list[str] = []
    for unit in extraction.units:
        if unit.role == "fix":
            continue
        flat = _flat(unit.text)
        hedges = _hedges(flat)
        if not hedges:
            continue
        claim = extraction.claims[unit.claim] if unit.claim is not None else None
        has_line = (claim.line if claim else None) is not None or bool(_LINE_MENTION.search(flat))
        has_source = bool(_SOURCE.search(flat))
        if has_line and has_source:
            continue
        missing = " or ".join(
            m
            for m, absent in (("source of attacker data", not has_source), ("line", not has_line))
            if absent
        )
        if unit.claim is not None:
            problems.append(
                Problem(
                    "vague",
                    f"generic hedges ({_quote(hedges)}) with no {missing}",
                    claim=unit.claim,
                    line=claim.line if claim else None,
                )
            )
        else:
            notes.append(unit.label)
            phrases += [h for h in hedges if h not in phrases]
    if notes:
        problems.append(
            Problem(
                "vague",
                f"{_span(notes)}: generic reasons ({_quote(phrases[:4])}) with no concrete "
                "line or source of attacker data",
            )
        )
    return problems


# --- form --------------------------------------------------------------------------------------
def _non_compliant(extraction: Extraction) -> list[Problem]:
    """Not the requested form: each defect with line, CWE and fix, or a clear 'no defects'."""
    problems: list[Problem] = []
    if extraction.note:
        problems.append(Problem("non-compliant", extraction.note))
    for index, claim in enumerate(extraction.claims):
        missing = [
            what
            for what, absent in (
                ("line", claim.line is None),
                ("CWE", claim.cwe is None),
                ("fix", not claim.fix.strip()),
            )
            if absent
        ]
        if missing:
            problems.append(
                Problem(
                    "non-compliant",
                    f"the defect gives {_join([f'no {m}' for m in missing])}",
                    claim=index,
                    line=claim.line,
                )
            )
    if extraction.verdict == "unclear":
        problems.append(
            Problem(
                "non-compliant",
                "no clear verdict: neither defects (each with line, CWE and fix) nor "
                "'No security defects are detected in the code.'",
            )
        )
    elif extraction.verdict == "contradictory":
        problems.append(
            Problem(
                "non-compliant", "contradictory verdict: says there are no defects, and lists some"
            )
        )
    if extraction.verdict == "none":
        explained = [u for u in extraction.units if u.in_list and u.role == "note"]
        if len(explained) >= EXPLAINED_ITEMS:
            problems.append(
                Problem(
                    "non-compliant",
                    f"answers 'no defects' with {len(explained)} items explaining the code "
                    f"({_span([u.label for u in explained])}) instead of the verdict alone",
                )
            )
    if extraction.truncated:
        last = extraction.units[-1] if extraction.units else None
        where = f" ({last.label} is cut off)" if last is not None else ""
        problems.append(Problem("non-compliant", f"the response stops mid-item{where}"))
    return problems


# --- against the engine ------------------------------------------------------------------------
def _unsupported_verdict(extraction: Extraction, findings: Sequence[Finding]) -> list[Problem]:
    if extraction.verdict != "none" or not findings:
        return []
    shown = ", ".join(f"CWE-{f.cwe} at line {f.location.line} ({f.rule_id})" for f in findings[:3])
    more = f" and {len(findings) - 3} more" if len(findings) > 3 else ""
    return [
        Problem(
            "unsupported-verdict",
            f"says there are no defects, but the engine finds {len(findings)}: {shown}{more}",
            cwes=tuple(dict.fromkeys(f.cwe for f in findings)),
        )
    ]


def _covered(finding: Finding, claims: Sequence[Claim]) -> bool:
    """A claim points at the finding's statement or at a step of its trace."""
    lines = set(finding.lines)
    lines.update(step.location.line for step in finding.trace)
    for claim in claims:
        if claim.line is None:
            continue
        last = claim.end_line if claim.end_line and claim.end_line >= claim.line else claim.line
        if any(claim.line - MATCH_RADIUS <= line <= last + MATCH_RADIUS for line in lines):
            return True
    return False


# --- wording -----------------------------------------------------------------------------------
def _span(labels: Sequence[str]) -> str:
    """'items 1-10', 'claims 2, 5', 'item 3' from unit labels."""
    groups: dict[str, list[str]] = {}
    for label in labels:
        kind, _, rest = label.partition(" ")
        groups.setdefault(kind, []).append(rest)
    parts = []
    for kind, rests in groups.items():
        numbers = [int(r) for r in rests if r.isdigit()]
        if len(numbers) == len(rests):
            ranges = []
            for _, run in itertools.groupby(enumerate(numbers), lambda p: p[1] - p[0]):
                run_numbers = [n for _, n in run]
                first, last = run_numbers[0], run_numbers[-1]
                ranges.append(str(first) if first == last else f"{first}-{last}")
            plural = "s" if len(numbers) > 1 else ""
            parts.append(f"{kind}{plural} {', '.join(ranges)}")
        else:
            parts += [f"{kind} {r}" for r in rests]
    return _join(parts)


def _join(parts: Sequence[str], last: str = "and") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {last} {parts[-1]}"


def _quote(phrases: Sequence[str]) -> str:
    return ", ".join(f"'{p}'" for p in phrases)
