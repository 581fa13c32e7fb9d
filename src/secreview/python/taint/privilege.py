"""Whether a module is a tool that runs with more privilege than the user who starts it.

The command line (`sys.argv`, `argparse`) and `input()` are the user's own text. A tool the
user runs as themselves gains them nothing they could not do already: `open(sys.argv[1])`
opens what the user may open anyway. The same text is an attack where the tool runs with
more privilege than its user: a setuid helper, a tool started through `sudo`, a rootwrap or
privsep entry point, a daemon that runs as root and drops to another user. The engine
follows command-line data as attacker data only in a module that shows one of these signs:

- it changes its identity (`os.setuid`, `os.seteuid`, `os.setresuid`, `os.setgid`,
  `os.initgroups`, `os.setgroups`, `os.chroot`);
- it refuses to run unless it is root (`if os.geteuid() != 0: sys.exit(...)`, `assert
  os.geteuid() == 0`: a tool meant for `sudo`; a test that only adapts, `if os.geteuid() ==
  0: chown(...)`, is no sign), or tests that it runs as a setuid program
  (`os.getuid() != os.geteuid()`);
- it reads what `sudo` or `pkexec` tells the program it runs for (`SUDO_USER`, `SUDO_UID`,
  `SUDO_COMMAND`, `PKEXEC_UID`);
- it is an oslo.rootwrap or oslo.privsep entry point (imports `oslo_rootwrap`, or
  `oslo_privsep.daemon`'s helper).

What a user names on a command line of theirs is theirs in the same way: an archive a
`click` or `typer` command opens by the path it is given (a backup to restore) holds the
member names its user put there (`command_line_entry`).
"""

from __future__ import annotations

import ast

from secreview.python.context import ModuleContext

_IDENTITY_CALLS = frozenset(
    f"os.{name}"
    for name in (
        "setuid",
        "seteuid",
        "setreuid",
        "setresuid",
        "setgid",
        "setegid",
        "setregid",
        "setresgid",
        "initgroups",
        "setgroups",
        "chroot",
    )
)
_UID_CALLS = frozenset({"os.getuid", "os.geteuid", "os.getresuid"})
_DELEGATION_VARIABLES = frozenset(
    {"SUDO_USER", "SUDO_UID", "SUDO_GID", "SUDO_COMMAND", "PKEXEC_UID"}
)
_ENTRY_POINT_MODULES = ("oslo_rootwrap", "oslo_privsep.daemon", "oslo_privsep.priv_context")
_KINDS = frozenset({ast.Call, ast.Compare, ast.Constant})
_EXITS = frozenset({"sys.exit", "builtins.exit", "builtins.quit", "os._exit"})


def privileged_tool(ctx: ModuleContext) -> str | None:
    """The sign that the module runs with more privilege than its user (the code that
    shows it), or None: see the module docstring."""
    key = "privileged-tool"
    if key in ctx.memo:
        return ctx.memo[key]  # type: ignore[return-value]
    found = _sign(ctx)
    ctx.memo[key] = found
    return found


def _sign(ctx: ModuleContext) -> str | None:
    for name in _ENTRY_POINT_MODULES:
        if ctx.symbols.imports(name):
            return f"imports {name}"
    for node in ctx.nodes_of(_KINDS):
        if isinstance(node, ast.Call):
            if ctx.resolve(node.func) in _IDENTITY_CALLS:
                return ast.unparse(node)[:80]
        elif isinstance(node, ast.Compare):
            if _uid_test(ctx, node) and (_setuid_test(ctx, node) or _required(ctx, node)):
                return ast.unparse(node)[:80]
        elif isinstance(node, ast.Constant) and node.value in _DELEGATION_VARIABLES:
            return f"reads {node.value}"
    return None


def _setuid_test(ctx: ModuleContext, node: ast.Compare) -> bool:
    """`os.getuid() != os.geteuid()`: two identities compared."""
    return (
        sum(
            isinstance(o, ast.Call) and ctx.resolve(o.func) in _UID_CALLS
            for o in (node.left, *node.comparators)
        )
        == 2
    )


def _required(ctx: ModuleContext, node: ast.Compare) -> bool:
    """The test ends the program (or raises) on one of its branches, or is asserted."""
    parent = ctx.parent(node)
    while isinstance(parent, (ast.BoolOp, ast.UnaryOp)):
        parent = ctx.parent(parent)
    if isinstance(parent, ast.Assert):
        return True
    if not isinstance(parent, ast.If):
        return False
    for branch in (parent.body, parent.orelse):
        for statement in branch:
            if isinstance(statement, ast.Raise):
                return True
            call = statement.value if isinstance(statement, ast.Expr) else None
            if isinstance(call, ast.Call) and ctx.resolve(call.func) in _EXITS:
                return True
    return False


def _uid_test(ctx: ModuleContext, node: ast.Compare) -> bool:
    """`os.geteuid() == 0`, `os.getuid() != os.geteuid()`: a test of who runs the tool."""
    operands = [node.left, *node.comparators]
    uids = [o for o in operands if isinstance(o, ast.Call) and ctx.resolve(o.func) in _UID_CALLS]
    if not uids or not all(
        isinstance(op, (ast.Eq, ast.NotEq, ast.Is, ast.IsNot)) for op in node.ops
    ):
        return False
    return len(uids) == 2 or any(isinstance(o, ast.Constant) and o.value == 0 for o in operands)


_CLI_PACKAGES = ("click", "typer", "flask.cli")
_CLI_DECORATORS = frozenset({"command", "argument", "option", "group"})


def command_line_entry(ctx: ModuleContext, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A `click`/`typer` command (`@click.command()`, `@cli.command("restore")`,
    `@click.argument("path")`): its parameters are what its user typed."""
    if not any(ctx.symbols.imports(name) for name in _CLI_PACKAGES):
        return False
    for decorator in fn.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        qualified = ctx.resolve(target) or ""
        if qualified.startswith(tuple(f"{p}." for p in _CLI_PACKAGES)):
            return True
        if isinstance(target, ast.Attribute) and target.attr in _CLI_DECORATORS:
            return True
    return False
