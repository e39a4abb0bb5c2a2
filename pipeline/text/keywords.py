"""Norwegian keywords for a group of texts: class-based TF-IDF over lemmas and two-word phrases.

Texts are tokenised with spaCy's Norwegian (``nb``) tokenizer, words are reduced to their lemma with
the Norsk Ordbank tables (:func:`pipeline.text.lexicon.lemma`), stop words are dropped, and each class
(theme) gets the terms that are frequent in it and rare in the others (c-TF-IDF, as in BERTopic).

Example:
    >>> top_keywords([["Vi trenger flere boliger.", "Boliger med oppfølging."], ["Brukerrom 2 nå."]], 2)[0]
    ['bolig', ...]
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from pipeline.text import lexicon

# Words that say nothing about a theme in a hearing response, on top of spaCy's stop list: the
# hearing's own vocabulary, stance words (stance is a column of its own), and frequent function words
# that Norsk Ordbank also lists as a noun (``bør``, ``mine``, ``lenge``) so the tables can't rule them out.
DOMAIN_STOP_WORDS = frozenset(
    """
    mene vi oss vår våre vårt deres handlingsplan handlingsplanen plan planen tiltak tiltaket tiltakene
    høring høringen høringssvar innspill oslo kommune kommunen byråd byrådet byrådsavdeling
    viktig stor mye mange flere fler god gode bra nok del dag gjelde ønske blant annet også
    samt eksempel eksempelvis slik grad måte behov arbeid arbeide bidra sikre rusfelt rusfeltet
    se ses sees be beskrive handle trekke frem svare nedenfor ovenfor kulepunkt kulepunktet
    støtte støtter støttes foreslå foreslår forslag savne savner berømme berømmer synes enig uenig
    positiv positivt ny nytt nye bør burde mine lenge føre
    """.split()
)
# words (with inner hyphens), numbers, and single punctuation marks, which break phrases
FAST_TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+|[^\w\s]")
WORD_RE = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]+)*")
# after these (``ikke`` and the like in between) a word that can be a verb is one: ``bør vente``
VERB_CONTEXT = frozenset("å kan kunne skal skulle må måtte bør burde vil ville".split())
VERB_CONTEXT_SKIP = frozenset("ikke også alltid fortsatt heller bare derfor".split())
FUNCTION_WORD_ZIPF = 4.5  # a word Ordbank's open-class tables lack but this common is a function word
ADJECTIVE_WEIGHT = 0.7  # an adjective alone names a theme less well than a noun or a phrase
PHRASE_WEIGHT = 1.5


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.nb.stop_words import STOP_WORDS

    keep = {"mål", "personer", "viktig", "før"}  # spaCy's news list drops words that matter here
    return frozenset((set(STOP_WORDS) - keep) | DOMAIN_STOP_WORDS)


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("nb").tokenizer


@lru_cache(maxsize=100_000)
def word_class(word: str) -> tuple[str, str] | None:
    """``(lemma, "noun" | "adj")`` for a word that can name a theme, else None.

    Nouns and adjectives qualify by Norsk Ordbank; a genitive (``bydelenes``) by its noun; a word the
    tables lack qualifies when it is rare (compounds and terms: ``brukerrom``, ``nitazener``), since a
    common word outside the open-class tables is a pronoun, conjunction or preposition (``hvilke``).
    Words that are only verbs or adverbs don't qualify.
    """
    low = word.lower()
    classes = lexicon.word_classes(low)
    if not classes and low.endswith("s") and "noun" in lexicon.word_classes(low[:-1]):
        return lexicon.lemma(low[:-1]), "noun"
    if "noun" in classes:
        return lexicon.lemma(low), "noun"
    if "adj" in classes:
        return lexicon.lemma(low), "adj"
    if not classes and lexicon.zipf(low) < FUNCTION_WORD_ZIPF:
        return low, "noun"
    return None


class Term(NamedTuple):
    """A word or phrase of a text: ``key`` (lemmas, what is counted), ``kind`` (noun, adj or phrase)
    and ``shown`` (how a reader sees it: a phrase keeps the modifier's own form, ``åpne rusmiljø``)."""

    key: str
    kind: str
    shown: str


def tagged_terms(text: str) -> list[Term]:
    """The content words of ``text`` (nouns and adjectives, as lemmas) and the phrases they form: a
    noun or adjective followed by a noun (``psykisk helse``, ``kirkens bymisjon``)."""
    stop = _stop_words()
    words: list[tuple[str, str, str] | None] = []
    after_modal = False
    for token in _tokenizer()(text):
        if not WORD_RE.fullmatch(token.text) or token.text.isupper() and len(token.text) <= 3:
            words.append(None)  # punctuation, numbers and short acronyms break phrases
            after_modal = False
            continue
        verb = after_modal and "verb" in lexicon.word_classes(token.lower_)
        after_modal = token.lower_ in VERB_CONTEXT or (after_modal and token.lower_ in VERB_CONTEXT_SKIP)
        tagged = None if token.lower_ in stop or verb else word_class(token.text)
        words.append(None if tagged is None or tagged[0] in stop else (*tagged, token.lower_))
    found = [Term(w[0], w[1], w[0]) for w in words if w]
    phrases = [
        Term(f"{a[0]} {b[0]}", "phrase", f"{a[2]} {b[0]}")
        for a, b in zip(words, words[1:])
        if a and b and b[1] == "noun"
    ]
    return found + phrases


def terms(text: str) -> list[str]:
    """Lemmas of the words of ``text`` that can name a theme, and the phrases they form."""
    return [term.key for term in tagged_terms(text)]


def content_lemmas(text: str) -> list[str]:
    """Lemmas of every content word of ``text`` (verbs too: ``kutte``, ``ansette``) and the two-word
    sequences they form: what comments are compared by, broader than what names a theme."""
    stop = _stop_words()
    lemmas: list[str | None] = []
    for token in FAST_TOKEN_RE.findall(text):  # thousands of comments: a regex, not spaCy's Token objects
        if not WORD_RE.fullmatch(token) or token.isupper() and len(token) <= 3:
            lemmas.append(None)
            continue
        lemma = lexicon.lemma(token)
        lemmas.append(None if lemma in stop or token.lower() in stop else lemma)
    return [w for w in lemmas if w] + [f"{a} {b}" for a, b in zip(lemmas, lemmas[1:]) if a and b]


_KIND_WEIGHT = {"noun": 1.0, "adj": ADJECTIVE_WEIGHT, "phrase": PHRASE_WEIGHT}


def top_keywords(classes: Sequence[Sequence[str]], n: int = 5) -> list[list[str]]:
    """The ``n`` most typical terms of each class of texts, by c-TF-IDF.

    A phrase is preferred over its own words when it scores as well (``psykisk helse`` over
    ``psykisk``); each returned list holds no term that is part of an earlier one.
    """
    tagged = [[term for text in texts for term in tagged_terms(text)] for texts in classes]
    weight = {term.key: _KIND_WEIGHT[term.kind] for found in tagged for term in found}
    shown = Counter((term.key, term.shown) for found in tagged for term in found)
    show: dict[str, str] = {}
    for (key, form), _ in shown.most_common():  # each key shown in its most frequent form
        show.setdefault(key, form)
    counts = [Counter(term.key for term in found) for found in tagged]
    total = Counter()
    for c in counts:
        total.update(c)
    avg_words = sum(sum(c.values()) for c in counts) / max(len(counts), 1)
    result = []
    for c in counts:
        size = sum(c.values()) or 1
        scores = {
            t: (k / size) * math.log(1 + avg_words / total[t]) * weight[t]
            for t, k in c.items()
            if k >= 2 or " " not in t
        }
        ranked = sorted(scores, key=lambda t: (-scores[t], t))
        chosen: list[str] = []
        for term in ranked:
            if any(term in kept.split() or kept in term.split() for kept in chosen):
                continue
            chosen.append(term)
            if len(chosen) == n:
                break
        result.append([show[term] for term in chosen])
    return result
