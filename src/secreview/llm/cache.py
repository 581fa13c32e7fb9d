"""LLM answers kept in the shared store, keyed by (model, prompt hash): a re-review of
unchanged code asks the model nothing and costs nothing.

The prompt hash covers the messages, every request parameter that changes the answer
(temperature, max tokens, seed, JSON mode) and the endpoint. Rows are signed with
HMAC-SHA256 under the same per-user key as the analysis cache (`secreview.cache.load_secret`),
because the store lives in the reviewed tree: a planted row could otherwise feed the
verifier answers nobody asked for. A row whose signature does not verify is a miss. The
signed text starts with a label of its own, so a row signed here can never pass for a row of
the analysis cache (whose blobs are unpickled) or the other way round, though both are
signed with the same key. Failure is never fatal: a store that cannot be opened turns the
cache off for the run.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import sqlite3
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from secreview import store
from secreview.llm.client import Completion

SCHEMA = """
CREATE TABLE IF NOT EXISTS llm_responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    prompt_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    mac BLOB NOT NULL,
    created INTEGER NOT NULL,
    used INTEGER NOT NULL
);
"""

KEEP_UNUSED_DAYS = 90
_DAY = 86_400
# What a signature here is over, before the row: not hex, so never an analysis cache key.
_MAC_LABEL = b"secreview llm response\0"


def prompt_hash(messages: Sequence[Mapping[str, str]], parameters: Mapping[str, Any]) -> str:
    """SHA-256 of the messages and the answer-changing request parameters."""
    payload = json.dumps(
        {"messages": list(messages), "parameters": dict(parameters)},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


class ResponseCache:
    """Used from one thread (the run's main thread); lookups and writes are immediate."""

    def __init__(self, conn: sqlite3.Connection, secret: bytes) -> None:
        self.conn = conn
        self.secret = secret
        self.hits = 0

    @classmethod
    def open(cls, path: str | Path) -> ResponseCache | None:
        from secreview.cache import open_signed

        opened = open_signed(path, SCHEMA)
        return cls(*opened) if opened is not None else None

    @staticmethod
    def key(model: str, phash: str) -> str:
        return hashlib.sha256(f"{model}\0{phash}".encode()).hexdigest()

    def _mac(self, key: str, response: str) -> bytes:
        signed = _MAC_LABEL + f"{key}\0{response}".encode()
        return hmac.new(self.secret, signed, hashlib.sha256).digest()

    def get(self, model: str, phash: str) -> Completion | None:
        key = self.key(model, phash)
        try:
            row = self.conn.execute(
                "SELECT response, mac FROM llm_responses WHERE key = ?", (key,)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None or not hmac.compare_digest(bytes(row[1]), self._mac(key, row[0])):
            return None
        try:
            data = json.loads(row[0])
            completion = Completion(
                text=str(data["text"]),
                prompt_tokens=int(data.get("prompt_tokens", 0)),
                completion_tokens=int(data.get("completion_tokens", 0)),
                model=str(data.get("model", "")),
                finish_reason=str(data.get("finish_reason", "")),
                cached=True,
            )
        except (ValueError, KeyError, TypeError):
            return None
        self.hits += 1
        with contextlib.suppress(sqlite3.Error):
            self.conn.execute(
                "UPDATE llm_responses SET used = ? WHERE key = ?", (int(time.time()), key)
            )
        return completion

    def put(self, model: str, phash: str, completion: Completion) -> None:
        key = self.key(model, phash)
        response = json.dumps(
            {
                "text": completion.text,
                "prompt_tokens": completion.prompt_tokens,
                "completion_tokens": completion.completion_tokens,
                "model": completion.model,
                "finish_reason": completion.finish_reason,
            }  # ASCII: a lone surrogate in an answer (JSON allows "\ud800") cannot be encoded
        )
        now = int(time.time())
        try:
            with store.transaction(self.conn):
                self.conn.execute(
                    "INSERT OR REPLACE INTO llm_responses "
                    "(key, model, prompt_hash, response, mac, created, used) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (key, model, phash, response, self._mac(key, response), now, now),
                )
        except sqlite3.Error:
            pass

    def close(self) -> None:
        try:
            with store.transaction(self.conn):
                self.conn.execute(
                    "DELETE FROM llm_responses WHERE used < ?",
                    (int(time.time()) - KEEP_UNUSED_DAYS * _DAY,),
                )
        except sqlite3.Error:
            pass
        finally:
            self.conn.close()
