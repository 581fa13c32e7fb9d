"""HTTP and WebSocket clients (requests, httpx, urllib3, httplib2, aiohttp's, websockets,
websocket-client): server-side request forgery."""

from secreview.python.taint.spec import ALL, Guard, Sanitizer, Sink

_F = frozenset
_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")

SINKS = (
    *(Sink(f"requests.{v}", "ssrf", (0, "url")) for v in _VERBS),
    Sink("requests.request", "ssrf", (1, "url")),
    *(Sink(f"requests.Session.{v}", "ssrf", (0, "url")) for v in _VERBS),
    *(Sink(f"requests.session.{v}", "ssrf", (0, "url")) for v in _VERBS),
    Sink("requests.Session.request", "ssrf", (1, "url")),
    *(Sink(f"httpx.{v}", "ssrf", (0, "url")) for v in _VERBS),
    # stream(method, url) and request(method, url), on the module or on a client
    *(Sink(f"httpx.{f}", "ssrf", (1, "url")) for f in ("request", "stream")),
    *(
        Sink(f"httpx.{c}.{v}", "ssrf", (0, "url"))
        for c in ("Client", "AsyncClient")
        for v in _VERBS
    ),
    *(
        Sink(f"httpx.{c}.{f}", "ssrf", (1, "url"))
        for c in ("Client", "AsyncClient")
        for f in ("request", "stream", "build_request")
    ),
    *(Sink(f"aiohttp.ClientSession.{v}", "ssrf", (0, "url")) for v in (*_VERBS, "ws_connect")),
    Sink("aiohttp.ClientSession.request", "ssrf", (1, "url")),
    Sink("aiohttp.request", "ssrf", (1, "url")),
    Sink("urllib3.PoolManager.request", "ssrf", (1, "url")),
    Sink("urllib3.PoolManager.urlopen", "ssrf", (1, "url")),
    Sink("urllib3.request", "ssrf", (1, "url")),
    # a pool is bound to the host it is made for (its requests take a path)
    Sink("urllib3.HTTPConnectionPool", "ssrf", (0, "host")),
    Sink("urllib3.HTTPSConnectionPool", "ssrf", (0, "host")),
    Sink("urllib3.connection_from_url", "ssrf", (0, "url")),
    Sink("urllib3.connectionpool.connection_from_url", "ssrf", (0, "url")),
    Sink("httplib2.Http.request", "ssrf", (0, "uri")),
    # a client made for a base URL sends every relative request there
    Sink("httpx.Client", "ssrf", ("base_url",)),
    Sink("httpx.AsyncClient", "ssrf", ("base_url",)),
    Sink("aiohttp.ClientSession", "ssrf", (0, "base_url")),
    *(
        Sink(f"{module}.connect", "ssrf", (0, "uri"))
        for module in (
            "websockets",
            "websockets.client",
            "websockets.asyncio.client",
            "websockets.sync.client",
        )
    ),
    Sink("websocket.create_connection", "ssrf", (0, "url")),
    Sink("websocket.WebSocketApp", "ssrf", (0, "url")),
)

GUARDS = (Guard("validators.url", _F({"ssrf", "open-redirect"}), keyword="value"),)

# A response holds what the server sent back, not the request data we sent: the call's
# result carries none of its arguments' taint (the URL itself is the `ssrf` sink above).
SANITIZERS = (
    *(Sanitizer(sink.name, _F({ALL})) for sink in SINKS),
    Sanitizer("urllib.request.urlopen", _F({ALL})),
)
