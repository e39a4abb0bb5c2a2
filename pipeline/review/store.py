"""The review store: every decision a person makes about a round, in one SQLite file beside its results.

``<round>.gjennomgang.sqlite`` beside the round's output folder (:func:`store_path`) holds an
append-only log: who decided, when, what (a :data:`KINDS` name and its target: a theme id, a comment
id, a response id, a comment and code), the value before and the value after, and what it was about
(``about``: a fingerprint of the comment's text, so that a decision is not applied to a different
comment that got the same id). Nothing is updated or deleted (triggers refuse it); a later decision
about the same target supersedes an earlier one, and :meth:`ReviewStore.current` gives what holds
now. The schema is versioned (``PRAGMA user_version``) and migrated forward on open.

The analysts' review file of earlier versions (``tema_gjennomgang.csv``: names, merges, notes) is
imported into the log (:func:`import_theme_review`) and written from it (:func:`theme_review`), so
nothing already written is lost.

Why beside the folder, not in it: each run replaces the output folder whole (one set of results,
:func:`pipeline.outputs.publish_set`); decisions made in the app while a run works must not be
replaced with the copy the run started from.

Example:
    >>> with open_store(out_dir / STORE_FILE) as store:  # doctest: +SKIP
    ...     store.record("kari", "theme.name", "3", before="bolig, oppfølging", after="Bolig først")
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.themes.ids import Review

STORE_FILE = "gjennomgang.sqlite"  # the store is named <round>.gjennomgang.sqlite (store_path)
BUSY_TIMEOUT_S = 10  # the app and a run may write at the same moment: wait for the other's lock
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
    "ALTER TABLE decisions ADD COLUMN about TEXT;",
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
    about: str | None = None


class ReviewStore:
    """The decision log of one round (use :func:`open_store`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection

    def record(
        self, who: str, kind: str, target: str, *, before: Any = None, after: Any = None, about: str | None = None
    ) -> Decision:
        """Append a decision and return it (``about``: see :func:`fingerprint`)."""
        if kind not in KINDS:
            raise StoreError(f"Ukjent type beslutning: {kind!r} (kjente: {', '.join(KINDS)})")
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._db:
            cursor = self._db.execute(
                "INSERT INTO decisions (at, who, kind, target, before, after, about) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (at, who, kind, str(target), _dump(before), _dump(after), about),
            )
        return Decision(int(cursor.lastrowid), at, who, kind, str(target), before, after, about)

    def log(self, kind: str | None = None) -> list[Decision]:
        """Every decision (of ``kind``), oldest first."""
        query, args = f"SELECT {COLUMNS} FROM decisions", ()
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

    def latest(self, kind: str) -> dict[str, Decision]:
        """The latest decision of ``kind`` for each of its targets."""
        rows = self._db.execute(
            f"SELECT {COLUMNS} FROM decisions WHERE id IN (SELECT max(id) FROM decisions WHERE kind = ? "
            "GROUP BY target) ORDER BY target",
            (kind,),
        )
        return {row[4]: _decision(row) for row in rows}

    def count_after(self, at: str) -> int:
        """How many decisions were made after ``at`` (UTC, ISO format)."""
        return self._db.execute("SELECT count(*) FROM decisions WHERE at > ?", (at,)).fetchone()[0]

    def last_id(self) -> int:
        """The id of the latest decision (0: none yet): what the app's view of the round was made with."""
        return self._db.execute("SELECT max(id) FROM decisions").fetchone()[0] or 0

    def theme_version(self, theme_id: int) -> int:
        """The id of the latest decision about a theme: its name, merge, note, check, or a comment moved
        into or out of it (0: none)."""
        row = self._db.execute(
            "SELECT max(id) FROM decisions WHERE (kind LIKE 'theme.%' AND target = ?) "
            "OR (kind = 'comment.theme' AND (after = ? OR before = ?)) OR (kind = 'theme.merge' AND after = ?)",
            (str(theme_id), str(theme_id), str(theme_id), str(theme_id)),
        )
        return row.fetchone()[0] or 0

    def version(self, targets: list[tuple[str, str]]) -> int:
        """The id of the latest decision about any of ``targets`` ((kind, target) pairs; 0: none):
        a form carries it, and a save whose version is no longer the latest was overtaken by someone else."""
        found = 0
        for kind, target in targets:
            row = self._db.execute("SELECT max(id) FROM decisions WHERE kind = ? AND target = ?", (kind, str(target)))
            found = max(found, row.fetchone()[0] or 0)
        return found


@contextmanager
def open_store(path: Path) -> Iterator[ReviewStore]:
    """The store at ``path``, created or migrated to :data:`SCHEMA_VERSION` as needed."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
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


def store_path(out_dir: Path) -> Path:
    """Where the review store of the round with output folder ``out_dir`` lies: beside it."""
    out_dir = Path(out_dir)
    return out_dir.with_name(f"{out_dir.name}.{STORE_FILE}")


def fingerprint(text: str) -> str:
    """A short fingerprint of a comment's text (whitespace-insensitive), kept with a decision about it."""
    return hashlib.sha256(" ".join(str(text).split()).encode("utf-8")).hexdigest()[:16]


def import_theme_review(
    store: ReviewStore, review: Review, who: str = "tema_gjennomgang.csv", written_at: str | None = None
) -> int:
    """Record the review file's names, merges and notes where the log does not already hold them;
    returns how many decisions were added. ``written_at`` (UTC ISO time the file was last written): a
    value the log changed after that time (in the app) is newer than the file's and is kept.
    """
    kinds = {"theme.name": review.names, "theme.merge": review.merges, "theme.note": review.notes}
    added = 0
    for kind, values in kinds.items():
        held, latest = store.current(kind), store.latest(kind)
        for theme in sorted(set(values) | (set(review.listed) & {int(t) for t in held})):
            value, target = values.get(theme), str(theme)
            newer = written_at is not None and target in latest and latest[target].at > written_at
            if held.get(target) != value and not newer:
                store.record(who, kind, target, before=held.get(target), after=value)
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


COLUMNS = "id, at, who, kind, target, before, after, about"


def _decision(row: tuple) -> Decision:
    id_, at, who, kind, target, before, after, about = row
    return Decision(id_, at, who, kind, target, _load(before), _load(after), about)
