"""Model answers -> `claims.Claim`s, tolerant of how models actually answer.

A grounded answer should be one JSON object; models also wrap it in Markdown fences, put
reasoning (`<think>...</think>`) or prose around it, use other key names, give lines as
"12-14" and CWEs as "CWE-78: OS Command Injection". Whatever JSON is in the answer is read;
an answer with none is read as prose, like the answers of the other prompt strategies.
Prose is read by the same extractor as `secreview audit` (`secreview.audit.extract`).
Nothing here judges a claim: verification does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from secreview.audit.extract import extract
from secreview.claims import Claim, quoted_identifiers

_THINK = re.compile(r"<think>.*?(</think>|\Z)", re.DOTALL | re.IGNORECASE)
_CWE = re.compile(r"CWE[-_ ]?(\d{1,4})", re.IGNORECASE)
_LINE = re.compile(r"(\d+)(?:\s*(?:-|\u2013|to|\.\.)\s*(\d+))?")
_LIST_KEYS = ("defects", "findings", "issues", "vulnerabilities", "results", "claims")
_CONFIDENCE = {"low": "low", "medium": "medium", "moderate": "medium", "high": "high"}


@dataclass(frozen=True, slots=True)
class Answer:
    """What one model answer says: its claims, and how it was read."""

    claims: tuple[Claim, ...] = ()
    form: Literal["json", "prose", "empty"] = "json"
    notes: tuple[str, ...] = field(default=())  # why parts of it were not usable


def strip_reasoning(text: str) -> str:
    """The answer without reasoning blocks (DeepSeek-R1, Qwen) that precede it."""
    if "</think>" in text and "<think>" not in text:
        text = text.split("</think>", 1)[1]
    return _THINK.sub("", text).strip()


def parse_answer(text: str, path: str, *, expect_json: bool) -> Answer:
    """The claims of one answer about file `path`."""
    body = strip_reasoning(text or "")
    if not body:
        return Answer(form="empty", notes=("the answer was empty",))
    notes: list[str] = []
    if expect_json:
        items = _json_items(body)
        if items is not None:
            claims = [c for c in (_claim(item, path) for item in items) if c is not None]
            if len(claims) < len(items):
                notes.append(f"{len(items) - len(claims)} answer item(s) were not defects")
            return Answer(tuple(claims), "json", tuple(notes))
        notes.append("the answer was not the JSON asked for; read as prose")
    extraction = extract(body)
    claims = [replace(claim, path=path) for claim in extraction.claims]
    if not claims and extraction.verdict != "none":
        notes.append("no claim could be read from the answer")
    return Answer(tuple(claims), "prose", tuple(notes))


# --- JSON ----------------------------------------------------------------------------------
def _json_values(text: str) -> Iterator[Any]:
    """Every JSON object or array that starts somewhere in `text`, outermost first."""
    decoder = json.JSONDecoder()
    index = 0
    while True:
        starts = [i for i in (text.find("{", index), text.find("[", index)) if i >= 0]
        if not starts:
            return
        start = min(starts)
        try:
            value, end = decoder.raw_decode(text, start)
        except json.JSONDecodeError:
            index = start + 1
            continue
        yield value
        index = end


def _json_items(text: str) -> list[Mapping[str, Any]] | None:
    """The defect objects of the first JSON value shaped like an answer; None if none is."""
    for value in _json_values(text):
        items = _items(value)
        if items is not None:
            return items
    return None


def _items(value: Any) -> list[Mapping[str, Any]] | None:
    if isinstance(value, list):
        if all(isinstance(v, Mapping) for v in value):
            return list(value)
        return None
    if not isinstance(value, Mapping):
        return None
    for key in _LIST_KEYS:
        inner = value.get(key)
        if isinstance(inner, list):
            return [v for v in inner if isinstance(v, Mapping)]
    if any(k in value for k in ("line", "line_number", "cwe")):
        return [value]  # one defect, not wrapped in a list
    return None


def _get(item: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        if key in item and item[key] not in (None, ""):
            return item[key]
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    return " ".join(str(value).split()) if not isinstance(value, str) else value.strip()


def _lines(item: Mapping[str, Any]) -> tuple[int | None, int | None]:
    raw = _get(item, "line", "line_number", "start_line", "lines", "location")
    end_raw = _get(item, "end_line", "line_end")
    line = end = None
    if isinstance(raw, bool):
        raw = None
    if isinstance(raw, int | float):
        line = int(raw)
    elif isinstance(raw, list) and raw and isinstance(raw[0], int | float):
        line, end = int(raw[0]), int(raw[-1])
    elif isinstance(raw, str):
        match = _LINE.search(raw)
        if match:
            line = int(match.group(1))
            end = int(match.group(2)) if match.group(2) else None
    if (isinstance(end_raw, int | float) and not isinstance(end_raw, bool)) or (
        isinstance(end_raw, str) and end_raw.strip().isdigit()
    ):
        end = int(end_raw)
    if line is not None and line < 1:
        line = None
    if end is not None and (line is None or end < line):
        end = None
    return line, end


def _cwe(item: Mapping[str, Any]) -> tuple[int | None, str]:
    """(id, the name the answer gives it): from "CWE-78", 78, "CWE-78: OS Command Injection"."""
    raw = _get(item, "cwe", "cwe_id", "weakness")
    name = _text(_get(item, "cwe_name", "weakness_name"))
    number: int | None = None
    if isinstance(raw, int) and not isinstance(raw, bool):
        number = raw
    elif isinstance(raw, str):
        match = _CWE.search(raw) or re.fullmatch(r"\s*(\d{1,4})\s*", raw)
        if match:
            number = int(match.group(1))
            rest = raw[match.end() :].strip(" :-\u2013()")
            if rest and not name:
                name = rest
        elif not name:
            name = raw.strip()
    return number, name


def _claim(item: Mapping[str, Any], path: str) -> Claim | None:
    line, end = _lines(item)
    number, name = _cwe(item)
    title = _text(_get(item, "title", "name", "type", "defect", "issue"))
    explanation = _text(_get(item, "explanation", "description", "details", "reason", "message"))
    fix = _text(_get(item, "fix", "recommendation", "solution", "remediation", "mitigation"))
    if line is None and number is None and not name and not title:
        return None
    confidence = _confidence(_get(item, "confidence", "certainty"))
    return Claim(
        line=line,
        end_line=end,
        cwe=number,
        cwe_name=name,
        title=title,
        explanation=explanation,
        fix=fix,
        identifiers=quoted_identifiers(f"{title}\n{explanation}"),
        confidence=confidence,
        raw=json.dumps(item, ensure_ascii=False)[:2000],
        path=path,
    )


def _confidence(value: Any) -> str | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        score = float(value) / (100 if value > 1 else 1)
        return "high" if score >= 0.8 else "medium" if score >= 0.5 else "low"
    if isinstance(value, str):
        return _CONFIDENCE.get(value.strip().lower())
    return None
