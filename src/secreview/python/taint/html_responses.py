"""Which response bodies a browser renders as HTML, read from the handler's own statements.

A Flask or Bottle view's returned str is HTML unless the view says otherwise; an
http.server handler's `self.wfile.write(...)` and a WSGI application's returned iterable
are HTML only when the handler sends an HTML content type (`send_header("Content-Type",
"text/html")`, `start_response("200 OK", [("Content-Type", "text/html")])`). The answer is
per function and kept in `ctx.memo`. Assumes the content type is a constant written in
the handler (one chosen elsewhere is not known to be HTML).
"""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext, argument, last_name, walk
from secreview.python.taint.raw_templates import raw_in_text
from secreview.python.taint.shapes import builds_text
from secreview.rules.support.bindings import assigned_values

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_CONTENT_TYPE = "content-type"
_TYPE_ATTRIBUTES = frozenset({"content_type", "mimetype", "media_type"})


def declared_types(fn: FunctionNode, ctx: ModuleContext) -> tuple[str, ...]:
    """The content types `fn` sets as constants: headers it sends, `start_response`
    header lists, `response.content_type = ...`, `response.set_header(...)`."""
    key = ("declared-content-types", id(fn))
    found = ctx.memo.get(key)
    if found is None:
        found = ctx.memo[key] = tuple(_types(fn, ctx))
    return found  # type: ignore[return-value]


def _types(fn: FunctionNode, ctx: ModuleContext) -> list[str]:
    out: list[str] = []
    for node in walk(fn):
        if isinstance(node, ast.Call):
            out.extend(_call_types(node, ctx))
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if _sets_type(target, ctx):
                    value = ctx.constant_value(node.value)
                    if isinstance(value, str):
                        out.append(value.lower())
    return out


def _sets_type(target: ast.expr, ctx: ModuleContext) -> bool:
    """`response.content_type = ...`, `response.headers["Content-Type"] = ...`"""
    return (
        isinstance(target, ast.Attribute) and target.attr in _TYPE_ATTRIBUTES
    ) or _is_header_key(target, ctx)


def _is_header_key(target: ast.expr, ctx: ModuleContext) -> bool:
    """`response.headers["Content-Type"] = ...`"""
    return isinstance(target, ast.Subscript) and _names_content_type(target.slice, ctx)


def _names_content_type(node: ast.expr, ctx: ModuleContext) -> bool:
    value = ctx.constant_value(node)
    return isinstance(value, str) and value.lower() == _CONTENT_TYPE


def _call_types(call: ast.Call, ctx: ModuleContext) -> list[str]:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in ("send_header", "set_header", "add_header") and len(call.args) >= 2:
        if _names_content_type(call.args[0], ctx):
            value = ctx.constant_value(call.args[1])
            return [value.lower()] if isinstance(value, str) else []
        return []
    if name == "start_response" and len(call.args) >= 2:
        return _header_list_types(call.args[1], ctx)
    return []


def _header_list_types(node: ast.expr, ctx: ModuleContext) -> list[str]:
    """`[("Content-Type", "text/html"), ...]` (a list or tuple of pairs written there)."""
    if not isinstance(node, (ast.List, ast.Tuple)):
        return []
    out: list[str] = []
    for pair in node.elts:
        if (
            isinstance(pair, (ast.Tuple, ast.List))
            and len(pair.elts) == 2
            and _names_content_type(pair.elts[0], ctx)
        ):
            value = ctx.constant_value(pair.elts[1])
            if isinstance(value, str):
                out.append(value.lower())
    return out


def serves_html(fn: FunctionNode | None, ctx: ModuleContext) -> bool:
    """The handler says its body is HTML (and says no other type)."""
    if fn is None:
        return False
    types = declared_types(fn, ctx)
    return bool(types) and all("html" in t for t in types)


def serves_other(fn: FunctionNode | None, ctx: ModuleContext) -> bool:
    """The handler sets a content type that is not HTML (`text/plain`, JSON, CSV)."""
    return fn is not None and any("html" not in t for t in declared_types(fn, ctx))


