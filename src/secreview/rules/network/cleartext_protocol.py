"""cleartext-protocol: credentials over FTP, Telnet, SMTP/IMAP/POP3/LDAP without TLS, or HTTP."""

from __future__ import annotations

import ast
from collections.abc import Iterable
from urllib.parse import urlsplit

from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import (
    assigned_values,
    constant_string,
    enclosing_function,
    producers,
    scope_nodes,
)
from secreview.rules.support.pattern import Hit, Rule, register

_FTP = frozenset({"ftplib.FTP"})
_TELNET = frozenset({"telnetlib.Telnet", "telnetlib3.Telnet"})
# client class -> (methods that send credentials, method that upgrades the connection to TLS)
_UPGRADABLE: dict[str, tuple[frozenset[str], str]] = {
    "smtplib.SMTP": (frozenset({"login", "auth"}), "starttls"),
    "smtplib.LMTP": (frozenset({"login", "auth"}), "starttls"),
    "imaplib.IMAP4": (frozenset({"login", "login_cram_md5"}), "starttls"),
    "poplib.POP3": (frozenset({"user", "pass_", "apop", "rpop"}), "stls"),
    "ldap.initialize": (
        frozenset({"simple_bind_s", "simple_bind", "bind_s", "bind"}),
        "start_tls_s",
    ),
}
_CREDENTIAL_METHODS = frozenset({"login"}).union(*(m for m, _ in _UPGRADABLE.values()))
_ANONYMOUS = frozenset({"", "anonymous", "ftp"})
_HTTP_CLIENTS = frozenset(
    {f"requests.{v}" for v in ("get", "post", "put", "patch", "delete", "head", "request")}
    | {f"httpx.{v}" for v in ("get", "post", "put", "patch", "delete", "head", "request")}
)
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_AUTH_HEADERS = frozenset({"authorization", "x-api-key", "x-auth-token"})


