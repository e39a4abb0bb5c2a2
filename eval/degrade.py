"""Simulated OCR damage: what an OCR engine without a Norwegian model does to Norwegian text.

The confusions and their rough shares are read off the seed documents (see shared/NOTES.md):
``ø`` becomes ``g``, ``e``, ``o``, ``p``, ``@``, ``a`` or ``ae``; ``å`` becomes ``a`` (most often),
``é``, ``d``, ``8``, ``&``, ``3`` or ``@``; ``æ`` becomes ``ae``, ``ee``, ``sz`` or ``z``; a capital
``I`` at the start of a sentence becomes ``|``. Deterministic for a given seed.

    >>> degrade("Vi støtter å gi økt støtte.", rate=1.0, seed=1)  # doctest: +SKIP
"""

from __future__ import annotations

import random
import re

# what each letter is read as, with weights
CONFUSIONS: dict[str, list[tuple[str, float]]] = {
    "ø": [("g", 5), ("e", 3), ("o", 2), ("p", 1), ("@", 1), ("a", 1), ("ae", 0.5)],
    "å": [("a", 10), ("é", 1), ("d", 1), ("8", 0.5), ("@", 0.3)],
    "æ": [("ae", 4), ("ee", 3), ("sz", 1), ("z", 1)],
    "Ø": [("@", 3), ("O", 1)],
    "Å": [("A", 5)],
    "Æ": [("AE", 3), ("Ae", 1)],
}
LONE_AA = [("&", 4), ("a", 4), ("8", 1), ("3", 1)]  # the word "å" on its own
LONE_I = [("|", 1)]  # the word "I" starting a sentence


def _pick(rng: random.Random, options: list[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def degrade(text: str, rate: float = 1.0, seed: int = 0) -> str:
    """Damage each Norwegian letter (and lone ``å`` / sentence-initial ``I``) with probability ``rate``.

    Line breaks and the number of whitespace-separated words are kept, so a degraded text lines up
    word for word with its source.
    """
    rng = random.Random(seed)

    def word(m: re.Match) -> str:
        w = m.group()
        if w == "å" and rng.random() < rate:
            return _pick(rng, LONE_AA)
        if w == "I" and rng.random() < rate * 0.7:
            start = m.start()
            before = text[max(0, start - 3) : start]
            if start == 0 or re.search(r"[.!?:]\s*$|\n\s*$", before):
                return _pick(rng, LONE_I)
        return "".join(_pick(rng, CONFUSIONS[ch]) if ch in CONFUSIONS and rng.random() < rate else ch for ch in w)

    return re.sub(r"\S+", word, text)
