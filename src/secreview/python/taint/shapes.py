"""What an expression looks like, as the taint analysis asks it: pure checks on syntax
(a %-format, a URL with a fixed host, a call that aborts), no data flow."""

from __future__ import annotations

import ast
import re
import string

from secreview import lazyre
from secreview.python.taint.summary import EMPTY, TVal

NOTE_WIDTH = 70  # the longest code text a trace note shows


def short(node: ast.AST, lines: list[str] | None = None) -> str:
    """The node as one short line of code for a trace note: cut from the source when its
    lines are given (cheap), else `ast.unparse` (canonical, but costly on every hop)."""
    text = _source_text(node, lines) if lines is not None else dotted(node)
    if text is None:
        try:
            text = ast.unparse(node)
        except (ValueError, RecursionError):  # pragma: no cover - exotic nodes
            return type(node).__name__
    text = " ".join(text.split())
    return text if len(text) <= NOTE_WIDTH else text[: NOTE_WIDTH - 1] + "…"


def dotted(node: ast.AST) -> str | None:
    """`ast.unparse` of a name or an attribute chain on one (`self.store.get`), cheaply;
    None for anything else. Most of what the type tags ask `short` without the source's
    lines is one, asked on every hop of the data flow."""
    parts: list[str] = []
    while node.__class__ is ast.Attribute:
        parts.append(node.attr)  # type: ignore[attr-defined]
        node = node.value  # type: ignore[attr-defined]
    if node.__class__ is not ast.Name:
        return None
    parts.append(node.id)  # type: ignore[attr-defined]
    return ".".join(reversed(parts))


_OPEN_SPACE = lazyre.compile(r"([(\[{]) ")
_SPACE_CLOSE = lazyre.compile(r",? ([)\]}])")


def _source_text(node: ast.AST, lines: list[str]) -> str | None:
    first, last = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    start, end = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if first is None or last is None or start is None or end is None or last > len(lines):
        return None
    if first == last:
        line = lines[first - 1]
        if line.isascii():
            return line[start:end]
        return line.encode()[start:end].decode("utf-8", "replace")
    # several lines, joined; comments or continuations between them would read as code
    parts = [lines[first - 1].encode()[start:].decode("utf-8", "replace")]
    parts += lines[first : last - 1]
    parts.append(lines[last - 1].encode()[:end].decode("utf-8", "replace"))
    text = " ".join(" ".join(parts).split())
    if "#" in text or "\\" in text or '"""' in text or "'''" in text:
        return None
    return _SPACE_CLOSE.sub(r"\1", _OPEN_SPACE.sub(r"\1", text))


def str_key(node: ast.expr | None) -> str | None:
    """The text of a string constant used as a dict key, else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def is_abort(value: ast.expr) -> bool:
    """`abort(403)`, `sys.exit()`, `pecan.abort()`: calls that never return."""
    if isinstance(value, ast.Call):
        func = value.func
        name = (
            func.attr
            if isinstance(func, ast.Attribute)
            else func.id
            if isinstance(func, ast.Name)
            else ""
        )
        return name in ("abort", "exit", "_exit", "fail", "raise_error", "HttpResponseForbidden")
    return False


def builds_text(node: ast.AST) -> bool:
    """An expression that builds a str from parts (not a dict/JSON/template render)."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _is_str_constant(node.left) or builds_text(node.left) or _is_str_constant(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join") and _is_str_constant(node.func.value)
    return False


def _is_str_constant(node: ast.AST) -> bool:
    return (isinstance(node, ast.Constant) and isinstance(node.value, str)) or isinstance(
        node, ast.JoinedStr
    )


def numeric_format(spec: ast.expr) -> bool:
    """f"{x:d}" / f"{x:.2f}" format numbers: a str payload would raise, not inject."""
    if (
        isinstance(spec, ast.JoinedStr)
        and len(spec.values) == 1
        and isinstance(spec.values[0], ast.Constant)
    ):
        text = str(spec.values[0].value)
        return bool(text) and text[-1] in "dfegxXobn%"
    return False


