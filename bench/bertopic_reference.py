"""BERTopic's default pipeline (UMAP, HDBSCAN, c-TF-IDF), timed on given embeddings: the reference the
theme step is compared with (``bench/run.py``, ``eval/themes.py``). BERTopic is an optional extra."""

from __future__ import annotations

import time
import warnings

import numpy as np


def bertopic_seconds(texts: list[str], vectors: np.ndarray) -> float | None:
    """Wall time of ``BERTopic().fit_transform(texts, vectors)``; None if BERTopic is not installed."""
    try:
        from bertopic import BERTopic
    except ImportError:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        BERTopic(embedding_model=None).fit_transform(texts, vectors)
        return time.perf_counter() - start
