"""unsafe-yaml-load: PyYAML loaders that build arbitrary Python objects from a document."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python import fixes
from secreview.python.context import ModuleContext, argument, has_kwargs_splat
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import module_class
from secreview.rules.support.pattern import Hit, Rule, register

# Loaders that only build plain data (dicts, lists, scalars).
_SAFE_LOADERS = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader"})
# Loaders that construct any Python object a tag names (`!!python/object/apply:os.system`).
_UNSAFE_LOADERS = frozenset({"Loader", "CLoader", "UnsafeLoader", "CUnsafeLoader"})
# Safe since PyYAML 5.4 (CVE-2020-14343), unsafe before: depends on the pinned version.
_FULL_LOADERS = frozenset({"FullLoader", "CFullLoader"})

_LOAD = frozenset({"yaml.load", "yaml.load_all"})
_UNSAFE_LOAD = frozenset({"yaml.unsafe_load", "yaml.unsafe_load_all"})
_FULL_LOAD = frozenset({"yaml.full_load", "yaml.full_load_all"})


@register
class UnsafeYamlLoad(Rule):
    meta = RuleMeta(
        id="unsafe-yaml-load",
        cwe=502,
        severity="high",
        confidence="high",
        title="YAML loaded with a loader that constructs arbitrary objects",
        why=(
            "PyYAML's Loader/UnsafeLoader (the default of yaml.load before PyYAML 5.1) turns "
            "tags such as !!python/object/apply:os.system into calls, so whoever can shape the "
            "document runs code in the process that parses it."
        ),
        example="config = yaml.load(request.data)\nitems = yaml.load(fh, Loader=yaml.Loader)",
        fix=(
            "Use yaml.safe_load(data) / yaml.safe_load_all(data), or pass "
            "Loader=yaml.SafeLoader (yaml.CSafeLoader for speed) to yaml.load."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://github.com/yaml/pyyaml/wiki/PyYAML-yaml.load(input)-Deprecation",
        ),
        fixable=True,
    )
    calls = _LOAD | _UNSAFE_LOAD | _FULL_LOAD

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """Flag loads whose loader can construct objects, unless the document is a literal."""
        function = name.rsplit(".", 1)[-1]
        if ctx.is_constant(argument(call, 0, "stream")):
            return  # a document written in the source cannot carry an attacker's tags
        if name in _UNSAFE_LOAD:
            yield Hit(
                call,
                f"yaml.{function}() builds any Python object the document's tags name; a "
                "crafted YAML document (!!python/object/apply:...) runs code when it is parsed.",
                fixes=_safe_function(call, function, ctx),
            )
            return
        if name in _FULL_LOAD:
            yield Hit(
                call,
                f"yaml.{function}() uses FullLoader, which could construct arbitrary Python "
                "objects before PyYAML 5.4 (CVE-2020-14343); unless PyYAML >= 5.4 is pinned, "
                "a crafted document runs code. yaml.safe_load needs no such pin.",
                confidence="medium",
                fixes=_safe_function(call, function, ctx),
            )
            return
        loader = argument(call, 1, "Loader")
        if loader is None:
            if has_kwargs_splat(call):
                return  # the Loader may come in **kwargs; we cannot tell which
            yield Hit(
                call,
                f"yaml.{function}() without a Loader falls back to one that constructs Python "
                "objects from the document (Loader before PyYAML 5.1, FullLoader until 6.0); a "
                "crafted YAML file runs code.",
                fixes=_safe_function(call, function, ctx),
            )
            return
        verdict = _loader_kind(loader, ctx, frozenset())
        if verdict == "unsafe":
            yield Hit(
                call,
                f"yaml.{function}() with an unsafe Loader constructs arbitrary Python objects "
                "from the document's tags; a crafted YAML file runs code when it is parsed.",
                fixes=_safe_loader(loader, ctx),
            )
        elif verdict == "full":
            yield Hit(
                call,
                f"yaml.{function}() with FullLoader could construct arbitrary Python objects "
                "before PyYAML 5.4 (CVE-2020-14343); a crafted document runs code unless "
                "PyYAML >= 5.4 is pinned. SafeLoader has no such caveat.",
                confidence="medium",
                fixes=_safe_loader(loader, ctx),
            )


def _safe_function(call: ast.Call, function: str, ctx: ModuleContext) -> tuple:
    """`yaml.load(x)` / `yaml.unsafe_load(x)` / `yaml.full_load(x)` -> `yaml.safe_load(x)`."""
    safe = "safe_load_all" if function.endswith("_all") else "safe_load"
    return fixes.replace_attribute_name(ctx, call.func, safe, f"Use yaml.{safe}()")


def _safe_loader(loader: ast.AST, ctx: ModuleContext) -> tuple:
    """`Loader=yaml.Loader` -> `Loader=yaml.SafeLoader` (the C loaders keep their speed)."""
    if not isinstance(loader, ast.Attribute) or loader.attr not in _UNSAFE_LOADERS | _FULL_LOADERS:
        return ()
    safe = "CSafeLoader" if loader.attr.startswith("C") else "SafeLoader"
    return fixes.replace_attribute_name(ctx, loader, safe, f"Load with yaml.{safe}")


def _loader_kind(node: ast.AST, ctx: ModuleContext, seen: frozenset[str]) -> str | None:
    """'safe', 'unsafe' or 'full' for a Loader expression; None when it cannot be told."""
    if isinstance(node, ast.Call) and ctx.resolve(node.func) == "builtins.getattr":
        # getattr(yaml, "CSafeLoader", yaml.SafeLoader): the C loader when built, else the default
        kinds: set[str | None] = set()
        if len(node.args) >= 2:
            attr = ctx.constant_value(node.args[1])
            if isinstance(attr, str):
                kinds.add(_classify(attr))
        if len(node.args) >= 3:
            kinds.add(_loader_kind(node.args[2], ctx, seen))
        return _worst(kinds)
    if isinstance(node, ast.IfExp):
        return _worst({_loader_kind(node.body, ctx, seen), _loader_kind(node.orelse, ctx, seen)})
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
        return _worst({_loader_kind(base, ctx, seen) for base in cls.bases})
    values = _module_assignments(key, ctx)
    if not values:
        return None
    return _worst({_loader_kind(value, ctx, seen) for value in values})


def _worst(kinds: set[str | None]) -> str | None:
    """The riskiest of several possible loaders; None if any of them is unknown."""
    for kind in ("unsafe", "full"):
        if kind in kinds:
            return kind
    return "safe" if kinds == {"safe"} else None


def _classify(loader_name: str) -> str | None:
    if loader_name in _SAFE_LOADERS:
        return "safe"
    if loader_name in _UNSAFE_LOADERS:
        return "unsafe"
    if loader_name in _FULL_LOADERS:
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
