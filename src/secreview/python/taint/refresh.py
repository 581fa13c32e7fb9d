"""Where text the server produces sends the browser on: the URL of a `Location` or
`Refresh` header, of a `<meta http-equiv="refresh" content="0;url=…">`, or of a script's
`location = …` / `location.replace(…)`; and, in a template of the tree a view renders,
the context variables placed there or in a link's `href` (`template_redirect_names`).

The open-redirect sinks other than the redirect calls are these places in text built
from parts (an f-string, `+`, `%` or `.format`): a part placed right where the URL starts
picks the site the browser goes to, whatever HTML escaping it went through (escaping keeps
`https://evil.example/` as it is). A part placed later (after `url=/search?q=`) cannot.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from secreview import lazyre
from secreview.python.context import ModuleContext
from secreview.python.taint.shapes import text_pieces
from secreview.rules.support.bindings import assigned_values, enclosing_function, scope_nodes

# text that ends where a URL the browser follows starts
_HTML_TARGET = lazyre.compile(
    r"""(?:
        http-equiv\s*=\s*["']?refresh["']?[^>]*?content\s*=\s*["']?\s*\d*\s*[;,]?\s*url\s*=\s*["']?
      | content\s*=\s*["']?\s*\d+\s*[;,]\s*url\s*=\s*["']?
      | (?<![\w-])location(?:\.href)?\s*=\s*["'`]?
      | (?<![\w-])location\.(?:replace|assign)\(\s*["'`]?
    )\Z""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# a Refresh header's value: `0; url=…`
_REFRESH_TARGET = lazyre.compile(r"^\s*\d*\s*[;,]?\s*url\s*=\s*[\"']?\Z", re.IGNORECASE)
_DEPTH = 3
_REDIRECT_CODES = frozenset({301, 302, 303, 307, 308, "301", "302", "303", "307", "308"})
_REDIRECT_NAMES = frozenset(
    {"MOVED_PERMANENTLY", "FOUND", "SEE_OTHER", "TEMPORARY_REDIRECT", "PERMANENT_REDIRECT"}
)


def sets_redirect_status(node: ast.AST, ctx: ModuleContext) -> bool:
    """Whether the function around `node` gives its response a redirect status (301, 302,
    303, 307, 308, as a number or an `HTTPStatus` name): a `Location` header sends the
    browser on only then; on a `201 Created` it names the new resource."""
    scope = enclosing_function(node, ctx) or ctx.tree
    for part in scope_nodes(scope):
        if isinstance(part, ast.Constant) and part.value in _REDIRECT_CODES:
            return True
        if isinstance(part, ast.Attribute) and part.attr in _REDIRECT_NAMES:
            return True
    return False


def html_targets(node: ast.expr, ctx: ModuleContext | None = None) -> list[ast.expr]:
    """The parts of HTML text `node` builds that start a URL the page sends the browser
    to (a meta refresh, a script's `location`); a variable is followed to the text
    assigned to it in the same function."""
    return _targets(node, _HTML_TARGET, ctx)


def refresh_targets(node: ast.expr, ctx: ModuleContext | None = None) -> list[ast.expr]:
    """The parts of a `Refresh` header's value that start its URL (`"0; url=" + x`)."""
    return _targets(node, _REFRESH_TARGET, ctx)


def _targets(node: ast.expr, tail: re.Pattern[str], ctx: ModuleContext | None) -> list[ast.expr]:
    found: list[ast.expr] = []
    for value in _texts(node, ctx, 0):
        pieces = text_pieces(value)
        if pieces is None:
            continue
        before = ""
        for piece in pieces:
            if isinstance(piece, str):
                before = (before + piece)[-400:]
            else:
                if tail.search(before):
                    found.append(piece)
                before += "\0"  # text of unknown content: what follows is not the start
    return found


def _texts(node: ast.expr, ctx: ModuleContext | None, depth: int) -> list[ast.expr]:
    """`node`, or the values assigned to the variable it is."""
    if isinstance(node, ast.Name) and ctx is not None and depth < _DEPTH:
        out: list[ast.expr] = []
        for value in assigned_values(node.id, node, ctx):
            if value is not node:
                out += _texts(value, ctx, depth + 1)
        return out
    return [node]


# --- templates the tree renders -------------------------------------------------------------
# a template expression placed where a URL the browser follows starts: a meta refresh, a
# script's `location`, a link's `href`; its first name is the context variable
_TEMPLATE_VARIABLE = lazyre.compile(r"\{\{-?\s*([A-Za-z_]\w*)")
_LINK = lazyre.compile(r"""\bhref\s*=\s*["']?\Z""", re.IGNORECASE)
_TEMPLATE_DIRS = ("templates", "template", "jinja2")
_UP = 3  # folders above the module's searched for a template folder
_MAX_TEMPLATE = 512 * 1024


def template_redirect_names(template: str, module_path: Path) -> frozenset[str]:
    """The context variables a template the tree holds places where a URL starts (a meta
    refresh, `location = …`, an `href`): the template found by its name in a template
    folder next to the module, above it, or in an application folder beside those (a
    Django app's `templates/`). Empty when no such template is found."""
    text = _template_text(template, module_path)
    if not text:
        return frozenset()
    found: set[str] = set()
    for match in _TEMPLATE_VARIABLE.finditer(text):
        before = text[max(0, match.start() - 400) : match.start()]
        if _HTML_TARGET.search(before) or _LINK.search(before):
            found.add(match.group(1))
    return frozenset(found)


def _template_text(template: str, module_path: Path) -> str:
    found = template_file(template, module_path)
    return read_template(found) if found is not None else ""


def template_file(template: str, module_path: Path) -> Path | None:
    """The file of the template named `template` that the module at `module_path` renders:
    in a template folder next to the module, above it, or in an application folder beside
    those (a Django app's `templates/`); None when the tree holds none."""
    if not template or ".." in template.split("/") or template.startswith("/"):
        return None
    return _find(template, module_path.parent)


@cache
def _find(template: str, folder: Path) -> Path | None:
    """Where the template a module in `folder` renders is (looked for once per process)."""
    for _ in range(_UP + 1):
        for base in (folder, *_subfolders(folder)):
            for name in _TEMPLATE_DIRS:
                candidate = base / name / template
                try:
                    if candidate.is_file():
                        return candidate
                except (OSError, ValueError):
                    return None
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


@cache
def _subfolders(folder: Path) -> tuple[Path, ...]:
    try:
        return tuple(
            sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        )
    except OSError:
        return ()


def read_template(path: Path) -> str:
    """The template's text ("" when there is none), read again when the file changes."""
    try:
        stat = path.stat()
    except (OSError, ValueError):  # no such file, or a name no file system takes
        return ""
    if not path.is_file() or stat.st_size > _MAX_TEMPLATE:
        return ""
    return _read_version(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_version(path: Path, mtime: int, size: int) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except (OSError, ValueError):
        return ""
