"""partial-executable-path: programs found through the working directory.

A bare program name (`["git", ...]`) is looked up in PATH, which the deployment controls;
reporting every one (Bandit's B607) buries the few that matter. What a reviewer flags is a
program whose location depends on the current directory: a relative path with a directory
part (`./run.sh`, `bin/tool`), or a bare name run with a PATH that has a relative or empty
entry (which means "the current directory").
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import constant_string
from secreview.rules.support.pattern import Hit, Rule, register

_SUBPROCESS = frozenset(
    f"subprocess.{f}" for f in ("run", "call", "check_call", "check_output", "Popen")
)
# call -> position of the program (or of the command line for shells)
_PROGRAM_AT: dict[str, int] = {
    **{f"os.{f}": 0 for f in ("execv", "execve", "execl", "execle", "execvp", "execvpe")},
    **{f"os.{f}": 0 for f in ("execlp", "execlpe", "posix_spawn", "posix_spawnp")},
    **{f"os.{f}": 1 for f in ("spawnv", "spawnve", "spawnl", "spawnle")},
    **{f"os.{f}": 1 for f in ("spawnvp", "spawnvpe", "spawnlp", "spawnlpe")},
    "asyncio.create_subprocess_exec": 0,
    "oslo_concurrency.processutils.execute": 0,
    "oslo_concurrency.processutils.trycmd": 0,
}
_SHELL_LINES = frozenset({"os.system", "os.popen", "subprocess.getoutput"})
_SHELL_LINES |= {"subprocess.getstatusoutput", "asyncio.create_subprocess_shell"}


@register
class PartialExecutablePath(Rule):
    meta = RuleMeta(
        id="partial-executable-path",
        cwe=426,
        severity="low",
        confidence="high",
        title="Program located through the current directory",
        why=(
            "A relative program path (./tool, bin/tool) or a PATH with a relative or empty "
            "entry makes the process run whatever file of that name sits in the current "
            "directory, which is often a checkout, an upload or a temporary directory that "
            "others can write to; they then run code as this process."
        ),
        example=(
            "subprocess.run(['./scripts/rotate.sh', name])\n"
            "subprocess.run(['tar', 'xf', f], env={'PATH': '.:/usr/bin'})"
        ),
        fix=(
            "Run programs by absolute path (built from a configured directory or "
            "os.path.dirname(__file__)), or give a PATH of absolute directories only."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/426.html",
            "https://docs.python.org/3/library/subprocess.html#popen-constructor",
        ),
    )
    calls = _SUBPROCESS | frozenset(_PROGRAM_AT) | _SHELL_LINES

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        program = _program(call, name, ctx)
        if program is None:
            return
        if "/" in program and not program.startswith(("/", "~", "$")):
            yield Hit(
                call,
                f"'{program}' is a relative path: the program run is whichever file has that "
                "name under the current directory at the time.",
            )
            return
        bad_entry = _relative_path_entry(call, ctx)
        if bad_entry is not None and "/" not in program:
            shown = bad_entry or "an empty entry"
            yield Hit(
                call,
                f"'{program}' is looked up in a PATH that contains {shown!s}, which is "
                "searched relative to the current directory.",
                severity="medium",
            )


def _program(call: ast.Call, name: str, ctx: ModuleContext) -> str | None:
    if name in _SUBPROCESS:
        executable = constant_string(keyword(call, "executable"), ctx)
        if executable:
            return executable
        command = argument(call, 0, "args")
        shell = ctx.constant_value(keyword(call, "shell"))
        if isinstance(command, (ast.List, ast.Tuple)) and command.elts:
            return constant_string(command.elts[0], ctx)
        text = constant_string(command, ctx)
        if text is None:
            return None
        return _first_word(text) if shell not in (None, False, NotImplemented) else text
    if name in _SHELL_LINES:
        text = constant_string(argument(call, 0, "cmd"), ctx)
        return _first_word(text) if text else None
    return constant_string(argument(call, _PROGRAM_AT[name]), ctx)


def _first_word(text: str) -> str | None:
    parts = text.split()
    return parts[0] if parts else None


def _relative_path_entry(call: ast.Call, ctx: ModuleContext) -> str | None:
    """The first relative ("bin") or empty ("") entry of a PATH given in env=, else None."""
    env = keyword(call, "env")
    value: ast.AST | None = None
    if isinstance(env, ast.Dict):
        for key, item in zip(env.keys, env.values, strict=True):
            if key is not None and ctx.constant_value(key) == "PATH":
                value = item
    elif isinstance(env, ast.Call) and ctx.resolve(env.func) == "builtins.dict":
        value = keyword(env, "PATH")
    text = constant_string(value, ctx)
    if text is None:
        return None
    for entry in text.split(":"):
        if not entry.startswith("/"):
            return entry
    return None
