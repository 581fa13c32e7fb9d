"""insecure-temp-file: temporary file names chosen now, files created later."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register

# Functions that return a fresh *name* without creating anything.
_NAME_ONLY = frozenset({"tempfile.mktemp", "os.tempnam", "os.tmpnam"})


@register
class InsecureTempFile(Rule):
    meta = RuleMeta(
        id="insecure-temp-file",
        cwe=377,
        severity="medium",
        confidence="high",
        title="Temporary file name created without the file",
        why=(
            "mktemp()/tempnam() only pick a name that does not exist yet; between that moment "
            "and the open() another local user can create the file or a symlink of that name, "
            "so the program writes into a file the attacker controls or overwrites one it "
            "points to."
        ),
        example="path = tempfile.mktemp(suffix='.json')\nwith open(path, 'w') as fh: ...",
        fix=(
            "Create the file and its name in one step: tempfile.NamedTemporaryFile(delete=...), "
            "tempfile.mkstemp() (returns an open descriptor), or tempfile.mkdtemp() / "
            "TemporaryDirectory() and a fixed name inside that private directory."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/377.html",
            "https://docs.python.org/3/library/tempfile.html#tempfile.mktemp",
        ),
    )
    calls = _NAME_ONLY
    nodes = (ast.Attribute, ast.Name)
    triggers = frozenset(name.rsplit(".", 1)[1] for name in _NAME_ONLY)

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        yield Hit(
            call,
            f"{name}() returns a name that nothing reserves; another local user can create "
            "that file or a symlink first, and the program then writes where they choose.",
        )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`tempfile.mktemp` handed on as a name factory (`namer=tempfile.mktemp`)."""
        if not isinstance(getattr(node, "ctx", None), ast.Load):
            return
        parent = ctx.parent(node)
        if isinstance(parent, ast.Call) and parent.func is node:
            return  # a call: check_call reports it
        if isinstance(parent, ast.Attribute):
            return  # part of a longer chain
        name = ctx.resolve(node)
        if name in _NAME_ONLY:
            yield Hit(
                node,
                f"{name} passed on as a function still only picks a name; whoever calls it "
                "creates the file later, leaving the same race.",
                confidence="medium",
            )
