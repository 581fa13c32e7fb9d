"""Model answers -> `claims.Claim`s, tolerant of how models actually answer.

A grounded answer should be one JSON object; models also wrap it in Markdown fences, put
reasoning (`<think>...</think>`) or prose around it, use other key names, give lines as
"12-14" and CWEs as "CWE-78: OS Command Injection". Whatever JSON is in the answer is read;
an answer with none is read as prose, like the answers of the other prompt strategies.
Both are read by the same extractor as `secreview audit` (`secreview.audit.extract`): the
defect objects of the JSON, and the prose. Nothing here judges a claim: verification does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from secreview import lazyre
from secreview.audit.extract import LIST_KEYS, claim_from_object, extract
from secreview.claims import Claim

_THINK = lazyre.compile(r"<think>.*?(</think>|\Z)", re.DOTALL | re.IGNORECASE)


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
    for key in LIST_KEYS:
        inner = value.get(key)
        if isinstance(inner, list):
            return [v for v in inner if isinstance(v, Mapping)]
    if any(k in value for k in ("line", "line_number", "cwe")):
        return [value]  # one defect, not wrapped in a list
    return None


def _claim(item: Mapping[str, Any], path: str) -> Claim | None:
    """The claim of one answer item (read as `secreview audit` reads a JSON review), or None
    when the item names neither a line, a weakness nor a title: not a defect."""
    claim = claim_from_object(item)
    if claim.line is None and claim.cwe is None and not claim.cwe_name and not claim.title:
        return None
    return replace(claim, path=path, raw=claim.raw[:2000])
