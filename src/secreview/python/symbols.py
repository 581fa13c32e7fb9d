"""Module symbol tables: which qualified name a name or attribute chain stands for.

`from subprocess import call as c` makes `c(...)` resolve to `subprocess.call`; a module's
own top-level functions and classes resolve to `<module>.<name>`; relative imports resolve
against the module's package. Rules and the taint engine both ask `SymbolTable.resolve`.
"""

from __future__ import annotations

import ast
import builtins
import functools
import sys
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from secreview._mypyc import mypyc_attr

BUILTIN_NAMES = frozenset(dir(builtins))


@functools.lru_cache(maxsize=1 << 16)
def module_name_for(path: str, package_dirs: frozenset[str] | None = None) -> str:
    """Dotted module name for a review-relative path.

    With `package_dirs` (directories holding an `__init__.py`), the name starts at the
    outermost package, as Python would import it; otherwise a leading `src/` is dropped.
    Kept per path: a review asks for every file several times (the tree's top-level
    names, cache keys, the analysis), and a warm review does little else."""
    p = PurePosixPath(path)
    parts = list(p.with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    if package_dirs is not None:
        # climb while the parent directory is a package
        folders = p.parts[:-1]
        absolute = bool(folders) and folders[0] == "/"
        start = len(p.parts) - 1
        while (
            start > 0
            and (str(PurePosixPath(*folders[:start])) if absolute else "/".join(folders[:start]))
            in package_dirs
        ):  # the join is str(PurePosixPath(...)) without its cost
            start -= 1
        parts = parts[start:] if start < len(parts) else parts[-1:]
    elif parts and parts[0] == "src":
        parts = parts[1:]
    return ".".join(parts) or p.stem


def namespace_names(path: str, module: str, packages: Mapping[str, str]) -> list[str]:
    """The longer names a module is imported by through namespace packages (PEP 420:
    directories without an `__init__.py`). `services/reports/archive.py`, module `archive`,
    is also `services.reports.archive` and `reports.archive`, from whichever of those
    directories' parents is on the import path; `cps/providers/amazon.py` inside the
    regular package `cps` (`packages`: folder -> the package's module name) is
    `cps.providers.amazon` only."""
    parts = [p for p in PurePosixPath(path).with_suffix("").parts if p != "/"]
    if parts and parts[-1] == "__init__":
        parts.pop()
    own = module.split(".")
    if len(parts) <= len(own) or parts[-len(own) :] != own:
        return []
    folders = parts[: -len(own)]
    if not all(folder.isidentifier() for folder in folders):
        folders = folders[max(i for i, f in enumerate(folders) if not f.isidentifier()) + 1 :]
    for cut in range(len(folders) - 1, 0, -1):
        package = packages.get("/".join(parts[: len(parts) - len(own) - len(folders) + cut]))
        if package is not None:  # a namespace package inside a regular package
            return [".".join([package, *folders[cut:], *own])]
    return [".".join([*folders[start:], *own]) for start in range(len(folders))]


def tree_top_names(paths: list[str], package_dirs: frozenset[str]) -> frozenset[str]:
    """The first parts of every name the tree's modules are imported by: their top-level
    packages and modules, and the namespace packages above them (`namespace_names`) that
    are not the standard library's (which Python finds first)."""
    packages = {folder: module_name_for(f"{folder}/__init__.py", package_dirs)
                for folder in package_dirs}  # fmt: skip
    tops: set[str] = set()
    for path in paths:
        module = module_name_for(path, package_dirs)
        tops.add(module.split(".")[0])
        for name in namespace_names(path, module, packages):
            top = name.split(".")[0]
            if top not in sys.stdlib_module_names:
                tops.add(top)
    return frozenset(tops)


@mypyc_attr(native_class=False)  # read field by field by code that is not compiled
@dataclass(slots=True)
class SymbolTable:
    """Names bound at module level, and imports inside functions and classes, which bind
    their names in that body only."""

    module: str
    is_package: bool = False
    aliases: dict[str, str] = field(default_factory=dict)  # local name -> qualified name
    # imports in a def or class body: (first line, last line, its aliases), innermost first
    scoped: list[tuple[int, int, dict[str, str]]] = field(default_factory=list)
    definitions: dict[str, str] = field(default_factory=dict)  # def/class name -> qualified
    constants: dict[str, ast.expr] = field(default_factory=dict)  # NAME = <literal>
    imported_modules: set[str] = field(default_factory=set)
    # every dotted prefix of `imported_modules` (`a`, `a.b` for `a.b`), built on first use:
    # `imports` is asked for every handler spec of every function
    _prefixes: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _prefixes_of: int = field(default=-1, repr=False, compare=False)

    def resolve(self, node: ast.AST) -> str | None:
        """Qualified name of a Name/Attribute chain (`y.load` -> `yaml.load`), else None."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call):
            # `requests.Session().get` names the method of what the call returns:
            # `requests.Session.get`, so specs can name methods of constructed objects.
            inner = self.resolve(node.func)
            if inner is None:
                return None
            return ".".join([inner, *reversed(parts)])
        if not isinstance(node, ast.Name):
            return None
        base = self.resolve_name(node.id, getattr(node, "lineno", 0) if self.scoped else 0)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def resolve_name(self, name: str, line: int = 0) -> str | None:
        """What `name` stands for on `line` (0: at module level)."""
        imported = self.alias(name, line)
        if imported is not None:
            return imported
        if name in self.definitions:
            return self.definitions[name]
        if name in BUILTIN_NAMES:
            return f"builtins.{name}"
        return None

    def alias(self, name: str, line: int = 0) -> str | None:
        """The qualified name an import binds `name` to on `line` (0: at module level)."""
        if line:
            for first, last, names in self.scoped:
                if first <= line <= last and name in names:
                    return names[name]
        return self.aliases.get(name)

    def all_aliases(self) -> Iterator[str]:
        """Every qualified name an import of the module binds, in any scope."""
        yield from self.aliases.values()
        for _, _, names in self.scoped:
            yield from names.values()

    def imports(self, prefix: str) -> bool:
        """Does the module import `prefix` or anything below it?"""
        if self._prefixes is None or self._prefixes_of != len(self.imported_modules):
            prefixes = set(self.imported_modules)
            for module in self.imported_modules:
                dot = module.find(".")
                while dot >= 0:
                    prefixes.add(module[:dot])
                    dot = module.find(".", dot + 1)
            self._prefixes = frozenset(prefixes)
            self._prefixes_of = len(self.imported_modules)
        return prefix in self._prefixes

    def absolute(self, module: str | None, level: int) -> str:
        """Absolute name of a (possibly relative) `from` import."""
        if level == 0:
            return module or ""
        package = self.module.split(".")
        if not self.is_package:
            package = package[:-1]
        if level > 1:
            package = package[: len(package) - (level - 1)]
        return ".".join([*package, module] if module else package)


def build_symbols(tree: ast.Module, module: str, is_package: bool = False) -> SymbolTable:
    table = SymbolTable(module=module, is_package=is_package)
    scopes: dict[int, tuple[int, int, dict[str, str]]] = {}
    # each statement with the def or class body it is in (None: the module's)
    queue: deque[tuple[ast.AST, ast.AST | None]] = deque([(tree, None)])
    while queue:
        node, scope = queue.popleft()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = table.aliases
            if scope is not None:
                entry = scopes.get(id(scope))
                if entry is None:
                    last = getattr(scope, "end_lineno", None) or scope.lineno  # type: ignore[attr-defined]
                    entry = scopes[id(scope)] = (scope.lineno, last, {})  # type: ignore[attr-defined]
                names = entry[2]
            _bind_import(table, node, names)
            continue
        inner = node if isinstance(node, _SCOPES) else scope
        for name in statement_fields(node.__class__):
            value = getattr(node, name, None)
            if type(value) is list and value and isinstance(value[0], _BLOCKS):
                queue.extend((child, inner) for child in value)
    # innermost first: a nested function's import shadows its enclosing function's
    table.scoped = sorted(scopes.values(), key=lambda entry: entry[1] - entry[0])
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            table.definitions.setdefault(node.name, f"{module}.{node.name}")
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and is_literal(node.value):
                table.constants[target.id] = node.value
    return table


def _bind_import(
    table: SymbolTable, node: ast.Import | ast.ImportFrom, names: dict[str, str]
) -> None:
    if isinstance(node, ast.Import):
        for alias in node.names:
            table.imported_modules.add(alias.name)
            if alias.asname:
                names[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                names.setdefault(top, top)
        return
    base = table.absolute(node.module, node.level)
    table.imported_modules.add(base)
    for alias in node.names:
        if alias.name == "*":
            continue
        qualified = f"{base}.{alias.name}" if base else alias.name
        names[alias.asname or alias.name] = qualified
        table.imported_modules.add(qualified)


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
_BLOCKS = (ast.stmt, ast.ExceptHandler, ast.match_case)
_BLOCK_NAMES = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})
_BLOCK_FIELDS: dict[type, tuple[str, ...]] = {}


def statement_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that hold statements (or except/case clauses), in field
    order: `body`, `orelse`, `finalbody`, `handlers`, `cases`."""
    fields = _BLOCK_FIELDS.get(cls)
    if fields is None:
        fields = _BLOCK_FIELDS[cls] = tuple(
            name for name in getattr(cls, "_fields", ()) if name in _BLOCK_NAMES
        )
    return fields


def walk_statements(tree: ast.AST) -> Iterator[ast.AST]:
    """`ast.walk` without expressions: the statements (and except/case clauses) in the same
    breadth-first order. Imports are statements and no expression holds a statement, so this
    finds every import while visiting a tenth of the nodes."""
    queue = deque([tree])
    while queue:
        node = queue.popleft()
        for name in statement_fields(node.__class__):
            value = getattr(node, name, None)
            if type(value) is list and value and isinstance(value[0], _BLOCKS):
                queue.extend(value)
        yield node


def is_literal(node: ast.AST) -> bool:
    """A value fixed in the source: constants and containers/concatenations of them."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(is_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is None or is_literal(k) for k in node.keys) and all(
            is_literal(v) for v in node.values
        )
    if isinstance(node, ast.BinOp):
        return is_literal(node.left) and is_literal(node.right)
    if isinstance(node, ast.JoinedStr):
        return all(isinstance(v, ast.Constant) for v in node.values)
    return False
