"""Claims out of a review's text, whether prose (numbered items, "(CWE-N)", "line N") or JSON.

Reviews are messy: an LLM writes a list of defects and then a second list of fixes for them,
explains the code line by line instead of answering, or stops mid-item. Extraction keeps
what grading needs: the claims (as `secreview.claims.Claim`), every list item and paragraph
as a unit of text, the stated verdict, and whether the text ends mid-item.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from secreview import lazyre
from secreview.claims import Claim, quoted_identifiers

Verdict = Literal["defects", "none", "contradictory", "unclear"]
Role = Literal["defect", "fix", "note"]


@dataclass(frozen=True, slots=True)
class Unit:
    """A list item or a paragraph: what boilerplate and vagueness are judged on."""

    text: str
    line: int  # where it starts in the review file
    number: int | None = None  # the item's own number ("3." -> 3)
    role: Role = "note"  # defect claim, fix for a claim, or anything else
    in_list: bool = False
    claim: int | None = None  # index into Extraction.claims for defect items

    @property
    def label(self) -> str:
        if self.claim is not None:
            return f"claim {self.claim + 1}"
        if self.in_list:
            return f"item {self.number}" if self.number is not None else f"item at line {self.line}"
        return f"paragraph at line {self.line}"


@dataclass(frozen=True, slots=True)
class Extraction:
    claims: tuple[Claim, ...]
    units: tuple[Unit, ...]
    verdict: Verdict
    form: Literal["prose", "json"]
    truncated: bool = False
    words: int = 0
    note: str = ""  # why JSON could not be read as a list of defects, when it could not

    def sentences(self) -> list[tuple[Unit, str]]:
        """Every sentence with the unit it is in."""
        return [(unit, s) for unit in self.units for s in split_sentences(unit.text)]


# --- patterns ----------------------------------------------------------------------------------
_CWE = lazyre.compile(r"\bCWE\s*[-\u2010\u2011\u2013:#]?\s*(\d{1,4})\b", re.IGNORECASE)
_LINE = lazyre.compile(
    r"\blines?\s*(?:no\.?\s*|number\s*|[:#]\s*)?(\d{1,6})"
    r"(?:\s*(?:-|\u2013|\u2014|to|through|and|,)\s*(\d{1,6}))?",
    re.IGNORECASE,
)
_PATH_LINE = lazyre.compile(r"[\w./\\-]+\.pyw?:(\d{1,6})(?:-(\d{1,6}))?\b")
_CONFIDENCE = lazyre.compile(
    r"\bconfidence\s*(?:level\s*)?(?:is\s*)?[:=]?\s*\**\s*(low|medium|high)\b"
    r"|\b(low|medium|high)\s+confidence\b",
    re.IGNORECASE,
)
_ITEM = lazyre.compile(r"^(\s*)(?:#{1,6}\s*)?(?:\*\*)?(?:(\d{1,3})[.)]|[-*•+])(?:\*\*)?(?=\s|$)\s*")
_LABEL = lazyre.compile(
    r"^\s*(?:\*\*)?(fix|recommendation|recommended fix|remediation|mitigation|solution|"
    r"suggested fix|how to fix|line|lines|location|cwe|severity|confidence|impact|"
    r"explanation|description|details|evidence|code)\b(?:\s*[\d-]+)?\s*(?:\*\*)?\s*:",
    re.IGNORECASE,
)
_FIX_SENTENCE = lazyre.compile(
    r"^[\s*_]*(?:fix|recommendation|recommended fix|remediation|mitigation|solution|"
    r"suggested fix|how to fix)\b\s*(?:\*\*)?\s*[:\-\u2013]"
    r"|\b(?:to fix|to mitigate|to prevent this|to address this|instead of|should be replaced|"
    r"should use|recommend(?:ed)?|consider using)\b",
    re.IGNORECASE,
)
_FIX_LABEL = lazyre.compile(
    r"^[\s*_]*(?:fix|recommendation|recommended fix|remediation|mitigation|solution|"
    r"suggested fix|how to fix)\s*(?:\*\*)?\s*[:\-\u2013]\s*(?:\*\*)?\s*",
    re.IGNORECASE,
)
_META = lazyre.compile(r"^[\s*_]*(?:confidence|severity|likelihood|impact)\b[^.]{0,30}:", re.I)
_FIX_INTRO = lazyre.compile(
    r"\b(recommend|recommendations?|to address|to fix|fix(es)?|mitigat|remediat|suggest)",
    re.IGNORECASE,
)
# "did not find any security defects", "No security defects are detected in the code."
_NO_DEFECTS = lazyre.compile(
    r"\b(?:did not|didn't|do not|don't|could not|couldn't|cannot|can't|was unable to)\s+"
    r"(?:find|identify|detect|see|spot|discover)\s+(?:any\s+)?(?:\w+\s+){0,3}"
    r"(?:defects?|vulnerabilit(?:y|ies)|issues?|weakness(?:es)?|problems?|flaws?)\b"
    r"|\bno\s+(?:\w+\s+){0,3}(?:defects?|vulnerabilit(?:y|ies)|issues?|weakness(?:es)?|flaws?)"
    r"\s+(?:(?:are|were|was|is|have been|has been)\s+)?(?:found|detected|identified|present)\b"
    r"|\b(?:there are|I see|contains?|has)\s+no\s+(?:\w+\s+){0,3}"
    r"(?:defects?|vulnerabilit(?:y|ies)|weakness(?:es)?|flaws?)\b"
    r"|\bthe code (?:is|appears to be|looks) (?:secure|safe)\b",
    re.IGNORECASE,
)
_DEFECTS = lazyre.compile(
    r"\b(?:identified|found|detected|discovered|spotted|noticed|are|were)\s+"
    r"(?:the following|several|some|multiple|a few|a number of|\d+|one|two|three|a|an)?\s*"
    r"(?:\w+\s+){0,3}(?:defects?|vulnerabilit(?:y|ies)|weakness(?:es)?|security issues?|flaws?)\b",
    re.IGNORECASE,
)
_SENTENCE_END = lazyre.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z`'\"(\[*\d])")
_WORDS = lazyre.compile(r"\S+")


def split_sentences(text: str) -> list[str]:
    """Sentences of one unit (a header line ending with ':' counts as one; a 'Fix:' note
    runs on over its wrapped lines)."""
    chunks: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        bullet = _ITEM.match(raw)
        line = raw[bullet.end() :] if bullet else raw
        if bullet or _LABEL.match(line):  # a sub-point or "Fix: ..." starts a sentence
            chunks.append(" ".join(current))
            current = []
        current.append(line.strip())
        if line.rstrip().endswith(":") and not _LABEL.match(current[0]):  # a header ends one
            chunks.append(" ".join(current))
            current = []
    chunks.append(" ".join(current))
    return [s.strip() for chunk in chunks for s in _SENTENCE_END.split(chunk) if s.strip()]


# --- entry point -------------------------------------------------------------------------------
def extract(text: str) -> Extraction:
    """The claims, units and verdict of a review; never raises on odd text."""
    data = _json_payload(text)
    if data is not None:
        return _from_json(data, text)
    return _from_prose(text)


# --- prose -------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Block:
    kind: Literal["item", "para"]
    line: int
    lines: list[str]
    number: int | None = None
    after_blank: bool = True
    indent: int = 0

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


def _blocks(text: str) -> list[_Block]:
    """Items (numbered or bulleted) and paragraphs, in order. Unindented lines right after an
    item stay in it while the item is still open (a header ending with ':' or a label such as
    'Fix:'); indented lines always do."""
    blocks: list[_Block] = []
    blank = True
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            blank = True
            continue
        current = blocks[-1] if blocks else None
        indent = len(line) - len(line.lstrip())
        match = _ITEM.match(line)
        nested = (
            current is not None
            and current.kind == "item"
            and match is not None
            and (
                indent >= current.indent + 2
                # a bullet right under a numbered item (no blank line) is its sub-point
                or (not blank and current.number is not None and match.group(2) is None)
            )
        ) or (current is not None and current.kind == "item" and indent >= current.indent + 2)
        if match and not nested:
            item_number = int(match.group(2)) if match.group(2) else None
            blocks.append(_Block("item", number, [line[match.end() :]], item_number, blank, indent))
        elif (
            current is not None
            and current.kind == "item"
            and (nested or (not blank and (_open(current) or _LABEL.match(line))))
        ) or (current is not None and current.kind == "para" and not blank):
            current.lines.append(line.strip())
        else:
            blocks.append(_Block("para", number, [line.strip()], None, blank))
        blank = False
    return _merge_between_items(blocks)


def _open(block: _Block) -> bool:
    """An item whose text so far does not end a sentence (a header, or a broken line)."""
    last = block.lines[-1].rstrip().rstrip("*").rstrip()
    return not last or last[-1] not in ".!?)\"'`"


def _merge_between_items(blocks: list[_Block]) -> list[_Block]:
    """Text between items n and n+1 of one list (with no blank line before it) is item n's."""
    merged: list[_Block] = []
    for i, block in enumerate(blocks):
        previous = merged[-1] if merged else None
        following = next((b for b in blocks[i + 1 :] if b.kind == "item"), None)
        if (
            block.kind == "para"
            and not block.after_blank
            and previous is not None
            and previous.kind == "item"
            and previous.number is not None
            and following is not None
            and following.number == previous.number + 1
            and all(
                b.kind == "para" and not b.after_blank for b in blocks[i : blocks.index(following)]
            )
        ):
            previous.lines += block.lines
            continue
        merged.append(block)
    return merged


