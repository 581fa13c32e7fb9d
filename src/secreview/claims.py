"""Checks of one review claim ("line 42 has CWE-89 because `query` ...") against the catalog
and the source text. Shared by the LLM pass (which verifies its model's claims before they
may become findings) and `secreview audit` (which grades any review text).

Small on purpose: a `Claim` record, a `Problem` record (kind + detail), a `SourceLines`
view of the code (each line classified with tokenize/ast: code, import, comment, docstring,
license header, blank), and check functions that never raise on bad input.

    lines = SourceLines(code_text)
    problems = check_claim(claim, lines)          # catalog + line checks
    problems = check_cwe(claim)                   # catalog only, when there is no code
"""

from __future__ import annotations

import ast
import difflib
import io
import itertools
import re
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Literal

from secreview import cwe as catalog
from secreview import lazyre
from secreview.tokens import LAYOUT_TOKENS

ProblemKind = Literal[
    "cwe-unknown",
    "cwe-name-mismatch",
    "line-out-of-range",
    "identifier-not-at-line",
    "claim-on-non-code",
]
LineKind = Literal["code", "import", "blank", "comment", "docstring", "license"]

NON_CODE: frozenset[str] = frozenset({"blank", "comment", "docstring", "license"})
# How far from the claimed line a quoted identifier may be and still count as "at" it.
IDENTIFIER_RADIUS = 2


@dataclass(frozen=True, slots=True)
class Claim:
    """One defect a review asserts. Every field is optional but `raw`: reviews are messy."""

    line: int | None = None
    end_line: int | None = None
    cwe: int | None = None
    cwe_name: str = ""  # the name the review gave the CWE ("Incorrect Comparison")
    title: str = ""
    explanation: str = ""
    fix: str = ""
    identifiers: tuple[str, ...] = ()  # code the claim quotes: `self.user`, 'state_path'
    confidence: str | None = None
    raw: str = ""  # the claim's own text, as the review wrote it
    path: str | None = None  # the file the claim is about, when the review says


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with a claim (or a whole review: audit adds its own kinds).

    `claim` is the claim's index in its review (set by the caller); `cwes` carries the ids a
    problem points to, e.g. the CWE a mismatched name really is."""

    kind: str
    detail: str
    claim: int | None = None
    line: int | None = None
    cwes: tuple[int, ...] = field(default=())


# --- source lines ----------------------------------------------------------------------------
_LICENSE = lazyre.compile(
    r"\b(licen[cs]ed?|copyright|warrant(y|ies)|apache|gnu|mit license|spdx|"
    r"distributed under|all rights reserved)\b",
    re.IGNORECASE,
)


def split_lines(text: str) -> list[str]:
    """`text`'s lines as Python, the engine and editors number them: broken at `\\n`, `\\r\\n`
    and `\\r` only. (`str.splitlines` also breaks at form feeds, `\\v`, `\\x1c`-`\\x1e`,
    `\\x85` and the Unicode line separators, which would shift every later line number.)"""
    lines = _unix_newlines(text).split("\n")
    if lines[-1] == "":
        lines.pop()  # the end of the last line, not a line of its own
    return lines


def _unix_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class SourceLines:
    """A source text's lines, each classified once; tolerant of code that does not parse."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = split_lines(text)

    def __len__(self) -> int:
        return len(self.lines)

    def exists(self, line: int) -> bool:
        return 1 <= line <= len(self.lines)

    def line(self, line: int) -> str:
        return self.lines[line - 1] if self.exists(line) else ""

    def kind(self, line: int) -> LineKind | None:
        """The line's kind, None when it is not in the file."""
        return self.kinds[line - 1] if self.exists(line) else None

    def is_code(self, line: int) -> bool:
        kind = self.kind(line)
        return kind is not None and kind not in NON_CODE

    def window(self, first: int, last: int | None = None, radius: int = IDENTIFIER_RADIUS) -> str:
        """The text of lines first-radius .. last+radius (clipped to the file)."""
        last = max(first, last or first)
        start = max(1, first - radius)
        stop = min(len(self.lines), last + radius)
        return "\n".join(self.lines[start - 1 : stop])

    @cached_property
    def kinds(self) -> list[LineKind]:
        return classify_lines(self.text, len(self.lines))


