"""Which functions are request handlers, and which of their parameters carry attacker data."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass

from secreview import lazyre
from secreview.python.context import ModuleContext, last_name
from secreview.python.taint.spec import Handler, RequestObject, SpecIndex

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

# Flask/Werkzeug converters whose values cannot carry injection payloads.
_SAFE_CONVERTER = lazyre.compile(r"<(int|float|uuid):(\w+)>")
# Bottle's filters come after the name: `<page:int>`
_SAFE_FILTER = lazyre.compile(r"<(\w+):(int|float)>")
_DEPENDENCY_DEFAULTS = frozenset({"Depends", "Security"})


@dataclass(frozen=True, slots=True)
class HandlerInfo:
    """A matched handler: its tainted parameters and what kind of request it serves."""

    spec: Handler
    tainted: tuple[str, ...]
    route: str = ""


def applicable(ctx: ModuleContext, imports: tuple[str, ...]) -> bool:
    """The module imports one of `imports` (a framework's packages); asked for every
    handler spec of every function, so kept per module."""
    if not imports:
        return True
    key = ("imports-any", imports)
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = any(ctx.symbols.imports(name) for name in imports)
    return found  # type: ignore[return-value]


def _param_names(fn: FunctionNode) -> list[str]:
    args = fn.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    if args.vararg:
        names.append(args.vararg.arg)
    if args.kwarg:
        names.append(args.kwarg.arg)
    return names


def _dependency_params(fn: FunctionNode) -> set[str]:
    """FastAPI parameters filled by the server (`db = Depends(get_db)`), not the client."""
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    out: set[str] = set()
    pairs = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs += [
        (a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None
    ]
    for arg, default in pairs:
        if isinstance(default, ast.Call) and last_name(default.func) in _DEPENDENCY_DEFAULTS:
            out.add(arg.arg)
    for arg in positional + list(args.kwonlyargs):
        annotation = arg.annotation
        if isinstance(annotation, ast.Subscript) and "Depends" in ast.unparse(annotation):
            out.add(arg.arg)
    return out


def _route_of(fn: FunctionNode, spec: Handler) -> tuple[str, set[str]]:
    """The route string of a decorated handler and the parameters it converts to numbers."""
    for decorator in fn.decorator_list:
        if (
            isinstance(decorator, ast.Call)
            and last_name(decorator.func) in spec.decorator_attrs
            and decorator.args
            and isinstance(decorator.args[0], ast.Constant)
        ):
            route = str(decorator.args[0].value)
            converted = {m.group(2) for m in _SAFE_CONVERTER.finditer(route)}
            return route, converted | {m.group(1) for m in _SAFE_FILTER.finditer(route)}
    return "", set()


def _imported[Spec: (Handler, RequestObject)](
    ctx: ModuleContext, specs: Sequence[Spec]
) -> tuple[Spec, ...]:
    """The specs whose framework the module imports: no function of a module that does not
    import Flask is a Flask view, so the others are not tried on each function."""
    key = ("imported-specs", id(specs))
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = tuple(s for s in specs if applicable(ctx, s.imports))
    return found  # type: ignore[return-value]


def match_handler(
    ctx: ModuleContext, spec: SpecIndex, fn: FunctionNode, cls: ast.ClassDef | None
) -> HandlerInfo | None:
    params = _param_names(fn)
    for handler in _imported(ctx, spec.handlers):
        if not _matches(ctx, handler, fn, cls, params):
            continue
        route, converted = _route_of(fn, handler)
        skip = handler.skip_params | converted | _dependency_params(fn)
        skip |= _annotated_safe(fn, handler.safe_annotations)
        if handler.view_modules:
            skip |= _option_params(fn)
        if handler.params == "all":
            tainted = tuple(p for p in params if p not in skip)
        else:
            tainted = tuple(p for p in params if p in handler.params and p not in skip)
        return HandlerInfo(handler, tainted, route)
    return None


def class_handler(
    ctx: ModuleContext,
    spec: SpecIndex,
    cls: ast.ClassDef,
    classes: dict[str, ast.ClassDef],
) -> Handler | None:
    """The framework handler class `cls` is, through its bases in this module: its
    `self_sources` (`self.path` of http.server, `self.request` of Tornado) are the client's
    in every method, not only in the ones the framework calls with URL arguments
    (`prepare`, `on_finish`, the class's own helpers)."""
    key = ("class-handler", cls.name, cls.lineno)
    if key in ctx.memo:
        return ctx.memo[key]  # type: ignore[return-value]
    wanted = [h for h in _imported(ctx, spec.handlers) if h.bases and h.every_method]
    found: Handler | None = None
    queue, seen = [cls], 0
    while wanted and queue and found is None and seen < 16:
        klass = queue.pop(0)
        seen += 1
        for base in klass.bases:
            name = last_name(base)
            found = next((h for h in wanted if name in h.bases), None)
            if found is not None:
                break
            local = classes.get(ctx.resolve(base) or "")
            if local is not None:
                queue.append(local)
    ctx.memo[key] = found
    return found


def url_params(
    ctx: ModuleContext, spec: SpecIndex, fn: FunctionNode, cls: ast.ClassDef | None
) -> tuple[str, ...]:
    """The parameters a Django function view would take from its URL, for a function that
    takes `request` first but is not a handler by its module's name: one an urlconf of
    the tree routes to (only the whole program knows) is a view all the same."""
    if cls is not None:
        return ()
    params = _param_names(fn)
    if params[:1] != ["request"]:
        return ()
    for handler in _imported(ctx, spec.handlers):
        if handler.signature == ("request",) and handler.view_modules:
            skip = handler.skip_params | _option_params(fn) | _dependency_params(fn)
            return tuple(p for p in params[1:] if p not in skip)
    return ()


def urlconf_routes(ctx: ModuleContext) -> list[tuple[str, str, tuple[str, ...]]]:
    """(view, route, parameters the route converts to numbers or slugs) for every Django
    `path()` / `re_path()` / `url()` of the module that names a view function."""
    if not ctx.symbols.imports("django"):
        return []
    routes = []
    for call in ctx.nodes_of(_CALLS):
        if ctx.resolve(call.func) not in _ROUTE_FUNCTIONS or len(call.args) < 2:  # type: ignore[attr-defined]
            continue
        route, view = call.args[0], call.args[1]  # type: ignore[attr-defined]
        target = ctx.resolve(view) if isinstance(view, (ast.Name, ast.Attribute)) else None
        if (
            target is None
            or not isinstance(route, ast.Constant)
            or not isinstance(route.value, str)
        ):
            continue
        text = route.value
        safe = {m.group(2) for m in _PATH_CONVERTER.finditer(text) if m.group(1) in _SAFE_PATH}
        safe |= {m.group(1) for m in _REGEX_GROUP.finditer(text) if _DIGITS.fullmatch(m.group(2))}
        routes.append((target, text, tuple(sorted(safe))))
    return routes


_CALLS = frozenset({ast.Call})
_ROUTE_FUNCTIONS = frozenset({"django.urls.path", "django.urls.re_path", "django.conf.urls.url"})
# `<int:pk>`: Django converts (and matches) only digits, slugs and UUIDs for these
_PATH_CONVERTER = lazyre.compile(r"<(?:(\w+):)?(\w+)>")
_SAFE_PATH = frozenset({"int", "slug", "uuid"})
# `(?P<year>[0-9]{4})`: a group that matches digits only
_REGEX_GROUP = lazyre.compile(r"\(\?P<(\w+)>([^()]*)\)")
_DIGITS = lazyre.compile(r"(?:\[0-9\]|\\d)(?:[+*]|\{\d+(?:,\d*)?\})?")


def _matches(
    ctx: ModuleContext,
    handler: Handler,
    fn: FunctionNode,
    cls: ast.ClassDef | None,
    params: list[str],
) -> bool:
    if handler.signature:
        own = params[1:] if cls is not None and params[:1] == ["self"] else params
        if tuple(own[: len(handler.signature)]) == handler.signature and _in_view_module(
            ctx, handler, fn, cls
        ):
            return True
        if not (handler.decorator_attrs or handler.decorators or handler.bases):
            return False
    if not applicable(ctx, handler.imports):
        return False
    for decorator in fn.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr in handler.decorator_attrs:
            return True
        qualified = ctx.resolve(target)
        if qualified is not None and qualified in handler.decorators:
            return True
    if cls is not None and handler.bases and fn.name in handler.methods:
        return any(last_name(base) in handler.bases for base in cls.bases)
    return False


def _in_view_module(
    ctx: ModuleContext, handler: Handler, fn: FunctionNode, cls: ast.ClassDef | None
) -> bool:
    """Where a signature marks a handler: anywhere, or public functions of view modules."""
    if not applicable(ctx, handler.imports):
        return False
    if not handler.view_modules:
        return True
    if cls is not None or fn.name.startswith("_"):
        return False
    parts = ctx.symbols.module.split(".")
    return any(part.endswith(handler.view_modules) for part in parts)


def _option_params(fn: FunctionNode) -> set[str]:
    """Django view parameters defaulting to None/True/False (`serve(request, path,
    document_root=None, show_indexes=False)`): options the urlconf passes as extra kwargs,
    set by the developer, not captured from the URL."""
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    pairs = list(
        zip(positional[len(positional) - len(args.defaults) :], args.defaults, strict=True)
    )
    pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d]
    return {
        arg.arg
        for arg, default in pairs
        if isinstance(default, ast.Constant)
        and (default.value is None or isinstance(default.value, bool))  # not `page=1`
    }


def _annotated_safe(fn: FunctionNode, safe: frozenset[str]) -> set[str]:
    """Parameters whose annotation is a type the framework converts to (`item_id: int`)."""
    if not safe:
        return set()
    args = fn.args
    return {
        a.arg
        for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
        if a.annotation is not None and last_name(a.annotation) in safe
    }


def request_params(
    ctx: ModuleContext, spec: SpecIndex, fn: FunctionNode, handler: HandlerInfo | None
) -> dict[str, RequestObject]:
    """Parameters that hold the framework's request object."""
    out: dict[str, RequestObject] = {}
    objects = _imported(ctx, spec.request_objects)
    if not objects:
        return out
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    for obj in objects:
        if handler is None and not _request_module(ctx, obj):
            continue
        for arg in args:
            annotated = (
                arg.annotation is not None and last_name(arg.annotation) in obj.annotation_names
            )
            named = arg.arg in obj.param_names
            if annotated or named:
                out.setdefault(arg.arg, obj)
    return out


# where an OpenStack project serves its API: a parameter named `req`/`request` elsewhere in
# it is another kind of request (`nova/pci/stats.py`'s PCI request)
_API_PARTS = frozenset({"api", "wsgi", "pecan_wsgi", "extensions", "server", "middleware"})


def _request_module(ctx: ModuleContext, obj: RequestObject) -> bool:
    """Whether a module's parameters named like the request object are it: the module
    imports the framework itself, or (a project the framework serves, like nova) it lies in
    the part of the project that handles HTTP."""
    key = ("request-module", obj.framework)
    found = ctx.memo.get(key)
    if found is None:
        direct = obj.imports[: obj.direct_imports] if obj.direct_imports else obj.imports
        found = any(ctx.symbols.imports(name) for name in direct) or bool(
            _API_PARTS & set(ctx.source.path.split("/")[:-1])
        )
        ctx.memo[key] = found
    return found  # type: ignore[return-value]


def view_request(ctx: ModuleContext, spec: SpecIndex, cls: ast.ClassDef) -> RequestObject | None:
    """The request object a view class keeps in `self.<attr>` (`self.request` of Django's
    class-based views), when the class looks like one of its framework's views."""
    for obj in _imported(ctx, spec.request_objects):
        if obj.self_attr is None:
            continue
        for base in cls.bases:
            name = last_name(base)
            if name in obj.view_bases or name.endswith(("View", "ViewSet")):
                return obj
        if obj.view_decorators and _decorated_view(cls, obj.view_decorators):
            return obj
    return None


def _decorated_view(cls: ast.ClassDef, decorators: frozenset[str]) -> bool:
    """The class, or one of its methods, carries one of the framework's view decorators."""
    marks = list(cls.decorator_list)
    for item in cls.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
            marks.extend(item.decorator_list)
    return any(last_name(mark) in decorators for mark in marks)


def inherited_handler(
    spec: SpecIndex, method: str, ancestors: list[str], params: list[str]
) -> tuple[Handler, dict[str, str]] | None:
    """A method of a class whose framework base is inherited through a base class of the
    reviewed tree (`class Users(ApiView)` with `class ApiView(MethodView)` elsewhere): phase
    1 sees one module and cannot tell; phase 2 knows every class's ancestors by name.
    Returns the handler spec and, for each tainted parameter, what it holds."""
    for handler in spec.handlers:
        if not handler.bases or method not in handler.methods:
            continue
        prefixes = tuple(f"{i}." for i in handler.imports)
        if not any(
            name.rsplit(".", 1)[-1] in handler.bases and (not prefixes or name.startswith(prefixes))
            for name in ancestors
        ):
            continue
        # the framework's request object: its attributes are attacker data except the
        # server-side ones, which phase 1 already left clean (`request.user`)
        requests = {
            name: obj.description
            for obj in spec.request_objects
            if set(obj.imports) & set(handler.imports)
            for name in obj.param_names
        }
        tainted = {
            p: requests.get(p, f"{handler.description} '{p}'")
            for p in params
            if (handler.params == "all" or p in handler.params or p in requests)
            and p not in handler.skip_params
        }
        return handler, tainted
    return None


def inherited_class_handler(spec: SpecIndex, ancestors: list[str]) -> Handler | None:
    """The framework handler a class of the tree is through base classes of other modules
    (`class Upload(BaseHandler)`, `class BaseHandler(tornado.web.RequestHandler)`): the
    handler spec whose `self_sources`/`self_calls` hold in its methods."""
    for handler in spec.handlers:
        if not handler.bases or not handler.every_method:
            continue
        prefixes = tuple(f"{i}." for i in handler.imports)
        if any(
            name.rsplit(".", 1)[-1] in handler.bases and (not prefixes or name.startswith(prefixes))
            for name in ancestors
        ):
            return handler
    return None
