"""insecure-tls-version: SSLv2/SSLv3/TLS 1.0/TLS 1.1 chosen, allowed or re-enabled."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register

_OLD = ("SSLv2", "SSLv3", "TLSv1", "TLSv1_1")
_LABEL = {"SSLv2": "SSLv2", "SSLv3": "SSLv3", "TLSv1": "TLS 1.0", "TLSv1_1": "TLS 1.1"}
# Constants that pin a connection to an old protocol (stdlib ssl and pyOpenSSL).
_PROTOCOLS = {f"ssl.PROTOCOL_{v}": _LABEL[v] for v in _OLD} | {
    f"ssl._SSLMethod.PROTOCOL_{v}": _LABEL[v] for v in _OLD
}
_PYOPENSSL_METHODS = {
    "OpenSSL.SSL.SSLv2_METHOD": "SSLv2",
    "OpenSSL.SSL.SSLv3_METHOD": "SSLv3",
    "OpenSSL.SSL.TLSv1_METHOD": "TLS 1.0",
    "OpenSSL.SSL.TLSv1_1_METHOD": "TLS 1.1",
}
_PYOPENSSL_VERSIONS = {
    "OpenSSL.SSL.SSL3_VERSION": "SSLv3",
    "OpenSSL.SSL.TLS1_VERSION": "TLS 1.0",
    "OpenSSL.SSL.TLS1_1_VERSION": "TLS 1.1",
}
# `TLSVersion` members as a context's minimum (MINIMUM_SUPPORTED is whatever OpenSSL allows).
_VERSIONS = {f"ssl.TLSVersion.{v}": _LABEL[v] for v in _OLD if v != "SSLv2"} | {
    "ssl.TLSVersion.MINIMUM_SUPPORTED": "the oldest version OpenSSL supports"
}
# `options &= ~ssl.OP_NO_TLSv1` re-enables what the default context turned off.
_OP_NO = {f"ssl.OP_NO_{v}": v for v in _OLD} | {f"ssl.Options.OP_NO_{v}": v for v in _OLD}

# The last names of every constant above: a cheap test before resolving a name.
_LAST_NAMES = frozenset(
    n.rsplit(".", 1)[1]
    for table in (_PROTOCOLS, _PYOPENSSL_METHODS, _PYOPENSSL_VERSIONS, _VERSIONS)
    for n in table
)


@register
class InsecureTlsVersion(Rule):
    meta = RuleMeta(
        id="insecure-tls-version",
        cwe=327,
        severity="high",
        confidence="high",
        title="Obsolete SSL/TLS protocol version",
        why=(
            "SSLv2 and SSLv3 are broken (DROWN, POODLE) and TLS 1.0/1.1 are deprecated by RFC "
            "8996 (BEAST, weak MD5/SHA-1 handshakes). A connection that uses or accepts them "
            "can be downgraded and decrypted by an attacker on the network path."
        ),
        example=(
            "ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n"
            "ctx.minimum_version = ssl.TLSVersion.TLSv1\n"
            "ctx.options &= ~ssl.OP_NO_SSLv3\nSSL.Context(SSL.SSLv3_METHOD)"
        ),
        fix=(
            "Use ssl.create_default_context() (or ssl.PROTOCOL_TLS_CLIENT / "
            "PROTOCOL_TLS_SERVER) and set ctx.minimum_version = ssl.TLSVersion.TLSv1_2; with "
            "pyOpenSSL use SSL.TLS_METHOD and set_min_proto_version(SSL.TLS1_2_VERSION)."
        ),
        fix_by_api=(
            FixText(
                ("OpenSSL",),
                (
                    "Use `SSL.Context(SSL.TLS_METHOD)` (pyOpenSSL) and "
                    "`ctx.set_min_proto_version(SSL.TLS1_2_VERSION)`."
                ),
            ),
            FixText(
                ("ssl",),
                (
                    "Use `ssl.create_default_context()` (or `ssl.PROTOCOL_TLS_CLIENT` / "
                    "`PROTOCOL_TLS_SERVER`) and set `ctx.minimum_version = "
                    "ssl.TLSVersion.TLSv1_2`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/327.html",
            "https://www.rfc-editor.org/rfc/rfc8996",
            "https://docs.python.org/3/library/ssl.html#protocol-versions",
        ),
    )
    nodes = (ast.Attribute, ast.Name, ast.UnaryOp)
    # a part of the last name of every constant above (and of the OP_NO_* options)
    triggers = frozenset({"SSLv2", "SSLv3", "TLSv1", "SSL3_VERSION", "TLS1_", "MINIMUM_SUPPORTED"})

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if isinstance(node, ast.UnaryOp):
            yield from self._reenabled(node, ctx)
            return
        assert isinstance(node, (ast.Attribute, ast.Name))
        last = (
            node.attr
            if isinstance(node, ast.Attribute)
            else (ctx.symbols.alias(node.id, getattr(node, "lineno", 0)) or node.id).rsplit(".", 1)[
                -1
            ]
        )
        if last not in _LAST_NAMES:
            return
        if not isinstance(node.ctx, ast.Load) or isinstance(ctx.parent(node), ast.Attribute):
            return  # a store, or the middle of a longer chain (`ssl.TLSVersion` of `.TLSv1`)
        name = ctx.resolve(node)
        if name is None:
            return
        if name in _PROTOCOLS or name in _PYOPENSSL_METHODS:
            label = _PROTOCOLS.get(name) or _PYOPENSSL_METHODS[name]
            if not _is_lookup(node, ctx):
                yield Hit(
                    node,
                    f"{name.rsplit('.', 1)[1]} limits the connection to {label}, which is "
                    "broken or deprecated (RFC 8996); an attacker on the path can decrypt or "
                    "tamper with it.",
                )
        elif name in _VERSIONS or name in _PYOPENSSL_VERSIONS:
            label = _VERSIONS.get(name) or _PYOPENSSL_VERSIONS[name]
            if _sets_minimum(node, ctx):
                yield Hit(
                    node,
                    f"The minimum protocol version is {label}: peers (and attackers who "
                    "downgrade the handshake) may use a broken or deprecated protocol.",
                    confidence="medium" if "MINIMUM_SUPPORTED" in name else None,
                )

    def _reenabled(self, node: ast.UnaryOp, ctx: ModuleContext) -> Iterable[Hit]:
        """`~ssl.OP_NO_SSLv3` masked into the options: the old protocol is allowed again."""
        if not isinstance(node.op, ast.Invert):
            return
        version = _OP_NO.get(ctx.resolve(node.operand) or "")
        if version is None:
            return
        parent = ctx.parent(node)
        if (isinstance(parent, ast.AugAssign) and isinstance(parent.op, ast.BitAnd)) or (
            isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.BitAnd)
        ):
            yield Hit(
                node,
                f"Clearing OP_NO_{version} re-enables {_LABEL[version]}, which the default "
                "context turns off because it is broken or deprecated.",
            )


def _is_lookup(node: ast.AST, ctx: ModuleContext) -> bool:
    """Reading or listing the constant is not choosing it: comparisons, dict keys, and
    tables of the choices configuration picks from (`{"tlsv1": ssl.PROTOCOL_TLSv1, ...}`)."""
    parent = ctx.parent(node)
    container = parent
    while isinstance(container, (ast.Tuple, ast.List, ast.Set)):
        container = ctx.parent(container)
    if isinstance(container, ast.Compare):
        return True
    if isinstance(parent, ast.Dict):
        return any(k is node for k in parent.keys) or len(parent.values) > 1
    return isinstance(parent, ast.Call) and ctx.resolve(parent.func) == "builtins.getattr"


def _sets_minimum(node: ast.AST, ctx: ModuleContext) -> bool:
    """`ctx.minimum_version = V`, `set_min_proto_version(V)`, `SSLContext(minimum_version=V)`"""
    parent = ctx.parent(node)
    if isinstance(parent, ast.Assign):
        return any(
            isinstance(t, ast.Attribute) and t.attr == "minimum_version" for t in parent.targets
        )
    if isinstance(parent, ast.keyword):
        return parent.arg in ("minimum_version", "min_version", "ssl_minimum_version")
    if isinstance(parent, ast.Call) and node in parent.args:
        func = parent.func
        return isinstance(func, ast.Attribute) and func.attr == "set_min_proto_version"
    return False
