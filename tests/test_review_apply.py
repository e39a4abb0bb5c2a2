"""People's decisions applied to the machine's tables (pipeline.review.apply): stances, senders,
measure links, drift, theme moves; idempotent, reversible, and never applied to a comment that changed."""

from __future__ import annotations

import numpy as np
import pandas as pd
from rows import comment_row, mention_row, response_row

from pipeline import review
from pipeline.tables import to_frame

TEXTS = {
    "bydel-alna-1": "Vi støtter tiltak 3F om tidlig innsats i skolen.",
    "bydel-alna-2": "Bydelen savner midler til oppfølging etter 7S.",
    "kari-nordmann-1": "Jeg er bekymret for naboene når sprøyterommet flytter.",
}


def _comments() -> pd.DataFrame:
    return to_frame(
        [
            comment_row("bydel-alna-1", "Bydel Alna", TEXTS["bydel-alna-1"], 0, "support"),
            comment_row("bydel-alna-2", "Bydel Alna", TEXTS["bydel-alna-2"], 0, "critique"),
            comment_row("kari-nordmann-1", "kari-nordmann", TEXTS["kari-nordmann-1"], 1, "neutral"),
        ],
        "comments",
    )


def _mentions() -> pd.DataFrame:
    return to_frame([mention_row("bydel-alna-1", "3F"), mention_row("bydel-alna-2", "7S", likely="8S")], "mentions")


def _decisions(tmp_path, *entries) -> review.Decisions:
    out = tmp_path / "runde"
    with review.open_store(review.store_path(out)) as store:
        for kind, target, after, about in entries:
            store.record("kari", kind, target, after=after, about=review.fingerprint(TEXTS[about]) if about else None)
    return review.read_decisions(out)


def test_a_stance_set_by_a_person_holds_and_the_machines_is_kept(tmp_path):
    d = _decisions(tmp_path, ("comment.stance", "bydel-alna-2", "proposal", "bydel-alna-2"))
    once = review.review_stances(_comments(), d)
    assert once["stance"].tolist() == ["support", "proposal", "neutral"]
    assert once["machine_stance"].tolist() == ["support", "critique", "neutral"]
    assert once["stance_checked"].tolist() == [False, True, False]
    twice = review.review_stances(once, d)
    assert twice["stance"].tolist() == once["stance"].tolist()
    assert review.review_stances(twice, review.Decisions())["stance"].tolist() == ["support", "critique", "neutral"]


def test_a_decision_is_not_applied_to_a_comment_whose_text_changed_and_is_listed(tmp_path):
    d = _decisions(tmp_path, ("comment.stance", "bydel-alna-2", "proposal", "bydel-alna-1"))  # another text
    comments = review.review_stances(_comments(), d)
    assert comments["stance"].tolist()[1] == "critique"
    gone = review.unapplied(d, comments, to_frame([response_row("bydel-alna", "a.txt", "Bydel Alna")], "responses"))
    assert gone["target"].tolist() == ["bydel-alna-2"]
    assert "endret" in gone["reason"].iloc[0]


def test_decisions_about_vanished_comments_and_responses_are_reported(tmp_path):
    d = _decisions(
        tmp_path,
        ("comment.theme", "borte-3", 2, None),
        ("mention", "borte-3 4F", True, None),
        ("response.sender", "borte", {"name": "Borte AS", "kind": "organisation"}, None),
    )
    gone = review.unapplied(d, _comments(), to_frame([response_row("bydel-alna", "a.txt", "Bydel Alna")], "responses"))
    assert sorted(gone["kind"]) == ["comment.theme", "mention", "response.sender"]
    assert set(gone["reason"]) == {"kommentaren finnes ikke lenger", "svaret finnes ikke lenger"}


def test_a_corrected_sender_and_kind_reach_every_row_of_the_response(tmp_path):
    d = _decisions(tmp_path, ("response.sender", "kari-nordmann", {"name": "Kari Nordmann", "kind": "person"}, None))
    comments = review.review_senders(_comments(), d)
    assert comments["sender"].tolist() == ["Bydel Alna", "Bydel Alna", "Kari Nordmann"]
    assert comments["sender_kind"].tolist()[2] == "person"
    assert comments["machine_sender"].tolist()[2] == "kari-nordmann"
    assert comments["sender_checked"].tolist() == [False, False, True]


