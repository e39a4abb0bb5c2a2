"""What the project knows about Norwegian words: spelling, frequency, lemmas.

Three real resources, each loaded once on first use:

* the hunspell ``nb_NO`` dictionary (Debian ``hunspell-no``), read with ``spylls``: knows inflections
  and compounds (``rusmiddelanalysetjenester``);
* ``wordfreq``'s Bokmål frequencies (Zipf scale: 7 is ``på``, 0 is unseen);
* the Norsk Ordbank lemma tables shipped in ``spacy-lookups-data`` (noun, verb, adjective, adverb);
* for texts written in Nynorsk, the hunspell ``nn_NO`` dictionary next to ``nb_NO`` (loaded only when
  a text reads as Nynorsk: :func:`reads_as_nynorsk`).

Example:
    >>> is_word("høringen"), is_word("hgringen")
    (True, False)
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache

from wordfreq import get_frequency_dict

from pipeline import config

POS_ORDER = ("noun", "verb", "adj", "adv")
# Frequent Nynorsk function words that Bokmål does not write: a text full of them is Nynorsk. Not
# forms that OCR makes of Bokmål words (``vere`` from ``være``, ``gjere`` from ``gjøre``).
NYNORSK_MARKERS = frozenset(
    "ikkje eg ein eit dei kva kven kvifor korleis meir mykje noko nokon nokre sjølv difor fleire "
    "frå berre saman kvarandre heile dykk dykkar".split()
)
NYNORSK_MIN_MARKERS, NYNORSK_MIN_SHARE = 3, 0.03  # at least 3 markers and 3 % of the words
_WORD_RE = re.compile(r"[^\W\d_]+")


class LexiconUnavailable(RuntimeError):
    """The Norwegian dictionary is not installed."""


@lru_cache(maxsize=1)
def _hunspell():
    from spylls.hunspell import Dictionary

    base = config.HUNSPELL_DICTIONARY
    if not base.with_suffix(".dic").exists():
        raise LexiconUnavailable(
            f"Fant ikke den norske ordlisten {base}.dic/.aff. Installer Debian-pakken hunspell-no "
            "(make setup gjør det), eller pek HORING_HUNSPELL til en nb_NO-ordliste."
        )
    return Dictionary.from_files(str(base))


@lru_cache(maxsize=1)
def _hunspell_nynorsk():
    """The hunspell ``nn_NO`` dictionary beside ``nb_NO``, or None where it is not installed."""
    from spylls.hunspell import Dictionary

    base = config.HUNSPELL_DICTIONARY.with_name("nn_NO")
    return Dictionary.from_files(str(base)) if base.with_suffix(".dic").exists() else None


def reads_as_nynorsk(words: Iterable[str]) -> bool:
    """True when the words read as Nynorsk: enough of them are Nynorsk function words (``ikkje``, ``dei``)."""
    words = [w.lower() for w in words if _WORD_RE.fullmatch(w)]
    markers = sum(w in NYNORSK_MARKERS for w in words)
    return markers >= NYNORSK_MIN_MARKERS and markers >= NYNORSK_MIN_SHARE * len(words)


@lru_cache(maxsize=200_000)
def is_nynorsk_word(word: str) -> bool:
    """True when hunspell ``nn_NO`` accepts the word (without it: when it is a Nynorsk function word)."""
    if word.lower() in NYNORSK_MARKERS:
        return True
    dictionary = _hunspell_nynorsk()
    return bool(word) and dictionary is not None and dictionary.lookup(word)


@lru_cache(maxsize=200_000)
def is_word(word: str) -> bool:
    """True when hunspell ``nb_NO`` accepts the word (inflected forms and compounds included)."""
    return bool(word) and _hunspell().lookup(word)


@lru_cache(maxsize=4)
def _zipf_table(language: str) -> dict[str, float]:
    """Zipf value of every word ``wordfreq`` knows in ``language`` (looked up very often)."""
    return {w: round(math.log10(f) + 9, 2) for w, f in get_frequency_dict(language, wordlist="best").items()}


def _zipf(word: str, language: str) -> float:
    return _zipf_table(language).get(word.lower(), 0.0)


def zipf_table() -> dict[str, float]:
    """Every Bokmål word ``wordfreq`` knows, lower case, with its Zipf value."""
    return _zipf_table("nb")


def zipf(word: str) -> float:
    """Bokmål frequency on the Zipf scale (0 = never seen, 7 = among the most common words)."""
    return _zipf(word, "nb")


def zipf_english(word: str) -> float:
    """English frequency on the Zipf scale, to recognise English passages."""
    return _zipf(word, "en")


@lru_cache(maxsize=1)
def _lemma_tables() -> dict[str, dict[str, list[str]]]:
    from spacy.lookups import load_lookups
    from spacy.strings import StringStore

    table = load_lookups("nb", ["lemma_exc"]).get_table("lemma_exc")
    strings = StringStore(list(POS_ORDER))
    return {pos: table[strings[pos]] for pos in POS_ORDER}


def lemma_table(pos: str) -> dict[str, list[str]]:
    """Norsk Ordbank's word forms of one part of speech (noun, verb, adj, adv), form → lemmas."""
    return _lemma_tables()[pos]


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """Lemma of a Norwegian word form, looked up noun first, then verb, adjective, adverb.

    Words the tables don't know are returned lower-cased.
    """
    low = word.lower()
    tables = _lemma_tables()
    for pos in POS_ORDER:
        forms = tables[pos].get(low)
        if forms:
            return forms[0]
    return low


@lru_cache(maxsize=200_000)
def word_classes(word: str) -> frozenset[str]:
    """The parts of speech (noun, verb, adj, adv) Norsk Ordbank lists the word form under."""
    low = word.lower()
    tables = _lemma_tables()
    return frozenset(pos for pos in POS_ORDER if low in tables[pos])


@lru_cache(maxsize=200_000)
def is_infinitive(word: str) -> bool:
    """True when the word is the infinitive of a verb (its own verb lemma): ``komme``, ``gi``."""
    low = word.lower()
    forms = _lemma_tables()["verb"].get(low)
    return bool(forms) and low in forms
