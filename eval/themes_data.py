"""The labelled splits the theme figures are made on (``eval/data/hearing/<split>/``).

A :class:`Split` holds a split's labelled comments with both annotators' themes and everything the
theme step needs: embeddings, measure probabilities, the theme space, campaigns and voice weights.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
from mentions_data import CORPUS, load_split, space_for, vectors_for

from pipeline.comments.campaigns import find_campaigns
from pipeline.measures import implicit
from pipeline.measures.linking import comment_texts
from pipeline.ocr.repair import clean_text
from pipeline.themes import clustering as themes

NONE = "annet"  # the gold label of comments that belong to no theme


class Split:
    """A labelled split with everything the theme step needs."""

    def __init__(self, name: str, measures) -> None:
        comments, labels = load_split(name)
        gold = {label["comment_id"]: label["theme"] for label in labels}
        second = {label["comment_id"]: label["theme_2"] for label in labels}
        self.name = name
        self.comments = comments[comments["comment_id"].isin(gold)].reset_index(drop=True)
        self.gold = np.array([gold[c] for c in self.comments["comment_id"]])
        self.second = np.array([second[c] for c in self.comments["comment_id"]])  # a second, blind annotator
        self.texts = comment_texts(self.comments)
        self.vectors = vectors_for(self.comments["text"].tolist())
        self.probabilities, _ = implicit.score_matrix(self.texts, self.vectors, space_for(measures))
        self.areas = measures["innsatsomrade"].tolist()
        self.campaign_of = find_campaigns(response_texts(name))
        self.space = themes.theme_space(self.texts, self.vectors, self.probabilities, self.areas)
        self.weights = voice_weights(self.comments["response_id"].tolist(), self.campaign_of)

    @cached_property
    def chosen(self) -> np.ndarray:
        """The themes the pipeline's clusterer finds (default seed)."""
        return themes.cluster(self.space, self.weights)


def response_texts(split: str) -> dict[str, str]:
    return {p.stem: clean_text(p.read_text(encoding="utf-8")).text for p in sorted((CORPUS / split).glob("*.txt"))}


def voice_weights(response_ids: list[str], campaign_of: dict[str, str]) -> np.ndarray:
    sizes = {c: list(campaign_of.values()).count(c) for c in set(campaign_of.values())}
    return np.array([1.0 / sizes[campaign_of[r]] if r in campaign_of else 1.0 for r in response_ids])
