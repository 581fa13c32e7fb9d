"""Where a local value comes from: the calls that produced a variable, within one function.

Pattern rules often need to know what a receiver is (`tar.extractall()` — was `tar` made
by `tarfile.open`?) without the whole taint engine. This follows plain assignments,
`with ... as name` and `:=` in the enclosing function (or the module for module-level
code), a few steps deep; anything else is unknown, and unknown never means "safe".
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TypeGuard

from secreview.python.context import ModuleContext, child_fields, walk

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_MAX_DEPTH = 4


def enclosing_function(node: ast.AST, ctx: ModuleContext) -> FunctionNode | None:
    return ctx.enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))  # type: ignore[return-value]


def enclosing_class(node: ast.AST, ctx: ModuleContext) -> ast.ClassDef | None:
    return ctx.enclosing(node, (ast.ClassDef,))  # type: ignore[return-value]


def is_main_guard(statement: ast.AST | None) -> TypeGuard[ast.If]:
    """`if __name__ == "__main__":` (either side)."""
    if not isinstance(statement, ast.If):
        return False
    test = statement.test
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    sides = (test.left, test.comparators[0])
    return (
        isinstance(test.ops[0], ast.Eq)
        and any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
        and any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    )


def in_main_block(node: ast.AST, ctx: ModuleContext) -> bool:
    """`node` is in the body of an `if __name__ == "__main__":` block."""
    child, current = node, ctx.parent(node)
    while current is not None:
        if is_main_guard(current) and child in current.body:
            return True
        child, current = current, ctx.parent(current)
    return False


def is_package_module(ctx: ModuleContext) -> bool:
    """A module of a package (`shop.run`), not a top-level script (`app.py`) nor a package's
    `__main__.py`: its `if __name__ == "__main__":` block runs only by hand (`python -m`),
    never when the application imports it."""
    module = ctx.symbols.module
    return "." in module and not module.endswith(".__main__")


def scope_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """Every node of a function (or module) body, not descending into nested scopes."""
    body = scope.body if isinstance(scope, (ast.Module, *_SCOPES)) else [scope]
    stack: list[ast.AST] = list(body) if isinstance(body, list) else [body]
    if isinstance(scope, (ast.Module, *_SCOPES)):
        stack = [node for node in stack if not isinstance(node, _SCOPES)]
    node_type = ast.AST
    while stack:
        node = stack.pop()
        yield node
        for name in child_fields(node.__class__):  # ast.iter_child_nodes, without generators
            value = getattr(node, name, None)
            if isinstance(value, node_type):
                if not isinstance(value, _SCOPES):
                    stack.append(value)
            elif value.__class__ is list:
                for child in value:
                    if isinstance(child, node_type) and not isinstance(child, _SCOPES):
                        stack.append(child)


def assigned_values(name: str, at: ast.AST, ctx: ModuleContext) -> list[ast.expr]:
    """Expressions bound to `name` in the scope that `at` reads it from."""
    function = enclosing_function(at, ctx)
    values = list(_bindings_in(function, name, ctx)) if function is not None else []
    if function is None or (not values and not _is_parameter(function, name)):
        values += _bindings_in(ctx.tree, name, ctx)
    return values


def _is_parameter(function: FunctionNode, name: str) -> bool:
    args = function.args
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return any(a is not None and a.arg == name for a in every)


def _bindings_in(scope: ast.AST, name: str, ctx: ModuleContext) -> list[ast.expr]:
    return _scope_index(scope, ctx).get(name, [])


def _scope_index(scope: ast.AST, ctx: ModuleContext) -> dict[str, list[ast.expr]]:
    """name -> values bound to it in `scope`, built once per scope: rules ask about many
    names, and walking a long function for each made whole reviews 20x slower."""
    key = ("bindings", id(scope))
    index = ctx.memo.get(key)
    if index is None:
        index = {}
        for node in scope_nodes(scope):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        index.setdefault(target.id, []).append(node.value)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
                if isinstance(node.target, ast.Name) and node.value:
                    index.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    target = item.optional_vars
                    if isinstance(target, ast.Name):
                        index.setdefault(target.id, []).append(item.context_expr)
        ctx.memo[key] = index
    return index  # type: ignore[return-value]


def module_class(qualified: str | None, ctx: ModuleContext) -> ast.ClassDef | None:
    """The class a qualified name resolves to when this module defines it at top level."""
    prefix = ctx.symbols.module + "."
    if qualified is None or not qualified.startswith(prefix):
        return None
    local_name = qualified.removeprefix(prefix)
    for statement in ctx.tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == local_name:
            return statement
    return None


def self_attribute_values(attr: str, at: ast.AST, ctx: ModuleContext) -> list[ast.expr]:
    """Values a class gives `self.<attr>` (in any method) or `<attr>` in its body."""
    cls = enclosing_class(at, ctx)
    if cls is None:
        return []
    key = ("self-attributes", id(cls))
    index = ctx.memo.get(key)
    if index is None:
        index = {}
        body = {id(statement) for statement in cls.body}
        for node in walk(cls):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if (
                        isinstance(target, ast.Attribute)
                        and isinstance(target.value, ast.Name)
                        and target.value.id in ("self", "cls")
                    ):
                        index.setdefault(target.attr, []).append(node.value)
                    elif isinstance(target, ast.Name) and id(node) in body:
                        index.setdefault(target.id, []).append(node.value)
        ctx.memo[key] = index
    return list(index.get(attr, []))  # type: ignore[union-attr]


def name_roots(ctx: ModuleContext) -> frozenset[str]:
    """The first part of every qualified name `ctx.resolve` (and so `producers`) can give
    in this module: what its imports bind, its own package (for its definitions) and
    `builtins`. `"requests" not in name_roots(ctx)`: nothing here is made by requests."""
    roots = ctx.memo.get("name-roots")
    if roots is None:
        symbols = ctx.symbols
        found = {qualified.split(".", 1)[0] for qualified in symbols.all_aliases()}
        found.add(symbols.module.split(".", 1)[0])
        found.add("builtins")
        roots = ctx.memo["name-roots"] = frozenset(found)
    return roots  # type: ignore[return-value]


def producers(node: ast.AST, ctx: ModuleContext, depth: int = 0) -> set[str]:
    """Qualified names of the calls whose result `node` may hold (`tarfile.open`, …)."""
    if depth > _MAX_DEPTH:
        return set()
    if isinstance(node, ast.Call):
        name = ctx.resolve(node.func)
        if name is not None:
            return {name}
        func = node.func
        if isinstance(func, ast.Attribute):
            # `tarfile.open(p).getmembers`-style chains and methods on known objects
            return {f"{p}.{func.attr}" for p in producers(func.value, ctx, depth + 1)}
        return set()
    if isinstance(node, ast.Name):
        out: set[str] = set()
        for value in assigned_values(node.id, node, ctx):
            if value is not node:
                out |= producers(value, ctx, depth + 1)
        return out
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    ):
        out = set()
        for value in self_attribute_values(node.attr, node, ctx):
            out |= producers(value, ctx, depth + 1)
        return out
    if isinstance(node, ast.IfExp):
        return producers(node.body, ctx, depth + 1) | producers(node.orelse, ctx, depth + 1)
    return set()


def bound_constant(node: ast.AST | None, ctx: ModuleContext) -> object:
    """The value of a literal, a module constant, or a name bound once in its scope to one
    (`ctx.constant_value` one assignment further); `NotImplemented` when not fixed."""
    value = ctx.constant_value(node)
    if value is NotImplemented and isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1 and values[0] is not node:
            value = ctx.constant_value(values[0])
    return value


def constant_string(node: ast.AST | None, ctx: ModuleContext) -> str | None:
    """A str fixed in the source (see `bound_constant`)."""
    value = bound_constant(node, ctx)
    return value if isinstance(value, str) else None


def constant_int(node: ast.AST | None, ctx: ModuleContext) -> int | None:
    """An int (not a bool) fixed in the source (see `bound_constant`)."""
    value = bound_constant(node, ctx)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def call_name(node: ast.AST) -> str:
    """The last name of a call's callee (`verify` for `key.verify(...)`), or ""."""
    func = node.func if isinstance(node, ast.Call) else node
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def parameter_name(call: ast.Call, argument: ast.expr, ctx: ModuleContext) -> str | None:
    """The parameter a positional argument binds to, when the callee is a function or a
    class of this module (its `__init__`, or the first of its local bases that has one):
    `Placeholder("url", func, lambda e: ...)` binds the lambda to `sample`."""
    index = next((i for i, a in enumerate(call.args) if a is argument), None)
    if index is None or any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
        return None
    qualified = ctx.resolve(call.func)
    function = _module_function(qualified, ctx)
    skip = 0
    if function is None:
        cls = module_class(qualified, ctx)
        function = _initializer(cls, ctx) if cls is not None else None
        skip = 1  # self
    if function is None:
        return None
    positional = [*function.args.posonlyargs, *function.args.args][skip:]
    return positional[index].arg if index < len(positional) else None


