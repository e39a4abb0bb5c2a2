"""Describe themes for analysts: a readable label, key phrases, representative comments, who raised
the theme and which measures its comments are about; and check the themes for common faults.

Labels come from class-based TF-IDF over Norwegian lemmas and two-word phrases
(:mod:`pipeline.text.keywords`). Representatives are the comments closest to the theme's centre, picked
with maximal marginal relevance so that two near-copies are not both shown. What a theme lists is kept
as columns of lists (``keyword_list`` …), and as the strings made from them (:func:`string_columns`).

Example:
    >>> themes = describe(labels, comments, space)  # doctest: +SKIP
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.nb.stances import LABELS as STANCES
from pipeline.summaries.per_measure import effective_codes
from pipeline.tables import joined
from pipeline.text.keywords import top_keywords
from pipeline.text.mmr import mmr
from pipeline.themes.clustering import MAX_OUTLIERS, MAX_THEMES, MIN_THEMES, NO_THEME

LABEL_WORDS = 3
KEYWORDS = 8
REPRESENTATIVES = 3
DIVERSITY = 0.5  # maximal marginal relevance: weight of closeness to the centre vs. novelty
MIN_COMMENTS_FOR_RANGE = 100  # a round this big should have MIN_THEMES–MAX_THEMES themes
SAME_LABEL_WORDS = 2  # two themes sharing this many of their label words have "the same" label


@dataclass(frozen=True)
class Theme:
    """A recurring theme across comments."""

    theme_id: int
    label: str
    keywords: str
    size: int
    n_responses: int
    representative: str
    phrases: str = ""
    representatives: str = ""
    n_voices: int = 0
    n_signers: int = 0
    senders: str = ""
    response_ids: str = ""
    campaigns: str = ""
    measures: str = ""
    n_support: int = 0
    n_critique: int = 0
    n_proposal: int = 0
    n_question: int = 0
    n_neutral: int = 0
    keyword_list: list[str] = field(default_factory=list)
    phrase_list: list[str] = field(default_factory=list)
    representative_list: list[str] = field(default_factory=list)
    sender_list: list[str] = field(default_factory=list)
    response_id_list: list[str] = field(default_factory=list)
    campaign_list: list[str] = field(default_factory=list)
    measure_items: list[dict] = field(default_factory=list)


def describe(
    labels: np.ndarray,
    comments: pd.DataFrame,
    space: np.ndarray,
    texts: list[str] | None = None,
    campaign_of: dict[str, str] | None = None,
    mentions: pd.DataFrame | None = None,
) -> list[Theme]:
    """A :class:`Theme` per theme number in ``labels``.

    Args:
        labels: theme number per comment (``NO_THEME`` for none).
        comments: the ``comments`` table (rows as ``labels``).
        space: the representation the comments were clustered in (rows as ``labels``).
        texts: the texts to take words from (default: the comments' text).
        campaign_of: campaign id of each response in a campaign.
        mentions: the ``mentions`` table, to list the measures each theme's comments are about.
    """
    texts = texts or comments["text"].tolist()
    campaign_of = campaign_of or {}
    theme_ids = sorted(set(labels.tolist()) - {NO_THEME})
    members = [np.flatnonzero(labels == t) for t in theme_ids]
    keywords = top_keywords([[texts[i] for i in idx] for idx in members], n=KEYWORDS)
    codes_of = _codes_by_comment(mentions)
    label_of = distinct_labels(keywords, [len(idx) for idx in members])
    return [
        _theme(
            theme_id,
            label or f"Tema {theme_id}",
            words,
            comments.iloc[idx],
            representatives(space[idx]),
            campaign_of,
            codes_of,
        )
        for theme_id, idx, words, label in zip(theme_ids, members, keywords, label_of)
    ]


def _theme(
    theme_id: int,
    label: str,
    words: list[str],
    members: pd.DataFrame,
    picked: list[int],
    campaign_of: dict[str, str],
    codes_of: dict[str, list[str]],
) -> Theme:
    """One theme from its comments (``members``) and the rows of them that show it (``picked``)."""
    ids = members["comment_id"].tolist()
    responses = list(dict.fromkeys(members["response_id"]))
    measures = Counter(code for cid in ids for code in codes_of.get(cid, ()))
    stances = Counter(members["stance"]) if "stance" in members else Counter()
    typed = {
        "keyword_list": list(words),
        "phrase_list": [w for w in words if " " in w],
        "representative_list": [ids[p] for p in picked],
        "sender_list": list(dict.fromkeys(s for s in members["sender"] if s)),
        "response_id_list": responses,
        "campaign_list": sorted({campaign_of[r] for r in responses if r in campaign_of}),
        "measure_items": [{"code": code, "n": n} for code, n in measures.most_common()],
    }
    return Theme(
        theme_id=theme_id,
        label=label,
        size=len(ids),
        n_responses=len(responses),
        representative=ids[picked[0]],
        n_voices=len({campaign_of.get(r, r) for r in responses}),
        n_signers=len(responses),
        **{f"n_{stance}": stances.get(stance, 0) for stance in STANCES},
        **typed,
        **string_columns(**typed),
    )


def string_columns(
    keyword_list: list[str],
    phrase_list: list[str],
    representative_list: list[str],
    sender_list: list[str],
    response_id_list: list[str],
    campaign_list: list[str],
    measure_items: list[dict],
) -> dict[str, str]:
    """A theme's string columns, made from its columns of lists; ``measures`` as ``10S (5), 7S (2)``."""
    return {
        "keywords": joined(keyword_list),
        "phrases": joined(phrase_list),
        "representatives": joined(representative_list),
        "senders": joined(sender_list),
        "response_ids": joined(response_id_list),
        "campaigns": joined(campaign_list),
        "measures": joined(f"{m['code']} ({m['n']})" for m in measure_items),
    }


def distinct_labels(keywords: list[list[str]], sizes: list[int], n: int = LABEL_WORDS) -> list[str]:
    """A label per theme from its keywords: its best keyword, then its next best ones that no larger
    theme's label already uses, so that no two labels share more than one word."""
    used: set[str] = set()
    labels = [""] * len(keywords)
    for i in sorted(range(len(keywords)), key=lambda i: (-sizes[i], i)):
        words = keywords[i][:1] + [w for w in keywords[i][1:] if w not in used]
        labels[i] = ", ".join(words[:n])
        used.update(words[:n])
    return labels


def representatives(members: np.ndarray, n: int = REPRESENTATIVES) -> list[int]:
    """Rows of ``members`` that best show the theme: closest to its centre, and not alike."""
    unit = members / np.maximum(np.linalg.norm(members, axis=1, keepdims=True), 1e-12)
    centre = unit.mean(axis=0)
    return mmr(unit, unit @ centre, n, DIVERSITY)


def _codes_by_comment(mentions: pd.DataFrame | None) -> dict[str, list[str]]:
    if mentions is None or mentions.empty:
        return {}
    effective = effective_codes(mentions)
    found: dict[str, list[str]] = {}
    for cid, code, valid, likely in zip(mentions["comment_id"], effective, mentions["valid"], mentions["likely"]):
        if valid or likely:
            found.setdefault(cid, []).append(code)
    return found


@dataclass(frozen=True)
class Quality:
    """The guard rails checked after every run (peers' users' top complaints)."""

    n_comments: int
    n_themes: int
    outlier_share: float
    similar_pairs: tuple[tuple[int, int, str], ...]  # (theme, theme, why)

    @property
    def warnings(self) -> list[str]:
        """What breaks a guard rail, in Norwegian."""
        found = []
        if self.outlier_share > MAX_OUTLIERS:
            found.append(f"{_percent(self.outlier_share)} av kommentarene har ikke noe tema (grense 15 %)")
        if self.n_comments >= MIN_COMMENTS_FOR_RANGE and not MIN_THEMES <= self.n_themes <= MAX_THEMES:
            found.append(f"{self.n_themes} temaer (forventet {MIN_THEMES}–{MAX_THEMES})")
        for a, b, why in self.similar_pairs:
            found.append(f"tema {a} og {b} ligner hverandre ({why})")
        return found

    @property
    def findings(self) -> list[str]:
        """The figures, then any warnings: what the report and the run's artifact show."""
        return [
            f"{self.n_themes} temaer",
            f"{_percent(self.outlier_share)} av {self.n_comments} kommentarer uten tema",
            *self.warnings,
        ]


def _percent(share: float) -> str:
    return f"{100 * share:.0f} %"


def check(labels: np.ndarray, space: np.ndarray, themes: list[Theme], similarity: float = 0.85) -> Quality:
    """Outlier share, number of themes, and pairs of themes with nearly the same centre or label."""
    pairs = []
    ids = [t.theme_id for t in themes]
    if len(ids) > 1:
        centres = np.array([space[labels == t].mean(axis=0) for t in ids])
        centres /= np.maximum(np.linalg.norm(centres, axis=1, keepdims=True), 1e-12)
        cos = centres @ centres.T
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                shared = set(themes[i].label.split(", ")) & set(themes[j].label.split(", "))
                if cos[i, j] >= similarity:
                    pairs.append((ids[i], ids[j], f"sentrene har cosinus {cos[i, j]:.2f}"))
                elif len(shared) >= SAME_LABEL_WORDS:
                    pairs.append((ids[i], ids[j], "nesten samme etikett: " + ", ".join(sorted(shared))))
    n = len(labels)
    return Quality(n, len(ids), float((labels == NO_THEME).mean()) if n else 0.0, tuple(pairs))
