"""Damaged forms that are also real words: ``far`` for ``får``/``før``, ``mal`` for ``mål``.

A lexicon cannot flag these, so they are decided like a noisy channel, per document:

* the **damage profile** of the document (:class:`DamageProfile`) says how often its OCR lost each
  of ``æ``, ``ø``, ``å`` and what it read instead, estimated from the unambiguous repairs of the
  first pass (non-words such as ``gkt``) against the Norwegian letters that survived; and how often
  it added a diacritic that was not there (Tesseract's Norwegian model: ``hådde``, ``dé``), which
  makes ``hår``, ``åt``, ``ét`` readings of ``har``, ``at``, ``et``. A clean document has no such
  repairs, so none of its real words is ever touched;
* each reading of a word (``får``, ``før`` for ``far``) scores its frequency, plus the log chance
  that this document's OCR turned it into what was read, plus a few general **context cues** of
  Norwegian grammar (a modal before an infinitive, a participle after ``har``, a possessive before
  a noun, ``både … og``); the word as read scores its own frequency and cues.

Example:
    >>> profile = DamageProfile.estimate([("gkt", "økt"), ("pa", "på")] * 5, intact={})
    >>> best_reading("far", ["vi"], ["det", "til"], profile)  # doctest: +SKIP
    ('får', 0.8)
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from pipeline.ocr.confusions import ADDED_DIACRITICS, NORWEGIAN_LETTERS, log_prior, readings, substitutions
from pipeline.text import lexicon

# Generic OCR behaviour, before a document shows its own: what each letter is most often read as.
PRIOR_READ_AS: dict[str, dict[str, float]] = {
    "å": {"a": 0.8, "&": 0.04, "8": 0.03, "3": 0.02, "d": 0.03, "é": 0.04, "@": 0.04},
    "ø": {
        "g": 0.3,
        "e": 0.2,
        "o": 0.2,
        "p": 0.05,
        "@": 0.05,
        "a": 0.1,
        "ae": 0.04,
        "ag": 0.02,
        "eg": 0.02,
        "s": 0.01,
        "0": 0.01,
    },
    "æ": {"ae": 0.4, "ee": 0.3, "ze": 0.1, "sz": 0.1, "z": 0.05, "e": 0.03, "a": 0.02},
}
PRIOR_WEIGHT = 5.0  # the generic behaviour counts as this many observed repairs
MIN_EVIDENCE = 3  # fewer unambiguous repairs than this: the document is not damaged enough to judge
MIN_ZIPF = 1.5  # a reading must be a word people write
UNSEEN_PRIOR = -1.0  # log-prior of a word the dictionary accepts but no frequency list has seen
MIN_ODDS = 0.3  # log10 odds the reading must beat the word as read by (2:1)
MAX_EDITS = 2
# A diacritic OCR added where the text had none (as read → letter): only where the document shows it
SPURIOUS: dict[str, str] = {src: dst for src, dst, _ in ADDED_DIACRITICS}
INTACT_LETTERS = NORWEGIAN_LETTERS | frozenset(SPURIOUS.values())  # letters whose intact count matters

MODALS = frozenset("kan kunne skal skulle vil ville må måtte bør burde".split())
PERFECT = frozenset("har hadde ha er var blir ble være bli vært blitt".split())
SUBJECTS = frozenset("jeg du han hun vi dere de man det den dette disse dem".split())
SKIPPABLE = frozenset("ikke også bare derfor likevel fortsatt alltid aldri da nå jo".split())
POSSESSIVES = frozenset("vår vårt våre".split())


@dataclass(frozen=True)
class DamageProfile:
    """How a document's OCR damaged the Norwegian letters."""

    rate: Mapping[str, float]  # letter → share of its occurrences that were damaged
    read_as: Mapping[str, Mapping[str, float]]  # letter → what it was read as → share
    evidence: int  # unambiguous repairs the estimate rests on
    spurious: Mapping[str, float] = field(default_factory=dict)  # a, e → share read as å, é

    @classmethod
    def estimate(cls, repairs: Iterable[tuple[str, str]], intact: Mapping[str, int]) -> DamageProfile:
        """From the first pass's repairs (as read, repaired) and the count of each letter left intact."""
        damaged: Counter[str] = Counter()
        added: Counter[str] = Counter()  # a, e → repairs that removed a diacritic OCR added to it
        seen_as: dict[str, Counter[str]] = {x: Counter() for x in NORWEGIAN_LETTERS}
        for original, corrected in repairs:
            for src, dst in substitutions(original, corrected):
                if dst in NORWEGIAN_LETTERS:
                    damaged[dst] += 1
                    seen_as[dst][src] += 1
                elif SPURIOUS.get(src) == dst:
                    added[dst] += 1
        rate = {x: damaged[x] / (damaged[x] + intact.get(x, 0) + 1) for x in NORWEGIAN_LETTERS}
        read_as = {
            x: {
                src: (seen_as[x][src] + PRIOR_WEIGHT * PRIOR_READ_AS[x].get(src, 0.005)) / (damaged[x] + PRIOR_WEIGHT)
                for src in set(PRIOR_READ_AS[x]) | set(seen_as[x])
            }
            for x in NORWEGIAN_LETTERS
        }
        spurious = {x: added[x] / (added[x] + intact.get(x, 0) + 1) for x in SPURIOUS.values()}
        return cls(rate, read_as, sum(damaged.values()) + sum(added.values()), spurious)

    @property
    def damaged(self) -> bool:
        return self.evidence >= MIN_EVIDENCE

    def log_channel(self, observed: str, candidate: str) -> float:
        """log10 of the chance that ``candidate`` was read as ``observed`` by this document's OCR."""
        total = 0.0
        for src, letter in substitutions(observed, candidate):
            if SPURIOUS.get(src) == letter and self.spurious.get(letter):
                total += math.log10(self.spurious[letter])
                continue
            if letter not in NORWEGIAN_LETTERS:
                return -math.inf
            share = self.read_as[letter].get(src, 0.005)
            total += math.log10(max(self.rate[letter] * share, 1e-9))
        return total


