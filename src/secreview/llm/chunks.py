"""Split a file into pieces a model can review: the whole file when it is short, else its
functions and classes (packed together up to a budget), each with the module's imports and
the enclosing class line as context.

The model sees every line under its real line number, so a chunk's answer needs no
translation, and context lines are shown but marked as context: a claim about them is
still checked against the file.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

DEFAULT_MAX_LINES = 250
_HEADER_LINES = 40  # at most this many lines of imports/constants as context
_OVERLAP = 10  # lines repeated between the windows of a function too long for one chunk


@dataclass(frozen=True, slots=True)
class Chunk:
    path: str
    first: int  # the lines under review: first..last
    last: int
    context: tuple[int, ...] = ()  # other lines shown for context (imports, class line)
    label: str = ""  # "the whole file", "`handle` (lines 40-90)"

    @property
    def lines(self) -> range:
        return range(self.first, self.last + 1)

    def shown(self) -> list[int]:
        """Every line number the prompt shows, in order."""
        return sorted(set(self.context) | set(self.lines))


@dataclass(frozen=True, slots=True)
class _Unit:
    first: int
    last: int
    name: str
    context: tuple[int, ...] = ()


def split(
    path: str, text: str, tree: ast.Module | None, max_lines: int = DEFAULT_MAX_LINES
) -> list[Chunk]:
    """The chunks of one file; a file that does not parse is cut into plain windows."""
    lines = text.split("\n")
    total = len(lines) - (1 if lines and lines[-1] == "" else 0)
    if total <= 0:
        return []
    if total <= max_lines:
        return [Chunk(path, 1, total, label="the whole file")]
    if tree is None:
        return [Chunk(path, a, b, label=f"lines {a}-{b}") for a, b in _windows(1, total, max_lines)]
    header = _header(tree)
    units = _units(tree, total, max_lines)
    return _pack(path, units, header, max_lines)


def _header(tree: ast.Module) -> tuple[int, ...]:
    """Import lines and module-level constants: what a function's names refer to."""
    lines: list[int] = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom | ast.Assign | ast.AnnAssign):
            end = node.end_lineno or node.lineno
            if end - node.lineno < 5:  # a long literal table is not worth the tokens
                lines.extend(range(node.lineno, end + 1))
    return tuple(lines[:_HEADER_LINES])


def _start(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None) or []
    return min([node.lineno, *(d.lineno for d in decorators)])


def _units(tree: ast.Module, total: int, max_lines: int) -> list[_Unit]:
    """Top-level statements as units: defs and classes whole when they fit, else split
    (a class into its methods, a function into overlapping windows); module code between
    them as units of its own."""
    units: list[_Unit] = []
    covered = 0
    for node in tree.body:
        first, last = _start(node), node.end_lineno or node.lineno
        if first > covered + 1:
            units.append(_Unit(covered + 1, first - 1, "module code"))
        covered = max(covered, last)
        if last - first + 1 <= max_lines or not isinstance(
            node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        ):
            name = getattr(node, "name", "module code")
            units.extend(_Unit(a, b, name) for a, b in _windows(first, last, max_lines))
        elif isinstance(node, ast.ClassDef):
            units.extend(_class_units(node, first, last, max_lines))
        else:
            units.extend(
                _Unit(a, b, node.name, (first,)) for a, b in _windows(first, last, max_lines)
            )
    if covered < total:
        units.append(_Unit(covered + 1, total, "module code"))
    return units


def _class_units(node: ast.ClassDef, first: int, last: int, max_lines: int) -> list[_Unit]:
    class_line = (node.lineno,)
    units: list[_Unit] = []
    cursor = first
    for item in node.body:
        start, end = _start(item), item.end_lineno or item.lineno
        if start > cursor:
            units.append(_Unit(cursor, start - 1, node.name, class_line))
        name = f"{node.name}.{getattr(item, 'name', '')}".rstrip(".")
        units.extend(
            _Unit(a, b, name, (*class_line, start) if a > start else class_line)
            for a, b in _windows(start, end, max_lines)
        )
        cursor = end + 1
    if cursor <= last:
        units.append(_Unit(cursor, last, node.name, class_line))
    return units


def _windows(first: int, last: int, size: int) -> list[tuple[int, int]]:
    if last - first + 1 <= size:
        return [(first, last)]
    step = max(1, size - _OVERLAP)
    windows = []
    start = first
    while True:
        end = min(last, start + size - 1)
        windows.append((start, end))
        if end >= last:
            return windows
        start += step


def _pack(path: str, units: list[_Unit], header: tuple[int, ...], max_lines: int) -> list[Chunk]:
    """Consecutive units share a chunk while they fit (small helpers travel together)."""
    chunks: list[Chunk] = []
    group: list[_Unit] = []

    def flush() -> None:
        if not group:
            return
        first, last = group[0].first, max(u.last for u in group)
        context = {*header, *(line for u in group for line in u.context)}
        context -= set(range(first, last + 1))
        names = list(dict.fromkeys(u.name for u in group if u.name != "module code"))
        what = ", ".join(f"`{n}`" for n in names[:4]) + (" …" if len(names) > 4 else "")
        label = f"{what or 'module code'} (lines {first}-{last})"
        chunks.append(Chunk(path, first, last, tuple(sorted(context)), label))
        group.clear()

    for unit in units:
        if group and (unit.last - group[0].first + 1 > max_lines or unit.first <= group[-1].last):
            flush()
        group.append(unit)
    flush()
    return chunks
