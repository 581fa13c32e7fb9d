"""bind-all-interfaces: a server listening on every network interface by a fixed address."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from secreview import lazyre
from secreview.python.context import ModuleContext, argument, keyword
from secreview.rules import RuleMeta
from secreview.rules.support.bindings import constant_string, enclosing_function, scope_nodes
from secreview.rules.support.pattern import Hit, Rule, register
from secreview.rules.support.webconfig import flask_app

_ANY_HOSTS = frozenset({"0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0", "*"})
# (position, keyword) of an address tuple `(host, port)`
_ADDRESS_TUPLE: dict[str, tuple[int, str]] = {
    **{
        f"{module}.{cls}": (0, "server_address")
        for module, classes in (
            ("http.server", ("HTTPServer", "ThreadingHTTPServer")),
            (
                "socketserver",
                (
                    "TCPServer",
                    "UDPServer",
                    "ThreadingTCPServer",
                    "ThreadingUDPServer",
                    "ForkingTCPServer",
                    "ForkingUDPServer",
                ),
            ),
            ("wsgiref.simple_server", ("WSGIServer",)),
        )
        for cls in classes
    },
    "xmlrpc.server.SimpleXMLRPCServer": (0, "addr"),
    "xmlrpc.server.DocXMLRPCServer": (0, "addr"),
    "socket.create_server": (0, "address"),
    "eventlet.listen": (0, "addr"),
    "eventlet.green.socket.create_server": (0, "address"),
    "gevent.pywsgi.WSGIServer": (0, "listener"),
    "gevent.server.StreamServer": (0, "listener"),
    "gevent.server.DatagramServer": (0, "listener"),
    "cheroot.wsgi.Server": (0, "bind_addr"),
}
# (position, keyword) of a host string; position -1: keyword only
_HOST_ARGUMENT: dict[str, tuple[int, str]] = {
    "wsgiref.simple_server.make_server": (0, "host"),
    "werkzeug.serving.run_simple": (0, "hostname"),
    "werkzeug.serving.make_server": (0, "host"),
    "werkzeug.run_simple": (0, "hostname"),
    "uvicorn.run": (-1, "host"),
    "uvicorn.Config": (-1, "host"),
    "aiohttp.web.run_app": (-1, "host"),
    "aiohttp.web.TCPSite": (1, "host"),
    "asyncio.start_server": (1, "host"),
    "bottle.run": (-1, "host"),
    "waitress.serve": (-1, "host"),
    "paste.httpserver.serve": (1, "host"),
}
_LISTEN_SPEC = lazyre.compile(r"^(\*|0\.0\.0\.0|\[::\]):\d+$")  # waitress listen="*:8080"
# socket methods that make a bound socket serve something
_SERVING = frozenset({"listen", "accept", "recv", "recvfrom", "recv_into", "serve_forever"})
_ZMQ_ANY = lazyre.compile(r"^(tcp|udp|ws)://(\*|0\.0\.0\.0|\[::\]):")


@register
class BindAllInterfaces(Rule):
    meta = RuleMeta(
        id="bind-all-interfaces",
        cwe=1327,
        severity="low",
        confidence="medium",
        title="Server bound to all network interfaces",
        why=(
            "0.0.0.0 (or '' / '::') listens on every interface, public ones included, so a "
            "service meant for localhost or an internal network (an admin port, a debug "
            "server, a metrics endpoint) is reachable by anyone who can route to the host."
        ),
        example='app.run(host="0.0.0.0")\nsock.bind(("", 8080))',
        fix=(
            "Bind to 127.0.0.1 (or the one interface the service needs) and make the address "
            "a configuration option, so exposing the service is a deployment decision; put "
            "public services behind a firewall or reverse proxy."
        ),
        references=(
            "https://cwe.mitre.org/data/definitions/1327.html",
            "https://docs.python.org/3/library/socket.html#socket-families",
        ),
    )
    calls = frozenset(_ADDRESS_TUPLE) | frozenset(_HOST_ARGUMENT)
    nodes = (ast.Call,)
    methods = frozenset({"run", "bind", "listen", "create_server"})

    def check_call(self, call: ast.Call, name: str, ctx: ModuleContext) -> Iterable[Hit]:
        short = name.rsplit(".", 1)[-1]
        if name in _ADDRESS_TUPLE:
            position, key = _ADDRESS_TUPLE[name]
            host = _tuple_host(argument(call, position, key), ctx)
            if host is not None:
                yield _hit(call, short, host)
            return
        position, key = _HOST_ARGUMENT[name]
        node = keyword(call, key) if position < 0 else argument(call, position, key)
        host = _host(node, ctx)
        if host is not None:
            yield _hit(call, short, host)
        listen = constant_string(keyword(call, "listen"), ctx)
        if listen is not None and any(_LISTEN_SPEC.match(p) for p in listen.split()):
            yield _hit(call, short, listen)

    def check_node(self, node: ast.AST, ctx: ModuleContext) -> Iterable[Hit]:
        """Methods of objects we cannot name: `app.run(host=...)`, `sock.bind((h, p))`,
        `app.listen(port, address=...)`, `loop.create_server(f, host, port)`."""
        assert isinstance(node, ast.Call)
        func = node.func
        if not isinstance(func, ast.Attribute) or ctx.resolve(func) in self.calls:
            return
        host: str | None = None
        if func.attr == "run":
            position = 0 if flask_app(func.value, ctx) else -1
            arg = keyword(node, "host") if position < 0 else argument(node, 0, "host")
            host = _host(arg, ctx)
        elif func.attr == "bind" and len(node.args) == 1 and not node.keywords:
            if _probes_free_port(node, ctx):
                return
            host = _tuple_host(node.args[0], ctx)
            text = constant_string(node.args[0], ctx)
            if host is None and text is not None and _ZMQ_ANY.match(text):
                host = text
        elif func.attr == "listen" and ctx.symbols.imports("tornado"):
            host = _host(argument(node, 1, "address"), ctx, allow_empty=True)
        elif func.attr == "create_server":
            host = _host(argument(node, 1, "host"), ctx)
        if host is not None:
            yield _hit(node, f".{func.attr}", host)


def _host(node: ast.expr | None, ctx: ModuleContext, allow_empty: bool = False) -> str | None:
    text = constant_string(node, ctx)
    if text is None:
        return None
    if text in _ANY_HOSTS or (allow_empty and text == ""):
        return text
    return None


def _tuple_host(node: ast.expr | None, ctx: ModuleContext) -> str | None:
    """The host of an `(host, port)` address, when it means every interface ('' does)."""
    if isinstance(node, ast.Name):
        value = ctx.constant_value(node)
        if isinstance(value, tuple) and value and isinstance(value[0], str):
            return value[0] if value[0] in _ANY_HOSTS or value[0] == "" else None
        return None
    if isinstance(node, ast.Tuple) and node.elts:
        return _host(node.elts[0], ctx, allow_empty=True)
    return None


def _probes_free_port(call: ast.Call, ctx: ModuleContext) -> bool:
    """`s.bind(("", 0)); port = s.getsockname()[1]` with no listen/accept/recv: the socket
    only asks the kernel for a free port number and serves nothing."""
    address = call.args[0]
    if not (isinstance(address, ast.Tuple) and len(address.elts) == 2):
        return False
    if ctx.constant_value(address.elts[1]) != 0:
        return False
    scope = enclosing_function(call, ctx) or ctx.tree
    methods = {
        n.func.attr
        for n in scope_nodes(scope)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
    }
    return "getsockname" in methods and not methods & _SERVING


def _hit(call: ast.Call, what: str, host: str) -> Hit:
    shown = host or "''"
    return Hit(
        call,
        f"{what}() listens on {shown}, every network interface: the service is reachable "
        "from any network that routes to this host, not only from where it is meant to be "
        "used.",
    )