def best_reading(
    word: str, before: Sequence[str], after: Sequence[str], profile: DamageProfile
) -> tuple[str, float] | None:
    """The reading of a real word that this document's damage and the context make most likely.

    Args:
        word: the word as read (a real word: ``far``).
        before: the words before it, nearest last; ``after``: the words after it, nearest first.
        profile: the document's damage profile.

    Returns:
        (reading, confidence), or None to keep the word.
    """
    if not profile.damaged:
        return None
    prior = log_prior(word)
    if prior is None:
        if not lexicon.is_word(word):
            return None  # no reading at all: pass 1 had its chance
        prior = UNSEEN_PRIOR
    own = prior + context_score(word, before, after)
    scored = []
    for candidate, candidate_prior in _readings(word):
        channel = profile.log_channel(word, candidate)
        if channel == -math.inf:
            continue
        scored.append((candidate_prior + channel + context_score(candidate, before, after), candidate))
    if not scored:
        return None
    score, best = max(scored)
    odds = score - own
    if odds < MIN_ODDS:
        return None
    return best, round(min(0.95, 1 - 1 / (1 + 10**odds)), 3)


@lru_cache(maxsize=50_000)
def _readings(word: str) -> tuple[tuple[str, float], ...]:
    """(reading, log-prior) for the words this word may have been before OCR lost a Norwegian letter."""
    out: dict[str, float] = {}
    for low in [r for _, _, r in readings(word.lower(), MAX_EDITS, norwegian_only=True)] + _plain(word.lower()):
        cased = low[:1].upper() + low[1:] if word[:1].isupper() else low
        prior = log_prior(cased)
        if prior is not None and prior >= MIN_ZIPF:
            out[cased] = prior
    return tuple(out.items())


def _plain(low: str) -> list[str]:
    """The word without the diacritics OCR may have added: ``hår`` → ``har``, ``ét`` → ``et``."""
    sites = [i for i, c in enumerate(low) if c in SPURIOUS]
    out = []
    for k in range(1, min(MAX_EDITS, len(sites)) + 1):
        for combo in combinations(sites, k):
            out.append("".join(SPURIOUS[c] if i in combo else c for i, c in enumerate(low)))
    return out


def context_score(word: str, before: Sequence[str], after: Sequence[str]) -> float:
    """log10 bonus for how well ``word`` fits between its neighbours (general Norwegian syntax)."""
    low = word.lower()
    prev = _content(before, reverse=True)
    nxt = _content(after)
    score = 0.0
    if low in MODALS:  # a modal wants an infinitive soon after: "bør vurderes", "bør det være"
        following = [w.lower() for w in after[:4] if w.lower() not in SUBJECTS | SKIPPABLE][:2]
        score += 1.0 if any(lexicon.is_infinitive(w) or _is_passive(w) for w in following) else -0.7
    if prev in MODALS | {"å", "få", "la"} and lexicon.is_infinitive(low):
        score += 0.7  # "ikke gå", "å stå"
    if prev in PERFECT and _is_participle(low):
        score += 0.7  # "har fått", "har gått"
    if low in PERFECT and _is_participle(_content([w for w in after[:3] if w.lower() not in SUBJECTS])):
        score += 0.7  # the auxiliary before its participle: "har ikke fått", "har vi sett"
    if low in POSSESSIVES and nxt and _is_noun(nxt):
        score += 0.7  # "våre innspill", "Vår erfaring"
    if len(after) >= 2 and after[0].lower() in SUBJECTS and _is_finite(after[1].lower()):
        if low in {"før", "når", "fordi", "etter", "om", "at", "mens", "hvis"}:
            score += 1.0  # a subordinate clause: "før vi kommer"
        elif _is_finite(low):
            score -= 0.5  # a finite verb is seldom followed by subject + finite verb
    if low == "både" and any(w.lower() == "og" for w in after[:8]):
        score += 0.7
    return score


def _content(words: Sequence[str], reverse: bool = False) -> str:
    """The nearest neighbour that carries syntax, skipping adverbs such as ``ikke``."""
    ordered = reversed(words) if reverse else iter(words)
    for w in ordered:
        low = w.lower()
        if low not in SKIPPABLE:
            return low
    return ""


def _verb_lemmas(low: str) -> list[str]:
    return lexicon.lemma_table("verb").get(low, [])


def _is_passive(low: str) -> bool:
    """An s-passive infinitive: ``vurderes``, ``gis``."""
    return low.endswith("s") and lexicon.is_infinitive(low[:-1])


def _is_participle(low: str) -> bool:
    return low.endswith(("t", "dd")) and bool(_verb_lemmas(low)) and low not in _verb_lemmas(low)


def _is_finite(low: str) -> bool:
    """A verb form that is neither its infinitive nor a participle or s-passive (or a modal/auxiliary)."""
    if low in MODALS | PERFECT:
        return True
    lemmas = _verb_lemmas(low)
    return bool(lemmas) and low not in lemmas and not low.endswith(("t", "dd", "s"))


def _is_noun(low: str) -> bool:
    return bool(lexicon.lemma_table("noun").get(low.lower()))
