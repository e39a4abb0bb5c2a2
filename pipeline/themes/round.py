"""Find a round's themes, end to end: representation, clustering, stable ids, analysts' review,
descriptions and the guard-rail check (:mod:`pipeline.themes.clustering`, :mod:`pipeline.themes.ids`,
:mod:`pipeline.themes.description`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.measures.linking import comment_texts
from pipeline.tables import to_frame
from pipeline.themes.clustering import cluster, theme_space
from pipeline.themes.description import Quality, Theme, check, describe
from pipeline.themes.ids import Review, State, new_state, stabilise


@dataclass
class Themes:
    """A round's themes: the comments with their theme ids, the themes table, what to save."""

    comments: pd.DataFrame
    table: pd.DataFrame
    quality: Quality
    state: State
    review: Review


def find_themes(
    comments: pd.DataFrame,
    vectors: np.ndarray,
    probabilities: np.ndarray | None,
    measure_areas: list[str] | None,
    mentions: pd.DataFrame | None,
    campaign_of: dict[str, str],
    folder: Path,
    model: str = "",
) -> Themes:
    """Cluster the comments, keep the previous run's ids where themes continue, apply the analysts'
    review, and describe the themes.

    Args:
        comments: the ``comments`` table; ``vectors``: their sentence embeddings.
        probabilities: comments × measures implicit-mention probabilities; ``measure_areas`` each
            measure's area of effort.
        mentions: the ``mentions`` table (which measures a theme's comments are about).
        campaign_of: campaign id of each response in a campaign: a campaign is one voice.
        folder: the round's output folder, where the previous state and the review file lie.
        model: the embedding model; a state made with another model is not reused.
    """
    texts = comment_texts(comments)
    space = theme_space(texts, vectors, probabilities, measure_areas)
    members = Counter(campaign_of.values())
    weights = np.array([1.0 / members[campaign_of[r]] if r in campaign_of else 1.0 for r in comments["response_id"]])
    numbers = cluster(space, weights)

    previous = State.load(folder)
    if previous and previous.model != model:
        previous = None
    ids, continued = stabilise(numbers, vectors, comments["comment_id"].tolist(), previous)
    review = Review.load(folder)
    ids = review.apply(ids)

    described = describe(ids, comments, space, texts, campaign_of, mentions)
    themes = [_named(t, review, previous, continued) for t in described]
    state = new_state(ids, vectors, comments["comment_id"].tolist(), {t.theme_id: t.label for t in themes}, model)
    return Themes(
        comments.assign(theme_id=ids.astype("int64")),
        to_frame(themes, "themes"),
        check(ids, space, themes),
        state,
        review,
    )


def _named(theme: Theme, review: Review, previous: State | None, continued: set[int]) -> Theme:
    """The analysts' name, else the label the theme had last run, else the new label."""
    from dataclasses import replace

    if theme.theme_id in review.names:
        return replace(theme, label=review.names[theme.theme_id])
    if previous and theme.theme_id in continued and previous.labels.get(theme.theme_id):
        return replace(theme, label=previous.labels[theme.theme_id])
    return theme


def save(found: Themes, folder: Path) -> list[Path]:
    """Write the state for the next run and the analysts' review file (their entries kept)."""
    rows = list(zip(found.table["theme_id"].tolist(), found.table["label"].tolist(), found.table["size"].tolist()))
    return [found.state.save(folder), found.review.write(folder, rows)]
