"""The OCR repair meets its targets on the evaluation sets in eval/ (see eval/ocr.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipeline import config

EVAL = config.PROJ_ROOT / "eval"  # on sys.path (conftest): eval/ocr.py imports degrade
_spec = importlib.util.spec_from_file_location("eval_ocr", EVAL / "ocr.py")
eval_ocr = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_ocr)

REAL_PAIRS = sorted((EVAL / "data" / "real").glob("*.ocr.txt"))


def test_error_rates_line_by_line():
    rates = eval_ocr.error_rates("vi ma gjøre det\n\nhei du", "vi må gjøre det\n\nhei du")
    assert rates["words"] == 6 and rates["wer"] == pytest.approx(1 / 6)
    with pytest.raises(ValueError, match="line counts differ"):
        eval_ocr.error_rates("en\nto", "en")


@pytest.mark.parametrize("number", ["002", "003"])
def test_synthetic_damage_target(number):
    clean = eval_ocr._seed(number)
    result = eval_ocr.evaluate_pair(eval_ocr.degrade(clean, 1.0, 7), clean)
    assert result["raw"]["wer"] > 0.08
    assert result["repaired"]["wer"] <= 0.005


@pytest.mark.parametrize("pair", REAL_PAIRS, ids=lambda p: p.name.removesuffix(".ocr.txt"))
def test_real_ocr_target(pair: Path):
    reference = pair.with_name(pair.name.replace(".ocr.txt", ".ref.txt")).read_text(encoding="utf-8")
    result = eval_ocr.evaluate_pair(pair.read_text(encoding="utf-8"), reference)
    assert result["raw"]["wer"] > 0.08
    assert result["repaired"]["wer"] <= 0.01


def test_there_are_real_and_hand_corrected_pairs():
    names = {p.name for p in REAL_PAIRS}
    assert any(n.startswith("seed001") for n in names) and any(n.startswith("seed004") for n in names)
    assert sum(n.startswith("rendered-") for n in names) >= 2
