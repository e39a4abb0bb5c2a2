"""The seed documents the project was built from, copied into tests/data/seeds/."""

from __future__ import annotations

from pathlib import Path

SEEDS_DIR = Path(__file__).parent / "data" / "seeds"


def seed_text(number: int) -> str:
    """Text of seed ``number``: 0 FO Oslo's response, 1 and 4 OCR-damaged, 2 clean, 3 the plan."""
    (path,) = SEEDS_DIR.glob(f"{number:03d}_*.txt")
    return path.read_text(encoding="utf-8")
