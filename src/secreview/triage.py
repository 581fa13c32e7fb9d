"""Triage: a reviewer's decision on one finding (false positive, accepted risk, fixed),
kept in the store so later reviews hide it and `secreview triage --list` shows why. A
finding marked fixed is not hidden: found again, it is a regression, and its message says
when it was marked fixed.

Decisions are keyed by fingerprint, which survives line shifts and edits elsewhere. The
store is shared by concurrent runs (CI jobs, an editor, a pre-commit hook): every write is
one `BEGIN IMMEDIATE` transaction, so writers queue instead of interleaving, and a review
only reads decisions (and notes where it saw each finding, for the list) when a store
already exists; it never creates one.
"""

from __future__ import annotations

import getpass
import os
import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from secreview import store
from secreview.model import Diagnostic, Review
from secreview.reports._common import visible

STATUSES = ("false-positive", "accepted-risk", "fixed")

SCHEMA = """
CREATE TABLE IF NOT EXISTS triage (
    fingerprint TEXT PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('false-positive', 'accepted-risk', 'fixed')),
    note        TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',
    decided_at  TEXT NOT NULL
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

_FINGERPRINT = re.compile(r"[0-9A-Za-z][0-9A-Za-z_.:-]{3,199}")


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
        store.ensure_schema(conn, SCHEMA)
    except (sqlite3.Error, OSError) as exc:
        raise TriageError(f"cannot use the store {path}: {exc}") from None
    return conn


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
    conn = _open(path)
    try:
        with store.transaction(conn):
            conn.execute(
                "INSERT INTO triage (fingerprint, status, note, author, decided_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET "
                "status = excluded.status, note = excluded.note, author = excluded.author, "
                "decided_at = excluded.decided_at",
                (fingerprint, status, note, decision.author, decision.decided_at),
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
            "SELECT t.fingerprint, t.status, t.note, t.author, t.decided_at, "
            "s.rule_id, s.path, s.line, s.title FROM triage t "
            "LEFT JOIN findings_seen s ON s.fingerprint = t.fingerprint "
            "ORDER BY t.decided_at DESC, t.fingerprint"
        ).fetchall()
    except sqlite3.Error as exc:
        raise TriageError(f"cannot read decisions from {path}: {exc}") from None
    finally:
        conn.close()
    return [
        Decision(*row[:5], **_seen_fields(row[5:]) if row[5] is not None else {}) for row in rows
    ]


def hide(review: Review, path: str | Path) -> Review:
    """`review` without the triaged findings (their number goes to the stats). Reads the
    store only if it exists; a store that cannot be read becomes a diagnostic."""
    if not os.path.exists(path):
        return review
    try:
        conn = store.connect(path)
        try:
            store.ensure_schema(conn, SCHEMA)
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
            decisions = {
                row[0]: (row[1], row[2], row[3])
                for row in conn.execute(
                    "SELECT fingerprint, status, author, decided_at FROM triage"
                )
            }
        finally:
            conn.close()
    except sqlite3.Error as exc:
        note = Diagnostic(str(path), f"triage store not used: {exc}", "store")
        return replace(review, diagnostics=(*review.diagnostics, note))
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


def listing(items: list[Decision]) -> str:
    """`secreview triage --list` as text."""
    if not items:
        return "No triage decisions recorded.\n"
    lines = []
    for item in items:
        where = f"{item.rule_id} at {item.path}:{item.line}" if item.rule_id else "not seen yet"
        lines.append(f"{item.fingerprint}  {item.status}  {where}")
        by = f" by {item.author}" if item.author else ""
        lines.append(f"    decided {item.decided_at}{by}" + (f": {item.note}" if item.note else ""))
    return visible("\n".join(lines)) + "\n"  # a path may hold control characters
