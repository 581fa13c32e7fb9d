"""One OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, Ollama, llama.cpp server,
LM Studio), through the official `openai` SDK with `base_url`.

The SDK's own retries are off: we retry here (429, 5xx, timeouts, dropped connections, with
exponential backoff and the server's Retry-After) so the run can count retries and tests can
use short delays. Errors that no retry fixes (bad key, wrong URL or model, nothing listening)
raise `LLMError`, which the CLI turns into exit code 2: a review that was asked for an LLM
pass must never quietly come back engine-only. A request that still fails after its retries
raises `RequestFailed`; the caller reports that chunk as not reviewed and goes on.

The API key comes from the environment only and is never logged or put in a message.
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

API_KEY_VARIABLES = ("SECREVIEW_LLM_API_KEY", "OPENAI_API_KEY")
# Local servers ignore the key, but the SDK refuses to start without one.
_NO_KEY = "secreview-no-key"
# Request parameters a server may reject by name; dropped (or renamed) and the request resent.
_OPTIONAL_PARAMETERS = ("response_format", "max_tokens", "temperature", "seed")


def _schema(schema: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key != "$schema"}


# The ways servers take an answer schema, most standard first: OpenAI's structured outputs
# (also vLLM, Ollama, llama.cpp's own server, LM Studio), then JSON mode with a `schema`
# (llama-cpp-python, Anyscale); after both are refused, plain JSON mode.
_SCHEMA_FORMS: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (
    lambda s: {"type": "json_schema", "json_schema": {"name": "answer", "schema": _schema(s)}},
    lambda s: {"type": "json_object", "schema": _schema(s)},
)

Message = Mapping[str, str]


class LLMError(Exception):
    """The LLM pass cannot run at all (no SDK, unreachable endpoint, refused key, unknown
    model): fatal, exit code 2."""


class RequestFailed(Exception):
    """One request failed after its retries (timeouts, 429/5xx, a rejected or malformed
    request); the run goes on without that chunk's answer."""


@dataclass(frozen=True, slots=True)
class Completion:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    model: str = ""  # what the server says answered
    finish_reason: str = ""
    retries: int = 0
    cached: bool = False
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class ClientSettings:
    url: str
    model: str
    timeout: float = 120.0  # seconds per attempt
    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # first retry delay, doubled each time (with jitter)
    max_backoff: float = 30.0
    temperature: float | None = 0.0
    max_tokens: int | None = 2048
    seed: int | None = None


def api_key(environ: Mapping[str, str] | None = None) -> str | None:
    """The key from SECREVIEW_LLM_API_KEY, else OPENAI_API_KEY; None when neither is set."""
    environ = os.environ if environ is None else environ
    for variable in API_KEY_VARIABLES:
        value = environ.get(variable, "").strip()
        if value:
            return value
    return None


