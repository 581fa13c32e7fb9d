"""The analysis cache: per-file results kept in the shared store, so that a re-review
analyses only the files that changed, and skips the whole-program solve when none did.

What is cached
  `analysis_files`: one row per file result (`ModuleResult`: findings, diagnostics,
  suppressions, line count, and separately its taint summaries), keyed by a hash of
  - the file's content (SHA-256 of its bytes),
  - its review-relative path and module name (the path is in every finding; the module
    name, which follows from the package layout around the file, names its functions),
  - the run's analysis settings: test code, `# nosec`, library mode, and the top-level
    packages of the tree (they decide which calls stay symbolic), and
  - the engine: secreview's version, the Python version (its parser decides what is a
    syntax error), and a fingerprint of secreview's own source files, so an editable
    install or a patched spec never serves results computed by other code.
  Not by the rule selection: a row records the rules it was computed with (`rules`), and
  serves any run whose rules are among them (the pipeline keeps the selected rules'
  findings only), so `--rules`/`--skip-rules` never add a copy of the cache; a run whose
  rules it lacks computes the file again and replaces the row.
  `analysis_programs`: the whole-program phase's findings, keyed by the run settings, the
  rule selection and every file key in order; an unchanged tree reuses them without
  loading a summary.

Why pickle is safe here
  Unpickling runs code chosen by whoever wrote the data, and the store lives inside the
  reviewed tree, which may be untrusted (a pull request can add `.secreview/store.sqlite3`
  even though the folder's .gitignore excludes it). So every blob is signed with
  HMAC-SHA256 under a random key kept outside the tree (`$XDG_CACHE_HOME/secreview/
  cache.key`, else `~/.cache/secreview/cache.key`, mode 0600, made on first use), over the
  row's key and the blob. A blob whose signature does not verify is never unpickled: it is
  a miss, and the file is analysed again. Only secreview writing with this user's key can
  produce a blob that will be loaded, so pickle only ever reads our own data.

Failure is never fatal: a store that cannot be opened or written (read-only tree, corrupt
file, no home directory) turns the cache off for the run.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from secreview import __version__, store
from secreview.model import Finding
from secreview.python.analyzer import ModuleResult

if TYPE_CHECKING:
    import sqlite3

SCHEMA = """
CREATE TABLE IF NOT EXISTS analysis_files (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    path TEXT NOT NULL,
    result BLOB NOT NULL,
    summaries BLOB,
    used INTEGER NOT NULL,
    rules TEXT  -- the rule ids the result was computed with, one per line (signed with it)
);
CREATE TABLE IF NOT EXISTS analysis_programs (
    key TEXT PRIMARY KEY,
    engine TEXT NOT NULL,
    findings BLOB NOT NULL,
    used INTEGER NOT NULL
);
"""

KEY_FILE = "cache.key"
_MAC_SIZE = 32
_BATCH = 500  # host parameters per statement, well under SQLite's limit
_DAY = 86_400
KEEP_UNUSED_DAYS = 30  # rows no run has used for this long are deleted
KEEP_OTHER_ENGINE_DAYS = 1  # rows of other secreview builds go sooner


def secret_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "secreview" / KEY_FILE


def load_secret(path: Path | None = None) -> bytes | None:
    """This user's signing key, created (atomically, mode 0600) on first use; None when
    there is nowhere to keep one."""
    path = path or secret_path()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        import secrets  # only when the key is first made: `random` is start-up time

        temporary = path.with_name(f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(secrets.token_bytes(32))
        try:
            os.link(temporary, path)  # fails if another run made the key first: use theirs
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) >= 32 else None


def open_signed(path: str | Path, schema: str) -> tuple[sqlite3.Connection, bytes] | None:
    """The store at `path` with a feature's `schema`, and this user's signing key for its
    rows; None when either cannot be had (the feature then runs without its cache)."""
    import sqlite3  # loaded with the store: `--no-cache` never needs it

    secret = load_secret()
    if secret is None:
        return None
    try:
        conn = store.connect(path)
        store.ensure_schema(conn, schema)
    except (sqlite3.Error, OSError):
        return None
    return conn, secret


@cache
def engine_fingerprint() -> str:
    """secreview's version, Python's, and the names, sizes and times of secreview's source
    files: any change to the code that computes results changes every key."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{__version__}\0{sys.version_info[:3]}".encode())
    for path in sorted(package.rglob("*.py")):
        try:
            info = path.stat()
        except OSError:
            continue
        relative = path.relative_to(package).as_posix()
        digest.update(f"\0{relative}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class AnalysisCache:
    """One run's view of the cache: lookups, then one write transaction at `close`."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        secret: bytes,
        context: str,
        rules: frozenset[str] = frozenset(),
    ):
        self.conn = conn
        self.secret = secret
        self.engine = engine_fingerprint()
        self.context = hashlib.sha256(f"{self.engine}\0{context}".encode()).hexdigest()
        self.rules = rules  # what this run computes, and must find in a row to use it
        self._rules_text = "\n".join(sorted(rules))
        self.hits = 0
        self.misses = 0
        self._pending_files: list[tuple[str, str, ModuleResult]] = []
        self._pending_program: tuple[str, list[Finding]] | None = None
        self._stale: list[str] = []  # hits last used over a day ago: refresh `used`
        self._stale_program: str | None = None

    @classmethod
    def open(
        cls, path: str | Path, context: str, rules: frozenset[str] = frozenset()
    ) -> AnalysisCache | None:
        """The cache in the store at `path`; None (no cache) when it cannot be used.
        `context` is every run setting but the rule selection that changes a file's
        result; `rules` is the selection."""
        import sqlite3

        opened = open_signed(path, SCHEMA)
        if opened is None:
            return None
        conn, secret = opened
        try:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(analysis_files)")}
            if "rules" not in columns:  # a store from before rows recorded their rules
                conn.execute("ALTER TABLE analysis_files ADD COLUMN rules TEXT")
        except sqlite3.Error:
            conn.close()
            return None
        return cls(conn, secret, context, rules)

    # --- keys --------------------------------------------------------------------------
    def file_key(self, path: str, module: str, digest: str) -> str:
        return hashlib.sha256(f"{self.context}\0{path}\0{module}\0{digest}".encode()).hexdigest()

    def program_key(self, file_keys: Iterable[str]) -> str:
        digest = hashlib.sha256(f"{self.context}\0{self._rules_text}\0program".encode())
        for key in file_keys:
            digest.update(key.encode())
        return digest.hexdigest()

    # --- signed blobs ------------------------------------------------------------------
    def _seal(self, key: str, payload: bytes) -> bytes:
        mac = hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()
        return mac + payload

    def _open(self, key: str, blob: bytes | None) -> Any:
        """The unpickled payload, or None when the signature does not verify."""
        if not blob or len(blob) <= _MAC_SIZE:
            return None
        mac, payload = blob[:_MAC_SIZE], blob[_MAC_SIZE:]
        expected = hmac.new(self.secret, key.encode() + b"\0" + payload, hashlib.sha256)
        if not hmac.compare_digest(mac, expected.digest()):
            return None
        try:
            # signed with our key: see the module doc
            return pickle.loads(payload)  # secreview: ignore[pickle-load]
        except Exception:  # written by an incompatible build: recompute
            return None

    # --- reads -------------------------------------------------------------------------
    def _select(self, sql: str, keys: Sequence[str]) -> list[tuple]:
        import sqlite3

        rows: list[tuple] = []
        try:
            for start in range(0, len(keys), _BATCH):
                batch = keys[start : start + _BATCH]
                marks = ",".join("?" * len(batch))
                rows += self.conn.execute(sql.format(marks=marks), batch).fetchall()
        except sqlite3.Error:
            return []
        return rows

    def get_files(self, keys: Sequence[str]) -> dict[str, ModuleResult]:
        """Cached results computed with (at least) this run's rules, without summaries
        (`get_summaries` loads those if needed); their findings may be of other rules too."""
        rows = self._select(
            "SELECT key, result, used, rules FROM analysis_files WHERE key IN ({marks})", keys
        )
        found: dict[str, ModuleResult] = {}
        old = int(time.time()) - _DAY
        for key, blob, used, rules in rows:
            if rules is None or not self.rules <= set(rules.split("\n")):
                continue  # computed without some of this run's rules: analyse again
            result = self._open(f"{key}\0{rules}", blob)
            if isinstance(result, ModuleResult):
                found[key] = result
                if used < old:
                    self._stale.append(key)
        self.hits += len(found)
        self.misses += len(keys) - len(found)
        return found

    def get_summaries(self, keys: Sequence[str]) -> dict[str, object] | None:
        """Summaries of cached files; None if any is missing (the caller re-analyses)."""
        rows = self._select(
            "SELECT key, summaries, rules FROM analysis_files WHERE key IN ({marks})", keys
        )
        found = {key: blob for key, blob, rules in rows if rules is not None}
        signed = {key: f"{key}\0{rules}" for key, _, rules in rows if rules is not None}
        out: dict[str, object] = {}
        for key in keys:
            blob = found.get(key, b"")
            if blob is None:
                out[key] = None  # the file has no summaries (a test module, a parse error)
                continue
            summary = self._open(signed.get(key, key), blob)
            if summary is None:
                return None
            out[key] = summary
        return out

    def get_program(self, key: str) -> list[Finding] | None:
        rows = self._select(
            "SELECT key, findings, used FROM analysis_programs WHERE key IN ({marks})", [key]
        )
        for row_key, blob, used in rows:
            findings = self._open(row_key, blob)
            if isinstance(findings, list) and all(isinstance(f, Finding) for f in findings):
                if used < int(time.time()) - _DAY:
                    self._stale_program = row_key
                return findings
        return None

    # --- writes (buffered; one transaction in `close`) --------------------------------
    def put_file(self, key: str, result: ModuleResult) -> None:
        self._pending_files.append((key, result.path, result))

    def put_program(self, key: str, findings: list[Finding]) -> None:
        self._pending_program = (key, findings)

    def close(self) -> None:
        """Write what this run computed, refresh what it used, drop what nobody uses."""
        import sqlite3

        now = int(time.time())
        try:
            if self._pending_files or self._pending_program or self._stale or self._stale_program:
                with store.transaction(self.conn) as conn:
                    self._write(conn, now)
        except sqlite3.Error:
            pass  # a full disk or a locked store costs the next run time, not this run
        finally:
            self._pending_files.clear()
            self._pending_program = None
            self._stale.clear()
            self._stale_program = None
            self.conn.close()

    def _write(self, conn: sqlite3.Connection, now: int) -> None:
        rows = []
        for key, path, result in self._pending_files:
            summaries, packed = result.summaries, result.packed_summaries
            head = replace(result, summaries=None, packed_summaries=None)
            head = pickle.dumps(head, pickle.HIGHEST_PROTOCOL)
            # the rules are signed with the row: a planted row cannot claim wider ones
            signed = f"{key}\0{self._rules_text}"
            tail = None
            if summaries is not None:
                if packed is None:
                    packed = pickle.dumps(summaries, pickle.HIGHEST_PROTOCOL)
                tail = self._seal(signed, packed)
            rows.append(
                (key, self.engine, path, self._seal(signed, head), tail, now, self._rules_text)
            )
        conn.executemany("INSERT OR REPLACE INTO analysis_files VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        if self._pending_program is not None:
            key, findings = self._pending_program
            blob = self._seal(key, pickle.dumps(findings, pickle.HIGHEST_PROTOCOL))
            conn.execute(
                "INSERT OR REPLACE INTO analysis_programs VALUES (?, ?, ?, ?)",
                (key, self.engine, blob, now),
            )
        for start in range(0, len(self._stale), _BATCH):
            batch = self._stale[start : start + _BATCH]
            conn.execute(
                f"UPDATE analysis_files SET used = ? WHERE key IN ({','.join('?' * len(batch))})",
                (now, *batch),
            )
        if self._stale_program is not None:
            conn.execute(
                "UPDATE analysis_programs SET used = ? WHERE key = ?", (now, self._stale_program)
            )
        if rows or self._pending_program is not None:
            for table in ("analysis_files", "analysis_programs"):
                conn.execute(
                    f"DELETE FROM {table} WHERE used < ? OR (engine != ? AND used < ?)",
                    (
                        now - KEEP_UNUSED_DAYS * _DAY,
                        self.engine,
                        now - KEEP_OTHER_ENGINE_DAYS * _DAY,
                    ),
                )
