"""ssl-wrap-socket-without-context: the removed `ssl.wrap_socket`, which checks no certificate."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, has_kwargs_splat
from secreview.rules import RuleMeta
from secreview.rules.support.pattern import Hit, Rule, register

_WRAP = frozenset({"ssl.wrap_socket", "eventlet.green.ssl.wrap_socket"})
_REQUIRED = frozenset({"ssl.CERT_REQUIRED", "ssl.VerifyMode.CERT_REQUIRED"})


@register
class SslWrapSocketWithoutContext(Rule):
    meta = RuleMeta(
        id="ssl-wrap-socket-without-context",
        cwe=295,
        severity="high",
        confidence="high",
        title="ssl.wrap_socket without an SSLContext",
        why=(
            "ssl.wrap_socket() (deprecated since 3.7, removed in 3.12) defaults to "
            "cert_reqs=CERT_NONE, never checks the host name and sends no SNI: any "
            "certificate is accepted, so anyone on the network path can impersonate the "
            "server. Even with CERT_REQUIRED any valid certificate for any host passes."
        ),
        example="sock = ssl.wrap_socket(socket.create_connection((host, 443)))",
        fix=(
            "ctx = ssl.create_default_context(cafile=...); "
            "ctx.wrap_socket(sock, server_hostname=host) — it verifies the certificate and "
            "the host name. Servers: ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER) with "
            "load_cert_chain()."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/295.html",
            "https://docs.python.org/3.11/library/ssl.html#ssl.wrap_socket",
        ),
    )
    calls = _WRAP

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if ctx.constant_value(argument(call, 3, "server_side")) is True:
            return  # the server side: host name checks and CERT_NONE concern its clients
        cert_reqs = argument(call, 4, "cert_reqs")
        if cert_reqs is None and (
            has_kwargs_splat(call) or any(isinstance(a, ast.Starred) for a in call.args)
        ):
            return  # the options come in *args/**kwargs; we cannot tell
        if cert_reqs is not None and ctx.resolve(cert_reqs) in _REQUIRED:
            yield Hit(
                call,
                f"{name}() checks the certificate chain but never the host name: a valid "
                "certificate issued for any other host is accepted. It is also removed in "
                "Python 3.12.",
                severity="medium",
            )
            return
        yield Hit(
            call,
            f"{name}() without cert_reqs=CERT_REQUIRED accepts any certificate for any host "
            "(no verification, no host name check): anyone on the path can impersonate the "
            "server.",
            confidence="high" if cert_reqs is None else "medium",
        )
