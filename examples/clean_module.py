"""Account helpers for a small web service: password hashing, reset tokens, user lookups,
settings, backups and the deployed revision. Written the careful way: nothing to report.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

PBKDF2_ITERATIONS = 600_000
UPLOAD_ROOT = Path("/srv/app/uploads")


@dataclass(frozen=True)
class User:
    id: int
    email: str
    password_hash: str


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """PBKDF2-SHA256 with a random per-user salt, stored as `salt$hash` in hex."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ITERATIONS)
    return f"{salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    salt_hex, _, expected = stored.partition("$")
    candidate = hash_password(password, salt=bytes.fromhex(salt_hex)).partition("$")[2]
    return hmac.compare_digest(candidate, expected)


def new_reset_token() -> str:
    return secrets.token_urlsafe(32)


def find_user(connection: sqlite3.Connection, email: str) -> User | None:
    row = connection.execute(
        "SELECT id, email, password_hash FROM users WHERE email = ?", (email.lower(),)
    ).fetchone()
    return User(*row) if row else None


def load_settings(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return data


def load_cache(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def upload_path(filename: str) -> Path:
    """Resolve an uploaded file's name inside UPLOAD_ROOT, refusing anything outside it."""
    candidate = (UPLOAD_ROOT / filename).resolve()
    if not candidate.is_relative_to(UPLOAD_ROOT.resolve()):
        raise ValueError(f"invalid file name: {filename!r}")
    return candidate


def backup_database(database: Path, destination: Path) -> None:
    with sqlite3.connect(database) as source, sqlite3.connect(destination) as target:
        source.backup(target)


def deployed_revision(checkout: Path) -> str:
    """The git commit being served, for the /version endpoint (an argument list: no shell)."""
    completed = subprocess.run(
        ["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        check=True,
        text=True,
        timeout=10,
    )
    return completed.stdout.strip()
