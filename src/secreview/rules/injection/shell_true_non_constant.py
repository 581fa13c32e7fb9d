"""shell-true-non-constant: a command line built at run time and handed to a shell."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.commands import shell_script
from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.shell_quoting import shell_quoted

# subprocess functions that use a shell only when shell= is truthy: name -> (position, keyword)
_SHELL_OPTIONAL: dict[str, tuple[int, str]] = {
    f"subprocess.{f}": (0, "args") for f in ("call", "run", "Popen", "check_call", "check_output")
}
# Functions that always run their command through /bin/sh (or cmd.exe).
_ALWAYS_SHELL: dict[str, tuple[int, str]] = {
    "subprocess.getoutput": (0, "cmd"),
    "subprocess.getstatusoutput": (0, "cmd"),
    "commands.getoutput": (0, "cmd"),
    "commands.getstatusoutput": (0, "cmd"),
    "os.system": (0, "command"),
    "os.popen": (0, "cmd"),
    "asyncio.create_subprocess_shell": (0, "cmd"),
    "asyncio.subprocess.create_subprocess_shell": (0, "cmd"),
}


@register
class ShellTrueNonConstant(Rule):
    meta = RuleMeta(
        id="shell-true-non-constant",
        cwe=78,
        severity="high",
        confidence="medium",
        title="Shell command built from a non-constant value",
        why=(
            "The shell parses the whole string, so a value containing ; | $( ) or backticks "
            "adds commands of its author's choosing; the process runs them with the "
            "service's privileges."
        ),
        example=(
            'subprocess.run(f"ping -c 1 {host}", shell=True)\nos.system("rm " + path)\n'
            'subprocess.run(["sh", "-c", "tar xf " + path])'
        ),
        fix=(
            "Pass an argument list without a shell: subprocess.run(['ping', '-c', '1', host]) "
            "(add '--' before user values that could start with '-'); if a shell is truly "
            "needed, quote every inserted value with shlex.quote()."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/78.html",
            "https://docs.python.org/3/library/subprocess.html#security-considerations",
        ),
    )
    calls = frozenset(_SHELL_OPTIONAL) | frozenset(_ALWAYS_SHELL)

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """Flag a shell run of a command whose text is not fixed in the source."""
        if name in _SHELL_OPTIONAL:
            shell = keyword(call, "shell")
            position, kw = _SHELL_OPTIONAL[name]
            if shell is None or not _truthy_constant(shell, ctx):
                vector = argument(call, position, kw)
                if isinstance(vector, (ast.List, ast.Tuple)):
                    yield from self._shell_c(call, name, vector.elts, ctx)
                return
            how = f"{name}(..., shell=True)"
        else:
            position, kw = _ALWAYS_SHELL[name]
            how = f"{name}()"
        command = argument(call, position, kw)
        if command is None or ctx.is_constant(command) or shell_quoted(command, ctx):
            return
        yield Hit(
            call,
            f"{how} hands a command line assembled at run time to the shell; a value in it "
            "containing ; | $( ) or backticks runs extra commands of its author's choosing.",
            unless_constant=ctx.constant_unless(command) or (),
        )

    def _shell_c(
        self, call: ast.Call, name: str, vector: list[ast.expr], ctx: ModuleContext
    ) -> Iterable[Hit]:
        """`["sh", "-c", script]`: the script is a command line, as with shell=True."""
        for script in shell_script(vector):
            if not ctx.is_constant(script) and not shell_quoted(script, ctx):
                yield Hit(
                    call,
                    f"{name}([shell, '-c', …]) hands a command line assembled at run time to "
                    "the shell; a value in it containing ; | $( ) or backticks runs extra "
                    "commands of its author's choosing.",
                    unless_constant=ctx.constant_unless(script) or (),
                )


def _truthy_constant(node: ast.AST, ctx: ModuleContext) -> bool:
    value = ctx.constant_value(node)
    return value is not NotImplemented and bool(value)
