"""The store: one SQLite file (`<root>/.secreview/store.sqlite3`, or `--store PATH`) shared by
the analysis cache, triage decisions, run history and LLM responses.

Each feature owns its tables and creates them with `CREATE TABLE IF NOT EXISTS` through
`ensure_schema`; this module only opens the file safely. WAL mode and a busy timeout let two
concurrent runs share it: readers never block, writers queue instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

STORE_DIR = ".secreview"
STORE_FILE = "store.sqlite3"
BUSY_TIMEOUT_SECONDS = 30.0


def default_path(root: str | Path) -> Path:
    """Where a review rooted at `root` keeps its store."""
    return Path(root) / STORE_DIR / STORE_FILE


def connect(path: str | Path) -> sqlite3.Connection:
    """Open (creating folder and file if needed) with settings safe for concurrent runs.

    The default store lives in the reviewed tree, which may come from an untrusted change:
    there a `.secreview` folder or store file that is a symbolic link is refused (OSError),
    since following it would write wherever the change points it."""
    import sqlite3  # a review that opens no store never loads SQLite

    path = Path(path)
    refuse_links(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    gitignore = path.parent / ".gitignore"
    if path.parent.name == STORE_DIR and not gitignore.exists():
        with suppress(OSError):
            gitignore.write_text("*\n", encoding="utf-8")  # never commit the store
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    # WAL can fail on a file system without shared memory; the store still works without it.
    with suppress(sqlite3.OperationalError):
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def refuse_links(path: str | Path) -> None:
    """OSError when the store at `path` lives in a `.secreview` folder and that folder, the
    file or one of SQLite's side files is a symbolic link."""
    path = Path(path)
    if path.parent.name == STORE_DIR:
        planted = [p for p in _store_paths(path) if p.is_symlink()]
        if planted:
            raise OSError(f"{planted[0]} is a symbolic link; the store does not follow links")


def _store_paths(path: Path) -> list[Path]:
    """The store's folder, its file and SQLite's side files (journal, WAL, shared memory)."""
    return [path.parent, path, *(path.with_name(path.name + s) for s in _SIDE_FILES)]


_SIDE_FILES = ("-journal", "-wal", "-shm")


def ensure_schema(conn: sqlite3.Connection, statements: str) -> None:
    """Run a feature's `CREATE TABLE IF NOT EXISTS ...` script (idempotent)."""
    conn.executescript(statements)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` ... `COMMIT`: takes the write lock up front so two processes
    writing at once wait for each other instead of failing half-way."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