def classify_lines(text: str, count: int | None = None) -> list[LineKind]:
    """One kind per line (index 0 is line 1). Comments and blank lines come from tokenize,
    docstrings and imports from ast; the comment block (or module docstring) that opens the
    file is `license` when it reads like one. Falls back to a line-by-line guess when the
    text does not tokenize."""
    text = _unix_newlines(text)  # tokenize, ast and split_lines then count lines alike
    lines = split_lines(text)
    count = len(lines) if count is None else count
    kinds: list[LineKind] = ["blank" if not ln.strip() else "code" for ln in lines[:count]]
    kinds += ["blank"] * (count - len(kinds))
    code_lines = _token_code_lines(text)
    if code_lines is None:  # untokenizable: guess from the first character
        for i, ln in enumerate(lines[:count]):
            if ln.lstrip().startswith("#"):
                kinds[i] = "comment"
    else:
        for i, ln in enumerate(lines[:count]):
            if ln.strip() and (i + 1) not in code_lines:
                kinds[i] = "comment"
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        tree = None
    if tree is not None:
        for first, last in _docstring_spans(tree):
            for n in range(first, min(last, count) + 1):
                kinds[n - 1] = "docstring"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                for n in range(node.lineno, min(node.end_lineno or node.lineno, count) + 1):
                    kinds[n - 1] = "import"
    _mark_license_header(kinds, lines)
    return kinds


def _token_code_lines(text: str) -> set[int] | None:
    """Lines holding a token other than a comment or layout; None if tokenize fails."""
    code: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in LAYOUT_TOKENS:
                code.update(range(token.start[0], token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return None
    return code


def _docstring_spans(tree: ast.AST) -> Iterable[tuple[int, int]]:
    """Module/class/function docstrings, and other bare string statements (dead text)."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for statement in body:
            if (
                isinstance(statement, ast.Expr)
                and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
            ):
                yield statement.lineno, statement.end_lineno or statement.lineno


def _mark_license_header(kinds: list[LineKind], lines: Sequence[str]) -> None:
    """The file's opening comment/docstring block becomes `license` if it mentions one."""
    end = 0
    while end < len(kinds) and kinds[end] in ("comment", "blank", "docstring"):
        end += 1
    header = "\n".join(lines[:end])
    if end and _LICENSE.search(header):
        for i in range(end):
            if kinds[i] != "blank":
                kinds[i] = "license"


# --- CWE names -------------------------------------------------------------------------------
_WORD = lazyre.compile(r"[a-z0-9]+")
_STOP = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "its", "of", "on", "or"}
    | {"the", "through", "to", "use", "used", "using", "with"}
)


# Names reviewers use that MITRE's names do not contain (OWASP terms, acronyms).
_COMMON_TERMS: dict[str, int] = {
    "xss": 79,
    "insecure deserialization": 502,
    "unsafe deserialization": 502,
    "xxe": 611,
    "xml external entity": 611,
    "redos": 1333,
    "toctou": 367,
    "idor": 639,
    "open redirect": 601,
    "hardcoded password": 259,
    "hardcoded secret": 798,
    "weak hash": 328,
    "weak cryptography": 327,
    "broken access control": 284,
    "denial of service": 400,
    "shell injection": 78,
}


@cache
def _common_terms() -> dict[str, int]:
    return {" ".join(_words(term)): cwe_id for term, cwe_id in _COMMON_TERMS.items()}


def _words(text: str) -> list[str]:
    """Content words, folded: case, hyphens ('Hard-coded' = 'hardcoded'), plurals."""
    folded = re.sub(r"(?<=\w)-(?=\w)", "", text.casefold())
    return [_stem(w) for w in _WORD.findall(folded) if w not in _STOP]


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@cache
def _aliases(cwe_id: int) -> tuple[frozenset[str], ...]:
    """Word sets a name for `cwe_id` may reduce to: the official name, its parenthesised
    common term ('SQL Injection'), and the text outside the parentheses."""
    official = catalog.name(cwe_id)
    forms = [official, *re.findall(r"\(([^()]+)\)", official)]
    forms.append(re.sub(r"\([^()]*\)", " ", official))
    return tuple(frozenset(_words(f.replace("'", " "))) for f in forms if _words(f))


def _acronym(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words)


def name_matches(claimed: str, cwe_id: int) -> bool:
    """Whether `claimed` is a fair name for `cwe_id`: the official name or its common term,
    up to case, hyphens, plurals and filler words; an abbreviation of it (every claimed word
    in the official name, e.g. 'Improper Interaction Between Multiple Entities' for 435);
    an acronym ('XSS' inside the name, 'OSCI'); or a close spelling. Unknown ids never match."""
    if not catalog.exists(cwe_id):
        return False
    words = _words(claimed)
    if not words:
        return True  # nothing claimed, nothing to contradict
    wanted = frozenset(words)
    for alias in _aliases(cwe_id):
        if wanted <= alias or alias <= wanted:
            return True
    if len(words) == 1 and len(words[0]) >= 2:
        acronym = words[0]
        for form in [catalog.name(cwe_id), *re.findall(r"\(([^()]+)\)", catalog.name(cwe_id))]:
            if acronym == _acronym(_words(form.replace("'", " "))):
                return True
    official = " ".join(_words(catalog.name(cwe_id)))
    if difflib.SequenceMatcher(None, " ".join(words), official).ratio() >= 0.85:
        return True
    # a name for a direct parent or child ('XSS' names 80, a child of 79)
    return any(_adjacent(cwe_id, other) for other in identify(claimed))


