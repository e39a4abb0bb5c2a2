"""Per-measure summary: counts, senders and verbatim quotes, silent measures included."""

from __future__ import annotations

import pandas as pd

from pipeline.summarise import quote_for, summarise_measures
from pipeline.tables import to_frame


def _frames():
    measures = to_frame(
        [
            {"code": c, "area": c[-1], "number": int(c[:-1]), "text": f"Tiltak {c}", "goal": "", "responsible": "SET",
             "plan_file": "plan.txt", "innsatsomrade": "", "plan_version": "plan"}
            for c in ("6S", "7S", "8S")
        ],
        "measures",
    )
    comments = to_frame(
        [
            {"comment_id": "a-001", "response_id": "a", "sender": "FO Oslo", "section": "", "theme_id": -1,
             "text": "Vi er positive. LASSO (7S) bør gis flere steder. Det haster.", "kind": "paragraph",
             "position": 1, "char_start": 0, "char_end": 60, "lead_in": ""},
            {"comment_id": "b-001", "response_id": "b", "sender": "Bydel Alna", "section": "", "theme_id": -1,
             "text": "Vi støtter tiltak 7S og 8S.", "kind": "paragraph", "position": 1, "char_start": 0,
             "char_end": 27, "lead_in": ""},
            {"comment_id": "b-002", "response_id": "b", "sender": "Bydel Alna", "section": "", "theme_id": -1,
             "text": "Tiltak 8S må ses sammen med 25F.", "kind": "bullet", "position": 2, "char_start": 30,
             "char_end": 62, "lead_in": ""},
        ],
        "comments",
    )
    mentions = to_frame(
        [
            {"comment_id": "a-001", "code": "7S", "kind": "explicit", "valid": True, "score": 1.0, "evidence": "7S", "likely": "", "drift_score": 0.0},
            {"comment_id": "b-001", "code": "7S", "kind": "explicit", "valid": True, "score": 1.0, "evidence": "7S", "likely": "", "drift_score": 0.0},
            {"comment_id": "b-001", "code": "8S", "kind": "explicit", "valid": True, "score": 1.0, "evidence": "8S", "likely": "", "drift_score": 0.0},
            {"comment_id": "b-002", "code": "8S", "kind": "explicit", "valid": True, "score": 1.0, "evidence": "8S", "likely": "", "drift_score": 0.0},
            {"comment_id": "b-002", "code": "25F", "kind": "explicit", "valid": False, "score": 1.0,
             "evidence": "25F", "likely": "", "drift_score": 0.0},
        ],
        "mentions",
    )
    return measures, comments, mentions


def test_every_measure_has_a_row_with_counts_and_senders():
    summary = summarise_measures(*_frames()).set_index("code")
    assert list(summary.index) == ["6S", "7S", "8S"]
    assert summary.loc["6S", "n_comments"] == 0 and summary.loc["6S", "senders"] == ""
    assert (summary.loc["7S", "n_comments"], summary.loc["7S", "n_responses"]) == (2, 2)
    assert summary.loc["7S", "senders"] == "FO Oslo, Bydel Alna"
    assert (summary.loc["8S", "n_comments"], summary.loc["8S", "n_responses"]) == (2, 1)
    assert summary.loc["8S", "comment_ids"] == "b-001, b-002"


def test_quotes_are_verbatim_sentences_with_their_source():
    measures, comments, mentions = _frames()
    summary = summarise_measures(measures, comments, mentions).set_index("code")
    quotes = summary.loc["7S", "quotes"].split("\n")
    assert quotes[0] == "«LASSO (7S) bør gis flere steder.» (FO Oslo, a-001)"
    texts = dict(zip(comments["comment_id"], comments["text"]))
    for line in summary["quotes"]:
        for quote in filter(None, line.split("\n")):
            body, source = quote[1:].split("» (")
            assert body in texts[source.rstrip(")").split(", ")[-1]]


def test_quote_falls_back_to_first_sentence():
    assert quote_for("Første setning. Andre setning.", "") == "Første setning."


def test_drifted_and_implicit_mentions_count_for_the_measure_they_mean():
    measures, comments, mentions = _frames()
    extra = to_frame(
        [
            {"comment_id": "a-001", "code": "9S", "kind": "explicit", "valid": True, "score": 1.0, "evidence": "9S",
             "likely": "6S", "drift_score": 1.2},
            {"comment_id": "b-001", "code": "6S", "kind": "implicit", "valid": True, "score": 0.6,
             "evidence": "støtter", "likely": "", "drift_score": 0.0},
        ],
        "mentions",
    )
    summary = summarise_measures(measures, comments, pd.concat([mentions, extra])).set_index("code")
    assert summary.loc["6S", "comment_ids"] == "a-001, b-001"
    assert "«Vi støtter tiltak 7S og 8S.» (Bydel Alna, b-001)" in summary.loc["6S", "quotes"]


def test_quote_for_an_implicit_mention_is_the_sentence_with_its_words():
    text = "Vi er fornøyde. Et nytt brukerrom må åpne snart. Takk for oss."
    assert quote_for(text, "brukerrom, åpne") == "Et nytt brukerrom må åpne snart."