def normalise_url(url: str) -> str:
    """`http://localhost:11434` -> `http://localhost:11434/v1`: every supported server serves
    the OpenAI API under /v1, and the SDK appends `/chat/completions` to what it is given.
    A URL with a path is kept as written (minus a trailing `/chat/completions`)."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LLMError(f"not an http(s) URL: {shown_url(url)!r} (e.g. http://127.0.0.1:11434/v1)")
    path = parts.path.rstrip("/")
    if path.endswith("/chat/completions"):
        path = path[: -len("/chat/completions")]
    if not path:
        path = "/v1"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def import_openai() -> Any:
    try:
        import openai
    except ImportError:
        raise LLMError(
            "the LLM review needs the openai package: pip install 'secreview[llm]'"
        ) from None
    return openai


class ChatClient:
    """Thread-safe: one client serves every worker thread of a run."""

    def __init__(
        self, settings: ClientSettings, *, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        openai = import_openai()
        self.settings = settings
        self.url = normalise_url(settings.url)
        self.shown_url = shown_url(self.url)  # for messages
        self._openai = openai
        self._sleep = sleep
        self._client = openai.OpenAI(
            base_url=self.url,
            api_key=api_key() or _NO_KEY,
            timeout=settings.timeout,
            max_retries=0,
        )
        self._dropped: set[str] = set()  # parameters this server rejected
        # how this server takes an answer schema: the first of `_SCHEMA_FORMS` it accepted
        self._schema_form = 0
        self._lock = threading.Lock()

    def complete(
        self, messages: Sequence[Message], *, json_mode: bool = False, schema: str | None = None
    ) -> Completion:
        """One chat completion, retried on 429/5xx/timeouts; raises LLMError or RequestFailed.

        `json_mode` asks for JSON; `schema` (a JSON schema) asks the server to constrain the
        answer to it, which small local models need to answer in form at all. Servers take
        a schema in different ways: each is tried in turn, and what is refused is not sent
        again."""
        openai = self._openai
        retries = 0
        started = time.perf_counter()
        while True:
            request = self._request(messages, json_mode, schema)
            sent_form = request.pop("_schema_form", None)  # which way the schema went, if any
            try:
                response = self._client.chat.completions.create(**request)
            except openai.APIConnectionError as exc:  # includes APITimeoutError
                timed_out = isinstance(exc, openai.APITimeoutError)
                if retries < self.settings.retries:
                    self._sleep(self._delay(retries, None))
                    retries += 1
                    continue
                if timed_out:
                    raise RequestFailed(
                        f"no answer within {self.settings.timeout:g} s ({retries + 1} attempts)"
                    ) from None
                raise LLMError(
                    f"cannot reach the LLM endpoint {self.shown_url} ({_cause(exc)}); is the "
                    "server running, and does the URL end in /v1?"
                ) from None
            except openai.APIStatusError as exc:
                status = exc.status_code
                if status in (401, 403):
                    raise LLMError(
                        f"the LLM endpoint {self.shown_url} refused the request ({status}): set "
                        f"the API key in {' or '.join(API_KEY_VARIABLES)}"
                    ) from None
                if status == 404:
                    raise LLMError(
                        f"the LLM endpoint {self.shown_url} answered 404 for model "
                        f"{self.settings.model!r}: check the URL (usually ending in /v1) and "
                        f"the model name ({_detail(exc)})"
                    ) from None
                if self._rejected_parameter(status, exc) and self._drop_rejected(exc, sent_form):
                    continue
                if (status == 429 or status >= 500) and retries < self.settings.retries:
                    self._sleep(self._delay(retries, exc))
                    retries += 1
                    continue
                raise RequestFailed(
                    f"the endpoint answered {status} ({_detail(exc)}) after {retries + 1} "
                    "attempt(s)"
                ) from None
            except openai.OpenAIError as exc:
                raise RequestFailed(f"malformed answer from the endpoint: {exc}") from None
            except Exception as exc:  # a 200 whose body is not JSON (JSONDecodeError), ...
                # a proxy's hiccup may pass: retried like a 5xx, then this request fails
                if retries < self.settings.retries:
                    self._sleep(self._delay(retries, None))
                    retries += 1
                    continue
                raise RequestFailed(
                    f"malformed answer from the endpoint ({type(exc).__name__}: "
                    f"{' '.join(_scrub(str(exc)).split())[:200]})"
                ) from None
            return self._completion(response, retries, time.perf_counter() - started)

    # --- helpers -----------------------------------------------------------------------
    def _request(
        self, messages: Sequence[Message], json_mode: bool, schema: str | None = None
    ) -> dict[str, Any]:
        settings = self.settings
        request: dict[str, Any] = {"model": settings.model, "messages": list(messages)}
        with self._lock:
            dropped = set(self._dropped)
        if settings.temperature is not None and "temperature" not in dropped:
            request["temperature"] = settings.temperature
        if settings.max_tokens is not None:
            name = "max_completion_tokens" if "max_tokens" in dropped else "max_tokens"
            request[name] = settings.max_tokens
        if settings.seed is not None and "seed" not in dropped:
            request["seed"] = settings.seed
        if json_mode and "response_format" not in dropped:
            request["response_format"] = {"type": "json_object"}
            with self._lock:
                form = self._schema_form
            if schema is not None and form < len(_SCHEMA_FORMS):
                request["response_format"] = _SCHEMA_FORMS[form](json.loads(schema))
                request["_schema_form"] = form  # for `complete`, not sent
        return request

    @staticmethod
    def _rejected_parameter(status: int, exc: Exception) -> bool:
        """A refusal of what was asked, not a failure to answer: 400/422, or a 500 naming the
        response format (llama-cpp-python's server reports its validation errors so)."""
        if status in (400, 422):
            return True
        return status >= 500 and "response_format" in _detail(exc).lower()

    def _drop_rejected(self, exc: Exception, sent_form: int | None = None) -> bool:
        """A 400 that names an optional parameter (JSON mode, max_tokens on reasoning
        models...): stop sending it and try again; False when there is nothing to drop."""
        text = _detail(exc).lower()
        with self._lock:
            if sent_form is not None and ("response_format" in text or "schema" in text):
                if self._schema_form == sent_form:  # not moved on by a concurrent request
                    self._schema_form += 1  # try the next way of sending the schema
                return True
            for name in _OPTIONAL_PARAMETERS:
                if name not in self._dropped and name in text:
                    self._dropped.add(name)
                    return True
        return False

    def _delay(self, retry: int, exc: Exception | None) -> float:
        settings = self.settings
        wanted = _retry_after(exc)
        if wanted is None:
            wanted = settings.backoff * (2**retry) * random.uniform(0.5, 1.0)
        return max(0.0, min(settings.max_backoff, wanted))

    def _completion(self, response: Any, retries: int, seconds: float) -> Completion:
        """The answer's text and counts; RequestFailed for a body that is not a completion
        (the SDK accepts any JSON: a list, a string, fields of the wrong type)."""
        try:
            choice = response.choices[0]
            content = choice.message.content or ""
            if not isinstance(content, str):
                raise TypeError(f"content is {type(content).__name__}, not text")
            # JSON may carry lone surrogates ("\ud800"), which no report could print
            text = content.encode("utf-8", "replace").decode("utf-8")
            finish = choice.finish_reason or ""
        except (AttributeError, IndexError, KeyError, TypeError) as exc:
            raise RequestFailed(f"malformed answer from the endpoint: no choices ({exc})") from None
        usage = getattr(response, "usage", None)
        try:
            prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or 0)
            completion_tokens = int(getattr(usage, "completion_tokens", 0) or 0)
        except (TypeError, ValueError) as exc:
            raise RequestFailed(f"malformed answer from the endpoint: usage ({exc})") from None
        return Completion(
            text=text,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            model=str(getattr(response, "model", "") or ""),
            finish_reason=str(finish),
            retries=retries,
            seconds=round(seconds, 3),
        )


def _retry_after(exc: Exception | None) -> float | None:
    """Seconds the server asked us to wait (Retry-After as seconds or an HTTP date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return float(millis) / 1000
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        return when.timestamp() - time.time()


def _scrub(text: str) -> str:
    """`text` without the API key, should a server or proxy echo it in an error."""
    key = api_key()
    return text.replace(key, "[API key]") if key else text


def shown_url(url: str) -> str:
    """`url` fit for a message: a password in it (`https://user:pass@host/v1`) is hidden."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))


def _detail(exc: Exception) -> str:
    """The server's error message, short (never the request, which holds the code)."""
    body = getattr(exc, "body", None)
    message = None
    if isinstance(body, Mapping):
        error = body.get("error", body)
        message = error.get("message") if isinstance(error, Mapping) else error
    text = str(message if message else getattr(exc, "message", "") or exc)
    text = " ".join(_scrub(text).split())
    return text[:300] + ("…" if len(text) > 300 else "")


def _cause(exc: BaseException) -> str:
    """The root cause of a connection error (`Connection refused`), not the SDK's wrapper."""
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return " ".join(_scrub(str(exc)).split())[:200] or type(exc).__name__