def _lists(blocks: list[_Block]) -> list[tuple[str, list[_Block]]]:
    """Group items into lists, each with its intro (the paragraph just before it). A list
    ends at a paragraph or when the numbering starts again."""
    lists: list[tuple[str, list[_Block]]] = []
    intro = ""
    current: list[_Block] | None = None
    for block in blocks:
        if block.kind == "para":
            intro = block.text
            current = None
            continue
        restart = (
            current is not None
            and block.number is not None
            and current[-1].number is not None
            and block.number <= current[-1].number
        )
        if current is None or restart:
            current = []
            lists.append((intro if not restart else "", current))
        current.append(block)
    return lists


def _from_prose(text: str) -> Extraction:
    blocks = _blocks(text)
    paragraphs = [b.text for b in blocks if b.kind == "para"]
    says_none = any(_NO_DEFECTS.search(s) for p in paragraphs for s in split_sentences(p))
    says_defects = any(
        _DEFECTS.search(s) and not _NO_DEFECTS.search(s)
        for p in paragraphs
        for s in split_sentences(p)
    )
    roles: dict[int, Role] = {}
    seen_defects = False
    for intro, items in _lists(blocks):
        role = _list_role(intro, items, seen_defects, says_defects and not says_none)
        seen_defects = seen_defects or role == "defect"
        for item in items:
            roles[id(item)] = role
    # items outside any defect list that still name a CWE are claims too
    for block in blocks:
        if block.kind == "item" and roles.get(id(block)) == "note" and _CWE.search(block.text):
            roles[id(block)] = "defect" if not says_none else "note"
    claims: list[Claim] = []
    units: list[Unit] = []
    defect_items: list[_Block] = []
    for block in blocks:
        role = roles.get(id(block), "note")
        if block.kind == "para" and _CWE.search(block.text) and not says_none:
            role = "defect"  # a claim written as a paragraph
        claim_index = None
        if role == "defect":
            claim_index = len(claims)
            claims.append(_claim_from_text(block.text))
            defect_items.append(block)
        units.append(
            Unit(
                text=block.text,
                line=block.line,
                number=block.number,
                role=role,
                in_list=block.kind == "item",
                claim=claim_index,
            )
        )
    fixes = [b for b in blocks if roles.get(id(b)) == "fix"]
    claims = _attach_fixes(claims, fixes)
    has_claims = bool(claims)
    if (says_defects or has_claims) and says_none:
        verdict: Verdict = "contradictory" if has_claims or says_defects else "none"
    elif says_none:
        verdict = "none"
    elif says_defects or has_claims:
        verdict = "defects"
    else:
        verdict = "unclear"
    return Extraction(
        claims=tuple(claims),
        units=tuple(units),
        verdict=verdict,
        form="prose",
        truncated=_truncated(blocks),
        words=len(_WORDS.findall(text)),
    )


