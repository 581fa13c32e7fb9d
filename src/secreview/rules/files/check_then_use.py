"""check-then-use: a file checked, or created, in one step and used, or restricted, in another
(issue 17, shape 8; CWE-367).

Two races, each within one function:

- a check on a path in a directory every local user can write to (`/tmp`, `/var/tmp`,
  `/dev/shm`, `tempfile.gettempdir()`): `os.path.exists`, `isfile`, `lexists`, `os.access`,
  `Path.exists()`, tested in an `if` or kept in a variable that is, then a step that writes
  through the path (`open` for writing, `os.open` without `O_EXCL`, `os.chmod`, `os.chown`,
  `shutil.copy` onto it, `Path.write_text`). Between the two another user can create the file
  or a symlink there, and the write goes where they chose. Reported at the check. A use that
  cannot follow a planted name (`open(p, 'x')`, `os.open(p, O_CREAT | O_EXCL, 0o600)`) or
  only reads is no race of this kind; neither is removing the path (`os.remove` removes a
  symlink, not what it points to);
- a file created with the default permissions (`open(p, 'w')`) and restricted afterwards
  (`os.chmod(p, 0o600)`, `os.fchmod(fh.fileno(), ...)`): until the restriction any local user
  may open it (the umask usually leaves it world-readable) and keep the descriptor. Reported
  at the creation, in any directory. `os.fchmod` on the open file is still that window: the
  right form gives the mode at creation, `os.open(p, flags, 0o600)`, or sets `os.umask` first.
  A chmod that opens the file up (`0o755` for a script) restricts nothing and is quiet.

`mktemp()` is `insecure-temp-file`; a predictable name in a shared directory written without
a check is `hardcoded-tmp-path`.
"""

from __future__ import annotations

import ast
import stat
from bisect import bisect_left
from collections.abc import Iterable, Iterator

from secreview.python.context import ModuleContext, argument
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import assigned_values, constant_string, scope_nodes
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.tmp_paths import flag_value, shared_path

