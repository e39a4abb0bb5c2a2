"""Per-measure summary: counts, senders and verbatim quotes, silent measures included."""

from __future__ import annotations

import pandas as pd
from rows import mention_row

from pipeline.summaries.per_measure import (
    key_points,
    prevalence,
    quote_for,
    string_columns,
    summarise_measures,
    summary_text,
)
from pipeline.tables import to_frame


def _frames():
    measures = to_frame(
        [
            {
                "code": c,
                "area": c[-1],
                "number": int(c[:-1]),
                "text": f"Tiltak {c}",
                "goal": "",
                "responsible": "SET",
                "plan_file": "plan.txt",
                "innsatsomrade": "",
                "plan_version": "plan",
            }
            for c in ("6S", "7S", "8S")
        ],
        "measures",
    )
    comments = to_frame(
        [
            {
                "comment_id": "a-001",
                "response_id": "a",
                "sender": "FO Oslo",
                "section": "",
                "theme_id": -1,
                "text": "Vi er positive. LASSO (7S) bør gis flere steder. Det haster.",
                "kind": "paragraph",
                "position": 1,
                "char_start": 0,
                "char_end": 60,
                "lead_in": "",
                "stance": "proposal",
                "stance_confidence": 0.8,
                "paragraph": 2,
            },
            {
                "comment_id": "b-001",
                "response_id": "b",
                "sender": "Bydel Alna",
                "section": "",
                "theme_id": -1,
                "text": "Vi støtter tiltak 7S og 8S.",
                "kind": "paragraph",
                "position": 1,
                "char_start": 0,
                "char_end": 27,
                "lead_in": "",
                "stance": "support",
                "stance_confidence": 0.9,
                "paragraph": 2,
            },
            {
                "comment_id": "b-002",
                "response_id": "b",
                "sender": "Bydel Alna",
                "section": "",
                "theme_id": -1,
                "text": "Tiltak 8S må ses sammen med 25F.",
                "kind": "bullet",
                "position": 2,
                "char_start": 30,
                "char_end": 62,
                "lead_in": "",
                "stance": "critique",
                "stance_confidence": 0.6,
                "paragraph": 3,
            },
        ],
        "comments",
    )
    mentions = to_frame(
        [
            mention_row("a-001", "7S"),
            mention_row("b-001", "7S"),
            mention_row("b-001", "8S"),
            mention_row("b-002", "8S"),
            {
                "comment_id": "b-002",
                "code": "25F",
                "kind": "explicit",
                "valid": False,
                "score": 1.0,
                "evidence": "25F",
                "likely": "",
                "drift_score": 0.0,
            },
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
            {
                "comment_id": "a-001",
                "code": "9S",
                "kind": "explicit",
                "valid": True,
                "score": 1.0,
                "evidence": "9S",
                "likely": "6S",
                "drift_score": 1.2,
            },
            {
                "comment_id": "b-001",
                "code": "6S",
                "kind": "implicit",
                "valid": True,
                "score": 0.6,
                "evidence": "støtter",
                "likely": "",
                "drift_score": 0.0,
            },
        ],
        "mentions",
    )
    summary = summarise_measures(measures, comments, pd.concat([mentions, extra])).set_index("code")
    assert summary.loc["6S", "comment_ids"] == "a-001, b-001"
    assert "«Vi støtter tiltak 7S og 8S.» (Bydel Alna, b-001)" in summary.loc["6S", "quotes"]


def test_quote_for_an_implicit_mention_is_the_sentence_with_its_words():
    text = "Vi er fornøyde. Et nytt brukerrom må åpne snart. Takk for oss."
    assert quote_for(text, "brukerrom, åpne") == "Et nytt brukerrom må åpne snart."


def test_stance_counts_summary_and_sources():
    measures, comments, mentions = _frames()
    responses = pd.DataFrame({"response_id": ["a", "b"], "source_file": ["fo-oslo.pdf", "bydel alna.docx"]})
    summary = summarise_measures(measures, comments, mentions, responses).set_index("code")
    row = summary.loc["7S"]
    assert (row["n_support"], row["n_proposal"], row["n_critique"], row["n_question"], row["n_neutral"]) == (
        1,
        1,
        0,
        0,
        0,
    )
    assert row["summary"].startswith("2 svar (FO Oslo, Bydel Alna) med 2 kommentarer.")
    assert "Ett svar støtter tiltaket." in row["summary"] and "Ett svar foreslår" in row["summary"]
    assert row["sources"].split("\n") == ["fo-oslo.pdf, avsnitt 2", "bydel alna.docx, avsnitt 2"]
    assert summary.loc["6S", "summary"] == "Ingen kommentarer." and summary.loc["6S", "key_points"] == ""


