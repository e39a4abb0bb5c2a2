"""Link a round's comments to the plan's measures: written codes, implicit mentions, drift warnings.

Puts :mod:`pipeline.measures.explicit` (explicit codes), :mod:`pipeline.measures.implicit` (comments that discuss a
measure without its code) and :mod:`pipeline.measures.drift` (cited codes that mean another measure) together
into the ``mentions`` and ``crosswalk`` tables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pandas as pd

from pipeline import config
from pipeline.embed import embedder as embed
from pipeline.measures import drift, implicit
from pipeline.measures.explicit import Mention, find_explicit
from pipeline.tables import to_frame


def measure_texts(catalogue: pd.DataFrame) -> list[str]:
    """What a measure is about, to embed: its result goal and its text."""
    return [f"{goal} {text}".strip() for goal, text in zip(catalogue["goal"], catalogue["text"])]


def measure_part_texts(catalogue: pd.DataFrame) -> tuple[list[str], list[int]]:
    """The parts of each measure to embed on their own, and the measure (row) each belongs to."""
    return implicit.measure_parts(catalogue["goal"].tolist(), catalogue["text"].tolist())


def comment_texts(comments: pd.DataFrame) -> list[str]:
    """What a comment says in its context, for the lexical evidence: its section heading, the lead-in
    of its list (for a list item) and its text. (Its embedding is of the text alone.)"""
    return [
        " ".join(part for part in (section, lead, text) if part)
        for section, lead, text in zip(comments["section"], comments["lead_in"], comments["text"])
    ]


def comment_vectors(texts: list[str], passages: np.ndarray, role: str, embedding_model: str) -> np.ndarray:
    """The comments' vectors as the implicit model compares them: ``passages`` (their passage
    embeddings) for role ``passage``, else the texts embedded in that role (E5 ``query: ``, cached)."""
    if role == "passage" or not texts:
        return passages
    return embed.embed_texts(texts, embed.load_embedder(embedding_model, role=role))[0]


class RoundVectors(NamedTuple):
    """A round's embeddings, made in one cached pass: of the comments' text, of each measure
    (:func:`measure_texts`) and of each measure's parts (:func:`measure_part_texts`)."""

    comments: np.ndarray
    measures: np.ndarray
    parts: np.ndarray
    model: str  # the embedding model's name
    n_new: int = 0  # texts embedded anew (the rest came from the cache)


def embed_round(
    comments: pd.DataFrame,
    catalogue: pd.DataFrame,
    embedder: embed.Embedder | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RoundVectors:
    """Embed a round's comments, measures and measure parts (default: the configured model)."""
    embedder = embedder or embed.load_embedder()
    texts, measures = comments["text"].tolist(), measure_texts(catalogue)
    parts, _ = measure_part_texts(catalogue)
    vectors, n_new = embed.embed_texts(texts + measures + parts, embedder, progress=progress)
    n, m = len(texts), len(measures)
    return RoundVectors(vectors[:n], vectors[n : n + m], vectors[n + m :], embedder.name, n_new)


class Linked(NamedTuple):
    """What linking gives: the ``mentions`` and ``crosswalk`` tables, and the comments × measures
    probabilities of implicit mention (themes use them)."""

    mentions: pd.DataFrame
    crosswalk: pd.DataFrame
    scores: np.ndarray


def link(
    comments: pd.DataFrame,
    catalogue: pd.DataFrame,
    vectors: np.ndarray,
    measure_vectors: np.ndarray,
    part_vectors: np.ndarray,
    *,
    query_vectors: np.ndarray | None = None,
    embedding_model: str | None = None,
    model: implicit.ImplicitModel | None = None,
) -> Linked:
    """The ``mentions`` and ``crosswalk`` tables of a round (and the implicit-mention probabilities).

    Args:
        comments: the ``comments`` table; ``vectors``: embeddings of its ``text`` column.
        catalogue: the measures of the analysed plan version; ``measure_vectors``: embeddings of
            :func:`measure_texts`; ``part_vectors``: of :func:`measure_part_texts` (:class:`RoundVectors`).
        query_vectors: the comments embedded as E5 queries (``query: ``), for a model fitted so
            (``comment_role == "query"``); default: embedded here, through the embedding cache.
        embedding_model: the model the vectors come from (default: the configured one); a model
            other than the implicit-mention fit's is warned about (:func:`pipeline.measures.implicit.load_model`).
        model: the implicit-mention model; default: ``models/implicit-mentions.json``.
    """
    embedding_model = embedding_model or config.EMBEDDING_MODEL
    model = model or implicit.load_model(embedding_model=embedding_model)
    if query_vectors is None:
        query_vectors = comment_vectors(comments["text"].tolist(), vectors, model.comment_role, embedding_model)
    profiles_by_code = implicit.measure_profiles(list(zip(catalogue["code"], catalogue["text"], catalogue["goal"])))
    profiles = [profiles_by_code[c] for c in catalogue["code"]]
    parts, owner = measure_part_texts(catalogue)
    space = implicit.measure_space(profiles, measure_texts(catalogue), parts, owner, measure_vectors, part_vectors)
    ids = comments["comment_id"].tolist()
    scored = implicit.score_pairs(comment_texts(comments), query_vectors, space, model)
    explicit = [m for cid, text in zip(ids, comments["text"]) for m in find_explicit(cid, text, set(space.codes))]
    drifts = _drifts(explicit, comments, vectors, space)
    covered: dict[str, set[str]] = defaultdict(set)  # written, or meant by a drifted code: not implicit
    for m in explicit:
        d = drifts.get((m.comment_id, m.code))
        covered[m.comment_id].add(d.likely if d else m.code)
    rows = []
    for m in explicit + implicit.find_implicit(ids, scored, profiles, covered, model):
        d = drifts.get((m.comment_id, m.code)) if m.kind == "explicit" else None
        rows.append({**m.__dict__, "likely": d.likely if d else "", "drift_score": d.gain if d else 0.0})
    response_of = dict(zip(comments["comment_id"], comments["response_id"]))
    return Linked(to_frame(rows, "mentions"), drift.crosswalk(drifts.values(), response_of), scored.probabilities)


def _drifts(
    explicit: list[Mention], comments: pd.DataFrame, vectors: np.ndarray, space: implicit.MeasureSpace
) -> dict[tuple[str, str], drift.Drift]:
    """Per (comment, cited code): the drift warning where the cited measure does not fit the comment."""
    by_comment: dict[str, list[Mention]] = defaultdict(list)
    for m in explicit:
        by_comment[m.comment_id].append(m)
    row_of = {cid: k for k, cid in enumerate(comments["comment_id"])}
    lexical_texts = comment_texts(comments)
    drifts = {}
    for cid, mentioned in by_comment.items():
        row = row_of[cid]
        fit = dict(zip(space.codes, implicit.text_fit(vectors[row], lexical_texts[row], space)))
        for d in drift.detect(mentioned, fit, set(space.codes)):
            drifts[(cid, d.cited)] = d
    return drifts