@register
class CleartextProtocol(Rule):
    meta = RuleMeta(
        id="cleartext-protocol",
        cwe=319,
        severity="medium",
        confidence="high",
        title="Credentials sent over a cleartext protocol",
        why=(
            "FTP, Telnet, and SMTP/IMAP/POP3/LDAP without STARTTLS send the user name and "
            "password as readable bytes; anyone who can watch the network path (shared "
            "Wi-Fi, a compromised router, a mirror port) collects them, and can alter the "
            "session too."
        ),
        example=(
            "ftp = ftplib.FTP(host, user, password)\n"
            "smtp = smtplib.SMTP(host)\nsmtp.login(user, password)"
        ),
        fix=(
            "Use the TLS variant: ftplib.FTP_TLS (then prot_p()) or SFTP, SSH instead of "
            "Telnet, smtplib.SMTP_SSL or SMTP.starttls() before login, IMAP4_SSL, POP3_SSL, "
            "ldaps:// or start_tls_s(), https:// URLs for HTTP authentication."
        ),
        fix_by_api=(
            FixText(
                ("ftplib",),
                "Use `ftplib.FTP_TLS` (login, then `prot_p()` to protect the data channel), "
                "or SFTP.",
            ),
            FixText(
                ("smtplib",),
                (
                    "Use `smtplib.SMTP_SSL(host, 465)`, or call `starttls()` before `login()` on "
                    "`smtplib.SMTP`."
                ),
            ),
            FixText(
                ("imaplib",),
                "Use `imaplib.IMAP4_SSL(host)`, or call `starttls()` before `login()`.",
            ),
            FixText(
                ("poplib",),
                "Use `poplib.POP3_SSL(host)`, or call `stls()` before `user()`/`pass_()`.",
            ),
            FixText(
                ("telnetlib", "telnetlib3"),
                "Use SSH instead of Telnet.",
            ),
            FixText(
                ("ldap",),
                ("Connect to an `ldaps://` URI, or call `start_tls_s()` before `simple_bind_s()`."),
            ),
            FixText(
                ("requests", "httpx", "urllib3", "urllib", "aiohttp"),
                "Send credentials only to `https://` URLs.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/319.html",
            "https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS",
            "https://docs.python.org/3/library/smtplib.html#smtplib.SMTP.starttls",
        ),
    )
    calls = _FTP | _TELNET | _HTTP_CLIENTS
    nodes = (ast.Call,)
    methods = _CREDENTIAL_METHODS

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        if name in _FTP:
            user = argument(call, 1, "user")
            if user is not None and constant_string(user, ctx) not in _ANONYMOUS:
                yield Hit(
                    call,
                    "ftplib.FTP() logs in over plain FTP: the user name and password cross the "
                    "network readable by anyone on the path. Use FTP_TLS or SFTP.",
                )
        elif name in _TELNET:
            if argument(call, 0, "host") is not None:
                yield Hit(
                    call,
                    "Telnet sends everything, the login included, as cleartext: anyone on "
                    "the network path reads the password and can take over the session. "
                    "Use SSH.",
                    confidence="medium",
                )
        elif name in _HTTP_CLIENTS:
            yield from _http_credentials(call, name, ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """`.login()` and friends on FTP/SMTP/IMAP/POP3/LDAP objects, without TLS first."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _CREDENTIAL_METHODS:
            return  # checked first: most calls are not logins, and `producers` is not free
        made = producers(func.value, ctx)
        if not made:
            return
        if func.attr == "login" and made & _FTP:
            user = argument(node, 0, "user")
            if user is not None and constant_string(user, ctx) not in _ANONYMOUS:
                yield Hit(
                    node,
                    "FTP.login() over plain FTP sends the password as cleartext. Use "
                    "ftplib.FTP_TLS or SFTP.",
                )
            return
        for client in sorted(made & _UPGRADABLE.keys()):
            methods, upgrade = _UPGRADABLE[client]
            if func.attr not in methods:
                continue
            if client == "ldap.initialize" and not _plain_ldap(func.value, ctx):
                continue
            if _upgrades(node, upgrade, ctx):
                continue
            yield Hit(
                node,
                f"{func.attr}() sends credentials over a {client.split('.')[0]} connection that "
                f"was never upgraded with {upgrade}(): the password crosses the network as "
                "cleartext.",
            )
            return


def _upgrades(call: ast.Call, upgrade: str, ctx: ModuleContext) -> bool:
    """The same function (or module) calls `.starttls()`/`.stls()`/`.start_tls_s()`."""
    scope = enclosing_function(call, ctx) or ctx.tree
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == upgrade
        for n in scope_nodes(scope)
    )


def _plain_ldap(receiver: ast.expr, ctx: ModuleContext) -> bool:
    """An ldap:// URI written in the source (ldaps:// and ldapi:// are not cleartext)."""
    if not isinstance(receiver, ast.Name):
        return False
    for value in assigned_values(receiver.id, receiver, ctx):
        if isinstance(value, ast.Call) and ctx.resolve(value.func) == "ldap.initialize":
            uri = constant_string(argument(value, 0, "uri"), ctx)
            if uri is not None and uri.lower().startswith("ldap://"):
                host = urlsplit(uri).hostname or ""
                return host not in _LOOPBACK
    return False


def _http_credentials(call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
    """HTTP authentication (auth= or an Authorization header) sent to an http:// URL."""
    position = 1 if name.endswith(".request") else 0
    url = constant_string(argument(call, position, "url"), ctx)
    if url is None or not url.lower().startswith("http://"):
        return
    if (urlsplit(url).hostname or "") in _LOOPBACK:
        return
    auth = keyword(call, "auth")
    sends_auth = auth is not None and ctx.constant_value(auth) is not None
    if sends_auth or any(
        isinstance(header, str) and header.lower() in _AUTH_HEADERS
        for header in _header_names(keyword(call, "headers"), ctx)
    ):
        yield Hit(
            call,
            f"Credentials are sent to {url.split('?')[0]} over plain HTTP: anyone on the "
            "network path reads them. Use an https:// URL.",
        )


def _header_names(headers: ast.expr | None, ctx: ModuleContext) -> list[object]:
    """The keys of a `headers=` dict written inline or bound to a module constant."""
    if isinstance(headers, ast.Dict):
        return [ctx.constant_value(k) for k in headers.keys if k is not None]
    value = ctx.constant_value(headers)
    return list(value) if isinstance(value, dict) else []
