"""Pass 6, summaries: one module's functions as the small, picklable summaries the
whole-program phase reads.

`ModuleAnalysis` walks the module's definitions and runs, for each function (and the
module's own top-level code), the per-function passes: control flow (`flow.py`), values
(`values.py`), types (`typetags.py`), checks (`checks.py`) and the taint transfer
(`transfer.py`, with `objects.py` for fields and containers). What a function returns,
raises, stores in fields, globals and its parameters' objects, which calls of the tree it
makes with what data, and which sinks data reaches become its `FunctionSummary`; the
module adds its classes, field types, re-exports, Django routes and module-level objects.
Calls into the reviewed tree stay symbolic (`CallRet`) for the whole-program phase.

A nested function gets a summary of its own too (`<outer>.<locals>.<name>`, after the
function it is in; see `FunctionAnalysis`), and the module's own code applies the
decorators of the tree to the functions and methods they decorate (`decorate`).
"""

from __future__ import annotations

import ast

from secreview.model import TraceStep
from secreview.python.context import ModuleContext
from secreview.python.taint import access, sessions
from secreview.python.taint.handlers import FunctionNode, urlconf_routes
from secreview.python.taint.markdown_ext import registered_postprocessors
from secreview.python.taint.objects import dataclass_init, named_tuples
from secreview.python.taint.scopes import ExpressionBindings, Stores
from secreview.python.taint.spec import RequestObject, SpecIndex
from secreview.python.taint.summary import FunctionSummary, ModuleSummary
from secreview.python.taint.transfer import FunctionAnalysis, Outer
from secreview.python.taint.typetags import class_field_types, module_instance_types


class ModuleAnalysis:
    """Shared state for summarising the functions of one module."""

    def __init__(
        self,
        ctx: ModuleContext,
        spec: SpecIndex,
        rules: frozenset[str],
        internal: frozenset[str],
        taint_parameters: bool = False,
    ):
        self.ctx = ctx
        self.spec = spec
        self.rules = rules
        self.internal = internal
        self.taint_parameters = taint_parameters
        self.module = ctx.symbols.module
        self.module_globals = _module_assigned_names(ctx.tree)
        # the module's functions, by name: a name that is one holds it as a value (`Fn`)
        self.module_functions = frozenset(
            node.name
            for node in ctx.tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        )
        self.global_types = module_instance_types(ctx)
        self.values = ctx.values  # shared with the pattern rules
        self.swallowing = _swallowing_classes(ctx, ctx.symbols.module)
        self.expression_bindings = ExpressionBindings(ctx)
        self._stores: Stores | None = None
        self.mentions_headers = "headers" in ctx.source.text  # see `copies_headers`
        text = ctx.source.text
        # an administrator check (`access.checks_admin`) is looked for only where one can be
        self.mentions_admin = access.MENTIONS.search(text) is not None
        # a test on the platform (`checks.platform_condition`) is asked only where one can be
        self.mentions_platform = "os.name" in text or "platform" in text
        self.sanitizer_attrs = frozenset(name.rsplit(".", 1)[-1] for name in spec.sanitizers)
        # the checks that look protective but are not, met in this module's tests (their
        # steps, and the WEAK kinds they mark): `weak.MARK` entries of guards name them
        self.failing: list[tuple[TraceStep, frozenset[str]]] = []
        # the last names of the checks `guards` knows (`url_has_allowed_host_and_scheme`)
        self.guard_names = frozenset(name.rsplit(".", 1)[-1] for name in spec.guards) | frozenset(
            spec.method_guards
        )
        # server-side attributes of anything named like a request object (`request.user`):
        # never attacker data, even where the framework is not imported here (a view whose
        # framework base class is inherited from another module; see solve._inherited_entry)
        self.request_names: dict[str, list[RequestObject]] = {}
        for obj in spec.request_objects:
            for name in obj.param_names:
                self.request_names.setdefault(name, []).append(obj)
        self.inherited: dict[tuple[str, int, str], str | None] = {}
        self.local_classes = {
            f"{self.module}.{node.name}": node
            for node in ctx.tree.body
            if isinstance(node, ast.ClassDef)
        }
        self.reraises: dict[int, bool] = {}  # id(except handler) -> it raises again
        self.summary = ModuleSummary(module=self.module, path=ctx.source.path)

    @property
    def stores(self) -> Stores:
        """The module's stores by position, listed when a function first asks."""
        if self._stores is None:
            self._stores = Stores(self.ctx)
        return self._stores

    def is_internal(self, qualified: str) -> bool:
        top = qualified.split(".", 1)[0]
        return top in self.internal or qualified.startswith(self.module + ".")

    def run(self) -> ModuleSummary:
        tree = self.ctx.tree
        module_body = [
            s
            for s in tree.body
            if not isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        ]
        decorated = _decorated(tree.body, self.module)
        self._function(None, f"{self.module}.<module>", None, "module", module_body, decorated)
        self._definitions(tree.body, self.module, None)
        self.summary.routes = tuple(urlconf_routes(self.ctx))
        self.summary.instances = {
            f"{self.module}.{name}": tag
            for name, tag in self.global_types.items()
            if self.is_internal(tag)
        }
        self.summary.named_tuples = named_tuples(self.ctx, self.module)
        if "trust-boundary-violation" in self.rules:
            self.summary.trusted_session_reads = sessions.trusted_reads(self.ctx, self.spec)
        self.summary.exports = {
            name: target
            for name, target in self.ctx.symbols.aliases.items()
            if self.is_internal(target)
        }
        return self.summary

    def _definitions(self, body: list[ast.stmt], prefix: str, cls: ast.ClassDef | None) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind = "function"
                if cls is not None:
                    names = {_decorator_name(d) for d in node.decorator_list}
                    kind = (
                        "staticmethod"
                        if "staticmethod" in names
                        else "classmethod"
                        if "classmethod" in names
                        else "method"
                    )
                self._function(node, f"{prefix}.{node.name}", cls, kind, node.body)
            elif isinstance(node, ast.ClassDef):
                qualified = f"{prefix}.{node.name}"
                if access.admin_class(self.ctx, node):
                    self.summary.admin_classes += (qualified,)
                class_field_types(self.ctx, node, qualified, self.summary.field_types)
                bases = tuple(
                    b for b in (self.ctx.resolve(base) for base in node.bases) if b is not None
                )
                self.summary.classes[qualified] = bases
                registered = registered_postprocessors(self.ctx, node)
                if registered is not None:
                    self.summary.markdown_postprocessors[qualified] = registered
                self._definitions(node.body, qualified, node)
                init = dataclass_init(self.ctx, node)
                if init is not None:
                    self._function(init, f"{qualified}.__init__", node, "method", init.body)

    def _function(
        self,
        node: FunctionNode | None,
        qualname: str,
        cls: ast.ClassDef | None,
        kind: str,
        body: list[ast.stmt],
        decorated: list[tuple[FunctionNode, str]] | None = None,
        outer: Outer | None = None,
    ) -> None:
        """Summarise one function (or the module's own code, which also applies the
        `decorated` functions' decorators; or a nested function, seen from `outer`)."""
        cls_name = f"{qualname.rsplit('.', 1)[0]}" if cls is not None else None
        summary = FunctionSummary(
            qualname=qualname,
            path=self.ctx.source.path,
            params=(),
            cls=cls_name if outer is None else outer.cls,
            kind=kind,
            line=getattr(node, "lineno", 0),
        )
        analysis = FunctionAnalysis(self, summary, node, cls, outer=outer)
        try:
            analysis.run(body)
            for function, name in decorated or ():
                analysis.decorate(function, name)
        except RecursionError:  # absurdly deep expressions: skip this function, keep the rest
            local = qualname.removeprefix(self.module + ".")
            self.summary.too_deep += ((local, summary.line),)
            return
        summary.handler = analysis.handler is not None
        returned = summary.return_type
        if (
            cls_name is not None
            and node is not None
            and returned is not None
            and not returned.startswith("field:")
            and any(_decorator_name(d) in _PROPERTIES for d in node.decorator_list)
        ):
            # `self.warehouse` of a `@cached_property` is what its getter returns
            self.summary.field_types.setdefault((cls_name, node.name), returned)
        if node is not None:
            summary.decorators = access.decorator_marks(self.ctx, node, self.module_globals)
            if self.mentions_admin:
                summary.admin_check = access.checks_admin(node)
        summary.finish()
        self.summary.functions.append(summary)
        for function, name, seen in analysis.nested:
            self._function(function, name, None, "function", function.body, outer=seen)


