"""request-without-timeout: an outgoing HTTP request that may wait forever for an answer."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview.python.context import ModuleContext, argument, has_kwargs_splat, keyword
from secreview.rules import FixText, RuleMeta
from secreview.rules.support.bindings import (
    assigned_values,
    name_roots,
    producers,
    self_attribute_values,
)
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import class_bases

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
_REQUESTS = frozenset({f"requests.{v}" for v in _VERBS} | {f"requests.api.{v}" for v in _VERBS})
_SESSIONS = frozenset({"requests.Session", "requests.session", "requests.sessions.Session"})
_SESSION_METHODS = frozenset(
    {f"{s}.{v}" for s in _SESSIONS for v in _VERBS} | {f"{s}.send" for s in _SESSIONS}
)
# httpx times out after 5 s by default: only an explicit timeout=None is reported.
_HTTPX = frozenset(
    {f"httpx.{v}" for v in (*_VERBS, "stream")} | {"httpx.Client", "httpx.AsyncClient"}
)
_URLLIB3_POOLS = frozenset(
    {
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool",
        "urllib3.poolmanager.PoolManager",
        "urllib3.connection_from_url",
    }
)
# (position of `timeout`) for stdlib calls without a default timeout
_STDLIB = {
    "urllib.request.urlopen": 2,
    "http.client.HTTPConnection": 2,
    "http.client.HTTPSConnection": -1,  # keyword only in practice (key_file... came before)
}
_ADAPTERS = frozenset({"requests.adapters.HTTPAdapter", "requests.adapters.BaseAdapter"})
# methods of a Session, and every method `check_node` looks at
_SESSION_VERBS = frozenset({*_VERBS, "send"})
_METHODS = _SESSION_VERBS | {"urlopen"}
_CALLS = frozenset({ast.Call})
_CLASSES_AND_CALLS = frozenset({ast.ClassDef, ast.Call})


@register
class RequestWithoutTimeout(Rule):
    meta = RuleMeta(
        id="request-without-timeout",
        cwe=400,
        severity="low",
        confidence="high",
        title="HTTP request without a timeout",
        why=(
            "requests, urllib and urllib3 wait for a server indefinitely unless told "
            "otherwise; one slow or malicious peer (or a dropped connection) then holds a "
            "worker forever, and a few of them exhaust the pool and stall the service."
        ),
        example="resp = requests.get(url)",
        fix=(
            "Pass timeout= on every call (`requests.get(url, timeout=(3.05, 30))`, "
            "`urlopen(url, timeout=10)`, `PoolManager(timeout=urllib3.Timeout(10))`), or "
            "give a requests Session an adapter that adds one."
        ),
        fix_by_api=(
            FixText(
                ("requests",),
                (
                    "Pass `timeout=` on every call (`requests.get(url, timeout=(3.05, 30))`: "
                    "connect and read seconds), or mount an adapter on your Session that adds one."
                ),
            ),
            FixText(
                ("httpx",),
                (
                    "Keep a timeout on the client or the call (`httpx.Client(timeout=10)`, "
                    "`httpx.get(url, timeout=10)`); `timeout=None` waits forever."
                ),
            ),
            FixText(
                ("urllib3",),
                (
                    "Give the pool or call a timeout: "
                    "`PoolManager(timeout=urllib3.Timeout(connect=3, read=30))`, "
                    "`http.request('GET', url, timeout=10)`."
                ),
            ),
            FixText(
                ("urllib",),
                "Pass a timeout: `urllib.request.urlopen(url, timeout=10)`.",
            ),
            FixText(
                ("http.client",),
                "Pass a timeout: `http.client.HTTPSConnection(host, timeout=10)`.",
            ),
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/400.html",
            "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
        ),
    )
    calls = (
        _REQUESTS | _SESSION_METHODS | _HTTPX | frozenset(_STDLIB) | frozenset({"urllib3.request"})
    )
    nodes = (ast.Call,)
    methods = _METHODS
    # requests and httpx names (each part of a resolved name is written in the module, in
    # an import, or is a part of its own package's name), urllib3, or the stdlib calls
    triggers = frozenset(
        {"requests", "httpx", "urllib3", "urlopen", "HTTPConnection", "HTTPSConnection"}
    )

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        short = name.replace("requests.api.", "requests.")
        if name in _HTTPX:
            if _explicit_none(call, ctx):
                yield Hit(call, f"{name}(timeout=None) turns off httpx's default timeout: {_WHY}")
            return
        if name in _STDLIB:
            if _module_sets_socket_timeout(ctx):
                return
            position = _STDLIB[name]
            timeout = (
                keyword(call, "timeout") if position < 0 else argument(call, position, "timeout")
            )
            if timeout is None and not has_kwargs_splat(call):
                yield Hit(call, f"{name}() has no timeout: {_WHY}")
            return
        if name in _SESSION_METHODS and _module_adds_timeouts(ctx):
            return
        yield from _missing(call, short, ctx)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """Methods of Session and urllib3 pool objects kept in variables or attributes."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or func.attr not in _METHODS:
            return
        if ctx.resolve(func) in self.calls:
            return
        roots = name_roots(ctx)  # sessions and pools are made by requests and urllib3 only
        if func.attr in _SESSION_VERBS and "requests" in roots:
            made = producers(func.value, ctx)
            if made & _SESSIONS and not _module_adds_timeouts(ctx):
                yield from _missing(node, f"Session.{func.attr}", ctx, confidence="medium")
                return
        if func.attr in ("request", "urlopen"):
            if "urllib3" not in roots:
                return
            made = producers(func.value, ctx)
            if not made & _URLLIB3_POOLS:
                return
            if any(keyword(c, "timeout") is not None for c in _constructors(func.value, ctx)):
                return
            yield from _missing(node, f"urllib3 {func.attr}", ctx)


