"""ssh-host-key-not-verified: SSH clients that accept whatever host key the server presents."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import module_class, producers
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import class_bases

_ACCEPTING_POLICIES = {
    "paramiko.AutoAddPolicy": "AutoAddPolicy trusts and stores any key of a host it has not seen",
    "paramiko.client.AutoAddPolicy": "AutoAddPolicy trusts and stores any key of a host it "
    "has not seen",
    "paramiko.WarningPolicy": "WarningPolicy logs a warning and connects anyway",
    "paramiko.client.WarningPolicy": "WarningPolicy logs a warning and connects anyway",
}
_POLICY_BASES = frozenset({"paramiko.MissingHostKeyPolicy", "paramiko.client.MissingHostKeyPolicy"})
_ASYNCSSH = frozenset(
    {
        "asyncssh.connect",
        "asyncssh.connect_reverse",
        "asyncssh.create_connection",
        "asyncssh.SSHClientConnectionOptions",
        "asyncssh.listen_reverse",
    }
)
_TRANSPORTS = frozenset({"paramiko.Transport", "paramiko.transport.Transport"})


@register
class SshHostKeyNotVerified(Rule):
    meta = RuleMeta(
        id="ssh-host-key-not-verified",
        cwe=295,
        severity="high",
        confidence="high",
        title="SSH host key not verified",
        why=(
            "The host key is how an SSH client knows it reached the real server; a client "
            "that accepts an unknown key lets anyone on the network path impersonate the "
            "server, capture the password or key passphrase it is sent and run commands as "
            "the user."
        ),
        example="client.set_missing_host_key_policy(paramiko.AutoAddPolicy())",
        fix=(
            "Load the expected keys (client.load_system_host_keys() or "
            "load_host_keys(path)) and keep paramiko's default RejectPolicy; with asyncssh "
            "pass known_hosts=<path or keys>; give Transport.connect() the expected hostkey=."
        ),
        fix_by_api=(
            FixText(
                ("asyncssh",),
                (
                    "Pass `known_hosts=` a known_hosts file or the expected keys to "
                    "`asyncssh.connect(...)`, never `None`."
                ),
            ),
            FixText(
                ("paramiko",),
                (
                    "Load the expected keys (`client.load_system_host_keys()` or "
                    "`load_host_keys(path)`) and keep paramiko's default `RejectPolicy`; give "
                    "`Transport.connect()` the expected `hostkey=`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/295.html",
            "https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.set_missing_host_key_policy",
            "https://asyncssh.readthedocs.io/en/latest/api.html#specifying-known-hosts",
        ),
    )
    calls = _ASYNCSSH
    nodes = (ast.Call,)
    methods = frozenset({"set_missing_host_key_policy", "connect"})
    # asyncssh's known_hosts=None, a host key policy, or paramiko's Transport.connect
    triggers = frozenset({"known_hosts", "set_missing_host_key_policy", "Transport"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        known_hosts = keyword(call, "known_hosts")
        if known_hosts is not None and ctx.constant_value(known_hosts) is None:
            yield Hit(
                call,
                f"{name.rsplit('.', 1)[-1]}(known_hosts=None) accepts any host key: anyone "
                "on the network path can impersonate the server and capture the login.",
            )

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute):
            return
        if func.attr == "set_missing_host_key_policy" and node.args:
            yield from _policy(node, node.args[0], ctx)
        elif (
            func.attr == "connect"
            and argument(node, 0, "hostkey") is None
            and not has_kwargs_splat(node)
            and producers(func.value, ctx) & _TRANSPORTS
        ):
            yield Hit(
                node,
                "Transport.connect() without hostkey= authenticates to whatever server "
                "answers, without checking its key: anyone on the network path can "
                "impersonate it and capture the credentials.",
                confidence="medium",
            )


def _policy(call: ast.Call, policy: ast.expr, ctx: ModuleContext) -> Iterable[Hit]:
    target = policy.func if isinstance(policy, ast.Call) else policy
    name = ctx.resolve(target)
    if name in _ACCEPTING_POLICIES:
        yield Hit(
            call,
            f"{_ACCEPTING_POLICIES[name]}: anyone on the network path can impersonate the "
            "server on the first (or any new) connection and capture the login.",
        )
        return
    cls = module_class(name, ctx)
    if cls is not None and class_bases(cls, ctx) & _POLICY_BASES and _accepts(cls):
        yield Hit(
            call,
            f"{cls.name}.missing_host_key() neither raises nor rejects, so unknown host keys "
            "are accepted: anyone on the network path can impersonate the server.",
            confidence="medium",
        )


def _accepts(cls: ast.ClassDef) -> bool:
    """missing_host_key() that never raises: it accepts every key it is asked about."""
    for statement in cls.body:
        if isinstance(statement, ast.FunctionDef) and statement.name == "missing_host_key":
            return not any(isinstance(n, ast.Raise) for n in ast.walk(statement))
    return False