def wfile_html(
    call: ast.Call, default: list[ast.expr], tag_of: object, ctx: ModuleContext
) -> list[ast.expr] | None:
    """`self.wfile.write(body)` in a handler that sent an HTML content type."""
    fn = ctx.enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef))
    return (default or None) if serves_html(fn, ctx) else None  # type: ignore[arg-type]


def wfile(text: str, tag: str | None) -> bool:
    """The response stream of an http.server handler (`self.wfile`)."""
    return text == "self.wfile"


def body_parts(value: ast.expr) -> list[ast.expr]:
    """The text a WSGI application returns: the elements of `[page.encode()]` (or of a
    tuple, or `iter([...])`), each without its `.encode(...)`."""
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "iter"
        and len(value.args) == 1
    ):
        value = value.args[0]
    if not isinstance(value, (ast.List, ast.Tuple)):
        return []
    return [_decoded(e) for e in value.elts]


def _decoded(node: ast.expr) -> ast.expr:
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "encode"
    ):
        return node.func.value
    return node


def django_body(
    call: ast.Call, default: list[ast.expr], tag_of: object, ctx: ModuleContext
) -> list[ast.expr] | None:
    """`HttpResponse(body)`: Django sends text/html unless told otherwise, so JSON text
    (`json.dumps(...)`, a variable holding it) is HTML there too, as is text built here."""
    from secreview.python.taint.conditions import html_body

    if len(call.args) > 1:  # `HttpResponse(body, "text/plain")`
        given = ctx.constant_value(call.args[1])
        if isinstance(given, str):
            return (default or None) if "html" in given else None
    chosen = html_body(call, default, tag_of)  # type: ignore[arg-type]
    if len(call.args) > 1:
        return chosen
    return _with_json(call, default, chosen, tag_of, ctx)


def _with_json(
    call: ast.Call,
    default: list[ast.expr],
    chosen: list[ast.expr] | None,
    tag_of: object,
    ctx: ModuleContext,
) -> list[ast.expr] | None:
    """`chosen`, and JSON text among the arguments when the call gives no content type
    (the framework's default is text/html)."""
    if any(k.arg in ("content_type", "mimetype", "headers") for k in call.keywords):
        return chosen
    json_text = [e for e in default if _json_text(e, tag_of, ctx)]
    return [*(chosen or ()), *(e for e in json_text if e not in (chosen or ()))] or None


def _json_text(node: ast.expr, tag_of: object, ctx: ModuleContext) -> bool:
    if isinstance(node, ast.Call):
        return ctx.resolve(node.func) == "json.dumps"
    return tag_of(node) == "json.dumps"  # type: ignore[operator]


_TEMPLATE_MAKERS = frozenset({"from_string", "Template"})


def safe_filtered(
    call: ast.Call, default: list[ast.expr], tag_of: object, ctx: ModuleContext
) -> list[ast.expr] | None:
    """The keyword values a template written in the code writes raw (`raw_templates`):
    `render_template_string("{{ sig|safe }}", sig=...)`, `env.from_string(SRC).render(...)`,
    `Template(SRC).render(...)`, a value inside `{% autoescape false %}`; the other values
    are autoescaped (or escaped by the template itself), and are not reported here."""
    source = _template_source(call, ctx)
    if not source:
        return None
    marked = {write.name for write in raw_in_text(source)}
    chosen = [k.value for k in call.keywords if k.arg in marked]
    return chosen or None


def _template_source(call: ast.Call, ctx: ModuleContext) -> str | None:
    func = call.func
    if not isinstance(func, ast.Attribute) or func.attr != "render":
        return _text_of(argument(call, 0, "source"), call, ctx)
    made: list[ast.expr] = [func.value]
    if isinstance(func.value, ast.Name):
        made = assigned_values(func.value.id, call, ctx)
    for node in made:
        if (
            isinstance(node, ast.Call)
            and last_name(node.func) in _TEMPLATE_MAKERS
            and node.args
            and (source := _text_of(node.args[0], call, ctx))
        ):
            return source
    return None


def _text_of(node: ast.expr | None, at: ast.AST, ctx: ModuleContext) -> str | None:
    """A constant str, or the one a local variable is assigned (`footer = "<p>…"`)."""
    value = ctx.constant_value(node) if node is not None else None
    if isinstance(value, str):
        return value
    if isinstance(node, ast.Name):
        texts = [ctx.constant_value(v) for v in assigned_values(node.id, at, ctx)]
        if texts and all(isinstance(t, str) and t == texts[0] for t in texts):
            return texts[0]  # type: ignore[return-value]
    return None


