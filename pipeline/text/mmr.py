"""Maximal marginal relevance: pick items that are representative and unlike each other.

Used for a measure's key points (sentences, TF-IDF) and a theme's representative comments (embeddings).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def mmr(unit: np.ndarray | sparse.spmatrix, relevance: np.ndarray, k: int, diversity: float) -> list[int]:
    """Rows of ``unit`` (L2-normalised vectors, dense or sparse), the most relevant first, then each
    maximising ``diversity · relevance − (1 − diversity) · similarity to those already picked``.

    Args:
        unit: one L2-normalised row per item.
        relevance: how representative each item is (e.g. its cosine with the centre).
        k: how many to pick (at most the number of rows).
        diversity: weight of relevance against novelty, from 0 to 1.
    """
    picked = [int(np.argmax(relevance))]
    while len(picked) < min(k, unit.shape[0]):
        similarity = unit @ unit[picked].T
        redundancy = (similarity.toarray() if sparse.issparse(similarity) else similarity).max(axis=1)
        score = diversity * relevance - (1 - diversity) * np.asarray(redundancy).ravel()
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))
    return picked
