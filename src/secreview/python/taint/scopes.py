"""Which names a function binds, and which of a loop body's reads may see a value from the
previous iteration: what the taint analysis needs to know of a function's scope before it
walks it."""

from __future__ import annotations

import ast
import bisect

from secreview.python.context import ModuleContext, span, walk
from secreview.python.symbols import statement_fields
from secreview.python.taint.handlers import FunctionNode

# the methods that put data in a list, dict, set, deque or text buffer
MUTATORS = frozenset(
    {"append", "extend", "insert", "add", "update", "appendleft", "extendleft", "setdefault"}
    | {"write", "writelines"}
)


def local_names(
    node: FunctionNode | None, body: list[ast.stmt], bindings: ExpressionBindings
) -> tuple[set[str], set[str]]:
    """Names bound in the function (locals) and names it declares `global`.

    Only statements are walked: names are bound by assignment, `for`, `with`, `del`,
    `except ... as`, `def` and `class` targets, and inside expressions only by `:=` and
    comprehension targets, which `bindings` finds by position (most functions have none).
    Nested functions and classes are their own scopes."""
    bound: set[str] = set()
    declared: set[str] = set()
    nested: list[tuple[tuple[int, int], tuple[int, int]]] = []
    stack: list[ast.AST] = list(body)
    while stack:
        stmt = stack.pop()
        kind = type(stmt)
        if kind in _SCOPE_TYPES:
            bound.add(stmt.name)  # type: ignore[attr-defined]
            nested.append(span(stmt))
            continue  # their bodies are their own scopes
        if kind is ast.Global:
            declared.update(stmt.names)  # type: ignore[attr-defined]
            continue
        targets = _TARGETS.get(kind)
        if targets is not None:
            for target in targets(stmt):
                if target is not None:
                    _bind_target(target, bound)
        elif kind is ast.ExceptHandler and stmt.name:  # type: ignore[attr-defined]
            bound.add(stmt.name)  # type: ignore[attr-defined]
        for name in statement_fields(kind):
            stack.extend(getattr(stmt, name))
    if bindings.names:
        for stmt in body:  # one by one: the module's code skips its definitions
            first = (stmt.lineno, stmt.col_offset)
            last = (stmt.end_lineno or 0, stmt.end_col_offset or 0)
            bound.update(bindings.within(first, last, nested))
    if node is not None:
        args = node.args
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
            if arg is not None:
                bound.add(arg.arg)
    return bound - declared, declared


Position = tuple[int, int]


class ExpressionBindings:
    """The names bound inside expressions of a module (`:=` targets, comprehension
    targets), sorted by position, so a function's are found without walking its body."""

    def __init__(self, ctx: ModuleContext):
        found: list[tuple[Position, str]] = []
        for node in ctx.nodes_of(_EXPRESSION_BINDERS):
            target = node.target  # type: ignore[attr-defined]
            for name in walk(target):
                if type(name) is ast.Name and type(name.ctx) is not ast.Load:
                    found.append(((name.lineno, name.col_offset), name.id))
        found.sort()
        self.positions = [position for position, _ in found]
        self.names = [name for _, name in found]

    def within(
        self, first: Position, last: Position, nested: list[tuple[Position, Position]]
    ) -> list[str]:
        """The names bound between `first` and `last`, outside the `nested` extents."""
        if not self.names:
            return []
        low = bisect.bisect_left(self.positions, first)
        high = bisect.bisect_right(self.positions, last)
        return [
            self.names[i]
            for i in range(low, high)
            if not any(start <= self.positions[i] <= end for start, end in nested)
        ]


