"""Who may use the review app: user accounts (argon2 password hashes) in a small SQLite file, two roles
(``analyst`` may change things, ``reader`` may look), a CSRF token per session, and the app's secret
key for signing session cookies.

Example:
    >>> users = Users(Path("data/brukere.sqlite"))  # doctest: +SKIP
    >>> users.add("kari", "et langt passord", "analyst")  # doctest: +SKIP
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = {"analyst": "kan endre", "reader": "kan lese"}
MIN_PASSWORD = 8
_HASHER = PasswordHasher()
_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, hash TEXT NOT NULL, role TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class UserError(ValueError):
    """A user cannot be added: a bad name, role or password."""


@dataclass(frozen=True)
class User:
    name: str
    role: str

    @property
    def may_edit(self) -> bool:
        return self.role == "analyst"


class Users:
    """The accounts file; each call opens it briefly (the app and ``horing app add-user`` share it)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.executescript(_SCHEMA)
            with db:
                yield db
        finally:
            db.close()

    def add(self, name: str, password: str, role: str) -> User:
        """Add a user or set a new password and role for one.

        Raises:
            UserError: an empty name, an unknown role or a password shorter than ``MIN_PASSWORD``.
        """
        name = name.strip()
        if not name or len(name) > 64 or any(c.isspace() for c in name):
            raise UserError("Brukernavnet må være 1–64 tegn uten mellomrom")
        if role not in ROLES:
            raise UserError(f"Ukjent rolle {role!r}: bruk {' eller '.join(ROLES)}")
        if len(password) < MIN_PASSWORD:
            raise UserError(f"Passordet må ha minst {MIN_PASSWORD} tegn")
        with self._db() as db:
            db.execute("INSERT OR REPLACE INTO users VALUES (?, ?, ?)", (name, _HASHER.hash(password), role))
        return User(name, role)

    def check(self, name: str, password: str) -> User | None:
        """The user if ``password`` is theirs, else None (the same work for an unknown name)."""
        with self._db() as db:
            row = db.execute("SELECT hash, role FROM users WHERE name = ?", (name,)).fetchone()
        try:
            _HASHER.verify(row[0] if row else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            return None
        return User(name, row[1]) if row else None

    def get(self, name: str) -> User | None:
        with self._db() as db:
            row = db.execute("SELECT role FROM users WHERE name = ?", (name,)).fetchone()
        return User(name, row[0]) if row else None

    def count(self) -> int:
        with self._db() as db:
            return db.execute("SELECT count(*) FROM users").fetchone()[0]

    def secret_key(self) -> str:
        """The key session cookies are signed with: made once, kept in the accounts file."""
        with self._db() as db:
            db.execute("INSERT OR IGNORE INTO settings VALUES ('secret_key', ?)", (secrets.token_urlsafe(32),))
            return db.execute("SELECT value FROM settings WHERE key = 'secret_key'").fetchone()[0]


_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


def csrf_token(session: dict) -> str:
    """The session's CSRF token (made on first use); every form sends it back."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def csrf_ok(session: dict, sent: str | None) -> bool:
    """Whether a form's token is the session's."""
    return bool(sent) and "csrf" in session and hmac.compare_digest(str(sent), session["csrf"])