def _adjacent(a: int, b: int) -> bool:
    """Same CWE, or one is a direct parent of the other in the research view."""
    try:
        return a == b or a in catalog.parents(b) or b in catalog.parents(a)
    except catalog.UnknownCWE:
        return False


def identify(claimed: str, limit: int = 3) -> tuple[int, ...]:
    """The CWEs a claimed name really denotes, best first: the catalog's own name search
    (exact name, common term, then names holding every word), else the names sharing most
    content words with it. Empty when nothing is close."""
    if not _words(claimed):
        return ()
    common = _common_terms().get(" ".join(_words(claimed)))
    if common is not None:
        return (common,)
    found = catalog.find_by_name(claimed)
    if found:
        return tuple(found[:limit])
    words = _words(claimed)
    # 'hard coded' is 'hardcoded' in the catalog's folded words
    wanted = frozenset(words) | {a + b for a, b in itertools.pairwise(words)}
    scored: list[tuple[float, int, int, int]] = []
    for cwe_id in _weakness_ids():
        best = (0.0, 0)
        for alias in _aliases(cwe_id):
            shared = len(wanted & alias)
            best = max(best, (shared / len(alias), shared))
        coverage, shared = best
        if coverage >= 0.6 and (shared >= 2 or coverage == 1.0):
            scored.append((-coverage, -shared, len(catalog.name(cwe_id)), cwe_id))
    return tuple(cwe_id for *_, cwe_id in sorted(scored)[:limit])


@cache
def _weakness_ids() -> tuple[int, ...]:
    return tuple(sorted(catalog._index()))


# --- checks ----------------------------------------------------------------------------------
def check_cwe(claim: Claim) -> list[Problem]:
    """The claimed CWE exists, and the name the claim gives it is that CWE's name (if not:
    which CWE the name really is)."""
    if claim.cwe is None:
        return []
    if not catalog.exists(claim.cwe):
        hint = ""
        really = identify(claim.cwe_name) if claim.cwe_name else ()
        if really:
            hint = f"; the claimed name '{claim.cwe_name}' is {_really(claim.cwe_name, really[0])}"
        return [
            Problem(
                "cwe-unknown",
                f"CWE-{claim.cwe} is not in the MITRE CWE catalog {catalog.version()}{hint}",
                line=claim.line,
                cwes=really[:1],
            )
        ]
    if not claim.cwe_name or name_matches(claim.cwe_name, claim.cwe):
        return []
    really = tuple(i for i in identify(claim.cwe_name) if i != claim.cwe)
    where = f"; '{claim.cwe_name}' is {_really(claim.cwe_name, really[0])}" if really else ""
    return [
        Problem(
            "cwe-name-mismatch",
            f"claimed '{claim.cwe_name} (CWE-{claim.cwe})', but CWE-{claim.cwe} is "
            f"'{catalog.name(claim.cwe)}'{where}",
            line=claim.line,
            cwes=really[:1],
        )
    ]


def check_lines(claim: Claim, source: SourceLines) -> list[Problem]:
    """The claimed lines exist and hold code, and the code the claim quotes is there
    (within IDENTIFIER_RADIUS lines)."""
    if claim.line is None:
        return []
    last = claim.end_line if claim.end_line and claim.end_line >= claim.line else claim.line
    span = f"lines {claim.line}-{last}" if last != claim.line else f"line {claim.line}"
    if not source.exists(claim.line) or not source.exists(last):
        return [
            Problem(
                "line-out-of-range",
                f"{span} is not in the file ({len(source)} lines)",
                line=claim.line,
            )
        ]
    problems: list[Problem] = []
    kinds = [source.kind(n) for n in range(claim.line, last + 1)]
    if all(k in NON_CODE for k in kinds):
        what = "/".join(dict.fromkeys(k for k in kinds if k is not None))
        problems.append(
            Problem(
                "claim-on-non-code",
                f"{span} is {_article(what)} {what} line, not code: "
                f"{source.line(claim.line).strip()[:80]!r}",
                line=claim.line,
            )
        )
    window = source.window(claim.line, last)
    missing = [ident for ident in claim.identifiers if not identifier_in(ident, window)]
    # "`eval`, `exec` or `compile`" names alternatives: one of them at the line is enough
    for group in _alternatives(" ".join((claim.raw, claim.explanation))):
        if any(ident in group for ident in missing) and not group <= set(missing):
            missing = [ident for ident in missing if ident not in group]
    if missing:
        problems.append(
            Problem(
                "identifier-not-at-line",
                f"{', '.join(f'`{m}`' for m in missing)} not found within "
                f"{IDENTIFIER_RADIUS} lines of {span}",
                line=claim.line,
            )
        )
    return problems


