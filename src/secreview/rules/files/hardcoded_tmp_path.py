"""hardcoded-tmp-path: files created or written at fixed names in world-writable directories."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import assigned_values, constant_string
from secreview.rules.support.pattern import Hit, Rule, register

# Directories every local user may create entries in; the last stands for the directory
# `tempfile.gettempdir()` returns (/tmp unless $TMPDIR says otherwise).
_TEMPDIR = "tempfile.gettempdir()"
_SHARED_DIRS = ("/tmp/", "/var/tmp/", "/dev/shm/", f"{_TEMPDIR}/")
_GETTEMPDIR = frozenset({"tempfile.gettempdir", "tempfile.gettempdirb"})
# Calls whose result is hard to guess: a name built with them is not predictable.
_RANDOM_PREFIXES = ("uuid.", "secrets.", "random.", "os.urandom", "tempfile.", "binascii.")

# call -> (position, keyword) of the path it creates, writes or changes through symlinks
_WRITES: dict[str, tuple[int, str]] = {
    "os.mkdir": (0, "path"),
    "os.makedirs": (0, "name"),
    "os.mkfifo": (0, "path"),
    "os.mknod": (0, "path"),
    "os.chmod": (0, "path"),
    "os.chown": (0, "path"),
    "os.symlink": (1, "dst"),
    "os.link": (1, "dst"),
    "os.rename": (1, "dst"),
    "os.replace": (1, "dst"),
    "shutil.copy": (1, "dst"),
    "shutil.copy2": (1, "dst"),
    "shutil.copyfile": (1, "dst"),
    "shutil.copytree": (1, "dst"),
    "shutil.move": (1, "dst"),
    "sqlite3.connect": (0, "database"),
    "logging.FileHandler": (0, "filename"),
    "logging.handlers.RotatingFileHandler": (0, "filename"),
    "logging.handlers.TimedRotatingFileHandler": (0, "filename"),
    "logging.handlers.WatchedFileHandler": (0, "filename"),
}
# call -> (path position, path keyword, mode position, mode keyword): writes only in some modes
_OPENS: dict[str, tuple[int, str, int, str]] = {
    "builtins.open": (0, "file", 1, "mode"),
    "io.open": (0, "file", 1, "mode"),
    "codecs.open": (0, "filename", 1, "mode"),
    "tarfile.open": (0, "name", 1, "mode"),
    "zipfile.ZipFile": (0, "file", 1, "mode"),
    "shelve.open": (0, "filename", 1, "flag"),
}
_PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PosixPath", "pathlib.PurePath"})
_PATH_WRITES = frozenset({"write_text", "write_bytes", "touch", "mkdir", "symlink_to", "chmod"})
_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"})


@register
class HardcodedTmpPath(Rule):
    meta = RuleMeta(
        id="hardcoded-tmp-path",
        cwe=377,
        severity="medium",
        confidence="high",
        title="Predictable file name in a shared temporary directory",
        why=(
            "Any local user can create entries in /tmp, /var/tmp and /dev/shm. A fixed name "
            "there can be taken first: a symlink makes the program overwrite or chmod a file "
            "of the attacker's choosing with its own privileges, and a file or directory made "
            "in advance lets them read or feed what the program writes."
        ),
        example="with open('/tmp/app-cache.json', 'w') as fh:\n    json.dump(state, fh)",
        fix=(
            "Let tempfile pick an unguessable name and create it atomically "
            "(tempfile.NamedTemporaryFile, mkstemp, mkdtemp/TemporaryDirectory), or keep state "
            "in a directory only the service can write (its state dir, $XDG_RUNTIME_DIR)."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/377.html",
            "https://docs.python.org/3/library/tempfile.html",
        ),
    )
    calls = frozenset(_WRITES) | frozenset(_OPENS) | {"os.open", "logging.basicConfig"}
    nodes = (ast.Call,)
    methods = _PATH_WRITES | {"open", "bind"}
    # a report needs one string that starts with a shared directory (or is it: "/tmp")
    triggers = frozenset({"/tmp", "/dev/shm", "gettempdir"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _WRITES:
            position, kw = _WRITES[name]
            path = argument(call, position, kw)
            how = f"{name}()"
        elif name in _OPENS:
            position, kw, mode_position, mode_kw = _OPENS[name]
            path = argument(call, position, kw)
            mode = argument(call, mode_position, mode_kw)
            if not _writes(mode, ctx, name):
                return  # reading a file is not what this rule is about
            how = f"{name}(..., {ast.unparse(mode)})" if mode is not None else f"{name}()"
        elif name == "os.open":
            path = argument(call, 0, "path")
            flags = argument(call, 1, "flags")
            if flags is None or not _write_flags(flags, ctx):
                return
            how = "os.open(..., O_CREAT/O_WRONLY)"
        else:  # logging.basicConfig(filename=...)
            path = keyword(call, "filename")
            how = "logging.basicConfig(filename=...)"
        yield from _report(call, path, how, ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`Path("/tmp/x").write_text(...)` and a unix socket bound to a /tmp name."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr in _PATH_WRITES or func.attr == "open":
            if func.attr == "open" and not _writes(argument(node, 0, "mode"), ctx, "open"):
                return
            path = _pathlib_value(func.value, ctx)
            if path is not None:
                yield from _report(node, path, f"Path(...).{func.attr}()", ctx)
        elif func.attr == "bind" and len(node.args) == 1:
            yield from _report(node, node.args[0], ".bind() of a unix socket", ctx)


def _report(call: ast.Call, path: ast.expr | None, how: str, ctx: ModuleContext) -> Iterable[Hit]:
    verdict = shared_path(path, ctx)
    if verdict is None:
        return
    text, fixed = verdict
    if fixed:
        yield Hit(
            call,
            f"{how} uses the fixed name {text!r} in a world-writable directory; another "
            "local user can create it or a symlink there first and redirect the write.",
        )
    else:
        yield Hit(
            call,
            f"{how} uses a name under {text!r} built from guessable parts; another local "
            "user can predict it and plant a file or symlink there first.",
            confidence="medium",
        )


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
        left = shared_path(node.left, ctx, depth + 1) or _dir_only(node.left, ctx)
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
        if name in ("os.path.join", "posixpath.join", *_PATH_TYPES) and node.args:
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
    if isinstance(node, ast.Call) and ctx.resolve(node.func) in _GETTEMPDIR:
        return _TEMPDIR
    return None


def _dir_only(node: ast.AST, ctx: ModuleContext) -> tuple[str, bool] | None:
    """`"/tmp"` or `Path("/tmp")` on the left of a `/` or `+`: the directory itself.
    `Path(tempfile.gettempdir())` (or of a name bound to it) is that directory too: the
    usual way to build a pathlib path in the temp directory."""
    text = constant_string(node, ctx) or _tempdir(node, ctx)
    call = isinstance(node, ast.Call) and ctx.resolve(node.func) in _PATH_TYPES
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
    for directory in _SHARED_DIRS:
        if path.startswith(directory) and (partial or len(path) > len(directory)):
            return True
    return False


def _writes(mode: ast.AST | None, ctx: ModuleContext, api: str) -> bool:
    if mode is None:
        return False  # default "r"
    value = constant_string(mode, ctx)
    if value is None:
        return False  # decided at run time: do not guess
    if api == "shelve.open":
        return value in ("c", "n", "w")
    return any(ch in value for ch in "wax+")


def _write_flags(flags: ast.AST, ctx: ModuleContext) -> bool:
    """`os.open` flags that write (and lack O_EXCL), written in the call or kept in a name
    bound once to them (`flags = os.O_WRONLY | os.O_CREAT`, then `os.open(p, flags)`)."""
    flags = flag_value(flags, ctx)
    names = {ctx.resolve(n) for n in ast.walk(flags) if isinstance(n, (ast.Attribute, ast.Name))}
    if "os.O_EXCL" in names:
        return False  # O_CREAT|O_EXCL refuses an existing name or symlink
    return any(n is not None and n.startswith("os.") and n[3:] in _WRITE_FLAGS for n in names)


def flag_value(flags: ast.AST, ctx: ModuleContext) -> ast.AST:
    """The flags expression a local name holds when it is bound once, else `flags` itself."""
    if isinstance(flags, ast.Name):
        values = assigned_values(flags.id, flags, ctx)
        if len(values) == 1 and values[0] is not flags:
            return values[0]
    return flags


def _pathlib_value(node: ast.AST, ctx: ModuleContext) -> ast.AST | None:
    """The path expression when `node` is a pathlib.Path built from it (directly or once)."""
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) != 1:
            return None
        node = values[0]
    if isinstance(node, ast.Call) and ctx.resolve(node.func) in _PATH_TYPES:
        return node
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return node if _dir_only(node.left, ctx) or _pathlib_value(node.left, ctx) else None
    return None