def _list_role(intro: str, items: list[_Block], after_defects: bool, defects_said: bool) -> Role:
    """What a list holds: defects (an item names a CWE, or the text said defects were found
    and the items read like them), fixes (introduced as recommendations after a defect list),
    or notes (anything else: explanations of the code, praise)."""
    with_cwe = sum(1 for item in items if _CWE.search(item.text))
    if after_defects and not with_cwe and _FIX_INTRO.search(intro):
        return "fix"
    if with_cwe:
        return "defect"
    if defects_said and not _NO_DEFECTS.search(intro) and not _FIX_INTRO.search(intro):
        return "defect"
    return "note"


def _truncated(blocks: list[_Block]) -> bool:
    """The text stops mid-item: a last item with no text, or a last line cut mid-sentence."""
    if not blocks:
        return False
    last = blocks[-1]
    if last.kind == "item" and not last.text:
        return True
    tail = last.lines[-1].rstrip().rstrip("*_").rstrip()
    return bool(tail) and (tail[-1] in ",;(-\u2013" or tail.endswith((" and", " the", " of")))


def _claim_from_text(text: str) -> Claim:
    """A claim from one item: its first sentence is the heading, sentences that recommend
    are the fix, the rest (less 'Severity: high' notes) the explanation."""
    cwe_id, cwe_name = _cwe_and_name(text)
    line, end_line = _lines(text)
    header, _, rest = text.partition("\n")
    head = split_sentences(header)
    heading = head[0] if head else ""
    sentences = head[1:] + split_sentences(rest)
    fixes = [s for s in sentences if _FIX_SENTENCE.search(s)]
    body = [s for s in sentences if s not in fixes and not _META.match(s)]
    return Claim(
        line=line,
        end_line=end_line,
        cwe=cwe_id,
        cwe_name=cwe_name,
        title=_title(heading, cwe_name),
        explanation=" ".join(body) or heading,
        fix=" ".join(_FIX_LABEL.sub("", s) for s in fixes),
        identifiers=quoted_identifiers(" ".join([heading, *_at_line(body, line)])),
        confidence=_confidence(text),
        raw=text,
    )


