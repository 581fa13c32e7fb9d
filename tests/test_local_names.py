"""The taint engine's local-variable sets, found by walking statements only (and, for `:=`
and comprehension targets, by position), are those a walk of every node finds."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from _context import module_context

from secreview.python.taint.scopes import ExpressionBindings, Stores, local_names

ROOT = Path(__file__).parent.parent

_ODD = """
import os
x = 1
for a, (b, *c) in pairs: pass
with open(p) as (f, g), other() as h: pass
if (w := os.getcwd()): pass
[k for k in range(3) if (kk := k)]
def top(p1, /, p2, *args, kw=(dflt := 1), **kwargs):
    global G, H
    G = 1
    del d1, d2[0]
    e1.attr = 2
    e2[0] = 3
    t1: int
    t2: int = 4
    t3 += 1
    try:
        pass
    except ValueError as err:
        pass
    try:
        pass
    except* OSError as group:
        pass
    match subject:
        case [m1, *m2] if (m3 := m1):
            mm = 1
        case {"k": m4, **m5}:
            pass
    data = {q: r for q, r in items}
    gen = (s1 for s1 in (s2 for s2 in xs))
    fn = lambda la, lb=(lw := 2): (lz := la)
    @decorate(dz := 5)
    def inner(ia=(iz := 1)):
        inner_local = 1
        [il for il in ()]
    class Inner:
        class_attr = 1
        def method(self):
            ml = 1
    type Alias = list[int]
    async def coro():
        async for af in aiter():
            pass
        async with ctx() as aw:
            pass
    return [y for y in (yy := ys)]
class Top:
    attr = [ca for ca in ()]
    def method(self, arg):
        local = arg
        def deeper():
            nonlocal local
            local = 2
"""


def _reference(node: ast.AST | None, body: list[ast.stmt]) -> tuple[set[str], set[str]]:
    """A walk of every node of the body, not into nested functions and classes."""
    bound: set[str] = set()
    declared: set[str] = set()
    stack: list[object] = list(body)
    while stack:
        item = stack.pop()
        if isinstance(item, ast.Name):
            if not isinstance(item.ctx, ast.Load):
                bound.add(item.id)
            continue
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(item.name)
            continue
        if isinstance(item, ast.Global):
            declared.update(item.names)
            continue
        if isinstance(item, ast.ExceptHandler) and item.name:
            bound.add(item.name)
        if isinstance(item, ast.AST):
            for child in ast.iter_child_nodes(item):
                stack.append(child)
    if node is not None:
        args = node.args  # type: ignore[attr-defined]
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                bound.add(arg.arg)
    return bound - declared, declared


def _scopes(tree: ast.Module):
    """(node, body) of the module's code and of every function, as the engine walks them."""
    yield (
        None,
        [
            s
            for s in tree.body
            if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ],
    )
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, node.body


@pytest.mark.parametrize(
    "path",
    [
        None,
        ROOT / "src" / "secreview" / "python" / "taint" / "summarize.py",
        ROOT / "src" / "secreview" / "cli.py",
        ROOT / "tests" / "fixtures" / "command-injection" / "dataflow.py",
    ],
    ids=lambda p: "odd-bindings" if p is None else p.name,
)
def test_local_names_match_a_walk_of_every_node(path: Path | None) -> None:
    text = _ODD if path is None else path.read_text()
    ctx = module_context(text)
    tree = ctx.tree
    bindings = ExpressionBindings(ctx)
    checked = 0
    for node, body in _scopes(tree):
        assert local_names(node, body, bindings) == _reference(node, body), getattr(
            node, "name", "<module>"
        )
        checked += 1
    assert checked > 3


def _stores_by_walk(node: ast.AST) -> tuple[set[str], set[str]]:
    """What `FunctionAnalysis._find_stores` walked for: names stored or deleted anywhere
    in the function (nested scopes too), and `name[<constant>] = ...` targets."""
    names: set[str] = set()
    items: set[str] = set()
    for item in ast.walk(node):
        if isinstance(item, ast.Name) and not isinstance(item.ctx, ast.Load):
            names.add(item.id)
        elif (
            isinstance(item, ast.Subscript)
            and isinstance(item.ctx, ast.Store)
            and isinstance(item.value, ast.Name)
            and isinstance(item.slice, ast.Constant)
        ):
            items.add(item.value.id)
    return names, items


@pytest.mark.parametrize(
    "path",
    [None, ROOT / "src" / "secreview" / "python" / "taint" / "summarize.py"],
    ids=lambda p: "odd-bindings" if p is None else p.name,
)
def test_a_functions_stores_by_position_are_those_a_walk_finds(path: Path | None) -> None:
    # the decorators' stores are left to a walk of them (`dz` of `@decorate(dz := 5)`)
    text = (_ODD if path is None else path.read_text()) + "\ndef keyed(s):\n    s['k'] = 1\n"
    ctx = module_context(text)
    stores = Stores(ctx)
    checked = 0
    for node, _ in _scopes(ctx.tree):
        if node is None:
            continue
        names, items = _stores_by_walk(node)
        for decorator in node.decorator_list:  # type: ignore[attr-defined]
            names -= _stores_by_walk(decorator)[0]
        assert stores.within(node) == (names, items), node.name  # type: ignore[arg-type]
        checked += 1
    assert checked > 3
    made = ast.FunctionDef(name="made", args=ast.arguments(), body=[], decorator_list=[])
    assert stores.within(made) is None  # not of the module's tree: walked instead