_ALTERNATIVES = lazyre.compile(r"`[^`\n]+`(?:\s*,\s*`[^`\n]+`)*,?\s+or\s+`[^`\n]+`")


def _alternatives(text: str) -> list[set[str]]:
    """Backticked quotes listed as alternatives (`a`, `b` or `c`)."""
    return [
        {q.strip() for q in re.findall(r"`([^`\n]+)`", m.group(0))}
        for m in _ALTERNATIVES.finditer(text)
    ]


def check_claim(claim: Claim, source: SourceLines | str | None = None) -> list[Problem]:
    """Every check that applies: the catalog always, the lines when there is source."""
    problems = check_cwe(claim)
    if source is not None:
        lines = source if isinstance(source, SourceLines) else SourceLines(source)
        problems += check_lines(claim, lines)
    return problems


# --- quoted code -----------------------------------------------------------------------------
_QUOTED = lazyre.compile(
    r"`([^`\n]{1,200})`|(?<![\w'])'([^'\n]{1,120})'(?![\w'])|\"([^\"\n]{1,120})\""
)
_CODELIKE = lazyre.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_]\w*)*(\(.*\))?(\[.*\])?$")
_NAME = lazyre.compile(r"[A-Za-z_]\w*")
_FILE_REFERENCE = lazyre.compile(r"[\w./\\-]+\.pyw?(?::\d+(?:-\d+)?)?")


def quoted_identifiers(text: str) -> tuple[str, ...]:
    """Code a piece of review prose quotes: backticked text that is Python (a name, an
    expression, a statement or a block header), and single/double-quoted text that looks like
    a name, attribute path or call ('state_path', "self.user", 'os.execl'). Prose ("AS IS"),
    option strings ('-f'), payloads (`; rm -rf /`) and file references are left out."""
    found: dict[str, None] = {}
    for match in _QUOTED.finditer(text):
        backticked, single, double = match.groups()
        quote = (backticked or single or double or "").strip()
        if not quote or not _NAME.search(quote):
            continue
        if not (_parses(quote) if backticked is not None else _looks_like_code(quote)):
            continue
        if _FILE_REFERENCE.fullmatch(quote):  # `app/db.py:42` names a place, not code
            continue
        found.setdefault(quote, None)
    return tuple(found)


def _parses(quote: str) -> bool:
    """Python as written, or as the header of a block (`def f(self):`, `try:`, `else:`)."""
    body = f"{quote}\n    pass"
    candidates = (
        quote,
        body,
        f"{body}\nexcept Exception: pass",  # try:
        f"if x:\n    pass\n{body}",  # else:, elif ...:
        f"try:\n    pass\n{body}",  # except ...:, finally:
    )
    for candidate in candidates:
        try:
            ast.parse(candidate)
        except (SyntaxError, ValueError):
            continue
        return True
    return False


def _looks_like_code(quote: str) -> bool:
    if not _CODELIKE.match(quote):
        return False
    # a single plain word in quotes is code only if it reads like an identifier
    return "." in quote or "_" in quote or "(" in quote or not quote.isalpha() or quote.islower()


def identifier_in(identifier: str, text: str) -> bool:
    """Whether quoted code appears in `text`: verbatim (whitespace-insensitive), or every
    name in it occurs there as a word (`self.user` matches `self.user = user`)."""
    squeezed = re.sub(r"\s+", "", identifier)
    if not squeezed:
        return True
    before = r"(?<!\w)" if squeezed[0].isalnum() or squeezed[0] == "_" else ""
    after = r"(?!\w)" if squeezed[-1].isalnum() or squeezed[-1] == "_" else ""
    if re.search(before + re.escape(squeezed) + after, re.sub(r"\s+", "", text)):
        return True
    names = _NAME.findall(identifier)
    if not names:
        return True
    present = set(_NAME.findall(text))
    return all(name in present for name in names)


def _really(claimed: str, cwe_id: int) -> str:
    """'CWE-697', with the official name when it is not what the review wrote."""
    official = catalog.name(cwe_id)
    same = " ".join(claimed.casefold().split()) == official.casefold()
    return f"CWE-{cwe_id}" if same else f"CWE-{cwe_id} ('{official}')"


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"