_STEP = lazyre.compile(r"^\s*(?:[\w./\\-]+\.pyw?:|lines?\s+)(\d+)\b", re.IGNORECASE)


# a quote placed elsewhere by the text: "'user_id' (api/users.py:949)", "`args` (line 13)"
_PLACED_QUOTE = lazyre.compile(
    r"(`[^`\n]+`|'[^'\n]+'|\"[^\"\n]+\")\s*\([^()\n]*?(?:\.pyw?:|\blines?\s+)(\d+)[^()\n]*\)",
    re.IGNORECASE,
)


def _at_line(sentences: list[str], line: int | None) -> list[str]:
    """The text whose quotes are about the claim's line: trace steps that start at another
    line ("app.py:13  request.args (source)") are left out, and so are quotes the text
    places at another line ("'user_id' (api/users.py:949)")."""
    if line is None:
        return sentences
    kept = []
    for sentence in sentences:
        step = _STEP.match(sentence)
        if step is not None and int(step.group(1)) != line:
            continue
        kept.append(
            _PLACED_QUOTE.sub(lambda m: m.group(0) if int(m.group(2)) == line else "", sentence)
        )
    return kept


def _cwe_and_name(text: str) -> tuple[int | None, str]:
    """The first CWE id and the name written next to it: `Name (CWE-N)`, `CWE-N: Name`,
    `CWE-N (Name)` or `[CWE-N] Name`."""
    match = _CWE.search(text)
    if match is None:
        return None, ""
    cwe_id = int(match.group(1))
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start : match.start()]
    after = text[match.end() : line_end]
    name = ""
    if re.search(r"[(\[]\s*$", before):  # Name (CWE-N)
        name = re.sub(r"[(\[]\s*$", "", before)
        name = re.split(r"[:.;!?]\s|\*\*|\u2014| - ", name)[-1]
    if not _clean_name(name):
        after_match = re.match(r"\s*[)\]]?\s*(?:[:\-\u2013\u2014]\s*|\(\s*)([^():.;\n]+)", after)
        if after_match:
            name = after_match.group(1)
    return cwe_id, _clean_name(name)


