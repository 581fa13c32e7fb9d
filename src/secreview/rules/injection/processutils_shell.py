"""processutils-shell: oslo.concurrency commands run by a shell, or as root with untrusted
arguments.

One rule, two forms: this pattern form reports `processutils.execute(..., shell=True)`
whose script is built at run time; the taint form (sinks in `taint/specs/openstack.py`)
reports request data in the arguments of a command run with `run_as_root=True`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, keyword
from secreview.rules import RuleMeta, register_meta
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.shell_quoting import shell_quoted

_EXECUTES = frozenset(
    {"oslo_concurrency.processutils.execute", "oslo_concurrency.processutils.trycmd"}
)

META = register_meta(
    RuleMeta(
        id="processutils-shell",
        cwe=78,
        severity="high",
        confidence="medium",
        title="oslo.concurrency command run through a shell or as root with untrusted arguments",
        why=(
            "processutils.execute(..., shell=True) hands its first argument to /bin/sh, so a "
            "value spliced into it adds commands; with run_as_root=True (rootwrap, sudo) every "
            "argument reaches a program running as root, where an attacker's option or path "
            "('--output=/etc/shadow', '../../') acts with root's rights."
        ),
        example=(
            "processutils.execute('tar cf %s %s' % (dest, path), shell=True)\n"
            "processutils.execute('mount', '-o', request_opts, dev, mnt, run_as_root=True)"
        ),
        fix=(
            "Pass the program and each argument separately without shell=True; validate "
            "values that reach root commands against a strict pattern, put '--' before "
            "positional arguments, and prefer a narrow oslo.privsep entry point over "
            "run_as_root."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/78.html",
            "https://docs.openstack.org/oslo.concurrency/latest/reference/processutils.html",
        ),
        kind="taint",
    )
)


@register
class ProcessutilsShell(Rule):
    meta = META
    calls = _EXECUTES

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        shell = ctx.constant_value(keyword(call, "shell"))
        if shell is NotImplemented or not shell or not call.args:
            return  # no shell, or decided at run time
        script = call.args[0]
        if isinstance(script, ast.Starred):
            yield Hit(
                call,
                f"{name.rsplit('.', 1)[-1]}(*cmd, shell=True) hands a command line assembled "
                "elsewhere to /bin/sh; any value spliced into it can add commands.",
                confidence="low",
            )
            return
        if ctx.is_constant(script) or shell_quoted(script, ctx):
            return
        yield Hit(
            call,
            f"{name.rsplit('.', 1)[-1]}(..., shell=True) hands a command line built at run time "
            "to /bin/sh; a value in it containing ; | $( ) or backticks runs extra commands.",
        )