# `scheme://host/`, or a path-absolute reference `/x` (same origin: a browser cannot read a
# host out of it); `%`/`{}` are format placeholders (`"https://%s/"`, `"/{}"`), not text
FIXED_HOST = lazyre.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\\s%{}]+[/?#]|/[^/\\\s%{}])")


def is_format(node: ast.BinOp) -> bool:
    """`"...%s..." % args` with a literal format string."""
    return (
        isinstance(node.op, ast.Mod)
        and isinstance(node.left, ast.Constant)
        and isinstance(node.left.value, str)
        and not isinstance(node.right, ast.Dict)
    )


_PLACEHOLDER = lazyre.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")


def format_template(node: ast.AST) -> str | None:
    """The template of `"…{}…".format(...)` written in the code, else None."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return node.func.value.value
    return None


def format_literals(text: str, count: int) -> list[str | None]:
    """A %-format string as a sequence of literal texts and (None) the places of its
    `count` arguments; a format this cannot split counts as one unknown argument."""
    out: list[str | None] = []
    start = used = 0
    for match in _PLACEHOLDER.finditer(text):
        if match.group() == "%%":
            continue
        out += [text[start : match.start()], None]
        start = match.end()
        used += 1
    out.append(text[start:])
    return out if used == count else [None]


def query_only(literals: list[str | None], parts: list[TVal]) -> bool:
    """Whether the first piece carrying data comes after a literal `?` or `#`: it can
    only be part of the query or fragment, never of the scheme or host. `literals` are
    the pieces in order, None where an argument goes; `parts` the arguments' data."""
    values = iter(parts)
    marked = False
    for literal in literals:
        if literal is not None:
            marked = marked or "?" in literal or "#" in literal
        elif next(values, EMPTY):
            return marked
    return False


def has_query_mark(node: ast.expr) -> bool:
    """A literal `?` or `#` in a concatenation or f-string (`base + "?next="`)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and ("?" in node.value or "#" in node.value)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return has_query_mark(node.left) or has_query_mark(node.right)
    if isinstance(node, ast.JoinedStr):
        return any(has_query_mark(v) for v in node.values)
    return False


def fixes_host(node: ast.expr, constants: dict[str, ast.expr], depth: int = 0) -> bool:
    """A URL prefix with scheme and host (`"https://api.example.com/"`, or a module constant
    `API_BASE` holding one, or constants joined up to the slash: `API_HOST + "/" + path`,
    `f"{API_HOST}/{path}"`): what follows it is a path or query; it cannot change which
    server a request goes to or a redirect leaves to."""
    return bool(FIXED_HOST.match(constant_prefix(node, constants, depth)[0]))


def constant_prefix(
    node: ast.expr, constants: dict[str, ast.expr], depth: int = 0
) -> tuple[str, bool]:
    """The text a string expression starts with, as far as literals and module constants
    tell, and whether that is the whole of it."""
    if depth > 8:
        return "", False
    if isinstance(node, ast.Name) and node.id in constants:
        return constant_prefix(constants[node.id], constants, depth + 1)
    if isinstance(node, ast.Constant):
        return (node.value, True) if isinstance(node.value, str) else ("", False)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        parts: list[ast.expr] = [node.left, node.right]
    elif isinstance(node, ast.JoinedStr):
        parts = [
            v.value
            if isinstance(v, ast.FormattedValue) and v.conversion == -1 and v.format_spec is None
            else v
            for v in node.values
        ]
    else:
        return "", False
    text = ""
    for part in parts:
        if isinstance(part, ast.FormattedValue):
            return text, False
        more, complete = constant_prefix(part, constants, depth + 1)
        text += more
        if not complete:
            return text, False
    return text, True


def parsed_from(node: ast.AST) -> tuple[str, bool] | None:
    """`f(x).attr` or `f(x)`: the variable a value was parsed out of, and whether the value
    is already the part (`.hostname`) rather than the parsed whole."""
    part = isinstance(node, ast.Attribute)
    if isinstance(node, ast.Attribute):
        node = node.value
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Name):
        return node.args[0].id, part
    return None


# calls whose result determines their argument up to case, spaces or normalisation: a
# check of the result is a check of the argument (`x.lower() in ALLOWED`, `realpath(p)`)
_SEE_THROUGH_FUNCTIONS = frozenset(
    {"realpath", "abspath", "normpath", "normcase", "str", "int", "float", "resolve", "Path"}
)
_SEE_THROUGH_METHODS = frozenset(
    {"lower", "upper", "casefold", "strip", "lstrip", "rstrip", "title", "resolve", "absolute"}
)


def guarded_name(node: ast.expr | None) -> str | None:
    """The variable a check is about: `x`, `self.x`, or the variable inside `realpath(x)`,
    `str(x)` or `x.lower()` (not inside any other call: `len(x) == 5` proves nothing of
    the characters of x)."""
    while isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _SEE_THROUGH_METHODS and not node.args:
            node = func.value
            continue
        last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if last in _SEE_THROUGH_FUNCTIONS and node.args:
            node = node.args[0]
            continue
        return None
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def looks_constant(node: ast.expr) -> bool:
    """An allow-list: an UPPER_CASE name/attribute or a literal container."""
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.Attribute):
        return node.attr.isupper() or node.attr.startswith(("allowed", "ALLOWED"))
    return isinstance(node, (ast.Set, ast.List, ast.Tuple, ast.Dict))


def is_environ(node: ast.expr) -> bool:
    """A WSGI environ: `environ`, `request.environ`, Django's `request.META` (the same
    dict), whose keys other than the client's (`HTTP_*`, `QUERY_STRING`...) the server or
    a middleware set (`SERVER_NAME`, `CSRF_COOKIE`)."""
    if isinstance(node, ast.Name):
        return node.id == "environ"
    return isinstance(node, ast.Attribute) and node.attr in ("environ", "META")


Piece = str | ast.expr  # literal text, or an expression whose text goes there


def text_pieces(node: ast.expr) -> list[Piece] | None:
    """Text built from parts (an f-string, `+`, `%`, `.format` of a template written in the
    code), in order: literal text, and the expressions whose text goes between; None for an
    expression that builds no text."""
    if isinstance(node, ast.Constant):
        return [node.value] if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return [
            v.value
            for v in node.values
            if isinstance(v, ast.FormattedValue)
            or (isinstance(v, ast.Constant) and isinstance(v.value, str))
        ]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = text_pieces(node.left), text_pieces(node.right)
        if left is None and right is None:
            return None
        return [*(left or [node.left]), *(right or [node.right])]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        if not (isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):
            return None
        items = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
        literals = format_literals(node.left.value, len(items))
        if literals == [None]:
            return None
        args = iter(items)
        return [piece if piece is not None else next(args) for piece in literals]
    template = format_template(node)
    if template is not None:
        return _format_pieces(template, node)  # type: ignore[arg-type]
    return None


def _format_pieces(text: str, call: ast.Call) -> list[Piece] | None:
    keywords = {kw.arg: kw.value for kw in call.keywords if kw.arg}
    out: list[Piece] = []
    auto = 0
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    for literal, field, _spec, _conversion in parsed:
        out.append(literal)
        if field is None:
            continue
        name = re.split(r"[.\[]", field, maxsplit=1)[0]
        if name == "":
            index: int | str = auto
            auto += 1
        else:
            index = int(name) if name.isdigit() else name
        if isinstance(index, int):
            arg = call.args[index] if index < len(call.args) else None
        else:
            arg = keywords.get(index)
        if arg is None or isinstance(arg, ast.Starred):
            out.append("\0")
        else:
            out.append(arg)
    return out