def _clean_name(name: str) -> str:
    name = re.sub(r"[*_`#]", "", name).strip(" \t:-\u2013\u2014,\"'")
    name = re.sub(
        r"^(?:potential|possible|vulnerability|weakness|issue|defect)\s*:?\s+", "", name, flags=re.I
    )
    return name.strip() if len(name) <= 120 else ""


def _title(header: str, cwe_name: str) -> str:
    if cwe_name:
        return cwe_name
    title = _CWE.sub("", header)
    title = re.sub(r"[*_`#]|\(\s*\)|\[\s*\]", "", title).strip(" :.-\u2013\u2014")
    return title[:120]


def _lines(text: str) -> tuple[int | None, int | None]:
    """The first place the text points at: "line N", "lines N-M" or "file.py:N"."""
    matches = [m for m in (_LINE.search(text), _PATH_LINE.search(text)) if m is not None]
    if not matches:
        return None, None
    match = min(matches, key=lambda m: m.start())
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) else None
    if last is not None and last <= first:
        last = None  # "lines 12 and 8": keep the first line only
    return first, last


def _confidence(text: str) -> str | None:
    match = _CONFIDENCE.search(text)
    if match is None:
        return None
    return (match.group(1) or match.group(2)).lower()


def _attach_fixes(claims: list[Claim], fixes: list[_Block]) -> list[Claim]:
    """Give each claim the recommendation that names its line, else the one with its number."""
    if not fixes:
        return claims
    by_line: dict[int, str] = {}
    by_number: dict[int, str] = {}
    for block in fixes:
        line, _ = _lines(block.text)
        if line is not None:
            by_line.setdefault(line, block.text)
        if block.number is not None:
            by_number.setdefault(block.number, block.text)
    out: list[Claim] = []
    for index, claim in enumerate(claims):
        extra = (claim.line is not None and by_line.get(claim.line)) or by_number.get(index + 1)
        if extra and extra not in claim.fix:
            claim = replace(claim, fix=" ".join(p for p in (claim.fix, extra) if p))
        out.append(claim)
    return out


# --- JSON --------------------------------------------------------------------------------------
_FENCED_JSON = lazyre.compile(r"```(?:json)?\s*\n(.*?)\n\s*```", re.DOTALL)
_BARE_ID = lazyre.compile(r"\s*(?:CWE[-\s]?)?\d+\s*", re.IGNORECASE)
LIST_KEYS = ("findings", "defects", "vulnerabilities", "issues", "claims", "results")
# Key names per field, as reviews and models spell them (first present wins). `weakness` may
# hold an id or a name ("CWE-89", "SQL Injection"), so it is read as the `cwe` is.
_KEYS: Mapping[str, tuple[str, ...]] = {
    "line": ("line", "start_line", "line_number", "lineno", "line_start", "lines", "location"),
    "end_line": ("end_line", "line_end", "end_lineno"),
    "cwe": ("cwe", "cwe_id", "cweid", "weakness"),
    "cwe_name": ("cwe_name", "weakness_name", "name", "category"),
    "title": ("title", "summary", "type", "defect", "issue"),
    "explanation": ("explanation", "description", "message", "why", "details", "reason"),
    "fix": ("fix", "recommendation", "remediation", "mitigation", "suggested_fix", "solution"),
    "confidence": ("confidence", "certainty"),
    "identifiers": ("identifiers", "code", "snippet", "evidence"),
    "path": ("path", "file", "filename"),
}
_BARE_LINES = lazyre.compile(r"(\d+)(?:\s*(?:-|\u2013|to|\.\.)\s*(\d+))?")  # "12", "12-14"
_CONFIDENCE_WORDS = {"moderate": "medium"}


