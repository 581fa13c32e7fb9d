"""permissive-file-permissions: chmod to a mode that lets every local user write."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import constant_string
from secreview.rules.support.modes import (
    STICKY,
    WORLD_WRITE,
    mode_bits,
    octal,
    octal_text,
    symbolic_adds_world_write,
)
from secreview.rules.support.pattern import Hit, Rule, register

# chmod-like calls: (position, keyword) of the mode. The umask does not filter these.
_CHMODS: dict[str, tuple[int, str]] = {
    "os.chmod": (1, "mode"),
    "os.lchmod": (1, "mode"),
    "os.fchmod": (1, "mode"),
    "pathlib.Path.chmod": (0, "mode"),
    "pathlib.Path.lchmod": (0, "mode"),
}
# Programs run with an argument vector: `chmod 777 path`, `chmod -R a+w dir`.
_RUNNERS = frozenset(
    {
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.Popen",
        "oslo_concurrency.processutils.execute",
        "oslo_concurrency.processutils.trycmd",
    }
)


@register
class PermissiveFilePermissions(Rule):
    meta = RuleMeta(
        id="permissive-file-permissions",
        cwe=732,
        severity="high",
        confidence="high",
        title="File or directory made writable by every local user",
        why=(
            "A world-writable file can be changed by any account on the host: a script or "
            "config the service later runs or reads becomes code or settings of the "
            "attacker's choosing, and a world-writable directory lets them replace its files."
        ),
        example="os.chmod(script_path, 0o777)\nsubprocess.run(['chmod', '-R', 'a+w', data_dir])",
        fix=(
            "Grant only what the owner (and group) need: 0o755 for programs and directories, "
            "0o644 or 0o600 for data and secrets; share with a group (0o775/0o664 and chgrp) "
            "rather than with everyone. Modes given when creating (os.makedirs(d, 0o777), "
            "os.open(..., 0o666)) are filtered by the umask and are not reported."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/732.html",
            "https://docs.python.org/3/library/os.html#os.chmod",
        ),
    )
    calls = frozenset(_CHMODS) | _RUNNERS
    nodes = (ast.Call,)
    methods = frozenset({"chmod", "lchmod"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _CHMODS:
            position, kw = _CHMODS[name]
            yield from _check_mode(call, argument(call, position, kw), name, ctx)
        else:
            yield from _check_chmod_command(call, name, ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`.chmod(mode)` on a Path whose type is not visible, `sftp.chmod(path, mode)`."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in ("chmod", "lchmod"):
            return
        if ctx.resolve(func) in self.calls:
            return  # check_call handles it
        if len(node.args) == 1:
            mode = node.args[0]
        elif len(node.args) == 2:
            mode = node.args[1]
        else:
            mode = keyword(node, "mode")
        yield from _check_mode(node, mode, f".{func.attr}", ctx)


def _check_mode(
    call: ast.Call, mode: ast.AST | None, name: str, ctx: ModuleContext
) -> Iterable[Hit]:
    bits = mode_bits(mode, ctx)
    if bits is None or not bits.value & WORLD_WRITE or bits.value & STICKY:
        return  # unknown, not world-writable, or a sticky shared directory like /tmp
    shown = octal(bits.value) if bits.exact else f"a mode including {octal(bits.value)}"
    yield Hit(
        call,
        f"{name}() sets {shown}: every local user can modify this file or directory, so "
        "anyone on the host can change what the service later reads or runs.",
    )


def _check_chmod_command(call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
    """`chmod 777 path` run as a program, by argument vector or processutils' *args."""
    if name.startswith("subprocess."):
        command = argument(call, 0, "args")
        if not isinstance(command, (ast.List, ast.Tuple)):
            return
        words = command.elts
    else:
        words = list(call.args)
    texts = [constant_string(w, ctx) for w in words]
    if texts and texts[0] in ("sudo", "/usr/bin/sudo"):
        texts = texts[1:]
    if not texts or texts[0] not in ("chmod", "/bin/chmod", "/usr/bin/chmod"):
        return
    for text in texts[1:]:
        if text is None or text.startswith("-"):
            continue
        bits = octal_text(text)
        if bits is not None:
            if bits.value & WORLD_WRITE and not bits.value & STICKY:
                yield Hit(
                    call,
                    f"chmod {text} makes the target writable by every local user; anyone on "
                    "the host can change what the service later reads or runs.",
                )
            return
        if symbolic_adds_world_write(text):
            yield Hit(
                call,
                f"chmod {text} grants write permission to every local user; anyone on the "
                "host can change what the service later reads or runs.",
            )
        return
