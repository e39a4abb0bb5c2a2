"""Find a round's themes, end to end: representation, clustering, stable ids, analysts' review,
descriptions and the guard-rail check (:mod:`pipeline.themes.clustering`, :mod:`pipeline.themes.ids`,
:mod:`pipeline.themes.description`)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.measures.linking import comment_texts
from pipeline.tables import atomic_write, joined, to_frame
from pipeline.themes.clustering import NO_THEME, cluster, theme_space, word_space
from pipeline.themes.description import Quality, Theme, check, describe
from pipeline.themes.ids import Review, State, new_state, stabilise

QUALITY_FILE = "tema_kontroll.json"


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
    review: Review | None = None,
    pins: Mapping[str, int] | None = None,
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
        review: the analysts' names, merges and notes (default: ``tema_gjennomgang.csv`` in ``folder``).
        pins: comment id → the theme a person put it in (-1: none), applied before the merges.
    """
    texts = comment_texts(comments)
    space = theme_space(texts, vectors, probabilities, measure_areas)
    members = Counter(campaign_of.values())
    weights = np.array([1.0 / members[campaign_of[r]] if r in campaign_of else 1.0 for r in comments["response_id"]])
    numbers = cluster(space, weights)

    previous = State.load(folder)
    if previous and previous.model != model:
        previous = None
    comment_ids = comments["comment_id"].tolist()
    machine, continued = stabilise(numbers, vectors, comment_ids, previous)
    review = review if review is not None else Review.load(folder)
    pins = pins or {}
    ids = review.apply(np.array([pins.get(c, t) for c, t in zip(comment_ids, machine.tolist())], dtype="int64"))

    described = describe(ids, comments, space, texts, campaign_of, mentions)
    themes = [_named(t, review, previous, continued) for t in described]
    state = new_state(ids, vectors, comments["comment_id"].tolist(), {t.theme_id: t.label for t in themes}, model)
    return Themes(
        comments.assign(
            theme_id=ids.astype("int64"),
            machine_theme_id=machine.astype("int64"),
            theme_checked=[c in pins for c in comment_ids],
        ),
        to_frame(themes, "themes"),
        check(ids, space, themes),
        state,
        review,
    )


def describe_again(
    comments: pd.DataFrame,
    before: tuple[pd.DataFrame, pd.DataFrame],
    campaign_of: dict[str, str],
    mentions: pd.DataFrame | None,
    review: Review,
    quality: Quality | None = None,
) -> tuple[pd.DataFrame, Quality]:
    """The themes table of comments whose theme ids people changed (moves, merges, splits), made
    without the embeddings.

    A theme with the same comments as in ``before`` (the comments and themes tables the last
    documents were made from) keeps its label and representatives; the others get representatives
    picked in the comments' words (:func:`pipeline.themes.clustering.word_space`). An analyst's name
    comes first. The guard-rail check keeps the run's similar pairs (``quality``) still there.
    """
    ids = comments["theme_id"].to_numpy(dtype="int64")
    texts = comment_texts(comments)
    old_comments, old_themes = before
    now = _members(comments["comment_id"], ids)
    same = {
        t
        for t, m in _members(old_comments["comment_id"], old_comments["theme_id"].to_numpy()).items()
        if now.get(t) == m
    }
    old = {int(row["theme_id"]): row for row in old_themes.to_dict("records") if int(row["theme_id"]) in same}
    space = word_space(texts) if len(texts) > 2 else np.zeros((len(texts), 1))
    themes = [
        _kept(t, old.get(t.theme_id), review) for t in describe(ids, comments, space, texts, campaign_of, mentions)
    ]
    present = {t.theme_id for t in themes}
    pairs = tuple(p for p in (quality.similar_pairs if quality else ()) if p[0] in present and p[1] in present)
    outliers = float(np.mean(ids == NO_THEME)) if len(ids) else 0.0
    return to_frame(themes, "themes"), Quality(len(ids), len(themes), outliers, pairs)


def _kept(theme: Theme, old: dict | None, review: Review) -> Theme:
    """``theme`` with the analyst's name, and an unchanged theme's label and representatives of before."""
    from dataclasses import replace

    if old is not None:
        picked = [str(c) for c in old["representative_list"]]
        theme = replace(
            theme,
            label=str(old["label"]),
            representative=str(old["representative"]),
            representative_list=picked,
            representatives=joined(picked),
        )
    return replace(theme, label=review.names[theme.theme_id]) if theme.theme_id in review.names else theme


def _members(comment_ids, ids: np.ndarray) -> dict[int, frozenset[str]]:
    found: dict[int, set[str]] = {}
    for c, t in zip(comment_ids, ids.tolist()):
        found.setdefault(int(t), set()).add(c)
    return {t: frozenset(m) for t, m in found.items() if t != NO_THEME}


def _named(theme: Theme, review: Review, previous: State | None, continued: set[int]) -> Theme:
    """The analysts' name, else the label the theme had last run, else the new label."""
    from dataclasses import replace

    if theme.theme_id in review.names:
        return replace(theme, label=review.names[theme.theme_id])
    if previous and theme.theme_id in continued and previous.labels.get(theme.theme_id):
        return replace(theme, label=previous.labels[theme.theme_id])
    return theme


def save(found: Themes, folder: Path) -> list[Path]:
    """Write the state for the next run, the analysts' review file (their entries kept) and the guard-rail
    check (``QUALITY_FILE``, for documents made again from the tables)."""
    rows = list(zip(found.table["theme_id"].tolist(), found.table["label"].tolist(), found.table["size"].tolist()))
    return [found.state.save(folder), found.review.write(folder, rows), save_quality(found.quality, folder)]


def save_quality(quality: Quality, folder: Path) -> Path:
    """Write the guard-rail check to ``QUALITY_FILE`` in ``folder``."""
    text = json.dumps(asdict(quality), ensure_ascii=False, indent=1)
    return atomic_write(Path(folder) / QUALITY_FILE, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def load_quality(folder: Path) -> Quality | None:
    """The guard-rail check a run saved in ``folder`` (None: none there, or unreadable)."""
    try:
        found = json.loads((Path(folder) / QUALITY_FILE).read_text(encoding="utf-8"))
        return Quality(
            found["n_comments"],
            found["n_themes"],
            found["outlier_share"],
            tuple(tuple(pair) for pair in found["similar_pairs"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