def _json_payload(text: str) -> Any | None:
    """The JSON the review is, or the one fenced ```json block it is mostly made of."""
    stripped = text.strip()
    candidates = [stripped] if stripped[:1] in "[{" else []
    fenced = _FENCED_JSON.findall(text)
    if len(fenced) == 1:
        candidates.append(fenced[0])
    for candidate in candidates:
        try:
            data = json.loads(candidate)
        except (ValueError, RecursionError):
            continue
        if isinstance(data, dict | list):
            return data
    return None


def _from_json(data: Any, text: str) -> Extraction:
    entries: list[Any] | None = None
    verdict_text = ""
    if isinstance(data, list):
        entries = data
    else:
        for key in LIST_KEYS:
            if isinstance(data.get(key), list):
                entries = data[key]
                break
        for key in ("verdict", "summary", "conclusion", "result"):
            if isinstance(data.get(key), str):
                verdict_text = data[key]
                break
    words = len(_WORDS.findall(text))
    if entries is None:
        return Extraction(
            claims=(),
            units=(Unit(text=verdict_text, line=1),) if verdict_text else (),
            verdict=_verdict_from_text(verdict_text),
            form="json",
            words=words,
            note="JSON without a list of findings (expected a list, or an object with one of: "
            + ", ".join(LIST_KEYS)
            + ")",
        )
    claims = [claim_from_object(entry) for entry in entries]
    units = [
        Unit(text=_describe(claim), line=1, number=i + 1, role="defect", in_list=True, claim=i)
        for i, claim in enumerate(claims)
    ]
    if verdict_text:
        units.append(Unit(text=verdict_text, line=1))
    stated = _verdict_from_text(verdict_text)
    if claims:
        verdict: Verdict = "contradictory" if stated == "none" else "defects"
    else:
        # an empty list is the JSON way to say "no defects"
        verdict = "none" if stated in ("none", "unclear") else "contradictory"
    return Extraction(
        claims=tuple(claims), units=tuple(units), verdict=verdict, form="json", words=words
    )


def _verdict_from_text(text: str) -> Verdict:
    if _NO_DEFECTS.search(text):
        return "none"
    if _DEFECTS.search(text):
        return "defects"
    return "unclear"


