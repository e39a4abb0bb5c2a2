"""Comparing comments with measures: the measure space, the features of each pair and their scores.

The plan's measures are embedded whole and part by part, and held as character n-grams too; a
comment is compared with every measure by similarity (also relative to the other measures) and by
the clues of :mod:`pipeline.measures.vocabulary`, giving one row of features per pair
(:data:`pipeline.measures.implicit_model.FEATURES`), which the fitted
:class:`~pipeline.measures.implicit_model.ImplicitModel` turns into a probability.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.measures.implicit_model import ImplicitModel, load_model
from pipeline.measures.vocabulary import (
    MeasureProfile,
    canonical,
    concept_hits,
    concept_weights,
    looks_like_byline,
    shared_terms,
    term_weights,
    weighted_name_hits,
    without_places,
)
from pipeline.nb import thesaurus
from pipeline.text import lexicon
from pipeline.text.keywords import terms

CHAR_NGRAMS = (3, 5)
LEXICAL_FIT = 0.5  # z-score units a name or distinctive terms add to text_fit
MAX_CONCEPT_SHARE = 10  # a concept in more measures than this is no clue of its own
MAX_CLUES = 3
COMMON_TERM_ZIPF = 4.0  # a measure's word this common in Norwegian (ulovlig, endring) is no clue of its own


@dataclass(frozen=True)
class MeasureSpace:
    """The plan's measures as a comment is compared with them: profiles and embeddings.

    ``vectors`` embed each measure's goal and text; ``part_vectors`` each part of it (the goal, the
    main text, every sub-bullet), ``part_owner`` the measure each part belongs to. The same texts are
    also held as character n-gram TF-IDF vectors: overlapping word pieces (``rusmiddelanalys``) are
    strong evidence even where words are inflected, compounded or OCR-damaged.
    """

    profiles: tuple[MeasureProfile, ...]
    vectors: np.ndarray
    part_vectors: np.ndarray
    part_owner: np.ndarray
    part_is_goal: np.ndarray
    weights: dict[str, float]
    characters: TfidfVectorizer  # character n-grams, fitted on the measures' texts and parts
    char_measures: sparse.csr_matrix
    char_parts: sparse.csr_matrix
    concept_weights: dict[str, float] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.profiles]


def measure_parts(goals: Sequence[str], texts: Sequence[str]) -> tuple[list[str], list[int]]:
    """The parts of each measure to embed on their own, with their owner (row): first its result goal
    (``GOAL_PART`` marks it in the owner list as ``-1 - row``), then its main text and sub-bullets."""
    parts, owner = [], []
    for k, (goal, text) in enumerate(zip(goals, texts)):
        for j, part in enumerate([goal, *text.split("\n- ")]):
            if part.strip():
                parts.append(part.strip())
                owner.append(-1 - k if j == 0 else k)
    return parts, owner


def _character_text(text: str) -> str:
    return canonical(without_places(text))


def measure_space(
    profiles: Sequence[MeasureProfile],
    texts: Sequence[str],
    parts: Sequence[str],
    part_owner: Sequence[int],
    vectors: np.ndarray,
    part_vectors: np.ndarray,
) -> MeasureSpace:
    """The measures ready for comparison: ``texts`` (goal and text of each measure) with their
    embeddings ``vectors``, ``parts`` and ``part_owner`` as from :func:`measure_parts` with theirs."""
    marks = np.asarray(part_owner)
    texts, parts = [_character_text(t) for t in texts], [_character_text(p) for p in parts]
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)
    characters.fit([*texts, *parts])
    return MeasureSpace(
        tuple(profiles),
        vectors,
        part_vectors,
        np.where(marks < 0, -1 - marks, marks),
        marks < 0,
        term_weights(profiles),
        characters,
        characters.transform(texts),
        characters.transform(parts),
        concept_weights(profiles),
    )


def character_similarity(texts: Sequence[str], space: MeasureSpace) -> tuple[np.ndarray, np.ndarray]:
    """Character n-gram cosine of each text (row) with each measure, and with its best part (place
    names left out, thesaurus terms as their concept's first term: :func:`canonical`)."""
    comments = space.characters.transform([_character_text(t) for t in texts])
    whole = (comments @ space.char_measures.T).toarray()
    by_part = (comments @ space.char_parts.T).toarray()
    best = np.zeros_like(whole)
    for k in range(len(space.profiles)):
        own = space.part_owner == k
        if own.any():
            best[:, k] = by_part[:, own].max(axis=1)
    return whole, best


_CONCEPTS = {c.name: c for c in thesaurus.CONCEPTS}


class Clues(NamedTuple):
    """The lexical evidence one comment gives for one measure."""

    words: list[str]  # what was matched, to show
    name: float  # weight of the best name hit
    terms: float  # weight of the shared distinctive terms
    concepts: float  # weight of the shared thesaurus concepts
    count: int  # distinct clues: names, rarer terms, concepts that are not everywhere
    specific: bool  # a specific name or concept
    strong: bool  # a specific clue, or two clues


def clues(
    text: str, hits: dict[str, list[str]], comment_terms: set[str], profile: MeasureProfile, space: MeasureSpace
) -> Clues:
    """The lexical evidence of ``text`` for the measure of ``profile`` (``hits``: its
    :func:`concept_hits`, ``comment_terms``: its :func:`pipeline.text.keywords.terms`)."""
    names = weighted_name_hits(text, profile)
    shared = shared_terms(comment_terms, profile.terms)
    concepts = sorted(c for c in hits if c in profile.concepts)
    telling = [
        c for c in concepts if space.concept_weights.get(c, 0.0) >= math.log(len(space.profiles) / MAX_CONCEPT_SHARE)
    ]
    specific = any(_CONCEPTS[c].specific for c in concepts) or any(w >= 0.9 for _, w in names)
    rare = [t for t in shared if lexicon.zipf(t) < COMMON_TERM_ZIPF]
    count = len({n.lower() for n, _ in names}) + len(rare) + len(telling)
    words = [n for n, _ in names] + shared + [hits[c][0] for c in concepts]
    return Clues(
        list(dict.fromkeys(words)),
        max((w for _, w in names), default=0.0),
        sum(space.weights.get(t, 0.0) for t in shared),
        sum(space.concept_weights.get(c, 0.0) for c in concepts),
        count,
        specific,
        specific or count >= 2,
    )


def pair_features(
    text: str, vector: np.ndarray, space: MeasureSpace, characters: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, list[Clues]]:
    """Rows of features (:data:`~pipeline.measures.implicit_model.FEATURES`) for one comment against
    every measure, and the clues behind them.

    Columns: similarity relative to the comment's similarity to all measures (z-score), cosine
    similarity, whether the measure is the comment's most similar, the weight of its best name hit,
    the weight of shared distinctive terms, the z-score of the best-matching part of the measure,
    1 / the measure's rank by similarity, the z-scores of character n-gram similarity to the measure
    and to its best part (``characters``: this comment's row of :func:`character_similarity`), the
    weight of shared concepts, whether a clue is specific and the number of clues (at most ``MAX_CLUES``).
    """
    cosine = space.vectors @ vector
    z = _z(cosine)
    part_cosine = space.part_vectors @ vector
    best_part = np.full(len(space.profiles), -1.0)
    np.maximum.at(best_part, space.part_owner, part_cosine)
    z_part = _z(best_part)
    rank = np.argsort(np.argsort(-cosine)) + 1
    z_chars, z_char_part = _z(characters[0]), _z(characters[1])
    hits = concept_hits(text)
    comment_terms = set(terms(text))
    rows, found = [], []
    for k, profile in enumerate(space.profiles):
        c = clues(text, hits, comment_terms, profile, space)
        rows.append(
            [
                z[k],
                cosine[k],
                float(rank[k] == 1),
                c.name,
                c.terms,
                z_part[k],
                1.0 / rank[k],
                z_chars[k],
                z_char_part[k],
                c.concepts,
                float(c.specific),
                min(c.count, MAX_CLUES),
            ]
        )
        found.append(c)
    return np.array(rows, dtype=float), found


def _z(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / (values.std() or 1.0)


class Scored(NamedTuple):
    """Comments (rows) × measures (columns): probabilities, the words behind each, and whether the
    lexical evidence is strong (see the module docs)."""

    probabilities: np.ndarray
    evidence: list[list[list[str]]]
    strong: np.ndarray


def score_pairs(texts: Sequence[str], vectors: np.ndarray, space: MeasureSpace, model: ImplicitModel) -> Scored:
    """Probability that each comment discusses each measure, with its evidence. A byline or name
    line (:func:`looks_like_byline`) gets probability 0 everywhere."""
    whole, by_part = character_similarity(texts, space)
    n = len(space.profiles)
    probabilities, evidence, strong = np.zeros((len(texts), n)), [], np.zeros((len(texts), n), dtype=bool)
    for row, (text, vector) in enumerate(zip(texts, vectors)):
        features, found = pair_features(text, vector, space, (whole[row], by_part[row]))
        if not looks_like_byline(text):
            probabilities[row] = model.probability(features)
        strong[row] = [c.strong for c in found]
        evidence.append([c.words or [f"lik i innhold ({features[k][1]:.2f})"] for k, c in enumerate(found)])
    return Scored(probabilities, evidence, strong)


def score_matrix(
    texts: Sequence[str], vectors: np.ndarray, space: MeasureSpace, model: ImplicitModel | None = None
) -> tuple[np.ndarray, list[list[list[str]]]]:
    """Probability that each comment (row) discusses each measure (column), with the words behind it."""
    scored = score_pairs(texts, vectors, space, model or load_model())
    return scored.probabilities, scored.evidence


def text_fit(vector: np.ndarray, text: str, space: MeasureSpace) -> np.ndarray:
    """How well each measure's own words (not its result goal, which several measures share) fit a
    comment: the z-score of its best-matching part, plus up to ``LEXICAL_FIT`` for a name,
    distinctive terms or thesaurus concepts it shares with the comment. Used to tell which of
    neighbouring codes is meant."""
    similarity = space.part_vectors @ vector
    own = ~space.part_is_goal
    best = np.full(len(space.profiles), -1.0)
    np.maximum.at(best, space.part_owner[own], similarity[own])
    comment_terms, hits = set(terms(text)), concept_hits(text)
    lexical = np.array(
        [
            max(
                max((w for _, w in weighted_name_hits(text, p)), default=0.0),
                min(
                    1.0,
                    (
                        sum(space.weights.get(t, 0.0) for t in shared_terms(comment_terms, p.terms))
                        + sum(space.concept_weights.get(c, 0.0) for c in hits if c in p.concepts)
                    )
                    / 4,
                ),
            )
            for p in space.profiles
        ]
    )
    return _z(best) + LEXICAL_FIT * lexical
