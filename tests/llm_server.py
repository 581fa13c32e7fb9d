"""A real HTTP server on 127.0.0.1 that speaks the chat-completions protocol from a script.

Tests of the LLM pass run against it instead of a model: it records every request body and
answers each with the next scripted `Reply` (recorded answers, malformed JSON, prose, 429s,
5xx, delays that trip the client's timeout), or with what a responder function returns.
No network beyond the loopback interface is used.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

NO_DEFECTS = "No security defects are detected in the code."


@dataclass
class Reply:
    """One scripted answer: a chat completion with `content`, or a raw `status`/`body`."""

    content: str | None = NO_DEFECTS
    status: int = 200
    body: Any = None  # overrides the completion body (dict -> JSON, str -> sent as is)
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a timeout test)
    prompt_tokens: int = 100
    completion_tokens: int = 20
    finish_reason: str = "stop"


def completion_body(reply: Reply, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": reply.prompt_tokens,
            "completion_tokens": reply.completion_tokens,
            "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        },
    }


def error(status: int, message: str, **headers: str) -> Reply:
    return Reply(
        content=None,
        status=status,
        body={"error": {"message": message, "type": "test_error", "code": status}},
        headers=dict(headers),
    )


Responder = Callable[[dict[str, Any]], Reply]


class FakeLLM:
    """Scripted chat-completions endpoint; `url` is what `--llm` takes."""

    def __init__(self, models: tuple[str, ...] = ("test-model",)) -> None:
        self.models = models
        self.script: list[Reply] = []
        self.responder: Responder | None = None
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests answered at once (a concurrency test)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> FakeLLM:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.script.extend(replies)

    def prompts(self) -> list[str]:
        """The user message of every request received, in order."""
        return [r["messages"][-1]["content"] for r in self.requests]

    def _next(self, request: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self.script:
                return self.script.pop(0)
        if self.responder is not None:
            return self.responder(request)
        return Reply()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet tests
                pass

            def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
                data = (
                    body
                    if isinstance(body, bytes)
                    else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
                )
                self.send_response(status)
                content_type = "text/plain" if isinstance(body, str) else "application/json"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)  # fails when the client gave up (timeout test)

            def do_GET(self) -> None:
                if self.path.rstrip("/").endswith("/models"):
                    data = [{"id": m, "object": "model", "owned_by": "test"} for m in fake.models]
                    self._send(200, {"object": "list", "data": data}, {})
                else:
                    self._send(404, {"error": {"message": "not found"}}, {})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    self._send(404, {"error": {"message": f"no route {self.path}"}}, {})
                    return
                try:
                    request = json.loads(raw)
                except json.JSONDecodeError:
                    self._send(400, {"error": {"message": "body is not JSON"}}, {})
                    return
                with fake._lock:
                    fake.headers.append({k.lower(): v for k, v in self.headers.items()})
                    unknown = request.get("model") not in fake.models
                    if unknown:
                        fake.requests.append(request)  # recorded; the script is kept
                if unknown:
                    self._send(404, {"error": {"message": "model not found"}}, {})
                    return
                reply = fake._next(request)
                with fake._lock:
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    time.sleep(reply.delay or 0.02)  # long enough for requests to overlap
                finally:
                    with fake._lock:
                        fake.in_flight -= 1
                body = reply.body
                if body is None:
                    body = completion_body(reply, request["model"])
                self._send(reply.status, body, reply.headers)

        return Handler


@contextmanager
def running(models: tuple[str, ...] = ("test-model",)) -> Iterator[FakeLLM]:
    fake = FakeLLM(models).start()
    try:
        yield fake
    finally:
        fake.stop()
