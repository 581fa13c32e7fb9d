"""Triage: a reviewer's decision on one finding (false positive, accepted risk, fixed),
kept in the store so later reviews hide it and `secreview triage --list` shows why. A
finding marked fixed is not hidden: found again, it is a regression, and its message says
when it was marked fixed.

Decisions are keyed by fingerprint, which survives line shifts and edits elsewhere. The
store lives in the reviewed tree, which may come from the change under review: a change
must not be able to silence its own review by carrying a `.secreview/store.sqlite3` whose
decisions hide its findings. So each decision is signed (HMAC-SHA256) with this user's key,
the one the analysis cache uses, kept outside the tree; a review honours only decisions
whose signature verifies, and says how many others it ignored. Decisions a team shares
belong in a reviewable text file: a baseline (`secreview baseline create`), committed and
seen in the diff like any code.

The store is shared by concurrent runs (CI jobs, an editor, a pre-commit hook): every write is
one `BEGIN IMMEDIATE` transaction, so writers queue instead of interleaving, and a review
only reads decisions (and notes where it saw each finding, for the list) when a store
already exists; it never creates one.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from secreview import lazyre, store
from secreview.model import Diagnostic, Review
from secreview.reports._common import visible

STATUSES = ("false-positive", "accepted-risk", "fixed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS triage (
    fingerprint TEXT PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('false-positive', 'accepted-risk', 'fixed')),
    note        TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL,
    mac         BLOB  -- HMAC-SHA256 of the decision under this user's key (see `_mac`)
);
CREATE TABLE IF NOT EXISTS triage_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    fingerprint TEXT NOT NULL,
    status      TEXT NOT NULL,  -- a status, or 'removed'
    note        TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS findings_seen (
    fingerprint TEXT PRIMARY KEY,
    rule_id     TEXT NOT NULL,
    path        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    title       TEXT NOT NULL,
    last_seen   TEXT NOT NULL
);
"""

_FINGERPRINT = lazyre.compile(r"[0-9A-Za-z][0-9A-Za-z_.:-]{3,199}")
# What a decision's signature is over, before its fields: never an analysis cache key or an
# LLM response's, though all three are signed with the same key.
_MAC_LABEL = b"secreview triage decision\0"


class TriageError(ValueError):
    """A bad fingerprint or status, or a store that cannot be used: exit code 2."""


@dataclass(frozen=True, slots=True)
class Decision:
    fingerprint: str
    status: str
    note: str
    author: str
    decided_at: str
    # where a review last saw the finding, if one did with this store
    rule_id: str = ""
    path: str = ""
    line: int = 0
    title: str = ""
    signed: bool = True  # written by this user's secreview (only those hide findings)


def _mac(secret: bytes, fingerprint: str, status: str, note: str, author: str, when: str) -> bytes:
    fields = "\0".join((fingerprint, status, note, author, when)).encode("utf-8", "replace")
    return hmac.new(secret, _MAC_LABEL + fields, hashlib.sha256).digest()


def _verified(secret: bytes | None, row: tuple) -> bool:
    """Whether a (fingerprint, status, note, author, decided_at, mac) row was signed with
    this user's key."""
    mac = row[5]
    if secret is None or not isinstance(mac, bytes):
        return False
    return hmac.compare_digest(mac, _mac(secret, *row[:5]))


def _secret() -> bytes | None:
    from secreview.cache import load_secret

    return load_secret()


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _author() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in a container
        return ""


def _open(path: str | Path) -> sqlite3.Connection:
    try:
        conn = store.connect(path)
        _schema(conn)
    except (sqlite3.Error, OSError) as exc:
        raise TriageError(f"cannot use the store {path}: {exc}") from None
    return conn


def _schema(conn: sqlite3.Connection) -> None:
    """The tables, and the `mac` column a store made before decisions were signed lacks
    (its decisions stay unsigned: shown, never honoured, until recorded again)."""
    store.ensure_schema(conn, SCHEMA)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(triage)")}
    if "mac" not in columns:
        conn.execute("ALTER TABLE triage ADD COLUMN mac BLOB")


def check_fingerprint(fingerprint: str) -> str:
    fingerprint = fingerprint.strip()
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise TriageError(
            f"not a fingerprint: {fingerprint!r} (copy it from `secreview review --verbose` "
            "or the JSON/SARIF report)"
        )
    return fingerprint


