"""The review store: every decision a person makes about a round, in one SQLite file beside its results.

``gjennomgang.sqlite`` in the round's output folder holds an append-only log: who decided, when, what
(a :data:`KINDS` name and its target: a theme id, a comment id, a response id, a comment and code),
the value before and the value after. Nothing is updated or deleted (triggers refuse it); a later
decision about the same target supersedes an earlier one, and :meth:`ReviewStore.current` gives what
holds now. The schema is versioned (``PRAGMA user_version``) and migrated forward on open.

The analysts' review file of earlier versions (``tema_gjennomgang.csv``: names, merges, notes) is
imported into the log (:func:`import_theme_review`) and written from it (:func:`theme_review`), so
nothing already written is lost.

Example:
    >>> with open_store(out_dir / STORE_FILE) as store:  # doctest: +SKIP
    ...     store.record("kari", "theme.name", "3", before="bolig, oppfølging", after="Bolig først")
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.themes.ids import Review

STORE_FILE = "gjennomgang.sqlite"
# What a decision can be about, and what its target names.
KINDS = {
    "theme.name": "theme id: the theme's name, as the analyst wants it shown",
    "theme.merge": "theme id: the theme it joins (a theme id), or none",
    "theme.note": "theme id: the analyst's note",
    "theme.reviewed": "theme id: true once a person has checked the theme",
    "comment.theme": "comment id: the theme a person put the comment in (a theme id, or -1 for none)",
    "comment.stance": "comment id: the stance a person set",
    "mention": "comment id and code ('<comment_id> <code>'): confirmed (true) or rejected (false)",
    "drift": "comment id and cited code: the likely code accepted (the code) or rejected (none)",
    "response.sender": "response id: the sender a person set ({name, kind})",
}
# Each migration takes the schema from version n (its index) to n + 1.
MIGRATIONS = (
    """
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        kind TEXT NOT NULL,
        target TEXT NOT NULL,
        before TEXT,
        after TEXT
    );
    CREATE INDEX decisions_by_target ON decisions (kind, target, id);
    CREATE TRIGGER decisions_are_never_changed BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    CREATE TRIGGER decisions_are_never_deleted BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'the decision log is append-only'); END;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be used: a newer schema than this code knows, or an unknown kind of decision."""


@dataclass(frozen=True)
class Decision:
    """One entry of the log; ``before`` and ``after`` are JSON values (None: nothing)."""

    id: int
    at: str
    who: str
    kind: str
    target: str
    before: Any
    after: Any


class ReviewStore:
    """The decision log of one round (use :func:`open_store`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def record(self, who: str, kind: str, target: str, *, before: Any = None, after: Any = None) -> Decision:
        """Append a decision and return it."""
        if kind not in KINDS:
            raise StoreError(f"Ukjent type beslutning: {kind!r} (kjente: {', '.join(KINDS)})")
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO decisions (at, who, kind, target, before, after) VALUES (?, ?, ?, ?, ?, ?)",
                (at, who, kind, str(target), _dump(before), _dump(after)),
            )
        return Decision(int(cursor.lastrowid), at, who, kind, str(target), before, after)

    def log(self, kind: str | None = None) -> list[Decision]:
        """Every decision (of ``kind``), oldest first."""
        query, args = "SELECT * FROM decisions", ()
        if kind is not None:
            query, args = query + " WHERE kind = ?", (kind,)
        return [_decision(row) for row in self._db.execute(query + " ORDER BY id", args)]

    def current(self, kind: str) -> dict[str, Any]:
        """What holds now for each target of ``kind``: the ``after`` of its latest decision."""
        rows = self._db.execute(
            "SELECT target, after FROM decisions WHERE id IN (SELECT max(id) FROM decisions WHERE kind = ? "
            "GROUP BY target) ORDER BY target",
            (kind,),
        )
        return {target: _load(after) for target, after in rows}


@contextmanager
def open_store(path: Path) -> Iterator[ReviewStore]:
    """The store at ``path``, created or migrated to :data:`SCHEMA_VERSION` as needed."""
    connection = sqlite3.connect(path)
    try:
        _migrate(connection, Path(path))
        yield ReviewStore(connection)
    finally:
        connection.close()


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: skjemaversjon {version} er nyere enn denne versjonen av høring ({SCHEMA_VERSION})")
    for number in range(version, SCHEMA_VERSION):
        with connection:
            connection.executescript(MIGRATIONS[number])
            connection.execute(f"PRAGMA user_version = {number + 1}")


def import_theme_review(store: ReviewStore, review: Review, who: str = "tema_gjennomgang.csv") -> int:
    """Record the review file's names, merges and notes where the log does not already hold them;
    returns how many decisions were added."""
    held = {kind: store.current(kind) for kind in ("theme.name", "theme.merge", "theme.note")}
    wanted = [
        *(("theme.name", t, name) for t, name in review.names.items()),
        *(("theme.merge", t, target) for t, target in review.merges.items()),
        *(("theme.note", t, note) for t, note in review.notes.items()),
    ]
    added = 0
    for kind, theme, value in wanted:
        if held[kind].get(str(theme)) != value:
            store.record(who, kind, str(theme), before=held[kind].get(str(theme)), after=value)
            added += 1
    return added


def theme_review(store: ReviewStore) -> Review:
    """The analysts' names, merges and notes as the log holds them now (for ``tema_gjennomgang.csv``)."""
    names = {int(t): v for t, v in store.current("theme.name").items() if v}
    merges = {int(t): int(v) for t, v in store.current("theme.merge").items() if v is not None}
    notes = {int(t): v for t, v in store.current("theme.note").items() if v}
    return Review(names, merges, notes)


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _decision(row: tuple) -> Decision:
    id_, at, who, kind, target, before, after = row
    return Decision(id_, at, who, kind, target, _load(before), _load(after))