_CHECKS = frozenset(
    {"os.path.exists", "os.path.isfile", "os.path.lexists", "os.path.isdir", "os.access"}
    | {"genericpath.exists", "genericpath.isfile", "posixpath.exists", "posixpath.isfile"}
)
_PATH_CHECKS = frozenset({"exists", "is_file"})  # Path(...).exists()
_OPENS = frozenset({"builtins.open", "io.open", "codecs.open"})
# call -> (position, keyword) of the path it writes through (following a symlink there)
_WRITES: dict[str, tuple[int, str]] = {
    "os.chmod": (0, "path"),
    "os.chown": (0, "path"),
    "shutil.copy": (1, "dst"),
    "shutil.copy2": (1, "dst"),
    "shutil.copyfile": (1, "dst"),
}
_PATH_WRITES = frozenset({"write_text", "write_bytes", "touch", "chmod"})
_WRITE_FLAGS = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@register
class CheckThenUse(Rule):
    meta = RuleMeta(
        id="check-then-use",
        cwe=367,
        severity="medium",
        confidence="medium",
        title="File checked (or created) in one step and used (or restricted) in another",
        why=(
            "What a check says about a path in a shared directory is stale by the time the "
            "program opens it: another local user can create the file or a symlink there in "
            "between, and the program writes into their file or through the link into one of "
            "its own. A file created and then chmod-ed is open to everyone until the chmod."
        ),
        example=(
            "if not os.path.exists('/tmp/app.lock'):\n"
            "    with open('/tmp/app.lock', 'w') as fh: ...\n"
            "with open(key_path, 'w') as fh:\n    fh.write(key)\nos.chmod(key_path, 0o600)"
        ),
        fix=(
            "Check and create in one step: os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, "
            "0o600) (or open(path, 'x')), which fails on a planted file or symlink; "
            "tempfile.mkstemp/NamedTemporaryFile/TemporaryDirectory for scratch files; give "
            "the mode at creation (os.open(path, flags, 0o600)) instead of a chmod after it."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/367.html",
            "https://docs.python.org/3/library/os.html#os.access",
            "https://docs.python.org/3/library/tempfile.html",
        ),
    )
    nodes = _FUNCTIONS
    triggers = frozenset({"exists", "isfile", "access", "is_file", "chmod"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, _FUNCTIONS)
        lines = _decisive_lines(ctx)
        at = bisect_left(lines, node.lineno)
        if at == len(lines) or lines[at] > (node.end_lineno or node.lineno):
            return  # no check and no chmod in the function: neither race can be in it
        calls = sorted(
            (n for n in scope_nodes(node) if isinstance(n, ast.Call)),
            key=lambda n: (n.lineno, n.col_offset),
        )
        uses = [(call, found) for call in calls if (found := _write(call, ctx)) is not None]
        yield from _checks_then_uses(node, calls, uses, ctx)
        yield from _created_then_restricted(calls, uses, ctx)


def _decisive_lines(ctx: ModuleContext) -> list[int]:
    """The lines of the module's calls that either race needs (a check, or a call that
    restricts a file's mode), sorted: a module names `exists` in many functions that
    call neither, and listing each function's calls cost a quarter of the pattern rules."""
    found = ctx.memo.get(_DECISIVE)
    if found is None:
        found = ctx.memo[_DECISIVE] = sorted(
            {call.lineno for call in ctx.nodes_of(_CALLS) if _decisive(call, ctx)}  # type: ignore[attr-defined, arg-type]
        )
    return found  # type: ignore[return-value]


def _decisive(call: ast.Call, ctx: ModuleContext) -> bool:
    """A check (`_checked`) or a call that restricts a file's mode (`_RESTRICTS`, a
    `.chmod`), the callee resolved once."""
    name = ctx.resolve(call.func)
    if (name in _CHECKS and call.args) or name in _RESTRICTS:
        return True
    func = call.func
    return isinstance(func, ast.Attribute) and (
        func.attr == "chmod" or (func.attr in _PATH_CHECKS and not call.args)
    )


_DECISIVE = ("check-then-use", "decisive-lines")
_CALLS = frozenset({ast.Call})
_RESTRICTS = frozenset({"os.chmod", "os.fchmod"})  # `_restricts`


def _key(node: ast.AST | None) -> str | None:
    return None if node is None else ast.unparse(node)


# --- checked, then used ------------------------------------------------------------------


def _checks_then_uses(
    function: ast.AST, calls: list[ast.Call], uses: list, ctx: ModuleContext
) -> Iterator[Hit]:
    for call in calls:
        path = _checked(call, ctx)
        if path is None or not _decides(call, function, ctx):
            continue
        key = _key(path)
        use = next(
            (u for u, (p, _, _) in uses if _key(p) == key and _after(u, call)),
            None,
        )
        if use is None:
            continue
        shared = shared_path(path, ctx)
        if shared is None:
            continue
        where = (
            f"the fixed name {shared[0]!r}"
            if shared[1]
            else f"a guessable name under {shared[0]!r}"
        )
        yield Hit(
            call,
            f"`{ast.unparse(call)}` checks {where}, in a directory every local user can "
            f"write to, and `{_short(use)}` (line {use.lineno}) writes through the path in a "
            "separate step: in between another user can create the file or a symlink there, "
            "and the write goes into their file or through the link. Create it in one step "
            "that fails on a planted name: os.open(path, os.O_CREAT | os.O_EXCL | "
            "os.O_WRONLY, 0o600), open(path, 'x'), or tempfile.mkstemp().",
        )


def _checked(call: ast.Call, ctx: ModuleContext) -> ast.expr | None:
    """The path a check call is about: `os.path.exists(p)`, `os.access(p, ...)`, `p.exists()`."""
    if ctx.resolve(call.func) in _CHECKS and call.args:
        return call.args[0]
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr in _PATH_CHECKS and not call.args:
        return func.value
    return None


def _decides(call: ast.Call, function: ast.AST, ctx: ModuleContext) -> bool:
    """The check's verdict is tested: in an `if`/`while` test, or kept in a name that is."""
    node: ast.AST = call
    parent = ctx.parent(node)
    while isinstance(parent, (ast.UnaryOp, ast.BoolOp, ast.Compare)):
        node, parent = parent, ctx.parent(parent)
    if isinstance(parent, (ast.If, ast.While, ast.IfExp)) and parent.test is node:
        return True
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, ast.Name):
            return any(
                isinstance(n, (ast.If, ast.While, ast.IfExp))
                and any(isinstance(m, ast.Name) and m.id == target.id for m in ast.walk(n.test))
                for n in scope_nodes(function)
            )
    return False


def _after(use: ast.AST, check: ast.AST) -> bool:
    return (use.lineno, use.col_offset) > (check.lineno, check.col_offset)


def _short(call: ast.Call) -> str:
    text = ast.unparse(call)
    return text if len(text) <= 60 else text[:57] + "..."


# --- what writes through a path ------------------------------------------------------------


