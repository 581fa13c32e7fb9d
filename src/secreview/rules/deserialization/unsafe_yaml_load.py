"""unsafe-yaml-load: PyYAML loaders that build arbitrary Python objects from a document."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python import fixes
from secreview.python.context import ModuleContext, argument, has_kwargs_splat
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.yaml_loaders import FULL_LOADERS, UNSAFE_LOADERS, loader_kind

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
    nodes = (ast.ClassDef,)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`class IncludeLoader(yaml.Loader)`: a loader that keeps its base's constructors,
        reported where it is defined (its uses with `yaml.load` are reported at each call)."""
        if not isinstance(node, ast.ClassDef):
            return
        kinds = {base: loader_kind(base, ctx, frozenset()) for base in node.bases}
        unsafe = [base for base, kind in kinds.items() if kind == "unsafe"]
        full = [base for base, kind in kinds.items() if kind == "full"]
        if unsafe:
            yield Hit(
                node,
                f"{node.name} subclasses {ast.unparse(unsafe[0])}, which constructs any Python "
                "object a document's tags name (!!python/object/apply:os.system): every "
                f"document loaded with Loader={node.name} can run code.",
                fixes=_safe_loader(unsafe[0], ctx),
            )
        elif full:
            yield Hit(
                node,
                f"{node.name} subclasses {ast.unparse(full[0])}, which could construct arbitrary "
                "Python objects before PyYAML 5.4 (CVE-2020-14343); subclass yaml.SafeLoader "
                "and add the constructors the documents need.",
                confidence="medium",
                fixes=_safe_loader(full[0], ctx),
            )

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
        verdict = loader_kind(loader, ctx, frozenset())
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
    if not isinstance(loader, ast.Attribute) or loader.attr not in UNSAFE_LOADERS | FULL_LOADERS:
        return ()
    safe = "CSafeLoader" if loader.attr.startswith("C") else "SafeLoader"
    return fixes.replace_attribute_name(ctx, loader, safe, f"Load with yaml.{safe}")
