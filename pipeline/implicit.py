"""Implicit mentions: a comment that discusses a measure without writing its code.

Two kinds of evidence, combined by a small logistic model fitted on a labelled development set
(``eval/mentions.py --fit``):

* **lexical**: the names of programmes, services and tools found automatically in the plan's own
  text (LASSO, RusKompass, «Play it right», AUDIT-C, Brukerrom 2, Dagfolkehøyskole …) and the words
  that only one or two measures use (``sprøytebokser``);
* **semantic**: cosine similarity of comment and measure embeddings, also relative to the comment's
  similarity to every other measure (a comment about housing is close to all housing measures).

Example:
    >>> space = measure_space(profiles, measure_vectors, part_vectors, part_owner)  # doctest: +SKIP
    >>> scores, evidence = score_matrix(texts, comment_vectors, space)  # doctest: +SKIP
    >>> found = find_implicit(comment_ids, scores, evidence, space.profiles)  # doctest: +SKIP
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline import lexicon
from pipeline.keywords import terms
from pipeline.mentions import Mention

# Logistic model over the features of pair_features(), fitted on eval/data/hearing/dev (eval/mentions.py --fit).
COEFFICIENTS = np.array([0.516, 0.109, 1.08, 0.825, 0.274, -0.028, 0.005, 0.954, 0.814])
INTERCEPT = -8.851
THRESHOLD = 0.275  # the best recall at precision >= 0.80 on the development set
MAX_PER_COMMENT = 3
CHAR_NGRAMS = (3, 5)
LEXICAL_FIT = 0.5  # z-score units a name or distinctive terms add to text_fit
MAX_NAME_SHARE = 2  # a name in more measures than this says nothing about which one is meant
MIN_TERM_LENGTH = 5
MIN_STEM = 7  # shorter stems match only exactly: "bolig" is not "boligsosial"
MIN_HEAD = 10  # a stem this long also matches as the last part of a compound
ENDINGS = ("ene", "ane", "er", "en", "et", "e", "a")  # longest first

QUOTED_RE = re.compile(r"[«“\"]([^»”\"]{3,60})[»”\"]")
ACRONYM_RE = re.compile(r"\b[A-ZÆØÅ][A-ZÆØÅ0-9]{2,}(?:-[A-ZÆØÅ0-9]+)?\b")  # 3+ letters: SE, HF are words
CAMEL_RE = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+[A-ZÆØÅ][\wæøå]*\b")
EXPANSION_RE = re.compile(r"((?:[\wæøåÆØÅ-]+\s+){1,6})\(([A-ZÆØÅ]{2,})(?:/[A-ZÆØÅ]{2,})?\)")
CAPITALISED_RE = re.compile(r"(?<=[a-zæøå,] )([A-ZÆØÅ][a-zæøå]{3,}(?:\s+(?:\d+|[A-ZÆØÅ][\wæøå]+))*)")


@dataclass(frozen=True)
class MeasureProfile:
    """What in a comment can point to a measure: its names and its distinctive words."""

    code: str
    names: tuple[str, ...]
    terms: frozenset[str]
    name_weights: tuple[float, ...] = ()  # one per name: how surely it points to this measure


def find_names(text: str) -> list[str]:
    """Candidate names of programmes, services and tools in a measure's text.

    Quoted names («Play it right»), acronyms and their spelled-out form (``lavterskel
    substitusjonsbehandling (LASSO)``), CamelCase names (RusKompass) and capitalised words inside a
    sentence (Dagfolkehøyskole, Brukerrom 2).
    """
    names = [m.group(1).strip() for m in QUOTED_RE.finditer(text)]
    names += ACRONYM_RE.findall(text) + CAMEL_RE.findall(text)
    for m in EXPANSION_RE.finditer(text):
        words, acronym = m.group(1).split(), m.group(2)
        phrase = _spelled_out(words, acronym)
        if phrase:
            names.append(phrase)
    names += [m.group(1) for m in CAPITALISED_RE.finditer(text)]
    return list(dict.fromkeys(n for n in names if len(n) >= 2))


def _spelled_out(words: list[str], acronym: str) -> str:
    """The last words before ``(ACRONYM)`` that spell it: by their initials (Rask psykisk helsehjelp,
    RPH) or, failing that, as letters in order from the first word's initial (lavterskel
    substitusjonsbehandling, LASSO)."""
    for start in range(len(words)):
        tail = words[start:]
        if "".join(w[0] for w in tail).upper() == acronym:
            return " ".join(tail)
    for size in range(2, min(4, len(words)) + 1):
        tail = words[-size:]
        joined = "".join(tail).lower()
        if joined[0] == acronym[0].lower() and _in_order(acronym.lower(), joined):
            return " ".join(tail)
    return ""


def _in_order(letters: str, text: str) -> bool:
    rest = iter(text)
    return all(letter in rest for letter in letters)


def _name_weight(name: str, shared_by: int) -> float:
    """How surely a name points to a measure: a specific name (several words, an acronym, CamelCase)
    used by one measure surely; a single capitalised word or one used by two measures less so."""
    specific = " " in name or name.isupper() or bool(CAMEL_RE.fullmatch(name))
    return (1.0 if shared_by == 1 else 0.5) * (1.0 if specific else 0.6)


def measure_profiles(catalogue: Sequence[tuple[str, str, str]]) -> dict[str, MeasureProfile]:
    """Names and distinctive terms of each measure, from (code, text, goal) rows of the catalogue.

    A name or term used by more than ``MAX_NAME_SHARE`` measures is dropped: Velferdsetaten, bydelene.
    """
    names = {code: find_names(text) for code, text, _ in catalogue}
    name_share = Counter(n.lower() for found in names.values() for n in set(found))
    own_terms = {code: {t for t in terms(text) if " " not in t and len(t) >= MIN_TERM_LENGTH}
                 for code, text, _ in catalogue}
    term_share = Counter(t for found in own_terms.values() for t in found)
    profiles = {}
    for code, _, _ in catalogue:
        kept = [n for n in names[code] if name_share[n.lower()] <= MAX_NAME_SHARE]
        profiles[code] = MeasureProfile(
            code,
            tuple(kept),
            frozenset(t for t in own_terms[code] if term_share[t] <= MAX_NAME_SHARE),
            tuple(_name_weight(n, name_share[n.lower()]) for n in kept),
        )
    return profiles


def name_hits(text: str, profile: MeasureProfile) -> list[str]:
    """The measure's names that the text uses: acronyms as written (LASSO, not lasso), other names in
    any case and also inflected or as the first part of a compound (Dagfolkehøyskolen, LASSO-tilbudet)."""
    return [name for name, _ in _name_hits(text, profile)]


def _name_hits(text: str, profile: MeasureProfile) -> list[tuple[str, float]]:
    low = text.lower()
    hits = []
    for name, weight in zip(profile.names, profile.name_weights or [1.0] * len(profile.names)):
        if name.isupper():
            found = re.search(rf"(?<![\wæøåÆØÅ]){re.escape(name)}(?![\wæøåÆØÅ])", text)
        else:
            found = re.search(rf"(?<![\wæøå]){re.escape(name.lower())}", low)
        if found:
            hits.append((name, weight))
    return hits


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
    characters = TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)
    characters.fit([*texts, *parts])
    return MeasureSpace(
        tuple(profiles), vectors, part_vectors, np.where(marks < 0, -1 - marks, marks), marks < 0,
        term_weights(profiles), characters, characters.transform(texts), characters.transform(parts),
    )


def character_similarity(texts: Sequence[str], space: MeasureSpace) -> tuple[np.ndarray, np.ndarray]:
    """Character n-gram cosine of each text (row) with each measure, and with its best part."""
    comments = space.characters.transform(texts)
    whole = (comments @ space.char_measures.T).toarray()
    by_part = (comments @ space.char_parts.T).toarray()
    best = np.zeros_like(whole)
    for k in range(len(space.profiles)):
        own = space.part_owner == k
        if own.any():
            best[:, k] = by_part[:, own].max(axis=1)
    return whole, best


def pair_features(
    text: str, vector: np.ndarray, space: MeasureSpace, characters: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, list[list[str]]]:
    """Features of one comment against every measure, and the words behind the lexical ones.

    Columns: similarity relative to the comment's similarity to all measures (z-score), cosine
    similarity, whether the measure is the comment's most similar, the weight of its best name hit,
    the weight of shared distinctive terms, the z-score of the best-matching part of the measure,
    1 / the measure's rank by similarity, the z-scores of character n-gram similarity to the measure
    and to its best part (``characters``: this comment's row of :func:`character_similarity`).
    """
    cosine = space.vectors @ vector
    z = _z(cosine)
    part_cosine = space.part_vectors @ vector
    best_part = np.full(len(space.profiles), -1.0)
    np.maximum.at(best_part, space.part_owner, part_cosine)
    z_part = _z(best_part)
    rank = np.argsort(np.argsort(-cosine)) + 1
    z_chars, z_char_part = _z(characters[0]), _z(characters[1])
    comment_terms = set(terms(text))
    rows, evidence = [], []
    for k, profile in enumerate(space.profiles):
        hits = _name_hits(text, profile)
        names = [name for name, _ in hits]
        shared = shared_terms(comment_terms, profile.terms)
        rows.append([z[k], cosine[k], float(rank[k] == 1), max((w for _, w in hits), default=0.0),
                     sum(space.weights.get(t, 0.0) for t in shared), z_part[k], 1.0 / rank[k],
                     z_chars[k], z_char_part[k]])
        evidence.append(names + shared)
    return np.array(rows, dtype=float), evidence


def _z(values: np.ndarray) -> np.ndarray:
    return (values - values.mean()) / (values.std() or 1.0)


def shared_terms(comment_terms: set[str], measure_terms: frozenset[str]) -> list[str]:
    """The measure's terms the comment uses, also inflected or compounded: ``brukerrommet`` and
    ``rusmiddelanalyse`` match ``brukerrom`` and ``rusmiddelanalysetjenester`` (stems sharing a start
    of at least ``MIN_STEM`` letters, one stem a prefix of the other)."""
    stems = {_stem(c) for c in comment_terms}
    found = []
    for term in measure_terms:
        stem = _stem(term)
        if term in comment_terms or any(_stems_match(stem, c) for c in stems):
            found.append(term)
    return sorted(found)


def _stems_match(a: str, b: str) -> bool:
    """One stem starts the other (``brukerrom``/``brukerromm``), or a long one ends it (the head of a
    compound: ``analysetjenest``/``rusmiddelanalysetjenest``)."""
    short, long = sorted((a, b), key=len)
    if len(short) < MIN_STEM:
        return False
    return long.startswith(short) or len(short) >= MIN_HEAD and long.endswith(short)


def _stem(term: str) -> str:
    """The term without a common Norwegian inflection ending."""
    for ending in ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_STEM:
            return term[: -len(ending)]
    return term


def term_weights(profiles: Sequence[MeasureProfile]) -> dict[str, float]:
    """How much a shared term says: rarer among the measures and rarer in Norwegian weigh more.

    Inverse measure frequency times specificity: a word common in everyday Norwegian (``gammel``,
    Zipf ≥ 5) counts a third of a specialist term (``rusmiddelanalysetjenester``, Zipf < 3).
    """
    share = Counter(t for p in profiles for t in p.terms)
    n = len(profiles)
    return {t: math.log(n / k) * _specificity(t) for t, k in share.items()}


def _specificity(term: str) -> float:
    return min(1.0, max(1 / 3, (6.0 - lexicon.zipf(term)) / 3))


def probability(features: np.ndarray) -> np.ndarray:
    """The logistic model: probability that a comment discusses the measure."""
    return 1.0 / (1.0 + np.exp(-(features @ COEFFICIENTS + INTERCEPT)))


def score_matrix(
    texts: Sequence[str], vectors: np.ndarray, space: MeasureSpace
) -> tuple[np.ndarray, list[list[list[str]]]]:
    """Probability that each comment (row) discusses each measure (column), with the words behind it."""
    whole, by_part = character_similarity(texts, space)
    probabilities, evidence = [], []
    for row, (text, vector) in enumerate(zip(texts, vectors)):
        features, words = pair_features(text, vector, space, (whole[row], by_part[row]))
        probabilities.append(probability(features))
        evidence.append([w if w else [f"lik i innhold ({features[k][1]:.2f})"] for k, w in enumerate(words)])
    return np.array(probabilities).reshape(len(texts), len(space.profiles)), evidence


def text_fit(vector: np.ndarray, text: str, space: MeasureSpace) -> np.ndarray:
    """How well each measure's own words (not its result goal, which several measures share) fit a
    comment: the z-score of its best-matching part, plus up to ``LEXICAL_FIT`` for a name or
    distinctive terms it shares with the comment. Used to tell which of neighbouring codes is meant."""
    similarity = space.part_vectors @ vector
    own = ~space.part_is_goal
    best = np.full(len(space.profiles), -1.0)
    np.maximum.at(best, space.part_owner[own], similarity[own])
    comment_terms = set(terms(text))
    lexical = np.array([
        max(max((w for _, w in _name_hits(text, p)), default=0.0),
            min(1.0, sum(space.weights.get(t, 0.0) for t in shared_terms(comment_terms, p.terms)) / 4))
        for p in space.profiles
    ])
    return _z(best) + LEXICAL_FIT * lexical


def find_implicit(
    comment_ids: Sequence[str],
    scores: np.ndarray,
    evidence: list[list[list[str]]],
    profiles: Sequence[MeasureProfile],
    explicit: dict[str, set[str]] | None = None,
    threshold: float = THRESHOLD,
) -> list[Mention]:
    """Implicit mentions from a :func:`score_matrix`: up to ``MAX_PER_COMMENT`` measures per comment.

    Args:
        comment_ids: the rows of ``scores``.
        scores, evidence: from :func:`score_matrix`.
        profiles: the columns of ``scores``.
        explicit: codes each comment already writes: not repeated as implicit.
        threshold: minimum probability.
    """
    found: list[Mention] = []
    for row, comment_id in enumerate(comment_ids):
        written = (explicit or {}).get(comment_id, set())
        ranked = [k for k in np.argsort(-scores[row]) if scores[row, k] >= threshold and profiles[k].code not in written]
        for k in ranked[:MAX_PER_COMMENT]:
            words = ", ".join(evidence[row][k][:5])
            found.append(Mention(comment_id, profiles[k].code, "implicit", True, round(float(scores[row, k]), 3), words))
    return found