def _module_function(qualified: str | None, ctx: ModuleContext) -> FunctionNode | None:
    prefix = ctx.symbols.module + "."
    if qualified is None or not qualified.startswith(prefix):
        return None
    local_name = qualified.removeprefix(prefix)
    for statement in ctx.tree.body:
        if isinstance(statement, FunctionNode) and statement.name == local_name:
            return statement
    return None


def _initializer(cls: ast.ClassDef, ctx: ModuleContext, depth: int = 0) -> FunctionNode | None:
    """`__init__` of a class of this module, inherited from a local base if need be."""
    for statement in cls.body:
        if isinstance(statement, FunctionNode) and statement.name == "__init__":
            return statement
    if depth < _MAX_DEPTH:
        for base in cls.bases:
            local = module_class(ctx.resolve(base), ctx)
            found = _initializer(local, ctx, depth + 1) if local is not None else None
            if found is not None:
                return found
    return None


def written_dict(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> dict:
    """A dict written in the source: `{...}`, `dict(k=v)`, a constant, or a local bound once."""
    if node is None or depth > 3:
        return {}
    value = ctx.constant_value(node)
    if isinstance(value, dict):
        return value
    if isinstance(node, ast.Dict):
        out = {}
        for key, item in zip(node.keys, node.values, strict=True):
            label = ctx.constant_value(key) if key is not None else None
            if isinstance(label, str):
                out[label] = ctx.constant_value(item)
        return out
    if isinstance(node, ast.Call) and ctx.resolve(node.func) == "builtins.dict":
        return {kw.arg: ctx.constant_value(kw.value) for kw in node.keywords if kw.arg}
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1 and values[0] is not node:
            return written_dict(values[0], ctx, depth + 1)
    return {}
