"""Norwegian keywords for a group of texts: class-based TF-IDF over lemmas and two-word phrases.

Texts are tokenised with spaCy's Norwegian (``nb``) tokenizer, words are reduced to their lemma with
the Norsk Ordbank tables (:func:`pipeline.lexicon.lemma`), stop words are dropped, and each class
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

from pipeline import lexicon

# Words that say nothing about a theme in a hearing response, on top of spaCy's stop list.
DOMAIN_STOP_WORDS = frozenset(
    """
    mene vi oss vår våre deres handlingsplan handlingsplanen plan planen tiltak tiltaket tiltakene
    høring høringen høringssvar innspill oslo kommune kommunen byråd byrådet byrådsavdeling
    viktig stor mye mange flere fler god gode bra nok del dag gjelde ønske blant annet også
    samt eksempel eksempelvis slik grad måte behov arbeid arbeide bidra sikre rusfelt rusfeltet
    se ses sees be beskrive handle trekke frem svare nedenfor ovenfor kulepunkt kulepunktet
    """.split()
)
WORD_RE = re.compile(r"[^\W\d_]{2,}(?:-[^\W\d_]+)*")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from spacy.lang.nb.stop_words import STOP_WORDS

    keep = {"mål", "personer", "viktig", "får", "før"}  # spaCy's news list drops words that matter here
    return frozenset((set(STOP_WORDS) - keep) | DOMAIN_STOP_WORDS)


@lru_cache(maxsize=1)
def _tokenizer():
    import spacy

    return spacy.blank("nb").tokenizer


def terms(text: str) -> list[str]:
    """Lemmas of the content words of ``text`` and the two-word phrases they form."""
    stop = _stop_words()
    lemmas: list[str | None] = []
    for token in _tokenizer()(text):
        if not WORD_RE.fullmatch(token.text) or token.text.isupper() and len(token.text) <= 3:
            lemmas.append(None)  # punctuation, numbers and short acronyms break phrases
            continue
        lemma = lexicon.lemma(token.text)
        lemmas.append(None if lemma in stop or token.lower_ in stop else lemma)
    words = [w for w in lemmas if w]
    phrases = [f"{a} {b}" for a, b in zip(lemmas, lemmas[1:]) if a and b]
    return words + phrases


def top_keywords(classes: Sequence[Sequence[str]], n: int = 5) -> list[list[str]]:
    """The ``n`` most typical terms of each class of texts, by c-TF-IDF.

    A phrase is preferred over its own words when it scores as well (``psykisk helse`` over
    ``psykisk``); each returned list holds no term that is part of an earlier one.
    """
    counts = [Counter(t for text in texts for t in terms(text)) for texts in classes]
    total = Counter()
    for c in counts:
        total.update(c)
    avg_words = sum(sum(c.values()) for c in counts) / max(len(counts), 1)
    result = []
    for c in counts:
        size = sum(c.values()) or 1
        scores = {
            t: (k / size) * math.log(1 + avg_words / total[t]) * (1.5 if " " in t else 1.0)
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
        result.append(chosen)
    return result
