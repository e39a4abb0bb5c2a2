"""What OCR damage a document shows, so the first repair pass changes only what the document lost.

Clean digital text writes ``æ``, ``ø`` and ``å`` intact hundreds of times and has at most a couple of
unknown words (names, cut words, typos); text OCR'd without a Norwegian model has lost nearly every
one of those letters and has a non-word in every ten words. :class:`DocumentDamage` reads which from
the candidate repairs of a document, and says which of them the document supports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.ocr.confusions import NORWEGIAN_LETTERS, substitutions
from pipeline.ocr.tokens import Token

MIN_LOSS_RATE = 0.25  # æ/ø/å is restored only where the document lost at least this share of the letter…
PARTIAL_LOSS_RATE, PARTIAL_LOSS_COUNT = 0.1, 5  # … or this share, in at least this many words
MIN_REPAIRS, MIN_REPAIR_SHARE = 5, 0.03  # this many non-words with a reading, and this share of the words…
MIN_DEBRIS = 2  # … or this many words with OCR debris in them: the document shows OCR damage
DEBRIS = frozenset("|@¢")  # glyphs OCR leaves in words; Norwegian text does not write them there
MIN_ADDED = 2  # non-words read with an added diacritic (dé, hådde) that show OCR adds them


@dataclass(frozen=True)
class DocumentDamage:
    """What OCR damage a document shows, from the candidate repairs of pass 1 (before any is made).

    The evidence is read from ordinary words only: a capitalised word inside a sentence is a name
    (``Hamaroy``, ``Askilis``), which says nothing about the OCR, and whose spelling no shape
    confusion changes.
    """

    loss_rate: dict[str, float]  # æ/ø/å → share of its occurrences that candidate repairs restore
    lost: dict[str, int]  # æ/ø/å → how many ordinary words' candidate repairs restore it
    shows_damage: bool  # the document has OCR damage of some kind
    adds_diacritics: bool = False  # … and it is OCR that added diacritics (dé, hådde), not lost æ/ø/å

    @classmethod
    def estimate(cls, tokens: list[Token], n_words: int) -> DocumentDamage:
        ordinary = [t for t in tokens if not _is_name(t)]
        lost: Counter[str] = Counter()
        for t in ordinary:
            if t.rule:
                lost.update(dst for _, dst in substitutions(t.text, t.fixed) if dst in NORWEGIAN_LETTERS)
        intact = Counter(c for t in tokens if not t.rule for c in t.text.lower() if c in NORWEGIAN_LETTERS)
        loss_rate = {x: lost[x] / (lost[x] + intact[x] + 1) for x in NORWEGIAN_LETTERS}
        added = sum(bool(t.added) for t in ordinary)
        candidates = sum(bool(t.rule or t.added) for t in ordinary)
        debris = sum(any(c in DEBRIS for c in t.text) and any(c.isalpha() for c in t.text) for t in tokens)
        loses = cls(loss_rate, dict(lost), False)
        loses_letters = any(loses.restores(x) for x in NORWEGIAN_LETTERS)
        shows_damage = (
            loses_letters
            or debris >= MIN_DEBRIS
            or candidates >= MIN_REPAIRS
            and candidates >= MIN_REPAIR_SHARE * n_words
        )
        return cls(loss_rate, dict(lost), shows_damage, shows_damage and not loses_letters and added >= MIN_ADDED)

    def restores(self, letter: str) -> bool:
        """True when the document lost enough of ``letter`` (æ, ø, å) to restore it."""
        rate = self.loss_rate[letter]
        return rate >= MIN_LOSS_RATE or rate >= PARTIAL_LOSS_RATE and self.lost.get(letter, 0) >= PARTIAL_LOSS_COUNT

    def supports(self, token: Token) -> bool:
        """True when every confusion the token's repair undoes is one this document shows."""
        if any(c in DEBRIS for c in token.text):
            return True  # debris in a word is OCR damage wherever it is
        undone = substitutions(token.text, token.fixed)
        if not undone:
            return self.shows_damage and not _is_name(token)
        shape_ok = self.shows_damage and not _is_name(token)
        return all(self.restores(dst) if dst in NORWEGIAN_LETTERS else shape_ok for _, dst in undone)


def _is_name(token: Token) -> bool:
    """A capitalised word inside a sentence: a name (``Askilis``, ``Bymiljo``), not a damaged word.

    Not where its reading is lower case: a capital ``I`` is how OCR reads a small ``l`` (``Igpet``).
    """
    return not token.at_start and token.text[:1].isupper() and token.fixed[:1].isupper()
