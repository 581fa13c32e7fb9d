"""Modules that only create demo or test data, and are treated as test code.

A factories module that only the test suite imports, or a demo-data module that only a
`seed` command loads, holds hard-coded passwords and predictable tokens by design: it
never runs in production. A module is such a module when something imports it and every
importer is one of: test code, a command that seeds data (a Flask/Click CLI command or a
Django management command named like `seed`, `populate_demo`, `load_fixtures`,
`create_sample_data`), or another such module. A module any other code imports, even once,
is reviewed as usual. A module only test code imports counts only when its name says it
holds test data (`factories`, `fixtures`, `fakes`): modules loaded by configuration (a
WSGI app, a plugin) are imported only by tests too. `--include-tests` reviews them all.

The per-file phase records what each module imports and from where (`module_imports`; a
test file's imports are read from its text without parsing it, `imports_of_test_file`); the
review decides over the whole tree (`demo_modules`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator

from secreview import lazyre
from secreview.python.context import ModuleContext

# what a command that fills a database with made-up data is called
_SEEDING = lazyre.compile(
    r"(^|[_-])(seed|seeds|demo|populate|fixtures?|fake|faker|sample|samples|dummy|mock|"
    r"load_?demo|devdata|dev_data|testdata|test_data)([_-]|$)",
    re.IGNORECASE,
)
# what a module of made-up data for tests is called (`factories.py`, `fixtures.py`)
_TEST_DATA = lazyre.compile(
    r"(^|_)(factor(y|ies)|fixtures?|fakes?|mocks?|stubs?|samples?|dummy|demo|seeds?|testdata|"
    r"test_data|faker)(_|$)",
    re.IGNORECASE,
)
_COMMAND_DECORATORS = lazyre.compile(r"(^|\.)(command|group)$")
_IMPORT_LINE = lazyre.compile(
    r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import\b|import[ \t]+([\w., \t]+))", re.MULTILINE
)

Imports = tuple[tuple[str, bool], ...]  # (module or name imported, from a seeding command)


def module_imports(ctx: ModuleContext) -> Imports:
    """What the module imports (`a.b` of `import a.b`, `a.b.name` of `from a.b import
    name`), each marked when the import runs only in a seeding command."""
    seeding_module = _seeding_command_module(ctx.source.path)
    # imports inside functions only: a command can hold one
    scopes = _seeding_scopes(ctx) if ctx.symbols.scoped and not seeding_module else []
    out: dict[str, bool] = {}
    for node in ctx.nodes_of(_IMPORTS):
        line = node.lineno  # type: ignore[attr-defined]
        seeding = seeding_module or any(first <= line <= last for first, last in scopes)
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            base = ctx.symbols.absolute(node.module, node.level)  # type: ignore[attr-defined]
            names = [f"{base}.{a.name}" if base else a.name for a in node.names]  # type: ignore[attr-defined]
        for name in names:
            out[name] = out.get(name, True) and seeding
    return tuple(sorted(out.items()))


_IMPORTS = frozenset({ast.Import, ast.ImportFrom})
_FUNCTIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef})


def _seeding_command_module(path: str) -> bool:
    """A Django management command that seeds data (`app/management/commands/seed_demo.py`)."""
    parts = path.split("/")
    return (
        len(parts) >= 3
        and parts[-3:-1] == ["management", "commands"]
        and bool(_SEEDING.search(parts[-1].removesuffix(".py")))
    )


def _seeding_scopes(ctx: ModuleContext) -> list[tuple[int, int]]:
    """The line ranges of the module's CLI commands that seed data: a function decorated
    as a Click/Flask command whose name (or its command name) says so."""
    out: list[tuple[int, int]] = []
    for node in ctx.nodes_of(_FUNCTIONS):
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = ctx.resolve(target) or ast.unparse(target)
            if not _COMMAND_DECORATORS.search(name):
                continue
            named = [node.name]
            if isinstance(decorator, ast.Call) and decorator.args:
                first = decorator.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    named = [first.value]  # the command's own name wins over the function's
            if any(_SEEDING.search(n) for n in named):
                out.append((node.lineno, node.end_lineno or node.lineno))
    return out


def imports_of_test_file(text: str, module: str, is_package: bool) -> tuple[str, ...]:
    """The modules a test file imports, read from its import lines (test files are not
    parsed when tests are left out of the review)."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    found: set[str] = set()
    for match in _import_lines(text):
        origin, plain = match.groups()
        if origin is not None:
            level = len(origin) - len(origin.lstrip("."))
            name = origin.lstrip(".")
            if level:
                base = package[: len(package) - (level - 1)] if level > 1 else package
                name = ".".join([*base, name] if name else base)
            if name:
                found.add(name)
        elif plain:
            for item in plain.split(","):
                words = item.split()
                if words:
                    found.add(words[0])
    return tuple(sorted(found))


def _import_lines(text: str) -> Iterator[re.Match[str]]:
    """`_IMPORT_LINE.finditer(text)`, tried only at the start of lines that say `import`:
    every match holds the word on its line, and trying the pattern at every position of a
    long test file cost 7 times as much (a warm re-review reads every test file's imports)."""
    find, match = text.find, _IMPORT_LINE.match
    at = find("import")
    while at != -1:
        found = match(text, text.rfind("\n", 0, at) + 1)
        if found is not None:
            yield found
        end = find("\n", at)
        if end == -1:
            return
        at = find("import", end)


def demo_modules(modules: dict[str, tuple[bool, Imports]]) -> set[str]:
    """The modules only test code, seeding commands or other such modules import.

    `modules` maps each module of the tree to (is test code, what it imports)."""
    known = set(modules)
    importers: dict[str, list[tuple[str, bool]]] = {}
    for importer, (_, imports) in modules.items():
        for name, seeding in imports:
            target = _module_of(name, known)
            if target is not None and target != importer:
                importers.setdefault(target, []).append((importer, seeding))
    demo: set[str] = set()
    changed = True
    while changed:  # a module only demo modules import is one too
        changed = False
        for module, (test, _) in modules.items():
            if test or module in demo or module not in importers:
                continue
            found = importers[module]
            if not all(
                seeding or modules[importer][0] or importer in demo for importer, seeding in found
            ):
                continue
            # imported only from tests: a module loaded by configuration (a WSGI app, a
            # plugin entry point) looks the same, so its name must say it holds test data
            if any(seeding or importer in demo for importer, seeding in found) or _TEST_DATA.search(
                module.rsplit(".", 1)[-1]
            ):
                demo.add(module)
                changed = True
    return demo


def _module_of(name: str, known: Iterable[str] | set[str]) -> str | None:
    """The longest module of the tree a qualified name is, or lies in."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:  # type: ignore[operator]
            return candidate
    return None
