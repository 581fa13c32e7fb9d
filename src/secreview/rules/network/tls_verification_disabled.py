"""tls-verification-disabled: TLS connections that accept any certificate or host name."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import replace

from secreview.python import fixes
from secreview.python.context import ModuleContext, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import call_name, scope_nodes
from secreview.rules.support.names import words
from secreview.rules.support.pattern import Hit, Rule, register

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
# Calls whose `verify=False` turns certificate checking off.
_VERIFY_CALLS = frozenset(
    {f"requests.{v}" for v in _VERBS}
    | {f"requests.api.{v}" for v in _VERBS}
    | {f"requests.{s}.{v}" for s in ("Session", "session", "sessions.Session") for v in _VERBS}
    | {f"requests.{s}.send" for s in ("Session", "session", "sessions.Session")}
    | {f"httpx.{v}" for v in (*_VERBS, "stream")}
    | {f"httpx.{c}" for c in ("Client", "AsyncClient", "HTTPTransport", "AsyncHTTPTransport")}
    # OpenStack's auth sessions take verify= when constructed
    | {"keystoneauth1.session.Session", "keystoneclient.session.Session"}
)
# Method names through which an HTTP client object takes per-request `verify=`.
_VERIFY_METHODS = frozenset({*_VERBS, "send", "stream", "ws_connect"})
# Per-request switches: requests/httpx `verify`, aiohttp `ssl` (and its old `verify_ssl`).
_PER_REQUEST = ("verify", "ssl", "verify_ssl")
_URLLIB3_POOLS = frozenset(
    {
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url",
        "urllib3.proxy_from_url",
        "urllib3.poolmanager.PoolManager",
        "urllib3.poolmanager.ProxyManager",
        "urllib3.connectionpool.HTTPSConnectionPool",
    }
)
_AIOHTTP = frozenset({"aiohttp.TCPConnector", "aiohttp.connector.TCPConnector"})
# Factories of SSLContexts that check neither the certificate nor the host name.
_UNVERIFIED_CONTEXTS = frozenset({"ssl._create_unverified_context", "ssl._create_stdlib_context"})
_CERT_NONE = frozenset({"ssl.CERT_NONE", "ssl.VerifyMode.CERT_NONE"})
_OPT_IN = " whenever this branch is taken."
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_CONSTANT_NAMES = frozenset(n.rsplit(".", 1)[1] for n in _CERT_NONE | _UNVERIFIED_CONTEXTS)
_NAMES = (ast.Name, ast.Attribute)


def _may_name_constants(ctx: ModuleContext) -> bool:
    """Whether a name or attribute of the module may end in one of `_CONSTANT_NAMES` (its
    own, or the name an import binds it to): a text search, once per module."""
    found = ctx.memo.get(_may_name_constants)
    if found is None:
        found = ctx.memo[_may_name_constants] = any(map(ctx.may_name, _CONSTANT_NAMES))
    return found  # type: ignore[return-value]


@register
class TlsVerificationDisabled(Rule):
    meta = RuleMeta(
        id="tls-verification-disabled",
        cwe=295,
        severity="high",
        confidence="high",
        title="TLS certificate or host name verification disabled",
        why=(
            "Without certificate and host name checks anyone on the network path (Wi-Fi, "
            "proxy, compromised router) can present their own certificate, then read and "
            "alter the traffic, credentials included."
        ),
        example=(
            "requests.get(url, verify=False)\n"
            "ctx = ssl.create_default_context()\n"
            "ctx.check_hostname = False\n"
            "ctx.verify_mode = ssl.CERT_NONE"
        ),
        fix=(
            "Keep verification on and trust the right CA instead: verify='/path/to/ca.pem' "
            "(requests/httpx), ssl.create_default_context(cafile=...) for ssl, "
            "cert_reqs='CERT_REQUIRED' with ca_certs=... for urllib3."
        ),
        fix_by_api=(
            FixText(
                ("requests",),
                (
                    "Keep verification on: drop `verify=False`, or pass `verify='/path/to/ca.pem'` "
                    "(a CA bundle) when the server uses a private CA; REQUESTS_CA_BUNDLE sets it "
                    "for the whole process."
                ),
            ),
            FixText(
                ("httpx",),
                (
                    "Keep verification on: drop `verify=False`, or pass "
                    "`verify=ssl.create_default_context(cafile='/path/to/ca.pem')` when the server "
                    "uses a private CA."
                ),
            ),
            FixText(
                ("urllib3",),
                (
                    "Keep verification on: `cert_reqs='CERT_REQUIRED'` (urllib3's default) with "
                    "`ca_certs='/path/to/ca.pem'` when the server uses a private CA."
                ),
            ),
            FixText(
                ("aiohttp",),
                (
                    "Keep verification on: drop `ssl=False` / `verify_ssl=False`, or pass "
                    "`ssl=ssl.create_default_context(cafile='/path/to/ca.pem')`."
                ),
            ),
            FixText(
                ("keystoneauth1", "keystoneclient"),
                (
                    "Keep verification on: drop `insecure=True` and pass "
                    "`cacert='/path/to/ca.pem'` (or `verify=` the bundle) to the Session."
                ),
            ),
            FixText(
                ("ssl", "eventlet"),
                (
                    "Keep verification on: `ssl.create_default_context(cafile='/path/to/ca.pem')` "
                    "verifies the certificate and host name; never set `check_hostname = False` or "
                    "`verify_mode = ssl.CERT_NONE`."
                ),
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/295.html",
            "https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification",
        ),
        fixable=True,
    )
    calls = _VERIFY_CALLS | _URLLIB3_POOLS | _AIOHTTP | _UNVERIFIED_CONTEXTS
    nodes = (ast.Call, ast.Attribute, ast.Name, ast.Assign)
    methods = _VERIFY_METHODS
    # every report names one of these: a keyword (verify=, ssl=, verify_ssl=, cert_reqs=,
    # assert_hostname=), an attribute assigned (.check_hostname, .verify) or the last part
    # of an ssl name (CERT_NONE, the unverified context factories)
    triggers = frozenset(
        {"verify", "ssl", "cert_reqs", "assert_hostname", "check_hostname", "CERT_NONE"}
        | {name.rsplit(".", 1)[1] for name in _UNVERIFIED_CONTEXTS}
    )

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        for hit in self._check_call(call, name, ctx):
            if not _certificate_probe(hit.node, ctx):
                yield _as_configured(hit, ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        if node.__class__ in _NAMES and not _may_name_constants(ctx):
            return  # most of a module's nodes, none of them `ssl.CERT_NONE`
        for hit in self._check_node(node, ctx):
            if not _certificate_probe(hit.node, ctx):
                yield _as_configured(hit, ctx)

    def _check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        """Known client APIs: `verify=False`, urllib3 `cert_reqs`, aiohttp `ssl=False`."""
        if name in _UNVERIFIED_CONTEXTS:
            yield Hit(
                call,
                f"{name}() returns an SSLContext that accepts any certificate for any host; "
                "connections made with it can be intercepted and altered.",
            )
        elif name in _VERIFY_CALLS:
            yield from _verify_false(call, name, ctx)
        elif name in _URLLIB3_POOLS:
            cert_reqs = ctx.constant_value(keyword(call, "cert_reqs"))
            if isinstance(cert_reqs, str) and cert_reqs.upper() in ("CERT_NONE", "NONE"):
                yield Hit(
                    call,
                    f"{name}(cert_reqs='{cert_reqs}') accepts any server certificate; anyone "
                    "on the network path can impersonate the server and read the traffic.",
                )
            elif ctx.constant_value(keyword(call, "assert_hostname")) is False:
                yield Hit(
                    call,
                    f"{name}(assert_hostname=False) accepts a valid certificate issued for any "
                    "other host, so any site's certificate can impersonate this server.",
                )
        elif name in _AIOHTTP:
            for kw in ("ssl", "verify_ssl"):
                if ctx.constant_value(keyword(call, kw)) is False:
                    yield Hit(
                        call,
                        f"{name}({kw}=False) accepts any server certificate; anyone on the "
                        "network path can impersonate the server and read the traffic.",
                        fixes=_drop_keyword(call, kw, ctx),
                    )
                    break

    def _check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """Client objects we cannot name, CERT_NONE as a value, `.check_hostname = False`."""
        if isinstance(node, ast.Call):
            yield from self._unresolved_client_call(node, ctx)
        elif isinstance(node, (ast.Attribute, ast.Name)):
            yield from self._insecure_constant(node, ctx)
        elif isinstance(node, ast.Assign):
            yield from self._insecure_assignment(node, ctx)

    def _unresolved_client_call(self, call: ast.Call, ctx: ModuleContext) -> Iterable[Hit]:
        """`session.get(url, verify=False)` (requests/httpx) or `ssl=False` (aiohttp) on a
        client object whose type we cannot see."""
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in _VERIFY_METHODS:
            return
        option = next(
            (kw for kw in _PER_REQUEST if ctx.constant_value(keyword(call, kw)) is False), None
        )
        if option is None or ctx.resolve(func) in self.calls:
            return  # nothing disabled, or check_call reports it
        yield Hit(
            call,
            f".{func.attr}(..., {option}=False) turns off certificate checking for this "
            "request; anyone on the network path can impersonate the server and read the traffic.",
            confidence="medium",
            fixes=_drop_keyword(call, option, ctx),
        )

    def _insecure_constant(
        self, node: ast.Attribute | ast.Name, ctx: ModuleContext
    ) -> Iterable[Hit]:
        """`ssl.CERT_NONE` / `ssl._create_unverified_context` used as a value."""
        if isinstance(node.ctx, ast.Store):
            return
        last = (  # the last part of `ctx.resolve(node)`, without resolving it
            node.attr
            if isinstance(node, ast.Attribute)
            else (ctx.symbols.alias(node.id, getattr(node, "lineno", 0)) or node.id).rsplit(".", 1)[
                -1
            ]
        )
        if last not in _CONSTANT_NAMES:
            return
        name = ctx.resolve(node)
        if name not in _CERT_NONE and name not in _UNVERIFIED_CONTEXTS:
            return
        parent = ctx.parent(node)
        if name in _CERT_NONE:
            container = parent
            while isinstance(container, (ast.Tuple, ast.List, ast.Set)):
                container = ctx.parent(container)
            if isinstance(container, ast.Compare):
                return  # reading the mode (`if ctx.verify_mode == ssl.CERT_NONE`) is harmless
            if isinstance(parent, ast.Dict) and (
                any(key is node for key in parent.keys) or _is_choice_table(parent, node, ctx)
            ):
                # {ssl.CERT_NONE: VERIFY_NONE} translates modes; {"none": ssl.CERT_NONE,
                # "required": ...} lists choices that configuration picks from
                return
            opt_in = isinstance(parent, ast.IfExp) and node is not parent.test
            yield Hit(
                node,
                "ssl.CERT_NONE makes the TLS handshake accept any certificate, self-signed or "
                "forged; anyone on the network path can impersonate the server"
                + (_OPT_IN if opt_in else "."),
                confidence="low" if opt_in else None,
            )
        elif name in _UNVERIFIED_CONTEXTS and not (
            isinstance(parent, ast.Call) and parent.func is node
        ):
            # ssl._create_default_https_context = ssl._create_unverified_context
            yield Hit(
                node,
                f"{name} used as a context factory turns certificate checking off for every "
                "HTTPS connection made through it (urllib, http.client, ...).",
            )

    def _insecure_assignment(self, node: ast.Assign, ctx: ModuleContext) -> Iterable[Hit]:
        """`ctx.check_hostname = False`, `session.verify = False`."""
        if ctx.constant_value(node.value) is not False:
            return
        for target in node.targets:
            if not isinstance(target, ast.Attribute):
                continue
            if target.attr == "check_hostname":
                yield Hit(
                    target,
                    "check_hostname = False accepts a valid certificate issued for any other "
                    "host, so any site's certificate can impersonate this server.",
                )
            elif target.attr == "verify":
                yield Hit(
                    target,
                    ".verify = False turns off certificate checking for every request made "
                    "through this client; anyone on the network path can impersonate the server.",
                    confidence="medium",
                )


# Words of a setting that switches verification (`tls_verify`, `insecure`, `VERIFY_SSL`).
_SETTING_WORDS = frozenset(
    {"verify", "verification", "verified", "unverified", "noverify", "insecure", "strict"}
    | {"validate", "validation", "cert", "certs", "certificate", "certificates", "hostname"}
)


def _as_configured(hit: Hit, ctx: ModuleContext) -> Hit:
    """Low severity when verification is off only in the branch a verification setting
    picks (`if tls_verify: ... else: mode = ssl.CERT_NONE`, `CERT_NONE if insecure else
    ...`): the code honours a choice its administrator makes, which is no defect unless the
    setting defaults to off, as `verify=cfg.verify` is none."""
    setting = _deciding_setting(hit.node, ctx)
    if setting is None:
        return hit
    text = hit.message.removesuffix(_OPT_IN).rstrip(".")
    return replace(
        hit,
        message=f"{text} when the setting '{setting}' turns verification off; make sure "
        "it defaults to verifying.",
        severity="low",
        confidence="medium",
    )


def _deciding_setting(node: ast.AST, ctx: ModuleContext) -> str | None:
    """The verification setting whose branch `node` is in (within its function), if any."""
    child, current = node, ctx.parent(node)
    while current is not None and not isinstance(current, _FUNCTIONS):
        if isinstance(current, (ast.If, ast.IfExp)) and child is not current.test:
            for name in _names_read(current.test):
                if _SETTING_WORDS & set(words(name)):
                    return name
        child, current = current, ctx.parent(current)
    return None


def _names_read(test: ast.expr) -> Iterator[str]:
    """`tls_verify`, `cfg.insecure`, `options["verify_ssl"]`, `conf.get("insecure")`: the
    names a test reads (not the strings it compares with)."""
    for node in ast.walk(test):
        key: ast.AST | None = None
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, ast.Subscript):
            key = node.slice
        elif isinstance(node, ast.Call) and call_name(node) == "get" and node.args:
            key = node.args[0]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            yield key.value


# What may be done with an unverified context, the sockets and connections made with it,
# when all the code wants is the peer's certificate: set up, connect, handshake, close.
_PROBE_METHODS = frozenset(
    {"wrap_socket", "getpeercert", "open", "connect", "start_tls", "starttls", "do_handshake"}
    | {"unbind", "close", "shutdown", "unwrap", "settimeout", "setblocking", "version"}
    | {"cipher", "set_ciphers", "set_alpn_protocols", "load_default_certs", "fileno"}
)
# Methods that move data, on a field of such an object (`conn.socket.sendall(...)`).
_TRANSFER_METHODS = frozenset(
    {"send", "sendall", "sendto", "sendmsg", "sendfile", "write", "writelines", "recv"}
    | {"recv_into", "recvfrom", "read", "readline", "readlines", "makefile", "request"}
    | {"bind", "rebind", "search", "modify", "add", "delete", "login", "extend"}
)


def _certificate_probe(node: ast.AST, ctx: ModuleContext) -> bool:
    """The unverified context (or TLS settings) serves only to read the peer's certificate
    (`getpeercert(binary_form=True)`), as a certificate-expiry check does: the connection
    carries no credentials and no data, so there is nothing to intercept."""
    start = _holder(node, ctx)
    function = ctx.enclosing(node, (ast.FunctionDef, ast.AsyncFunctionDef))
    if start is None or function is None:
        return False
    uses = [n for n in scope_nodes(function) if isinstance(n, ast.Name)]
    derived, pending, certificate = {start}, [start], False
    while pending:
        name = pending.pop()
        for use in uses:
            if use.id != name or not isinstance(use.ctx, ast.Load):
                continue
            verdict = _probe_use(use, ctx)
            if verdict is None:
                return False
            made, reads_certificate = verdict
            certificate = certificate or reads_certificate
            if made is not None and made not in derived:
                derived.add(made)
                pending.append(made)
    return certificate


def _holder(node: ast.AST, ctx: ModuleContext) -> str | None:
    """The local name holding what `node` configures: `ctx` of `ctx.check_hostname = False`
    and of `ctx.verify_mode = ssl.CERT_NONE`, `tls` of `tls = Tls(validate=ssl.CERT_NONE)`,
    `ctx` of `ctx = ssl._create_unverified_context()`."""
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
        return node.value.id if isinstance(node.value, ast.Name) else None
    parent = ctx.parent(node)
    if isinstance(parent, ast.Assign) and parent.value is node:
        target = parent.targets[0]
        if isinstance(target, ast.Attribute):
            return target.value.id if isinstance(target.value, ast.Name) else None
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(parent, ast.keyword):
        parent = ctx.parent(parent)
    if isinstance(node, ast.Call):
        parent = node
    return _bound_name(parent, ctx) if isinstance(parent, ast.Call) else None


def _probe_use(use: ast.Name, ctx: ModuleContext) -> tuple[str | None, bool] | None:
    """One read of a probe object: (the name its result is bound to, whether it reads the
    peer's certificate); None when it does anything else with the object."""
    parent = ctx.parent(use)
    if isinstance(parent, ast.Attribute):
        outer = ctx.parent(parent)
        if isinstance(outer, ast.Call) and outer.func is parent:
            if parent.attr not in _PROBE_METHODS:
                return None
            if parent.attr == "getpeercert":
                return None, True  # the certificate: what the code is after
            return _bound_name(outer, ctx), False
        if isinstance(outer, ast.Attribute) and isinstance(ctx.parent(outer), ast.Call):
            # a field's method: `conn.socket.getpeercert(...)`, `conn.result.get(...)`
            if outer.attr in _TRANSFER_METHODS:
                return None
            return None, outer.attr == "getpeercert"
        return None, False  # a field read, or a setting (`ctx.minimum_version = ...`)
    if isinstance(parent, ast.keyword):
        parent = ctx.parent(parent)
    if isinstance(parent, ast.Call) and use is not parent.func:
        made = _bound_name(parent, ctx)  # `Server(host, tls=tls)`, `Connection(server)`
        return None if made is None else (made, False)
    if isinstance(parent, ast.Compare):
        return None, False
    return None


def _bound_name(call: ast.AST, ctx: ModuleContext) -> str | None:
    """The name a call's result is bound to: `x = call(...)`, `with call(...) as x:`."""
    parent = ctx.parent(call)
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    if isinstance(parent, ast.withitem) and isinstance(parent.optional_vars, ast.Name):
        return parent.optional_vars.id
    return None


def _verify_false(call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
    """Constant False only: `verify=cfg.verify` or a CA path is a deliberate setting."""
    if ctx.constant_value(keyword(call, "verify")) is False:
        yield Hit(
            call,
            f"{name}(..., verify=False) accepts any server certificate; anyone on the network "
            "path can impersonate the server and read or alter the traffic, credentials "
            "included.",
            fixes=_drop_keyword(call, "verify", ctx),
        )


def _drop_keyword(call: ast.Call, name: str, ctx: ModuleContext) -> tuple:
    """Verification is every one of these clients' default: dropping `name=False` turns it
    back on."""
    for kw in call.keywords:
        if kw.arg == name:
            return fixes.remove_keyword(ctx, call, kw, f"Remove {name}=False (verify certificates)")
    return ()


def _is_choice_table(table: ast.Dict, node: ast.AST, ctx: ModuleContext) -> bool:
    """A dict mapping option names to several ssl.CERT_* modes, CERT_NONE being one choice."""
    return any(
        value is not node
        and (ctx.resolve(value) or "").startswith(("ssl.CERT_", "ssl.VerifyMode.CERT_"))
        for value in table.values
    )