def _decorated(body: list[ast.stmt], module: str) -> list[tuple[FunctionNode, str]]:
    """The module's decorated functions and methods, with their qualified names."""
    out: list[tuple[FunctionNode, str]] = []
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.decorator_list:
            out.append((node, f"{module}.{node.name}"))
        elif isinstance(node, ast.ClassDef):
            out += _decorated(node.body, f"{module}.{node.name}")
    return out


_PROPERTIES = frozenset({"property", "cached_property"})


def _decorator_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _module_assigned_names(tree: ast.Module) -> frozenset[str]:
    names: set[str] = set()
    for stmt in tree.body:
        targets: list[ast.expr] = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and stmt.value is not None:
            targets = [stmt.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    names.add(node.id)
    return frozenset(names)


def _swallowing_classes(ctx: ModuleContext, module: str) -> frozenset[str]:
    """Context managers of the module that swallow exceptions: a class whose `__exit__`
    returns a true constant, or a `@contextmanager` generator that catches around its
    `yield` without raising again."""
    out: set[str] = set()
    for node in ctx.tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if (
                    isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                    and item.name in ("__exit__", "__aexit__")
                    and any(
                        isinstance(sub, ast.Return)
                        and isinstance(sub.value, ast.Constant)
                        and bool(sub.value.value)
                        for sub in ast.walk(item)
                    )
                ):
                    out.add(f"{module}.{node.name}")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            (ctx.resolve(d) or "").endswith("contextmanager") for d in node.decorator_list
        ):
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Try)
                    and any(isinstance(n, (ast.Yield, ast.YieldFrom)) for s in sub.body
                            for n in ast.walk(s))
                    and any(not any(isinstance(n, ast.Raise) for s in h.body for n in ast.walk(s))
                            for h in sub.handlers)
                ):  # fmt: skip
                    out.add(f"{module}.{node.name}")
    return frozenset(out)
