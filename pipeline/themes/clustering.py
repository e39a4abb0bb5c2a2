"""Group comments into recurring themes: what a careful reader would put together.

A comment is represented by what it says (its sentence embedding, centred: embeddings share a large
common direction that hides their differences), which measures it is about (the implicit-mention
probabilities of :mod:`pipeline.measures.implicit`, also summed per area of effort) and its words (TF-IDF of
lemmas and of character n-grams, reduced by SVD). UMAP maps that to a few dimensions and k-means
groups it into ``1.2·√n`` themes (at most 40; from about 45 comments on, at least 8). This was chosen
by measurement against HDBSCAN, agglomerative clustering, k-means without UMAP and BERTopic (``eval/themes.py``).

Afterwards: comments far from their theme's centre, and themes too small to be recurring, become
outliers (``theme_id = -1``, at most ``MAX_OUTLIERS``); themes whose centres nearly coincide are
merged before they are labelled. Campaign letters weigh as one voice (``weights``).

Example:
    >>> space = theme_space(texts, vectors, measure_probabilities, areas)
    >>> labels = cluster(space, weights)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.text.keywords import content_lemmas

NO_THEME = -1
MIN_THEME_SIZE = 3
MIN_THEMES, MAX_THEMES, THEMES_PER_ROOT = 8, 40, 1.2
MAX_OUTLIERS = 0.15  # share of comments that may belong to no theme
OUTLIER_IQR = 1.5  # Tukey's fence on the distance to the theme centre
MERGE_SIMILARITY = 0.9  # themes whose centres are this similar (cosine) are one theme
SVD_DIMENSIONS = 100
CHARACTER_FEATURES = 2**16  # the most frequent character n-grams; bounds the SVD's cost on big rounds
UMAP_NEIGHBOURS, UMAP_DIMENSIONS, SEED = 15, 5, 42
NEIGHBOUR_MEMORY_MB = 128  # the nearest-neighbour search holds at most this much of the distance matrix
# weights of the parts of the representation (the embedding counts 1)
MEASURE_WEIGHT, AREA_WEIGHT, WORD_WEIGHT, CHARACTER_WEIGHT = 0.7, 0.5, 0.7, 0.7


def theme_space(
    texts: Sequence[str],
    vectors: np.ndarray,
    measure_probabilities: np.ndarray | None = None,
    measure_areas: Sequence[str] | None = None,
) -> np.ndarray:
    """The representation comments are clustered in: one L2-normalised row per comment.

    Args:
        texts: the comments (with their context: section heading, lead-in).
        vectors: their sentence embeddings.
        measure_probabilities: comments × measures, from :func:`pipeline.measures.implicit.score_matrix`.
        measure_areas: the area of effort (innsatsområde) of each measure (column).
    """
    if len(vectors) == 0:  # a round without comments
        return np.zeros((0, vectors.shape[-1]))
    parts = [_normalise(vectors - vectors.mean(axis=0))]
    if measure_probabilities is not None and measure_probabilities.size:
        parts.append(MEASURE_WEIGHT * _normalise(np.sqrt(measure_probabilities)))
        if measure_areas is not None:
            names = sorted(set(measure_areas))
            to_area = np.array([[a == name for name in names] for a in measure_areas], dtype=float)
            parts.append(AREA_WEIGHT * _normalise(np.sqrt(measure_probabilities @ to_area)))
    if len(texts) > 2:
        parts.append(WORD_WEIGHT * _lexical(texts, TfidfVectorizer(analyzer=content_lemmas, sublinear_tf=True)))
        characters = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2, max_features=CHARACTER_FEATURES
        )
        parts.append(CHARACTER_WEIGHT * _lexical(texts, characters))
    return _normalise(np.hstack(parts))


def word_space(texts: Sequence[str]) -> np.ndarray:
    """The comments' words alone (TF-IDF of lemmas, reduced by SVD; L2-normalised rows): where themes
    are described and split again without their embeddings (review)."""
    return _lexical(texts, TfidfVectorizer(analyzer=content_lemmas, sublinear_tf=True))


def split_theme(texts: Sequence[str], k: int, seed: int = SEED) -> np.ndarray:
    """Part a theme's comments into ``k`` groups (0 … k-1) by their words: k-means in :func:`word_space`."""
    k = max(1, min(k, len(texts)))
    if k == 1:
        return np.zeros(len(texts), dtype="int64")
    return KMeans(k, n_init=10, random_state=seed).fit_predict(word_space(texts)).astype("int64")


def _lexical(texts: Sequence[str], vectorizer: TfidfVectorizer) -> np.ndarray:
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no terms at all (e.g. only numbers)
        return np.zeros((len(texts), 1))
    dimensions = min(SVD_DIMENSIONS, matrix.shape[1] - 1, len(texts) - 1)
    if dimensions < 2:
        return _normalise(matrix.toarray())
    return _normalise(TruncatedSVD(dimensions, random_state=SEED).fit_transform(matrix))


def _normalise(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)


def theme_count(n: int) -> int:
    """How many themes to look for among ``n`` comments (voices)."""
    return int(np.clip(round(THEMES_PER_ROOT * math.sqrt(n)), 2, MAX_THEMES))


