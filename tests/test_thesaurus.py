"""The domain thesaurus: well-formed data, and its terms match the way Norwegian words are built."""

from __future__ import annotations

from collections import Counter

from pipeline.measures.implicit import concept_hits
from pipeline.nb import thesaurus


def test_concepts_are_well_formed():
    names = [c.name for c in thesaurus.CONCEPTS]
    assert len(names) == len(set(names))
    for concept in thesaurus.CONCEPTS:
        assert concept.terms, concept.name
        assert set(concept.anchor_terms) <= set(concept.terms), concept.name
        for term in concept.terms:
            assert term == term.strip() and term, (concept.name, term)
            assert term.islower() or term.isupper(), (concept.name, term)  # words, or an abbreviation
    shared = [t for t, n in Counter(t for c in thesaurus.CONCEPTS for t in c.terms).items() if n > 1]
    assert shared == []  # a term says one thing
    assert "where the terms come from" in thesaurus.__doc__.lower()


def test_older_and_newer_names_of_a_consumption_room_are_one_concept():
    for text in (
        "Vi trenger flere sprøyterom.",
        "Injeksjonsrommet er fullt om kvelden.",
        "Et inhalasjonsrom for dem som røyker heroin.",
        "Brukerromsordningen må utvides.",
    ):
        assert "brukerrom" in concept_hits(text), text


def test_the_longest_term_that_fits_a_word_wins():
    hits = concept_hits("Sprøyteromsloven ble endret, og sprøyteboksene tømmes hver uke.")
    assert hits["brukerrom"] == ["Sprøyteromsloven"]
    assert hits["sprøyteavfall"] == ["sprøyteboksene"]
    assert "legemidler" not in concept_hits("Legemiddelassistert rehabilitering")  # LAR, not medicines


def test_abbreviations_match_as_written_and_short_words_whole():
    assert "substitusjon" in concept_hits("Flere LAR-pasienter bør få tilbud nær der de bor.")
    assert "substitusjon" not in concept_hits("Vi lar være å kommentere resten.")
    assert "arbeid" in concept_hits("Han fikk jobben etter et halvt år.")
    assert "politi" not in concept_hits("Det er et politisk spørsmål.")


def test_place_names_are_listed():
    assert {"groruddalen", "bjerke", "grønland", "oslo"} <= thesaurus.PLACE_NAMES