def test_words_of_prevalence_follow_from_the_counts():
    assert prevalence(1, 1) == "svaret" and prevalence(1, 7) == "ett svar"
    assert prevalence(2, 2) == "begge svarene" and prevalence(5, 5) == "alle svarene"
    assert prevalence(4, 7) == "de fleste svarene" and prevalence(3, 7) == "flere svar"


def test_summary_text_counts_responses_not_comments():
    comments = pd.DataFrame(
        {
            "comment_id": ["a-1", "a-2", "b-1", "c-1"],
            "response_id": ["a", "a", "b", "c"],
            "sender": ["A", "A", "B", "C"],
            "stance": ["critique", "critique", "critique", "support"],
            "text": ["x", "y", "z", "w"],
        }
    )
    text = summary_text(comments)
    assert text.startswith("3 svar (A, B, C) med 4 kommentarer.")
    assert "De fleste svarene er kritiske" in text and "Ett svar støtter" in text
    one = summary_text(comments[comments["response_id"] == "b"])
    assert one == "1 svar (B) med én kommentar. Svaret er kritisk eller bekymret."
    quiet = summary_text(comments.assign(stance="neutral"))
    assert quiet.endswith("Alle svarene omtaler tiltaket uten å ta tydelig stilling.")


def test_key_points_are_verbatim_representative_and_not_redundant():
    texts = [
        "Brukerrommet må ha åpent om kvelden og natten. Køene ved dagens brukerrom er lange hver kveld.",
        "Køene ved dagens brukerrom er lange hver eneste kveld. Vi støtter et nytt brukerrom i sentrum.",
        "Et nytt brukerrom må tillate røyking av heroin og crack. Ok.",
        "Naboene må involveres før lokalene for brukerrommet velges i bydelen.",
    ]
    comments = pd.DataFrame(
        {
            "comment_id": ["a-1", "b-1", "c-1", "d-1"],
            "response_id": list("abcd"),
            "sender": ["A", "B", "C", "D"],
            "text": texts,
        }
    )
    points = key_points(comments)
    assert 3 <= len(points) <= 5
    for point in points:
        sentence, source = point[1:].split("» (")
        cid = source.rstrip(")").split(", ")[1]
        assert sentence in texts[["a-1", "b-1", "c-1", "d-1"].index(cid)]
        assert len(sentence.split()) >= 6  # "Ok." is never a key point
    sentences = [p[1:].split("» (")[0] for p in points]
    assert not (
        "Køene ved dagens brukerrom er lange hver kveld." in sentences
        and "Køene ved dagens brukerrom er lange hver eneste kveld." in sentences
    )


LISTS = ("sender_list", "quote_items", "comment_id_list", "key_point_items")


def test_the_string_columns_are_made_from_the_lists():
    measures, comments, mentions = _frames()
    comments.loc[comments["comment_id"] == "b-002", "sender"] = ""  # an unknown sender
    responses = pd.DataFrame({"response_id": ["a", "b"], "source_file": ["fo-oslo.pdf", "bydel alna.docx"]})
    summary = summarise_measures(measures, comments, mentions, responses)
    for row in summary.to_dict("records"):
        made = string_columns(**{c: row[c] for c in LISTS})
        assert made == {c: row[c] for c in made}, row["code"]
    row = summary.set_index("code").loc["8S"]
    assert row["comment_id_list"] == ["b-001", "b-002"] and row["sender_list"] == ["Bydel Alna"]
    assert row["quote_items"] == [
        {
            "text": "Vi støtter tiltak 7S og 8S.",
            "sender": "Bydel Alna",
            "comment_id": "b-001",
            "file": "bydel alna.docx",
            "paragraph": 2,
        },
        {
            "text": "Tiltak 8S må ses sammen med 25F.",
            "sender": "",
            "comment_id": "b-002",
            "file": "bydel alna.docx",
            "paragraph": 3,
        },
    ]
    assert row["quotes"].split("\n")[1] == "«Tiltak 8S må ses sammen med 25F.» (ukjent avsender, b-002)"
    texts = dict(zip(comments["comment_id"], comments["text"]))
    assert all(p["text"] in texts[p["comment_id"]] for p in summary.set_index("code").loc["7S", "key_point_items"])
    assert summary.set_index("code").loc["6S", ["quote_items", "key_point_items", "comment_id_list"]].tolist() == [
        [],
        [],
        [],
    ]


def test_rows_built_without_the_lists_get_an_empty_list_each():
    frame = to_frame(
        [{"campaign_id": "kampanje-1", "n_responses": 0, "senders": "", "response_ids": ""}] * 2, "campaigns"
    )
    assert frame["sender_list"].tolist() == [[], []]
    assert frame["sender_list"].iloc[0] is not frame["sender_list"].iloc[1]  # not one shared list