_WHY = (
    "it waits for the server indefinitely, so a slow or unresponsive peer holds this worker "
    "forever."
)


def _missing(
    call: ast.Call, what: str, ctx: ModuleContext, confidence: str | None = None
) -> Iterable[Hit]:
    timeout = keyword(call, "timeout")
    if timeout is None:
        if has_kwargs_splat(call):
            return  # the timeout may come in **kwargs
        yield Hit(call, f"{what}() has no timeout: {_WHY}", confidence=confidence)
    elif _explicit_none(call, ctx):
        yield Hit(call, f"{what}(timeout=None) never times out: {_WHY}", confidence=confidence)


def _explicit_none(call: ast.Call, ctx: ModuleContext) -> bool:
    timeout = keyword(call, "timeout")
    return timeout is not None and ctx.constant_value(timeout) is None


def _constructors(receiver: ast.expr, ctx: ModuleContext) -> list[ast.Call]:
    """The calls that built a pool kept in `receiver` (a variable or `self.<attr>`)."""
    if isinstance(receiver, ast.Call):
        return [receiver]
    values: list[ast.expr] = []
    if isinstance(receiver, ast.Name):
        values = assigned_values(receiver.id, receiver, ctx)
    elif isinstance(receiver, ast.Attribute) and isinstance(receiver.value, ast.Name):
        values = self_attribute_values(receiver.attr, receiver, ctx)
    return [v for v in values if isinstance(v, ast.Call)]


def _module_adds_timeouts(ctx: ModuleContext) -> bool:
    """Sessions here get a default timeout: an HTTPAdapter subclass, or `.mount(...)`."""
    cached = ctx.memo.get("adds-timeouts")
    if cached is None:
        cached = ctx.memo["adds-timeouts"] = any(
            (isinstance(node, ast.ClassDef) and bool(class_bases(node, ctx) & _ADAPTERS))
            or (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "mount"
            )
            for node in ctx.nodes_of(_CLASSES_AND_CALLS)
        )
    return bool(cached)


def _module_sets_socket_timeout(ctx: ModuleContext) -> bool:
    cached = ctx.memo.get("sets-socket-timeout")
    if cached is None:
        cached = ctx.memo["sets-socket-timeout"] = any(
            isinstance(node, ast.Call) and ctx.resolve(node.func) == "socket.setdefaulttimeout"
            for node in ctx.nodes_of(_CALLS)
        )
    return bool(cached)
