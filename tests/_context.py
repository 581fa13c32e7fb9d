"""A module as the rules and the taint engine see it, built from source text in tests."""

from __future__ import annotations

from secreview.model import SourceFile
from secreview.python.context import ModuleContext
from secreview.python.parse import ParseFailure, parse_module
from secreview.python.symbols import build_symbols, module_name_for


def module_context(text: str, path: str = "m.py", module: str | None = None) -> ModuleContext:
    """`text` parsed as the file `path` (module name from the path unless given)."""
    tree = parse_module(text, path)
    assert not isinstance(tree, ParseFailure), tree
    symbols = build_symbols(tree, module or module_name_for(path))
    return ModuleContext(source=SourceFile(path, text), tree=tree, symbols=symbols)
