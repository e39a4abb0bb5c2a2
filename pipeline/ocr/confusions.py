"""What OCR makes of Norwegian letters, and how plausible a spelling is as Norwegian.

``CONFUSIONS`` lists what an OCR engine without a Norwegian model reads for ``ø``, ``å`` and ``æ``
(and a few shape confusions). :func:`readings` undoes them: every spelling a damaged word may have
had. :func:`log_prior` scores a spelling by its frequency (``wordfreq``) or, for compounds the
frequency list lacks, by the frequencies of its parts (``døgn|plasser``).

Example:
    >>> "økt" in {r for _, _, r in readings("gkt", 1)}
    True
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from itertools import combinations

from pipeline.text import lexicon

# (as read by OCR, what it may have been, cost): the cost is how unlikely the confusion is, in log10
# units (0.5: OCR without a Norwegian model does it all the time; 1.5: seen, but seldom).
CONFUSIONS: tuple[tuple[str, str, float], ...] = (
    ("ae", "æ", 0.5),
    ("ee", "æ", 0.5),
    ("eae", "æ", 1.5),
    ("ze", "æ", 1.0),
    ("sz", "æ", 1.0),
    ("z", "æ", 1.0),
    ("e", "æ", 1.0),
    ("a", "æ", 1.0),
    ("g", "ø", 0.5),
    ("e", "ø", 0.5),
    ("o", "ø", 0.5),
    ("p", "ø", 0.5),
    ("@", "ø", 0.5),
    ("ó", "ø", 0.5),
    ("a", "ø", 1.0),
    ("0", "ø", 1.0),
    ("ae", "ø", 1.0),
    ("ag", "ø", 1.0),
    ("eg", "ø", 1.0),
    ("@g", "ø", 1.0),
    ("s", "ø", 1.5),
    ("a", "å", 0.5),
    ("é", "å", 0.5),
    ("8", "å", 0.5),
    ("&", "å", 0.5),
    ("d", "å", 1.0),
    ("3", "å", 1.0),
    ("4", "å", 1.0),
    ("@", "å", 1.0),
    ("ad", "å", 1.5),
    ("|", "i", 0.5),
    ("|", "l", 1.0),
    ("rn", "m", 1.0),
    ("i", "j", 1.0),
    ("i", "l", 1.0),
    ("c", "e", 1.0),
    ("o", "b", 1.5),
)
# Diacritics an OCR engine with a Norwegian model adds where the text had none ("dé", "hådde"); the
# opposite of the damage above, so undone only where a document keeps its Norwegian letters
ADDED_DIACRITICS: tuple[tuple[str, str, float], ...] = (("é", "e", 1.0), ("å", "a", 1.5))
NORWEGIAN_LETTERS = frozenset("æøå")

COMPOUND_COST = 7.5  # log10: how much rarer a compound is than the product of its parts' frequencies
PART_ZIPF_CAP = 5.0  # very frequent parts (opp, til, for) say little about a compound: capped
COMMON_ZIPF = 3.0  # words at least this frequent are scored by their own frequency only
MIN_PART, MIN_PART_ZIPF = 3, 2.0  # parts of a compound: at least 3 letters, common enough to be words
MAX_PARTS = 4
MAX_SITES = 28  # words with more possible substitutions than this are left alone (too many readings)


def readings(
    low: str, max_edits: int, *, norwegian_only: bool = False, added_diacritics: bool = False
) -> Iterator[tuple[int, float, str]]:
    """(edits, cost, spelling) for every way of undoing up to ``max_edits`` confusions in ``low``.

    Readings come in order of the number of edits. ``norwegian_only`` keeps the substitutions that
    restore ``æ``, ``ø`` or ``å`` (the damage a real word can hide: ``far`` for ``får``), not the
    shape confusions; ``added_diacritics`` undoes :data:`ADDED_DIACRITICS` too.
    """
    sites = sorted(
        (i, len(src), dst, cost)
        for src, dst, cost in CONFUSIONS + (ADDED_DIACRITICS if added_diacritics else ())
        if not norwegian_only or dst in NORWEGIAN_LETTERS
        for i in _find_all(low, src)
    )
    if not sites or len(sites) > MAX_SITES:
        return
    for k in range(1, max_edits + 1):
        for combo in combinations(sites, k):
            if any(a[0] + a[1] > b[0] for a, b in zip(combo, combo[1:])):
                continue
            pieces, last = [], 0
            for i, n, dst, _ in combo:
                pieces.append(low[last:i])
                pieces.append(dst)
                last = i + n
            pieces.append(low[last:])
            yield k, sum(c[3] for c in combo), "".join(pieces)


def substitutions(observed: str, candidate: str) -> list[tuple[str, str]]:
    """The confusions (as read, letter) that turn ``candidate`` into ``observed``, lower case.

    Example: ``substitutions("far", "får") == [("a", "å")]``.
    """
    observed, candidate = observed.lower(), candidate.lower()
    found: list[tuple[str, str]] = []
    i = j = 0
    while i < len(observed) and j < len(candidate):
        if observed[i] == candidate[j]:
            i, j = i + 1, j + 1
            continue
        for src, dst, _ in sorted(CONFUSIONS + ADDED_DIACRITICS, key=lambda c: -len(c[0])):
            if candidate[j] == dst and observed.startswith(src, i):
                found.append((src, dst))
                i, j = i + len(src), j + 1
                break
        else:
            return found  # not a confusion we know: stop here
    return found


def _find_all(text: str, sub: str) -> Iterator[int]:
    start = text.find(sub)
    while start != -1:
        yield start
        start = text.find(sub, start + 1)


def log_prior(word: str) -> float | None:
    """How likely a spelling is as Norwegian, on the Zipf scale (log10 of uses per billion words).

    A word in the frequency list scores its Zipf value; a compound scores as the product of its parts'
    frequencies, less ``COMPOUND_COST`` per joint (``døgn|plasser`` ≈ 4.2 + 4.6 − 7.5), so a rare
    compound and its damaged twin are compared on the same footing; the higher of the two counts.
    None when the spelling has no reading at all.
    """
    z = lexicon.zipf(word)
    if z >= COMMON_ZIPF:
        return z  # a common word: its own frequency says it all
    compound = compound_score(word.lower())
    if z > 0:
        return z if compound is None else max(z, compound)
    return compound


@lru_cache(maxsize=200_000)
def compound_score(low: str) -> float | None:
    """Best log-prior of a split of ``low`` into 2..MAX_PARTS known words (linking -s/-e allowed).

    A depth-first search from the start: only cut points reached by a known part are explored, so
    most non-words are rejected after a handful of look-ups.
    """
    if len(low) < 2 * MIN_PART:
        return None
    parts = _parts()
    memo: dict[tuple[int, int], float | None] = {}

    def best_from(start: int, left: int) -> float | None:
        """Best score of low[start:] in 1..left parts (joints inside it already paid)."""
        key = (start, left)
        if key not in memo:
            best = _part(parts, low[start:])
            if left > 1:
                for cut in range(start + MIN_PART, len(low) - MIN_PART + 1):
                    head = _part(parts, low[start:cut])
                    tail = best_from(cut, left - 1) if head is not None else None
                    if tail is not None and (best is None or head + tail - COMPOUND_COST > best):
                        best = head + tail - COMPOUND_COST
            memo[key] = best
        return memo[key]

    best = None
    for cut in range(MIN_PART, len(low) - MIN_PART + 1):  # at least one joint
        head = _part(parts, low[:cut])
        tail = best_from(cut, MAX_PARTS - 1) if head is not None else None
        if tail is not None and (best is None or head + tail - COMPOUND_COST > best):
            best = head + tail - COMPOUND_COST
    return best


def _part(parts: dict[str, float], text: str) -> float | None:
    """Zipf value of a compound part, also with a linking -s/-e dropped; None if too rare or short."""
    top = parts.get(text)
    if text[-1:] in ("s", "e") and len(text) > MIN_PART:
        linked = parts.get(text[:-1])
        if linked is not None and (top is None or linked > top):
            top = linked
    return top


@lru_cache(maxsize=1)
def _parts() -> dict[str, float]:
    """Words that can be parts of a compound: at least MIN_PART letters and MIN_PART_ZIPF frequent."""
    return {
        w: min(z, PART_ZIPF_CAP) for w, z in lexicon.zipf_table().items() if len(w) >= MIN_PART and z >= MIN_PART_ZIPF
    }