class Stores:
    """The module's stores a function's analysis asks about (`FunctionAnalysis._find_stores`),
    sorted by position: names bound or deleted anywhere, and `name[<constant>] = ...`
    targets. A function's are those that start within its extent, nested scopes included,
    which a bisection finds: walking each function for them cost 5 % of nova's per-file
    phase. Both are only ever in the targets of the statements and expressions that bind
    (`_TARGETS_OF`), so only those are walked. `within` is None for a function not of the
    module's tree (a dataclass's generated `__init__`), or where a store has no position:
    walk those."""

    def __init__(self, ctx: ModuleContext):
        self.functions = frozenset(ctx.nodes_of(_FUNCTION_TYPES))
        names: list[tuple[Position, str]] = []
        items: list[tuple[Position, str]] = []
        self.usable = True
        for holder in ctx.nodes_of(_BINDERS):
            for target in _TARGETS_OF[type(holder)](holder):
                for node in walk(target) if target is not None else ():
                    kind = type(node)
                    if kind is ast.Name:
                        if type(node.ctx) is ast.Load:  # type: ignore[attr-defined]
                            continue
                        found, name = names, node.id  # type: ignore[attr-defined]
                    elif (
                        kind is ast.Subscript
                        and type(node.ctx) is ast.Store  # type: ignore[attr-defined]
                        and type(node.value) is ast.Name  # type: ignore[attr-defined]
                        and type(node.slice) is ast.Constant  # type: ignore[attr-defined]
                    ):
                        found, name = items, node.value.id  # type: ignore[attr-defined]
                    else:
                        continue
                    line = getattr(node, "lineno", None)
                    if line is None:
                        self.usable = False
                        return
                    found.append(((line, node.col_offset), name))  # type: ignore[attr-defined]
        names.sort(key=_first)
        items.sort(key=_first)
        self.name_positions = [position for position, _ in names]
        self.names = [name for _, name in names]
        self.item_positions = [position for position, _ in items]
        self.items = [name for _, name in items]

    def within(self, node: FunctionNode) -> tuple[set[str], set[str]] | None:
        """(names the function binds or deletes, names it stores a constant key of), its
        decorators' left out (walk those), or None (see the class)."""
        if not self.usable or node not in self.functions or node.end_lineno is None:
            return None
        first = (node.lineno, node.col_offset)
        last = (node.end_lineno, node.end_col_offset)
        low = bisect.bisect_left(self.name_positions, first)
        high = bisect.bisect_left(self.name_positions, last)
        rebound = set(self.names[low:high])
        low = bisect.bisect_left(self.item_positions, first)
        high = bisect.bisect_left(self.item_positions, last)
        return rebound, set(self.items[low:high])


def _first(entry: tuple[Position, str]) -> Position:
    return entry[0]


_FUNCTION_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef})
# what binds a name, and where its targets are: a name is stored (or deleted) nowhere else
_TARGETS_OF = {
    ast.Assign: lambda s: s.targets,
    ast.AugAssign: lambda s: (s.target,),
    ast.AnnAssign: lambda s: (s.target,),
    ast.For: lambda s: (s.target,),
    ast.AsyncFor: lambda s: (s.target,),
    ast.With: lambda s: [item.optional_vars for item in s.items],
    ast.AsyncWith: lambda s: [item.optional_vars for item in s.items],
    ast.Delete: lambda s: s.targets,
    ast.TypeAlias: lambda s: (s.name,),
    ast.comprehension: lambda s: (s.target,),
    ast.NamedExpr: lambda s: (s.target,),
}
_BINDERS = frozenset(_TARGETS_OF)
_EXPRESSION_BINDERS = frozenset({ast.NamedExpr, ast.comprehension})
_SCOPE_TYPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
# per statement class: its assignment targets (a name in them is bound)
_TARGETS = {k: f for k, f in _TARGETS_OF.items() if k not in _EXPRESSION_BINDERS}


def _bind_target(target: ast.AST, bound: set[str]) -> None:
    """The names a target binds: `a`, `a, (b, *c)`; `x.y` and `x[i]` bind none."""
    kind = type(target)
    if kind is ast.Name:
        bound.add(target.id)  # type: ignore[attr-defined]
    elif kind is ast.Tuple or kind is ast.List:
        for element in target.elts:  # type: ignore[attr-defined]
            _bind_target(element, bound)
    elif kind is ast.Starred:
        _bind_target(target.value, bound)  # type: ignore[attr-defined]


def read_first(body: list[ast.stmt], written: set[str]) -> set[str]:
    """Names a loop body may read before it assigns them: every name read in a statement
    that comes before an unconditional assignment of it at the body's top level (reads
    anywhere inside the statement count, nested blocks and functions included). `written`:
    the loop's own variables, assigned before the body runs."""
    first: set[str] = set()
    for stmt in body:
        augmented = stmt.__class__ is ast.AugAssign  # `x += 1` reads x
        nodes = walk(stmt)
        # `parts.append(x)` puts x in parts: what parts held before does not go anywhere
        filled = {
            id(node.func.value)
            for node in nodes
            if type(node) is ast.Call
            and type(node.func) is ast.Attribute
            and node.func.attr in MUTATORS
            and node.func.attr != "setdefault"  # which also returns what the key holds
        }
        for node in nodes:
            if (
                type(node) is ast.Name
                and node.id not in written
                and (augmented or type(node.ctx) is ast.Load)
                and id(node) not in filled
            ):
                first.add(node.id)
        if type(stmt) is ast.Assign:
            for target in stmt.targets:
                written |= stored_names(target)
        elif type(stmt) is ast.AnnAssign and stmt.value is not None:
            written |= stored_names(stmt.target)
    return first


def stored_names(target: ast.expr | None) -> set[str]:
    """The variables an assignment target binds, as a set."""
    bound: set[str] = set()
    if target is not None:
        _bind_target(target, bound)
    return bound
