"""The measures' vocabulary: what in a comment can point to one measure rather than another.

Each measure's profile holds the names found in its text (programmes, services, tools; not places),
its distinctive terms and the thesaurus concepts it uses; the matchers here find them in a comment,
also inflected or compounded, with place names and bylines set aside.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from pipeline.nb import thesaurus
from pipeline.text import lexicon
from pipeline.text.keywords import terms

MAX_NAME_SHARE = 2  # a name in more measures than this says nothing about which one is meant
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
    return [name for name, _ in weighted_name_hits(text, profile)]


def weighted_name_hits(text: str, profile: MeasureProfile) -> list[tuple[str, float]]:
    """The measure's names that the text uses (as :func:`name_hits`), each with its weight."""
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


_FIRST_TERM = {c.name: c.terms[0] for c in thesaurus.CONCEPTS}


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