def _write(call: ast.Call, ctx: ModuleContext) -> tuple[ast.expr, bool, ast.Call] | None:
    """(the path written through, whether the call creates the file with default
    permissions, the call) for a call that writes through a path and would follow a planted
    name there."""
    name = ctx.resolve(call.func)
    func = call.func
    if name in _OPENS:
        path, mode = argument(call, 0, "file"), argument(call, 1, "mode")
        text = constant_string(mode, ctx) if mode is not None else "r"
        if path is None or text is None or "x" in text or not any(c in text for c in "wa+"):
            return None
        return path, "w" in text or "a" in text, call
    if name == "os.open":
        path, flags = argument(call, 0, "path"), argument(call, 1, "flags")
        if path is None or flags is None or not _write_flags(flags, ctx):
            return None
        return path, argument(call, 2, "mode") is None, call
    if name in _WRITES:
        position, keyword = _WRITES[name]
        path = argument(call, position, keyword)
        return None if path is None else (path, False, call)
    if isinstance(func, ast.Attribute) and func.attr in _PATH_WRITES and name not in _WRITES:
        return func.value, func.attr != "chmod", call
    if isinstance(func, ast.Attribute) and func.attr == "open" and name not in _OPENS:
        mode = constant_string(argument(call, 0, "mode"), ctx)
        if mode is None or "x" in mode or not any(c in mode for c in "wa+"):
            return None
        return func.value, True, call
    return None


def _write_flags(flags: ast.AST, ctx: ModuleContext) -> bool:
    """Flags that write and lack O_EXCL, in the call or kept in a name bound once to them."""
    flags = flag_value(flags, ctx)
    names = {ctx.resolve(n) for n in ast.walk(flags) if isinstance(n, (ast.Attribute, ast.Name))}
    if "os.O_EXCL" in names:
        return False  # O_CREAT | O_EXCL refuses an existing name or symlink
    return any(n is not None and n.startswith("os.") and n[3:] in _WRITE_FLAGS for n in names)


# --- created, then restricted --------------------------------------------------------------


def _created_then_restricted(
    calls: list[ast.Call], uses: list, ctx: ModuleContext
) -> Iterator[Hit]:
    umask = [c for c in calls if ctx.resolve(c.func) == "os.umask"]
    for create, (path, creates, _) in uses:
        if not creates or any(_after(create, u) for u in umask):
            continue
        holder = _holder(create, ctx)
        for later in calls:
            if not _after(later, create):
                continue
            restrict = _restricts(later, _key(path), holder, ctx)
            if restrict is None:
                continue
            yield Hit(
                create,
                f"`{_short(create)}` creates the file with the default permissions (the umask "
                f"usually leaves it readable by every local user) and `{_short(later)}` (line "
                f"{later.lineno}) restricts it to {restrict} only afterwards: in between any "
                "local user can open it and keep the descriptor. Give the mode at creation: "
                "os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600) and os.fdopen(), "
                "or set os.umask(0o077) before creating it.",
            )
            break


def _holder(call: ast.Call, ctx: ModuleContext) -> str | None:
    """The name the opened file is bound to: `with open(...) as fh`, `fh = open(...)`."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars.id
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def _restricts(
    call: ast.Call, key: str | None, holder: str | None, ctx: ModuleContext
) -> str | None:
    """The mode (as written) when `call` takes permissions away from other users on the
    file: `os.chmod(path, 0o600)`, `os.fchmod(fh.fileno(), ...)`, `path.chmod(0o600)`."""
    name = ctx.resolve(call.func)
    func = call.func
    if name == "os.chmod":
        target, mode = argument(call, 0, "path"), argument(call, 1, "mode")
        if _key(target) != key:
            return None
    elif name == "os.fchmod":
        target, mode = argument(call, 0, "fd"), argument(call, 1, "mode")
        if holder is None or not any(
            isinstance(n, ast.Name) and n.id == holder for n in ast.walk(target or call)
        ):
            return None
    elif isinstance(func, ast.Attribute) and func.attr == "chmod" and name != "os.chmod":
        if _key(func.value) != key:
            return None
        mode = argument(call, 0, "mode")
    else:
        return None
    value = _mode(mode, ctx)
    if value is None or value & 0o007:
        return None  # unknown, or others keep access: nothing is taken away from them
    return oct(value)


def _mode(node: ast.AST | None, ctx: ModuleContext, depth: int = 0) -> int | None:
    """An int permission mode: a number, `stat.S_I*` names and `|` of them."""
    if node is None or depth > 4:
        return None
    value = ctx.constant_value(node)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _mode(node.left, ctx, depth + 1), _mode(node.right, ctx, depth + 1)
        return None if left is None or right is None else left | right
    name = ctx.resolve(node) or ""
    if name.startswith("stat.S_I") and isinstance(getattr(stat, name[5:], None), int):
        return int(getattr(stat, name[5:]))
    if isinstance(node, ast.Name):
        values = assigned_values(node.id, node, ctx)
        return _mode(values[0], ctx, depth + 1) if len(values) == 1 else None
    return None
