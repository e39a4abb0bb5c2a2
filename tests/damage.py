"""Simulated OCR damage: the confusions seen in the seeds, applied to clean Norwegian text."""

from __future__ import annotations

import random

# What an OCR engine without a Norwegian model makes of each letter (see shared/NOTES.md).
CONFUSIONS = {
    "ø": ["g", "e", "o", "p", "@"],
    "å": ["a", "a", "a", "é", "d"],
    "æ": ["ae", "ee", "z"],
    "Ø": ["@"],
    "Å": ["A"],
    "Æ": ["AE"],
}


def degrade(text: str, rate: float, seed: int = 0) -> str:
    """Replace each Norwegian letter with a confusion at probability ``rate`` (deterministic)."""
    rng = random.Random(seed)
    return "".join(
        rng.choice(CONFUSIONS[ch]) if ch in CONFUSIONS and rng.random() < rate else ch for ch in text
    )