def html_response_class(fn: FunctionNode | None, ctx: ModuleContext) -> bool:
    """`@app.get("/", response_class=HTMLResponse)`: FastAPI sends the returned str as
    the HTML body."""
    if fn is None:
        return False
    for decorator in fn.decorator_list:
        if isinstance(decorator, ast.Call):
            cls = next((k.value for k in decorator.keywords if k.arg == "response_class"), None)
            name = ctx.resolve(cls) if cls is not None else None
            if name is not None and name.rsplit(".", 1)[-1] == "HTMLResponse":
                return True
    return False


def handler_body(
    call: ast.Call, default: list[ast.expr], tag_of: object, ctx: ModuleContext
) -> list[ast.expr] | None:
    """A response body (Flask's `make_response`/`Response`, WebOb's, Tornado's
    `self.write(chunk)`): HTML as `conditions.html_body` says, JSON text too where the call
    gives no content type (each of them defaults to text/html), unless the handler sets
    another content type (`resp.headers["Content-Type"] = "text/plain"`,
    `self.set_header("Content-Type", "application/json")`)."""
    from secreview.python.taint.conditions import html_body

    fn = ctx.enclosing(call, (ast.FunctionDef, ast.AsyncFunctionDef))
    if serves_other(fn, ctx):  # type: ignore[arg-type]
        return None
    chosen = html_body(call, default, tag_of)  # type: ignore[arg-type]
    if not any(k.arg in ("content_type", "mimetype", "headers") for k in call.keywords):
        built = [e for e in default if e not in (chosen or ()) and _html_helper_call(e, ctx)]
        chosen = [*(chosen or ()), *built] or None
    if len(call.args) > 1:  # a status, headers: the body's type is not read there
        return chosen
    return _with_json(call, default, chosen, tag_of, ctx)


def _html_helper_call(node: ast.expr, ctx: ModuleContext) -> bool:
    """`self.write(caption(x))`: a call of a function of this module (or a method of the
    handler's class) whose every return builds HTML from text written there
    (`return "<p>%s</p>" % text`), so its result is the page's HTML."""
    if not isinstance(node, ast.Call):
        return False
    fn = _local_function(node.func, node, ctx)
    if fn is None:
        return False
    returns = [
        r.value
        for r in walk(fn)
        if isinstance(r, ast.Return)
        and r.value is not None
        and ctx.enclosing(r, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) is fn
    ]
    return bool(returns) and all(builds_text(v) and _writes_markup(v) for v in returns)


def _local_function(func: ast.expr, call: ast.Call, ctx: ModuleContext) -> FunctionNode | None:
    """The module-level function a name calls, or the method `self.name` calls in the
    class around the call."""
    if isinstance(func, ast.Name):
        scope: list[ast.stmt] = ctx.tree.body  # type: ignore[attr-defined]
        name = func.id
    elif (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
    ):
        cls = ctx.enclosing(call, (ast.ClassDef,))
        if not isinstance(cls, ast.ClassDef):
            return None
        scope, name = cls.body, func.attr
    else:
        return None
    found = [s for s in scope if isinstance(s, FunctionNode) and s.name == name]
    return found[-1] if len(found) == 1 else None


def _writes_markup(node: ast.expr) -> bool:
    """Text with a tag written in it (`"<p>%s</p>"`): HTML, not a label or JSON."""
    return any(
        isinstance(n, ast.Constant) and isinstance(n.value, str) and "<" in n.value
        for n in walk(node)
    )


def html_headers(node: ast.expr, ctx: ModuleContext) -> bool:
    """A view's returned headers (`{"Content-Type": "text/csv"}`) leave its body HTML: a
    dict written there without another content type (Flask's default is text/html)."""
    if not isinstance(node, ast.Dict):
        return False
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None:
            return False  # `{**headers}`: not known
        if _names_content_type(key, ctx):
            given = ctx.constant_value(value)
            return isinstance(given, str) and "html" in given.lower()
    return True