def claim_from_object(entry: Any) -> Claim:
    """One defect of a JSON review or model answer, whatever its keys are called: lines as
    12, "12-14", [12, 14], "line 12" or "app.py:12" (else the first place the explanation
    names); the CWE as 78, "78", "CWE-78: OS Command Injection", "SQL Injection (CWE-89)" or
    a name alone (else an id written in the title); quoted code from an `identifiers` list,
    else from the title and the explanation's sentences about the claimed line."""
    if not isinstance(entry, Mapping):
        return _claim_from_text(str(entry)) if isinstance(entry, str) else Claim(raw=repr(entry))
    flat: dict[str, Any] = {str(k).lower(): v for k, v in entry.items()}
    location = flat.get("location")
    if isinstance(location, Mapping):  # secreview's own JSON report
        flat["location"] = None
        flat.setdefault("line", location.get("line"))
        flat.setdefault("end_line", location.get("end_line"))
        flat.setdefault("path", location.get("path"))

    def pick(field: str) -> Any:
        for key in _KEYS[field]:
            if flat.get(key) not in (None, ""):
                return flat[key]
        return None

    title = _text(pick("title"))
    cwe_id, name_from_cwe = _json_cwe(pick("cwe"))
    cwe_name = _text(pick("cwe_name")) or name_from_cwe
    if _BARE_ID.fullmatch(cwe_name):  # "cwe_name": "CWE-78" repeats the id, names nothing
        cwe_id = cwe_id if cwe_id is not None else int(re.sub(r"\D", "", cwe_name))
        cwe_name = name_from_cwe if not _BARE_ID.fullmatch(name_from_cwe or "") else ""
    if cwe_id is None:  # the id may be written inside the title: "SQL Injection (CWE-89)"
        cwe_id, name_in_title = _cwe_and_name(title)
        cwe_name = cwe_name or name_in_title
    # a title without the id ("Host passed to a shell") is not a CWE name: never compared
    explanation = _text(pick("explanation"))
    line, end_line = _line_span(pick("line"))
    end_line = _line_span(pick("end_line"))[0] or end_line
    if line is None:
        line, end_line = _lines(explanation)
    if end_line is not None and (line is None or end_line < line):
        end_line = None
    identifiers = pick("identifiers")
    if isinstance(identifiers, list):
        quoted = tuple(str(i) for i in identifiers if isinstance(i, str | int))
    else:
        about_line = _at_line(split_sentences(explanation), line)
        quoted = quoted_identifiers("\n".join([title, " ".join(about_line)]))
    return Claim(
        line=line,
        end_line=end_line,
        cwe=cwe_id,
        cwe_name=cwe_name,
        title=title,
        explanation=explanation,
        fix=_text(pick("fix")),
        identifiers=quoted,
        confidence=_json_confidence(pick("confidence")),
        raw=json.dumps(entry, ensure_ascii=False, default=str),
        path=_text(pick("path")) or None,
    )


def _json_cwe(value: Any) -> tuple[int | None, str]:
    """(id, the name written with it); a text without an id is a name."""
    if isinstance(value, bool):
        return None, ""
    if isinstance(value, int):
        return value, ""
    if isinstance(value, str):
        if value.strip().isdigit():
            return int(value.strip()), ""
        cwe_id, name = _cwe_and_name(value)
        return (cwe_id, name) if cwe_id is not None else (None, _clean_name(value))
    return None, ""


def _line_span(value: Any) -> tuple[int | None, int | None]:
    """(first, last) of a line value: 12, 12.0, [12, 14], "12-14", "line 12", "a.py:12"."""
    if _is_number(value):
        return int(value), None
    if isinstance(value, list) and value and all(_is_number(v) for v in value):
        return int(value[0]), (int(value[-1]) if len(value) > 1 else None)
    if isinstance(value, str):
        first, last = _lines(value)
        if first is None and (match := _BARE_LINES.search(value)):
            first = int(match.group(1))
            last = int(match.group(2)) if match.group(2) else None
        return first, last
    return None, None


def _is_number(value: Any) -> bool:
    """An int, or a float that is one (JSON as Python reads it also allows NaN and Infinity)."""
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _json_confidence(value: Any) -> str | None:
    """The confidence as a word: "High" is "high", "moderate" "medium", 0.9 or 90 "high"."""
    if _is_number(value):
        score = float(value) / (100 if value > 1 else 1)
        return "high" if score >= 0.8 else "medium" if score >= 0.5 else "low"
    if not isinstance(value, str):
        return None
    word = value.strip().lower()
    return _CONFIDENCE_WORDS.get(word, word) or None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return " ".join(_text(v) for v in value)
    return str(value)


def _describe(claim: Claim) -> str:
    """The prose a JSON claim amounts to, for the vagueness and boilerplate checks."""
    return ". ".join(p.rstrip(".") for p in (claim.title, claim.explanation) if p) + "."
