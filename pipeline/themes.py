"""Group comments into recurring themes and describe each theme.

Comments are clustered on their centred embeddings (complete-linkage agglomerative clustering,
cosine distance, a fixed threshold: the number of themes follows from the data). Themes smaller
than ``min_size`` are dissolved: a comment may belong to no theme (``theme_id = -1``). Each theme gets its top Norwegian keywords
(:mod:`pipeline.keywords`) and the comment closest to its centre.

Example:
    >>> assignment, themes = find_themes(texts, vectors, response_ids, comment_ids)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from pipeline.keywords import top_keywords

NO_THEME = -1
MIN_THEME_SIZE = 2
MAX_THEMES = 30
DISTANCE_THRESHOLD = 1.1  # cosine distance of centred vectors: > 1 means opposite directions
LABEL_WORDS = 3


@dataclass(frozen=True)
class Theme:
    """A recurring theme across comments."""

    theme_id: int
    label: str
    keywords: str
    size: int
    n_responses: int
    representative: str


def cluster(vectors: np.ndarray, *, min_size: int = MIN_THEME_SIZE, max_themes: int = MAX_THEMES) -> np.ndarray:
    """Theme number per row of ``vectors`` (0, 1, …, by decreasing size), ``NO_THEME`` for outliers.

    The vectors are centred (sentence embeddings share a large common direction, which hides their
    differences) and grouped by complete-linkage clustering on cosine distance: within a theme, no
    two comments point in opposite directions (``DISTANCE_THRESHOLD``). Scale-free, so it works for
    one response and for a thousand; at most ``max_themes`` themes.
    """
    n = len(vectors)
    if n < 2 * min_size:
        return np.full(n, NO_THEME)
    centred = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(centred, axis=1, keepdims=True)
    centred = centred / np.where(norms == 0, 1, norms)
    labels = AgglomerativeClustering(
        n_clusters=None, distance_threshold=DISTANCE_THRESHOLD, metric="cosine", linkage="complete"
    ).fit_predict(centred)
    if len(set(labels.tolist())) > max_themes:
        labels = AgglomerativeClustering(n_clusters=max_themes, metric="cosine", linkage="complete").fit_predict(centred)
    return _renumber(labels, min_size)


def _renumber(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Themes numbered by decreasing size; those smaller than ``min_size`` become ``NO_THEME``."""
    sizes = {label: int((labels == label).sum()) for label in set(labels.tolist())}
    kept = sorted((label for label, size in sizes.items() if size >= min_size), key=lambda x: (-sizes[x], x))
    mapping = {label: i for i, label in enumerate(kept)}
    return np.array([mapping.get(label, NO_THEME) for label in labels.tolist()])


def describe(
    labels: np.ndarray,
    texts: Sequence[str],
    vectors: np.ndarray,
    response_ids: Sequence[str],
    comment_ids: Sequence[str],
) -> list[Theme]:
    """A :class:`Theme` per theme number in ``labels``: keywords, size, responses, representative."""
    theme_ids = sorted(t for t in set(labels.tolist()) if t != NO_THEME)
    members = [np.flatnonzero(labels == t) for t in theme_ids]
    keywords = top_keywords([[texts[i] for i in idx] for idx in members], n=8)
    themes = []
    for theme_id, idx, words in zip(theme_ids, members, keywords):
        centre = vectors[idx].mean(axis=0)
        closest = idx[int(np.argmax(vectors[idx] @ centre))]
        themes.append(
            Theme(
                theme_id=theme_id,
                label=", ".join(words[:LABEL_WORDS]) or f"Tema {theme_id}",
                keywords=", ".join(words),
                size=len(idx),
                n_responses=len({response_ids[i] for i in idx}),
                representative=comment_ids[closest],
            )
        )
    return themes


def find_themes(
    texts: Sequence[str],
    vectors: np.ndarray,
    response_ids: Sequence[str],
    comment_ids: Sequence[str],
) -> tuple[np.ndarray, list[Theme]]:
    """Cluster the comments and describe the themes: (theme id per comment, themes)."""
    labels = cluster(vectors)
    return labels, describe(labels, texts, vectors, response_ids, comment_ids)