def resolve(path: str | Path, given: str, *, table: str = "findings_seen") -> str | None:
    """The full fingerprint `given` names among those a review using the store produced
    (`table` "triage": among the decisions recorded): itself, or the one fingerprint it
    begins, as git takes a unique hash prefix. None when it names none; TriageError when
    it begins several."""
    given = check_fingerprint(given)
    try:
        store.refuse_links(path)
    except OSError as exc:
        raise TriageError(f"cannot use the store {path}: {exc}") from None
    if not Path(path).exists():
        return None
    conn = _open(path)
    try:
        exact = conn.execute(
            f"SELECT fingerprint FROM {table} WHERE fingerprint = ?", (given,)
        ).fetchone()
        if exact:
            return given
        rows = conn.execute(
            f"SELECT fingerprint FROM {table} WHERE substr(fingerprint, 1, ?) = ? "
            "ORDER BY fingerprint LIMIT 6",
            (len(given), given),
        ).fetchall()
    except sqlite3.Error as exc:
        raise TriageError(f"cannot read the store {path}: {exc}") from None
    finally:
        conn.close()
    if len(rows) > 1:
        shown = ", ".join(row[0] for row in rows[:5]) + (", ..." if len(rows) > 5 else "")
        raise TriageError(f"fingerprint prefix {given!r} is ambiguous: {shown}")
    return rows[0][0] if rows else None


def known(path: str | Path, given: str, *, force: bool = False) -> str:
    """`given` as a full fingerprint a review produced, for recording a decision; unknown
    fingerprints are refused (a typo would hide nothing and say nothing) unless `force`."""
    found = resolve(path, given)
    if found is not None:
        return found
    if force:
        return check_fingerprint(given)
    if not _has_seen(path):
        raise TriageError(
            f"no review has recorded its findings in {path} yet, so {given!r} cannot be "
            "checked: run `secreview review` (its store keeps the fingerprints it reports; "
            "a review with --no-cache and no store records none), or pass --force"
        )
    raise TriageError(
        f"no review using {path} reported a finding with fingerprint {given!r} (copy it "
        "from `secreview review --verbose` or the JSON/SARIF report); pass --force to "
        "record it anyway"
    )


def _has_seen(path: str | Path) -> bool:
    if not Path(path).exists():
        return False
    conn = _open(path)
    try:
        return conn.execute("SELECT 1 FROM findings_seen LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def record(path: str | Path, fingerprint: str, status: str, note: str = "") -> Decision:
    """Record (or replace) the decision on one finding (`known` checks the fingerprint)."""
    fingerprint = check_fingerprint(fingerprint)
    if status not in STATUSES:
        raise TriageError(f"unknown status {status!r}; choose one of: {', '.join(STATUSES)}")
    decision = Decision(fingerprint, status, note, _author(), _now())
    secret = _secret()
    if secret is None:
        raise TriageError(
            "cannot sign the decision: no key in ~/.cache/secreview (or $XDG_CACHE_HOME) "
            "can be read or made, and only signed decisions hide findings"
        )
    mac = _mac(secret, fingerprint, status, note, decision.author, decision.decided_at)
    conn = _open(path)
    try:
        with store.transaction(conn):
            conn.execute(
                "INSERT INTO triage (fingerprint, status, note, author, decided_at, mac) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET "
                "status = excluded.status, note = excluded.note, author = excluded.author, "
                "decided_at = excluded.decided_at, mac = excluded.mac",
                (fingerprint, status, note, decision.author, decision.decided_at, mac),
            )
            _history(conn, decision)
        seen = conn.execute(
            "SELECT rule_id, path, line, title FROM findings_seen WHERE fingerprint = ?",
            (fingerprint,),
        ).fetchone()
    except sqlite3.Error as exc:
        raise TriageError(f"cannot record the decision in {path}: {exc}") from None
    finally:
        conn.close()
    return replace(decision, **_seen_fields(seen)) if seen else decision


def remove(path: str | Path, fingerprint: str) -> bool:
    """Drop the decision on a finding (it shows in reviews again); False if there was none."""
    fingerprint = check_fingerprint(fingerprint)
    if not Path(path).exists():
        return False
    conn = _open(path)
    try:
        with store.transaction(conn):
            gone = conn.execute("DELETE FROM triage WHERE fingerprint = ?", (fingerprint,))
            if gone.rowcount:
                _history(conn, Decision(fingerprint, "removed", "", _author(), _now()))
    except sqlite3.Error as exc:
        raise TriageError(f"cannot remove the decision from {path}: {exc}") from None
    finally:
        conn.close()
    return bool(gone.rowcount)


def _history(conn: sqlite3.Connection, decision: Decision) -> None:
    conn.execute(
        "INSERT INTO triage_history (fingerprint, status, note, author, decided_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            decision.fingerprint,
            decision.status,
            decision.note,
            decision.author,
            decision.decided_at,
        ),
    )


