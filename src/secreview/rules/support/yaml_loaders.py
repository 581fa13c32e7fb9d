"""Which PyYAML loader an expression names: shared by the unsafe-yaml-load pattern rule and
the unsafe-deserialization taint sinks (`yaml.load(data, Loader=...)`)."""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext
from secreview.rules.support.bindings import module_class

# Loaders that only build plain data (dicts, lists, scalars).
SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
# Loaders that construct any Python object a tag names (`!!python/object/apply:os.system`).
UNSAFE_LOADERS = frozenset({"Loader", "CLoader", "UnsafeLoader", "CUnsafeLoader"})
# Safe since PyYAML 5.4 (CVE-2020-14343), unsafe before: depends on the pinned version.
FULL_LOADERS = frozenset({"FullLoader", "CFullLoader"})


def loader_kind(node: ast.AST, ctx: ModuleContext, seen: frozenset[str]) -> str | None:
    """'safe', 'unsafe' or 'full' for a Loader expression; None when it cannot be told."""
    if isinstance(node, ast.Call) and ctx.resolve(node.func) == "builtins.getattr":
        # getattr(yaml, "CSafeLoader", yaml.SafeLoader): the C loader when built, else the default
        kinds: set[str | None] = set()
        if len(node.args) >= 2:
            attr = ctx.constant_value(node.args[1])
            if isinstance(attr, str):
                kinds.add(_classify(attr))
        if len(node.args) >= 3:
            kinds.add(loader_kind(node.args[2], ctx, seen))
        return _worst(kinds)
    if isinstance(node, ast.IfExp):
        return _worst({loader_kind(node.body, ctx, seen), loader_kind(node.orelse, ctx, seen)})
    qualified = ctx.resolve(node)
    if qualified is not None and qualified.startswith("yaml."):
        return _classify(qualified.rsplit(".", 1)[-1])
    key = qualified or (node.id if isinstance(node, ast.Name) else None)
    if key is None or key in seen:
        return None
    seen = seen | {key}  # per path, so both branches of an IfExp may name the same loader
    if qualified is not None:
        cls = module_class(qualified, ctx)
        if cls is None:
            return None
        # class MyLoader(yaml.SafeLoader): adding constructors keeps it as safe as its base
        return _worst({loader_kind(base, ctx, seen) for base in cls.bases})
    values = _module_assignments(key, ctx)
    if not values:
        return None
    return _worst({loader_kind(value, ctx, seen) for value in values})


def _worst(kinds: set[str | None]) -> str | None:
    """The riskiest of several possible loaders; None if any of them is unknown."""
    for kind in ("unsafe", "full"):
        if kind in kinds:
            return kind
    return "safe" if kinds == {"safe"} else None


def _classify(loader_name: str) -> str | None:
    if loader_name in SAFE_LOADERS:
        return "safe"
    if loader_name in UNSAFE_LOADERS:
        return "unsafe"
    if loader_name in FULL_LOADERS:
        return "full"
    return None


def _module_assignments(name: str, ctx: ModuleContext) -> list[ast.expr]:
    """Values assigned to `name` at module level, in try/if blocks too (`Loader = ...`)."""
    values: list[ast.expr] = []
    pending: list[ast.stmt] = list(ctx.tree.body)
    while pending:
        statement = pending.pop()
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        if isinstance(statement, ast.Assign):
            if any(isinstance(t, ast.Name) and t.id == name for t in statement.targets):
                values.append(statement.value)
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            for child in getattr(statement, field, ()):
                if isinstance(child, ast.ExceptHandler):
                    pending.extend(child.body)
                elif isinstance(child, ast.stmt):
                    pending.append(child)
    return values
