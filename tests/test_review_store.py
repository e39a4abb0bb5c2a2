"""The review store (#12): an append-only, versioned decision log; the theme review file goes in and out."""

from __future__ import annotations

import sqlite3

import pytest

from pipeline.review import STORE_FILE, StoreError, import_theme_review, open_store, theme_review
from pipeline.review.store import SCHEMA_VERSION
from pipeline.themes.ids import Review


def test_decisions_are_logged_with_who_what_before_and_after_and_the_latest_holds(tmp_path):
    with open_store(tmp_path / STORE_FILE) as store:
        store.record("kari", "theme.name", "3", before="bolig, oppfølging", after="Bolig først")
        store.record("ola", "theme.name", "3", before="Bolig først", after="Bolig og oppfølging")
        store.record("kari", "mention", "fo-oslo-004 7S", before=None, after=False)
        store.record(
            "kari", "response.sender", "svar-1", before=None, after={"name": "Bydel Alna", "kind": "organisation"}
        )
    with open_store(tmp_path / STORE_FILE) as store:  # kept on disk
        log = store.log()
        assert [(d.who, d.kind, d.target) for d in log] == [
            ("kari", "theme.name", "3"),
            ("ola", "theme.name", "3"),
            ("kari", "mention", "fo-oslo-004 7S"),
            ("kari", "response.sender", "svar-1"),
        ]
        assert log[1].before == "Bolig først" and log[1].at.endswith("+00:00")
        assert store.current("theme.name") == {"3": "Bolig og oppfølging"}
        assert store.current("mention") == {"fo-oslo-004 7S": False}
        assert store.current("response.sender")["svar-1"] == {"name": "Bydel Alna", "kind": "organisation"}


def test_the_log_is_append_only_even_through_sql(tmp_path):
    with open_store(tmp_path / STORE_FILE) as store:
        store.record("kari", "theme.note", "1", after="Sjekk sitatene")
    connection = sqlite3.connect(tmp_path / STORE_FILE)
    for statement in ("UPDATE decisions SET after = '\"x\"'", "DELETE FROM decisions"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            connection.execute(statement)
    connection.close()
    with open_store(tmp_path / STORE_FILE) as store:
        assert store.current("theme.note") == {"1": "Sjekk sitatene"}


def test_unknown_kinds_and_newer_schemas_are_refused(tmp_path):
    with open_store(tmp_path / STORE_FILE) as store:
        with pytest.raises(StoreError, match="Ukjent type"):
            store.record("kari", "theme.colour", "1", after="blå")
    connection = sqlite3.connect(tmp_path / STORE_FILE)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="nyere"), open_store(tmp_path / STORE_FILE):
        pass


def test_the_theme_review_file_goes_in_once_and_comes_back_out(tmp_path):
    written = Review(names={2: "Bolig først"}, merges={5: 2}, notes={2: "Samme som i fjor"})
    written.write(tmp_path, [(2, "bolig, oppfølging", 7), (5, "husleie", 2)])
    with open_store(tmp_path / STORE_FILE) as store:
        assert import_theme_review(store, Review.load(tmp_path)) == 3
        assert import_theme_review(store, Review.load(tmp_path)) == 0  # a rerun adds nothing
        store.record("ola", "theme.name", "2", before="Bolig først", after="Bolig og oppfølging")
        back = theme_review(store)
    assert (back.names, back.merges, back.notes) == ({2: "Bolig og oppfølging"}, {5: 2}, {2: "Samme som i fjor"})
    back.write(tmp_path, [(2, "bolig, oppfølging", 7)])
    again = Review.load(tmp_path)
    assert (again.names, again.merges, again.notes) == (back.names, back.merges, back.notes)


def test_decisions_after_a_moment_are_counted(tmp_path):
    with open_store(tmp_path / STORE_FILE) as store:
        first = store.record("kari", "theme.name", "1", after="A")
        store.record("kari", "theme.name", "2", after="B")
        assert store.count_after(first.at) == 1
        assert store.count_after("0000") == 2