def _seen_fields(row: tuple | None) -> dict:
    if not row:
        return {}
    return {"rule_id": row[0], "path": row[1], "line": row[2], "title": row[3]}


def decisions(path: str | Path) -> list[Decision]:
    """Every decision, most recent first, with where a review last saw the finding."""
    if not Path(path).exists():
        return []
    conn = _open(path)
    try:
        rows = conn.execute(
            "SELECT t.fingerprint, t.status, t.note, t.author, t.decided_at, t.mac, "
            "s.rule_id, s.path, s.line, s.title FROM triage t "
            "LEFT JOIN findings_seen s ON s.fingerprint = t.fingerprint "
            "ORDER BY t.decided_at DESC, t.fingerprint"
        ).fetchall()
    except sqlite3.Error as exc:
        raise TriageError(f"cannot read decisions from {path}: {exc}") from None
    finally:
        conn.close()
    secret = _secret()
    return [
        Decision(
            *row[:5],
            **_seen_fields(row[6:]) if row[6] is not None else {},
            signed=_verified(secret, row[:6]),
        )
        for row in rows
    ]


def hide(review: Review, path: str | Path) -> Review:
    """`review` without the findings this user triaged (their number goes to the stats).
    Reads the store only if it exists; a store that cannot be used (a symbolic link, not a
    database) and decisions not signed with this user's key become diagnostics."""
    if not os.path.lexists(path):
        return review
    try:
        conn = store.connect(path)
        try:
            _schema(conn)
            now = _now()
            with store.transaction(conn):
                conn.executemany(
                    "INSERT INTO findings_seen (fingerprint, rule_id, path, line, title, "
                    "last_seen) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE "
                    "SET rule_id = excluded.rule_id, path = excluded.path, line = excluded.line, "
                    "title = excluded.title, last_seen = excluded.last_seen",
                    [
                        (f.fingerprint, f.rule_id, f.location.path, f.location.line, f.title, now)
                        for f in review.findings
                        if f.fingerprint
                    ],
                )
            rows = conn.execute(
                "SELECT fingerprint, status, note, author, decided_at, mac FROM triage"
            ).fetchall()
        finally:
            conn.close()
    except (sqlite3.Error, OSError) as exc:
        note = Diagnostic(_shown(path, review), f"triage store not used: {exc}", "store")
        return replace(review, diagnostics=(*review.diagnostics, note))
    secret = _secret()
    decisions = {}
    ignored = 0
    for row in rows:
        if _verified(secret, row):
            decisions[row[0]] = (row[1], row[3], row[4])
        else:
            ignored += 1
    if ignored:
        note = Diagnostic(
            _shown(path, review),
            f"{ignored} triage decision{'s' if ignored != 1 else ''} in the store "
            f"{'are' if ignored != 1 else 'is'} not signed with this user's key (a store "
            "that came with the code, or another user's) and were ignored: "
            "`secreview triage --list` shows them; record a decision again to adopt it",
            "store",
        )
        review = replace(review, diagnostics=(*review.diagnostics, note))
    kept = []
    for finding in review.findings:
        decision = decisions.get(finding.fingerprint)
        if decision is None:
            kept.append(finding)
        elif decision[0] == "fixed":
            # a finding marked fixed that is found again came back: say so, never hide it
            _, author, decided_at = decision
            when = decided_at[:10]
            regression = f" It was marked fixed on {when} by {author} and is found again."
            kept.append(replace(finding, message=finding.message + regression))
    hidden = len(review.findings) - len(kept)
    if kept == list(review.findings):
        return review
    return replace(
        review,
        findings=tuple(kept),
        stats=replace(review.stats, triaged=review.stats.triaged + hidden),
    )


def _shown(path: str | Path, review: Review) -> str:
    """The store's path as reports show paths: relative to the review root when inside."""
    try:
        relative = Path(path).resolve(strict=False).relative_to(Path(review.root).resolve())
    except (OSError, ValueError):
        return str(path)
    return relative.as_posix()


def listing(items: list[Decision]) -> str:
    """`secreview triage --list` as text."""
    if not items:
        return "No triage decisions recorded.\n"
    lines = []
    for item in items:
        where = f"{item.rule_id} at {item.path}:{item.line}" if item.rule_id else "not seen yet"
        unsigned = "" if item.signed else "  (not signed by you: ignored by reviews)"
        lines.append(f"{item.fingerprint}  {item.status}  {where}{unsigned}")
        by = f" by {item.author}" if item.author else ""
        lines.append(f"    decided {item.decided_at}{by}" + (f": {item.note}" if item.note else ""))
    return visible("\n".join(lines)) + "\n"  # a path may hold control characters
