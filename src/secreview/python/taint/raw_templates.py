"""Which context variables a template writes without escaping.

Jinja2, Django and Tornado escape every `{{ value }}` of an HTML template; a value is written
as it is where the template says so: `{{ k|safe }}` (Jinja2, Django; also after other filters,
`{{ k|striptags|safe }}`), any `{{ k }}` inside `{% autoescape false %}` (Jinja2) or
`{% autoescape off %}` (Django), Tornado's `{% raw k %}` and a Tornado template's
`{% autoescape None %}`. A chain with an escaping filter (`{{ k|e|safe }}`, `|escapejs`,
`|urlencode`, `|tojson`) or one that makes a number (`|length`) writes no markup. A write's
first name is the context variable (`{{ entry.body|safe }}` is `entry`'s), also through the
loop and alias names a template binds (`{% for c in comments %}`, `{% with x=y %}`,
`{% set x = y %}`).

A template file is read (`raw_in_file`) with the template it extends and those it includes,
found as `refresh.template_file` finds the one a view renders. Assumes one template
language per file and blocks closed in order; macros are read as template text; text inside
`{% raw %}`, `{% verbatim %}` and `{% comment %}` is not code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from secreview import lazyre
from secreview.python.taint import refresh

_TAG = lazyre.compile(r"\{\{-?(?P<expr>.*?)-?\}\}|\{%-?(?P<stmt>.*?)-?%\}|\{#.*?#\}", re.DOTALL)
_NAME = lazyre.compile(r"\s*([A-Za-z_]\w*)")
_AUTOESCAPE = lazyre.compile(r"\s*autoescape\s+(\w+)\s*$")
_FOR = lazyre.compile(r"\s*for\s+([\w\s,()]+?)\s+in\s+([A-Za-z_]\w*)")
_ALIAS = lazyre.compile(r"([A-Za-z_]\w*)\s*=\s*([A-Za-z_]\w*)")
_RAW = lazyre.compile(r"\s*raw\s+([A-Za-z_]\w*)")
_REFERS = lazyre.compile(r"""\s*(?:extends|include)\s+["']([^"']+)["']""")
# blocks whose text is written as it is, not read as template code
_LITERAL = {"raw": "endraw", "verbatim": "endverbatim", "comment": "endcomment"}
_OFF = frozenset({"off", "false", "False", "None"})
# filters whose output holds no markup: it escapes, encodes or counts
_ESCAPING = frozenset(
    {
        "e",
        "escape",
        "forceescape",
        "force_escape",
        "escapejs",
        "urlencode",
        "tojson",
        "json_script",
        "length",
        "count",
        "wordcount",
        "int",
        "float",
        "filesizeformat",
    }
)
_DEPTH = 3  # templates followed through extends/include


@dataclass(frozen=True, slots=True)
class RawWrite:
    """One place a template writes a context variable as it is."""

    name: str  # the context variable
    file: Path | None  # the template file (None: a template written in the code)
    line: int
    text: str  # the write, as in the template: `{{ banner|safe }}`


def raw_in_text(text: str, file: Path | None = None) -> list[RawWrite]:
    """The context variables template `text` writes without escaping, in order."""
    out: list[RawWrite] = []
    modes: list[bool] = []  # autoescape on (True) or off, innermost last
    whole_off = False  # Tornado's `{% autoescape None %}`: the whole file
    aliases: dict[str, str] = {}
    literal_until = ""  # inside `{% raw %}`/`{% verbatim %}`/`{% comment %}`: its end tag
    for match in _TAG.finditer(text):
        statement, expression = match.group("stmt"), match.group("expr")
        if literal_until:
            if statement is not None and statement.strip() == literal_until:
                literal_until = ""
            continue
        if statement is not None:
            if statement.strip() in _LITERAL:
                literal_until = _LITERAL[statement.strip()]
            elif (switch := _AUTOESCAPE.match(statement)) is not None:
                if switch.group(1) == "None":
                    whole_off = True
                else:
                    modes.append(switch.group(1) not in _OFF)
            elif statement.strip() == "endautoescape" and modes:
                modes.pop()
            elif (raw := _RAW.match(statement)) is not None:
                out.append(_write(raw.group(1), aliases, file, text, match))
            else:
                _bind(statement, aliases)
            continue
        if expression is None:
            continue
        name = _NAME.match(expression)
        if name is None:
            continue
        filters = _filters(expression)
        escaped_off = whole_off or (bool(modes) and not modes[-1])
        if (escaped_off or "safe" in filters) and not _ESCAPING & set(filters):
            out.append(_write(name.group(1), aliases, file, text, match))
    return out


def raw_in_file(template: str, module_path: Path, depth: int = 0) -> list[RawWrite]:
    """The raw writes of the template a module renders, with the templates it extends and
    includes (empty when the tree holds no such template)."""
    file = refresh.template_file(template, module_path)
    if file is None:
        return []
    text = refresh.read_template(file)
    out = raw_in_text(text, file)
    if depth < _DEPTH:
        for match in _TAG.finditer(text):
            statement = match.group("stmt")
            refers = _REFERS.match(statement) if statement is not None else None
            if refers is not None and refers.group(1) != template:
                out += raw_in_file(refers.group(1), module_path, depth + 1)
    return out


def _write(
    name: str, aliases: dict[str, str], file: Path | None, text: str, match: re.Match[str]
) -> RawWrite:
    seen = {name}
    while name in aliases and aliases[name] not in seen:  # a loop or alias name: its source
        name = aliases[name]
        seen.add(name)
    line = text.count("\n", 0, match.start()) + 1
    return RawWrite(name, file, line, " ".join(match.group(0).split())[:80])


def _filters(expression: str) -> list[str]:
    """The filter names of `k|a|b:"x"|c(1)` in order (`["a", "b", "c"]`)."""
    out = []
    for part in expression.split("|")[1:]:
        found = _NAME.match(part)
        if found is not None:
            out.append(found.group(1))
    return out


def _bind(statement: str, aliases: dict[str, str]) -> None:
    """`for x in items`, `for k, v in d.items()`, `with x=y`, `set x = y`: the names bound
    to a context variable."""
    loop = _FOR.match(statement)
    if loop is not None:
        for target in re.findall(r"[A-Za-z_]\w*", loop.group(1)):
            aliases[target] = loop.group(2)
        return
    words = statement.split(None, 1)
    if len(words) == 2 and words[0] in ("with", "set"):
        for alias, source in _ALIAS.findall(words[1]):
            aliases[alias] = source
