"""Stable theme ids, and the analysts' names and merges that survive reruns.

Each run clusters afresh; its themes are then matched to the previous run's by centroid (cosine of
the mean sentence embedding, Hungarian matching, at least ``MATCH``): a matched theme keeps its id
and label, a new one gets the next free id. A comment that was in a theme which still exists stays
there unless another theme is clearly closer (``HYSTERESIS``), so late responses do not reshuffle
what analysts already read. The state lies in the round's output folder (``STATE_FILE``).

Analysts review themes in ``REVIEW_FILE`` (semicolon-separated, opens in Excel): a name in
``nytt_navn`` replaces the label, a theme id in ``slå_sammen_med`` merges the theme into that one.
Their entries are kept, and applied, on every rerun.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from pipeline.tables import atomic_write
from pipeline.themes.clustering import NO_THEME

STATE_FILE = "tema_tilstand.json"
REVIEW_FILE = "tema_gjennomgang.csv"
REVIEW_COLUMNS = ("tema_id", "etikett", "antall_kommentarer", "nytt_navn", "slå_sammen_med", "merknad")
MATCH = 0.85  # cosine of centroids for a theme to be "the same" as a previous one
HYSTERESIS = 0.03  # a comment leaves its previous theme only for one at least this much closer


@dataclass
class State:
    """What a run leaves for the next one: each theme's centroid and label, each comment's theme."""

    centroids: dict[int, list[float]] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    assignments: dict[str, int] = field(default_factory=dict)
    model: str = ""

    @classmethod
    def load(cls, folder: Path) -> State | None:
        path = Path(folder) / STATE_FILE
        if not path.exists():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                {int(k): v for k, v in data["centroids"].items()},
                {int(k): v for k, v in data["labels"].items()},
                {k: int(v) for k, v in data["assignments"].items()},
                data.get("model", ""),
            )
        except (ValueError, KeyError, TypeError):
            return None  # an unreadable state: start afresh

    def save(self, folder: Path) -> Path:
        data = {
            "model": self.model,
            "centroids": {str(k): v for k, v in self.centroids.items()},
            "labels": {str(k): v for k, v in self.labels.items()},
            "assignments": self.assignments,
        }
        text = json.dumps(data, ensure_ascii=False)
        return atomic_write(Path(folder) / STATE_FILE, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def stabilise(
    labels: np.ndarray, vectors: np.ndarray, comment_ids: list[str], previous: State | None
) -> tuple[np.ndarray, set[int]]:
    """Theme ids per comment, and the ids that continue a theme of the previous run.

    Args:
        labels: theme numbers from clustering (``NO_THEME`` for outliers).
        vectors: the comments' sentence embeddings (L2-normalised).
        comment_ids: the comments (stable across runs).
        previous: the last run's state, if any.
    """
    numbers = sorted(set(labels.tolist()) - {NO_THEME})
    if not previous or not previous.centroids:
        return labels.copy(), set()
    old_ids = sorted(previous.centroids)
    mapping: dict[int, int] = {}
    if numbers:
        new_centroids = np.array([_centroid(vectors[labels == t]) for t in numbers])
        old_centroids = np.array([previous.centroids[t] for t in old_ids])
        if new_centroids.shape[1] == old_centroids.shape[1]:
            similarity = new_centroids @ old_centroids.T
            rows, cols = linear_sum_assignment(-similarity)
            mapping = {numbers[r]: old_ids[c] for r, c in zip(rows, cols) if similarity[r, c] >= MATCH}
    continued = set(mapping.values())
    next_id = max(old_ids) + 1
    for t in numbers:
        if t not in mapping:
            mapping[t] = next_id
            next_id += 1
    ids = np.array([mapping.get(t, NO_THEME) for t in labels.tolist()])
    return _keep_previous(ids, vectors, comment_ids, previous, continued), continued


def _keep_previous(
    ids: np.ndarray, vectors: np.ndarray, comment_ids: list[str], previous: State, existing: set[int]
) -> np.ndarray:
    """Hysteresis: a comment stays in its previous theme unless its new one is clearly closer."""
    centroids = {t: _centroid(vectors[ids == t]) for t in existing if (ids == t).any()}
    ids = ids.copy()
    for row, cid in enumerate(comment_ids):
        before = previous.assignments.get(cid)
        now = int(ids[row])
        if before is None or before == now or before not in centroids:
            continue
        closer_now = vectors[row] @ centroids[now] if now in centroids else -1.0
        if vectors[row] @ centroids[before] >= closer_now - HYSTERESIS:
            ids[row] = before
    return ids


def _centroid(rows: np.ndarray) -> np.ndarray:
    centre = rows.mean(axis=0)
    return centre / max(float(np.linalg.norm(centre)), 1e-12)


def new_state(
    ids: np.ndarray, vectors: np.ndarray, comment_ids: list[str], labels: dict[int, str], model: str
) -> State:
    """The state to save after this run."""
    themes = sorted(set(ids.tolist()) - {NO_THEME})
    return State(
        {t: [round(float(x), 6) for x in _centroid(vectors[ids == t])] for t in themes},
        {t: labels.get(t, "") for t in themes},
        {cid: int(t) for cid, t in zip(comment_ids, ids.tolist()) if t != NO_THEME},
        model,
    )


@dataclass(frozen=True)
class Review:
    """The analysts' decisions: names for themes, and merges (theme → theme it joins)."""

    names: dict[int, str]
    merges: dict[int, int]
    notes: dict[int, str]
    listed: frozenset[int] = frozenset()  # the themes the file has a row for (an empty cell there clears)

    @classmethod
    def load(cls, folder: Path) -> Review:
        path = Path(folder) / REVIEW_FILE
        names, merges, notes, listed = {}, {}, {}, set()
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                for row in csv.DictReader(fh, delimiter=";"):
                    try:
                        theme = int(row.get("tema_id", ""))
                    except ValueError:
                        continue
                    listed.add(theme)
                    if (row.get("nytt_navn") or "").strip():
                        names[theme] = row["nytt_navn"].strip()
                    if (row.get("merknad") or "").strip():
                        notes[theme] = row["merknad"].strip()
                    target = (row.get("slå_sammen_med") or "").strip()
                    if target.lstrip("-").isdigit() and int(target) != theme:
                        merges[theme] = int(target)
        return cls(names, merges, notes, frozenset(listed))

    def apply(self, ids: np.ndarray) -> np.ndarray:
        """Theme ids with the merges done (chains followed: 3 → 5 → 7 puts 3 in 7)."""

        def final(t: int, seen: tuple = ()) -> int:
            return final(self.merges[t], seen + (t,)) if t in self.merges and t not in seen else t

        return np.array([final(t) if t != NO_THEME else t for t in ids.tolist()])

    def write(self, folder: Path, themes: list[tuple[int, str, int]]) -> Path:
        """The review file with the current themes (id, label, size); analysts' entries kept,
        also for themes that were merged away or are gone this run."""
        rows = {t: {"tema_id": t, "etikett": label, "antall_kommentarer": size} for t, label, size in themes}
        for t in set(self.names) | set(self.merges) | set(self.notes):
            rows.setdefault(t, {"tema_id": t, "etikett": "", "antall_kommentarer": 0})
        for t, row in rows.items():
            row["nytt_navn"] = self.names.get(t, "")
            row["slå_sammen_med"] = self.merges.get(t, "")
            row["merknad"] = self.notes.get(t, "")

        def write(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=REVIEW_COLUMNS, delimiter=";")
                writer.writeheader()
                for t in sorted(rows):
                    writer.writerow({k: _safe(rows[t][k]) for k in REVIEW_COLUMNS})

        return atomic_write(Path(folder) / REVIEW_FILE, write)


def _safe(value) -> str:
    """A cell that Excel reads as text, never as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not text.lstrip("-").isdigit() else text
