"""Prompts: one template file per strategy (`templates/<strategy>.md`), filled per chunk.

A template has a `[system]` and a `[user]` section and `${name}` placeholders. The code is
always numbered with the file's real line numbers and fenced with more backticks than it
contains anywhere, so nothing in it can close the fence; the system message tells the model
that fenced text is data. Strategies, after arXiv 2401.16310:

- `basic`: the study's plain request.
- `cwe-list`: plus the ten CWE-1000 pillars as defect types (best for GPT-4 in the study).
- `commit-cot`: plus the commit message and step-by-step guidance (best for DeepSeek-R1).
- `grounded` (default): plus the engine's evidence for the chunk, the CWEs secreview knows
  and a JSON schema for the answer, which is parsed as JSON instead of prose.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template

from secreview import cwe, lazyre
from secreview.llm.chunks import Chunk
from secreview.llm.sites import SENSITIVE_APIS, Site, in_lines
from secreview.model import Finding

STRATEGIES = ("grounded", "cwe-list", "basic", "commit-cot")
DEFAULT_STRATEGY = "grounded"
JSON_STRATEGIES = frozenset({"grounded"})

_SECTION = lazyre.compile(r"^\[(system|user)\]\s*$", re.MULTILINE)
_BACKTICKS = lazyre.compile(r"`+")


@dataclass(frozen=True, slots=True)
class Prompt:
    system: str
    user: str

    def messages(self) -> list[dict[str, str]]:
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]


@cache
def template(strategy: str) -> tuple[Template, Template]:
    """(system, user) templates of a strategy, read from the package data."""
    if strategy not in STRATEGIES:
        raise ValueError(f"unknown prompt strategy {strategy!r}; one of {', '.join(STRATEGIES)}")
    text = (resources.files("secreview.llm") / "templates" / f"{strategy}.md").read_text(
        encoding="utf-8"
    )
    parts = _SECTION.split(text)
    sections = dict(zip(parts[1::2], (p.strip("\n") for p in parts[2::2]), strict=True))
    return Template(sections["system"]), Template(sections["user"])


@cache
def answer_schema() -> str:
    """The grounded answer's JSON schema, compact, as the prompt shows it."""
    text = (resources.files("secreview.llm") / "templates" / "answer.schema.json").read_text(
        encoding="utf-8"
    )
    return json.dumps(json.loads(text), separators=(",", ":"))


def fence(text: str, info: str = "") -> str:
    """`text` in a Markdown fence longer than any backtick run inside it."""
    longest = max((len(m.group(0)) for m in _BACKTICKS.finditer(text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def numbered(lines: Sequence[str], shown: Iterable[int]) -> str:
    """`  12 | code` for each line number shown; `...` marks skipped lines."""
    numbers = [n for n in shown if 0 < n <= len(lines)]
    if not numbers:
        return ""
    width = len(str(numbers[-1]))
    out: list[str] = []
    previous = 0
    for number in numbers:
        if previous and number != previous + 1:
            out.append(f"{'...':>{width}} |")
        out.append(f"{number:>{width}} | {lines[number - 1]}".rstrip())
        previous = number
    return "\n".join(out)


def scope(chunk: Chunk) -> str:
    """How the prompt names what is under review."""
    context = ""
    if chunk.context:
        context = f" (lines {_ranges(chunk.context)} are shown for context only)"
    if chunk.label == "the whole file":
        return f"the whole file (lines {chunk.first}-{chunk.last})"
    return f"lines {chunk.first}-{chunk.last}, {chunk.label}{context}"


def _ranges(numbers: Iterable[int]) -> str:
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in spans)


@cache
def pillars() -> str:
    """The ten CWE-1000 pillars, one per line, as the cwe-list prompt lists them."""
    return "\n".join(f"- CWE-{n}: {cwe.name(n)}" for n in sorted(cwe.PILLARS))


@cache
def known_cwes() -> str:
    """Every CWE a secreview rule or sensitive-API table reports, with MITRE's name."""
    from secreview.rules import all_rules

    ids = {meta.cwe for meta in all_rules().values()}
    ids |= {c for entries in SENSITIVE_APIS.values() for c, _ in entries}
    return "\n".join(f"- CWE-{n}: {cwe.name(n)}" for n in sorted(ids) if cwe.exists(n))


def evidence(chunk: Chunk, findings: Sequence[Finding], sites: Sequence[Site]) -> str:
    """The engine's findings and the sinks/sources it sees in the chunk, as a list."""
    lines: list[str] = []
    here = [f for f in findings if _touches(f, chunk)]
    if here:
        lines.append("Engine findings:")
        for f in here:
            lines.append(
                f"- line {f.location.line} [{f.rule_id}] CWE-{f.cwe}: {_one_line(f.message)}"
            )
            if f.trace:
                path = " -> ".join(f"{s.location} {s.note}" for s in f.trace)
                lines.append(f"  data path: {_one_line(path, 400)}")
    chunk_sites = in_lines(sites, chunk.first, chunk.last)
    sinks = [s for s in chunk_sites if s.kind in ("sink", "api")]
    if sinks:
        lines.append("Calls to sinks and sensitive APIs:")
        merged: dict[tuple[int, str], list[str]] = {}
        for s in sinks:
            merged.setdefault((s.line, s.name), []).append(
                f"{s.note} ({', '.join(f'CWE-{c}' for c in s.cwes)})"
            )
        lines += [
            f"- line {line}: `{name}`: {'; '.join(notes)}" for (line, name), notes in merged.items()
        ]
    sources = [s for s in chunk_sites if s.kind == "source"]
    if sources:
        lines.append("Untrusted data read:")
        lines += [f"- line {s.line}: `{s.name}` ({s.note})" for s in sources]
    return "\n".join(lines) if lines else "- nothing: the engine found no sink, source or flow here"


def _touches(finding: Finding, chunk: Chunk) -> bool:
    lines = chunk.lines
    if finding.location.path == chunk.path and any(n in lines for n in finding.lines):
        return True
    return any(s.location.path == chunk.path and s.location.line in lines for s in finding.trace)


def _one_line(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build(
    strategy: str,
    chunk: Chunk,
    lines: Sequence[str],
    *,
    findings: Sequence[Finding] = (),
    sites: Sequence[Site] = (),
    commit_message: str | None = None,
) -> Prompt:
    """The prompt for one chunk; `lines` is the (redacted) file text split on newlines."""
    system, user = template(strategy)
    code = fence(numbered(lines, chunk.shown()), "python")
    message = commit_message.strip() if commit_message else ""
    values = {
        "path": chunk.path,
        "scope": scope(chunk),
        "code": code,
        "schema": answer_schema(),
        "pillars": pillars(),
        "cwes": known_cwes() if strategy == "grounded" else "",
        "evidence": evidence(chunk, findings, sites) if strategy == "grounded" else "",
        "commit_message": fence(message or "(no commit message was given)", "text"),
    }
    return Prompt(system.substitute(values), user.substitute(values))
