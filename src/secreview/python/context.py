"""What a rule may ask about the module it inspects: names, constants, locations, snippets."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from functools import cached_property

from secreview.model import Location, SourceFile
from secreview.python.symbols import SymbolTable, is_literal


@dataclass
class ModuleContext:
    source: SourceFile
    tree: ast.Module
    symbols: SymbolTable
    lines: list[str] = field(default_factory=list)
    _parents: dict[int, ast.AST] | None = None
    # indexes rule helpers build once per module (e.g. name -> assigned values per scope)
    memo: dict[object, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.lines:
            self.lines = self.source.text.split("\n")  # text is \n-normalised; not splitlines

    # --- names -----------------------------------------------------------------
    def resolve(self, node: ast.AST) -> str | None:
        return self.symbols.resolve(node)

    @cached_property
    def is_test_module(self) -> bool:
        return is_test_path(self.source.path)

    # --- values ----------------------------------------------------------------
    def is_constant(self, node: ast.AST | None) -> bool:
        """The value is fixed in the source: a literal, or a module constant bound to one."""
        if node is None:
            return True
        if is_literal(node):
            return True
        if isinstance(node, ast.Name) and node.id in self.symbols.constants:
            return True
        if isinstance(node, ast.BinOp):
            return self.is_constant(node.left) and self.is_constant(node.right)
        if isinstance(node, ast.JoinedStr):
            return all(
                isinstance(v, ast.Constant)
                or (isinstance(v, ast.FormattedValue) and self.is_constant(v.value))
                for v in node.values
            )
        return False

    def constant_value(self, node: ast.AST | None) -> object:
        """The Python value of a literal (or a name bound to one); `NotImplemented` if unknown."""
        if node is None:
            return NotImplemented
        if isinstance(node, ast.Name) and node.id in self.symbols.constants:
            node = self.symbols.constants[node.id]
        if isinstance(node, ast.Attribute) and node.attr in ("true", "false"):
            return NotImplemented
        try:
            return ast.literal_eval(node)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return NotImplemented

    # --- places ----------------------------------------------------------------
    def location(self, node: ast.AST) -> Location:
        line = getattr(node, "lineno", 1)
        end_line = getattr(node, "end_lineno", None) or line
        return Location(
            path=self.source.path,
            line=line,
            column=self._char_column(line, getattr(node, "col_offset", 0)) + 1,
            end_line=end_line,
            end_column=self._char_column(end_line, getattr(node, "end_col_offset", 0) or 0) + 1,
        )

    def _char_column(self, line: int, byte_offset: int) -> int:
        """ast offsets count UTF-8 bytes; editors and SARIF count characters."""
        if not 0 < line <= len(self.lines):
            return byte_offset
        text = self.lines[line - 1]
        if text.isascii():
            return byte_offset
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))

    def snippet(self, node: ast.AST, max_lines: int = 3) -> str:
        first = getattr(node, "lineno", 1)
        last = min(getattr(node, "end_lineno", first) or first, first + max_lines - 1)
        return "\n".join(self.lines[first - 1 : last]).strip()

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    # --- tree navigation ---------------------------------------------------------
    @cached_property
    def nodes(self) -> list[ast.AST]:
        """Every node, in `ast.walk` order; the same pass fills the parent map."""
        nodes, parents = walk_with_parents(self.tree)
        if self._parents is None:
            self._parents = parents
        return nodes

    def parent(self, node: ast.AST) -> ast.AST | None:
        if self._parents is None:
            self.nodes  # noqa: B018 - builds the parent map
        return self._parents.get(id(node))  # type: ignore[union-attr]

    def statement(self, node: ast.AST) -> ast.AST:
        """The statement that contains `node` (itself if it is one)."""
        current: ast.AST | None = node
        while current is not None and not isinstance(current, ast.stmt):
            current = self.parent(current)
        return current or node

    def enclosing_scope(self, node: ast.AST) -> str:
        """Dotted names of the enclosing classes/functions, e.g. `Handler.get`."""
        names: list[str] = []
        current = self.parent(node)
        while current is not None:
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(current.name)
            current = self.parent(current)
        return ".".join(reversed(names))


def walk_with_parents(tree: ast.AST) -> tuple[list[ast.AST], dict[int, ast.AST]]:
    """`list(ast.walk(tree))` and {id(child): parent}, in one pass: `ast.walk` and
    `ast.iter_child_nodes` are generators over generators, and the pattern rules and the
    parent lookups of every file each walked the whole tree with them."""
    nodes: list[ast.AST] = [tree]
    parents: dict[int, ast.AST] = {}
    node_type = ast.AST
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                parents[id(value)] = node
                nodes.append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, node_type):
                        parents[id(item)] = node
                        nodes.append(item)
    return nodes, parents


def is_test_path(path: str) -> bool:
    """A module of the reviewed tree's own tests (out of scope unless --include-tests)."""
    parts = path.split("/")
    name = parts[-1]
    return (
        any(p in ("tests", "test", "testing") for p in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value passed as keyword `name`, if any."""
    for kw in call.keywords:
        if kw.arg == name:
            return kw.value
    return None


def argument(call: ast.Call, position: int, name: str | None = None) -> ast.expr | None:
    """The argument at `position`, or passed by keyword `name`."""
    if position < len(call.args) and not any(
        isinstance(a, ast.Starred) for a in call.args[: position + 1]
    ):
        return call.args[position]
    return keyword(call, name) if name else None


def has_kwargs_splat(call: ast.Call) -> bool:
    return any(kw.arg is None for kw in call.keywords)
