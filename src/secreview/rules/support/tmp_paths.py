"""Names in the directories every local user may write to (/tmp, /var/tmp, /dev/shm, the
directory `tempfile.gettempdir()` returns): what hardcoded-tmp-path reports and check-then-use
asks about a path, and the `os.open` flags a name holds."""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext
from secreview.rules.support.bindings import assigned_values, constant_string

# Directories every local user may create entries in; the last stands for the directory
# `tempfile.gettempdir()` returns (/tmp unless $TMPDIR says otherwise).
TEMPDIR = "tempfile.gettempdir()"

SHARED_DIRS = ("/tmp/", "/var/tmp/", "/dev/shm/", f"{TEMPDIR}/")

GETTEMPDIR = frozenset({"tempfile.gettempdir", "tempfile.gettempdirb"})

# Calls whose result is hard to guess: a name built with them is not predictable.
_RANDOM_PREFIXES = ("uuid.", "secrets.", "random.", "os.urandom", "tempfile.", "binascii.")

PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath"})


def shared_path(
    node: ast.AST | None, ctx: ModuleContext, depth: int = 0
) -> tuple[str, bool] | None:
    """(text, fully fixed) when `node` names an entry below /tmp, /var/tmp or /dev/shm."""
    if node is None or depth > 3:
        return None
    text = constant_string(node, ctx)
    if text is not None:
        return (text, True) if _below_shared(text) else None
    if isinstance(node, ast.JoinedStr) and node.values:
        head = node.values[0]
        if isinstance(head, ast.Constant) and _below_shared(str(head.value), partial=True):
            return _partial(str(head.value), node, ctx)
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod, ast.Div)):
        left = shared_path(node.left, ctx, depth + 1) or dir_only(node.left, ctx)
        if left is None:
            return None
        if isinstance(node.op, ast.Div):  # Path("/tmp") / "name"
            right = constant_string(node.right, ctx)
            if right is not None:
                return (f"{left[0].rstrip('/')}/{right}", left[1])
        return _partial(left[0], node.right, ctx)
    if isinstance(node, ast.Call):
        func = node.func
        name = ctx.resolve(func)
        if isinstance(func, ast.Attribute) and func.attr == "format":
            head = constant_string(func.value, ctx)
            if head is not None and _below_shared(head, partial=True):
                return _partial(head.split("{", 1)[0], node, ctx)
            return None
        if name in ("os.path.join", "posixpath.join", *PATH_TYPES) and node.args:
            first = constant_string(node.args[0], ctx) or _tempdir(node.args[0], ctx)
            if first is None or not _below_shared(first.rstrip("/") + "/", partial=True):
                return None
            rest = [constant_string(a, ctx) for a in node.args[1:]]
            if not rest:
                return (first, True) if _below_shared(first) else None
            if all(r is not None for r in rest):
                return ("/".join([first.rstrip("/"), *rest]), True)  # type: ignore[list-item]
            return _partial(first, node, ctx)
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) == 1:
            return shared_path(values[0], ctx, depth + 1)
    return None


def _tempdir(node: ast.AST, ctx: ModuleContext, depth: int = 0) -> str | None:
    """`tempfile.gettempdir()`, or a name bound once to it."""
    if isinstance(node, ast.Name) and depth < 3:
        values = assigned_values(node.id, node, ctx)
        return _tempdir(values[0], ctx, depth + 1) if len(values) == 1 else None
    if isinstance(node, ast.Call) and ctx.resolve(node.func) in GETTEMPDIR:
        return TEMPDIR
    return None


def dir_only(node: ast.AST, ctx: ModuleContext) -> tuple[str, bool] | None:
    """`"/tmp"` or `Path("/tmp")` on the left of a `/` or `+`: the directory itself.
    `Path(tempfile.gettempdir())` (or of a name bound to it) is that directory too: the
    usual way to build a pathlib path in the temp directory."""
    text = constant_string(node, ctx) or _tempdir(node, ctx)
    call = isinstance(node, ast.Call) and ctx.resolve(node.func) in PATH_TYPES
    if text is None and call and len(node.args) == 1:
        text = constant_string(node.args[0], ctx) or _tempdir(node.args[0], ctx)
    if text is not None and _below_shared(text.rstrip("/") + "/", partial=True):
        return (text, True)
    return None


def _partial(prefix: str, dynamic: ast.AST, ctx: ModuleContext) -> tuple[str, bool] | None:
    """A name with run-time parts: predictable unless a random source feeds it."""
    for node in ast.walk(dynamic):
        if isinstance(node, ast.Call):
            name = ctx.resolve(node.func) or ""
            if name.startswith(_RANDOM_PREFIXES) or name.endswith(("mkdtemp", "mkstemp")):
                return None
    return (prefix, False)


def _below_shared(path: str, partial: bool = False) -> bool:
    """An entry inside a shared directory (not the directory itself)."""
    for directory in SHARED_DIRS:
        if path.startswith(directory) and (partial or len(path) > len(directory)):
            return True
    return False


def flag_value(flags: ast.AST, ctx: ModuleContext) -> ast.AST:
    """The flags expression a local name holds when it is bound once, else `flags` itself."""
    if isinstance(flags, ast.Name):
        values = assigned_values(flags.id, flags, ctx)
        if len(values) == 1 and values[0] is not flags:
            return values[0]
    return flags
