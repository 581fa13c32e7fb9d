"""hardcoded-tmp-path: files created or written at fixed names in world-writable directories."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import assigned_values, constant_string
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.tmp_paths import (
    PATH_TYPES,
    dir_only,
    flag_value,
    shared_path,
)

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


def _pathlib_value(node: ast.AST, ctx: ModuleContext) -> ast.AST | None:
    """The path expression when `node` is a pathlib.Path built from it (directly or once)."""
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        if len(values) != 1:
            return None
        node = values[0]
    if isinstance(node, ast.Call) and ctx.resolve(node.func) in PATH_TYPES:
        return node
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return node if dir_only(node.left, ctx) or _pathlib_value(node.left, ctx) else None
    return None