def test_links_rejected_confirmed_added_and_drift_decided(tmp_path):
    d = _decisions(
        tmp_path,
        ("mention", "bydel-alna-1 3F", False, "bydel-alna-1"),
        ("mention", "bydel-alna-1 12F", True, "bydel-alna-1"),
        ("drift", "bydel-alna-2 7S", None, "bydel-alna-2"),  # the cited code holds: not the suggested 8S
        ("mention", "kari-nordmann-1 99S", True, "kari-nordmann-1"),
    )
    mentions = review.review_mentions(_mentions(), _comments(), d, ["3F", "12F", "7S", "8S"])
    rows = {f"{r.comment_id} {r.code}": r for r in mentions.itertuples()}
    assert "bydel-alna-1 3F" not in rows
    assert (rows["bydel-alna-1 12F"].kind, rows["bydel-alna-1 12F"].checked) == ("person", "added")
    assert rows["bydel-alna-2 7S"].likely == "" and rows["bydel-alna-2 7S"].machine_likely == "8S"
    assert not rows["kari-nordmann-1 99S"].valid  # a code the plan lacks stays marked as such
    again = review.review_mentions(mentions, _comments(), d, ["3F", "12F", "7S", "8S"])
    assert again.equals(mentions)


def test_a_rejected_link_taken_back_returns_with_the_machines_row(tmp_path):
    out = tmp_path / "runde"
    about = review.fingerprint(TEXTS["bydel-alna-1"])
    row = _mentions().iloc[0].to_dict()
    with review.open_store(review.store_path(out)) as store:
        store.record("kari", "mention", "bydel-alna-1 3F", before=row, after=False, about=about)
    rejected = review.review_mentions(_mentions(), _comments(), review.read_decisions(out), ["3F", "7S"])
    assert "3F" not in rejected["code"].tolist()
    with review.open_store(review.store_path(out)) as store:
        store.record("ola", "mention", "bydel-alna-1 3F", before=row, after=True, about=about)
    back = review.review_mentions(rejected, _comments(), review.read_decisions(out), ["3F", "7S"])
    found = back[back["code"] == "3F"].iloc[0]
    assert (found["kind"], found["evidence"], found["checked"]) == ("explicit", "3F", "confirmed")


def test_moved_comments_follow_merges_and_a_move_to_none_holds(tmp_path):
    d = _decisions(
        tmp_path,
        ("comment.theme", "bydel-alna-1", 1, "bydel-alna-1"),
        ("comment.theme", "kari-nordmann-1", -1, "kari-nordmann-1"),
        ("theme.merge", "1", 5, None),
    )
    comments = _comments()
    pins = review.theme_pins(comments, d)
    assert pins == {"bydel-alna-1": 1, "kari-nordmann-1": -1}
    ids = d.review.apply(review.pin_themes(np.array([0, 0, 1]), comments["comment_id"].tolist(), pins))
    assert ids.tolist() == [5, 0, -1]


def test_reviewed_theme_ids_start_from_the_clustering_so_a_merge_taken_back_undoes_itself(tmp_path):
    out = tmp_path / "runde"
    with review.open_store(review.store_path(out)) as store:
        store.record("kari", "theme.merge", "1", after=0)
        store.record("kari", "comment.theme", "bydel-alna-2", after=1, about=review.fingerprint(TEXTS["bydel-alna-2"]))
    once = review.review_theme_ids(_comments(), review.read_decisions(out))
    assert once["theme_id"].tolist() == [0, 0, 0]  # moved into 1, and 1 merged into 0
    assert once["machine_theme_id"].tolist() == [0, 0, 1] and once["theme_checked"].tolist() == [False, True, False]
    with review.open_store(review.store_path(out)) as store:
        store.record("kari", "theme.merge", "1", before=0, after=None)
    again = review.review_theme_ids(once, review.read_decisions(out))
    assert again["theme_id"].tolist() == [0, 1, 1]