def cluster(space: np.ndarray, weights: np.ndarray | None = None, seed: int = SEED) -> np.ndarray:
    """Theme number per comment (0, 1, … by decreasing size), ``NO_THEME`` for outliers.

    Args:
        space: from :func:`theme_space`.
        weights: each comment's weight (a campaign's copies share one voice); default 1.
        seed: for UMAP and k-means (the same seed gives the same themes).
    """
    n = len(space)
    weights = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    if n < 2 * MIN_THEME_SIZE:
        return np.full(n, NO_THEME)
    k = min(theme_count(int(round(weights.sum()))), n // MIN_THEME_SIZE)
    reduced = reduce(space, seed)
    model = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(reduced, sample_weight=weights)
    labels = _merge_near_duplicates(model.labels_, space)
    labels = _dissolve_small(labels, reduced, MIN_THEME_SIZE)
    labels = _mark_outliers(labels, reduced)
    return _renumber(labels, MIN_THEME_SIZE)


def reduce(space: np.ndarray, seed: int = SEED) -> np.ndarray:
    """UMAP to a few dimensions (deterministic: fixed seed, one thread); small inputs as they are.

    The neighbours UMAP starts from are found exactly, in batches (scikit-learn), not with
    pynndescent: as exact, no n×n matrix in memory, and without pynndescent's half-minute compile.
    """
    if len(space) <= UMAP_NEIGHBOURS + 1:
        return space
    import numba
    import sklearn
    import umap
    from sklearn.neighbors import NearestNeighbors

    neighbours = NearestNeighbors(n_neighbors=UMAP_NEIGHBOURS, metric="cosine", algorithm="brute").fit(space)
    with sklearn.config_context(working_memory=NEIGHBOUR_MEMORY_MB):  # distances in blocks of this size
        distances, indices = neighbours.kneighbors(space)
    reducer = umap.UMAP(
        n_neighbors=UMAP_NEIGHBOURS,
        n_components=UMAP_DIMENSIONS,
        min_dist=0.0,
        metric="cosine",
        random_state=seed,
        n_jobs=1,
        precomputed_knn=(indices, distances),
    )
    previous = numba.get_num_threads()
    numba.set_num_threads(1)  # for this thread's parallel regions only: no environment, no import order
    try:
        with warnings.catch_warnings():  # no new data is ever transformed, so no search index is needed
            warnings.filterwarnings("ignore", message=".*precomputed_knn.*")
            return reducer.fit_transform(space)
    finally:
        numba.set_num_threads(previous)


def _merge_near_duplicates(labels: np.ndarray, space: np.ndarray) -> np.ndarray:
    """Merge themes whose centres (in the full representation) have cosine ≥ ``MERGE_SIMILARITY``."""
    labels = labels.copy()
    while True:
        ids = sorted(set(labels.tolist()) - {NO_THEME})
        if len(ids) < 2:
            return labels
        centres = _normalise(np.array([space[labels == t].mean(axis=0) for t in ids]))
        similarity = centres @ centres.T - 2 * np.eye(len(ids))
        a, b = np.unravel_index(np.argmax(similarity), similarity.shape)
        if similarity[a, b] < MERGE_SIMILARITY:
            return labels
        labels[labels == ids[b]] = ids[a]


def _dissolve_small(labels: np.ndarray, reduced: np.ndarray, min_size: int) -> np.ndarray:
    """Comments of a theme too small to be recurring join the nearest theme that is big enough (the
    outlier step then decides whether they fit there); with no such theme they belong to none."""
    sizes = {t: int((labels == t).sum()) for t in set(labels.tolist()) - {NO_THEME}}
    big = [t for t, size in sorted(sizes.items()) if size >= min_size]
    small = np.isin(labels, [t for t, size in sizes.items() if size < min_size])
    if not small.any():
        return labels
    labels = labels.copy()
    if not big:
        labels[small] = NO_THEME
        return labels
    centres = np.array([reduced[labels == t].mean(axis=0) for t in big])
    nearest = np.linalg.norm(reduced[small][:, None, :] - centres[None, :, :], axis=2).argmin(axis=1)
    labels[small] = np.array(big)[nearest]
    return labels


def _mark_outliers(labels: np.ndarray, reduced: np.ndarray) -> np.ndarray:
    """Comments beyond Tukey's fence of their theme's distances to its centre belong to no theme,
    the farthest first, never more than ``MAX_OUTLIERS`` of all comments."""
    labels = labels.copy()
    distance = np.zeros(len(labels))
    fence = np.full(len(labels), np.inf)
    for t in set(labels.tolist()) - {NO_THEME}:
        members = labels == t
        distance[members] = np.linalg.norm(reduced[members] - reduced[members].mean(axis=0), axis=1)
        q1, q3 = np.percentile(distance[members], [25, 75])
        fence[members] = q3 + OUTLIER_IQR * (q3 - q1)
    beyond = np.flatnonzero(distance > fence)
    allowed = int(MAX_OUTLIERS * len(labels))
    labels[beyond[np.argsort(-(distance - fence)[beyond])][:allowed]] = NO_THEME
    return labels


def _renumber(labels: np.ndarray, min_size: int) -> np.ndarray:
    """Themes numbered by decreasing size; those smaller than ``min_size`` become ``NO_THEME``."""
    sizes = {label: int((labels == label).sum()) for label in set(labels.tolist()) - {NO_THEME}}
    kept = sorted((label for label, size in sizes.items() if size >= min_size), key=lambda x: (-sizes[x], x))
    mapping = {label: i for i, label in enumerate(kept)}
    return np.array([mapping.get(label, NO_THEME) for label in labels.tolist()])
