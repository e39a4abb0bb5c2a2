"""The bundled round's tables are what they were before the code changed shape (#11): a refactor keeps
every value; new columns are allowed, changed or missing ones are not (``golden.py`` says how the golden
file is made)."""

from __future__ import annotations

import json

import pytest
from conftest import run_round
from golden import GOLDEN, differences, snapshot

from pipeline import config

pytestmark = pytest.mark.slow


def test_bundled_round_tables_are_unchanged(prefect_harness, tmp_path):
    out = run_round(config.DEFAULT_ROUND_DIR, tmp_path / "out", tmp_path / "embeddings")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    found = differences(golden, snapshot(out))
    assert not found, "\n".join(found[:30])


def test_a_changed_value_or_a_lost_column_is_found():
    golden = {"comments": [{"comment_id": "a-1", "stance": "support"}], "manifest": {"total": 1}}
    assert differences(golden, golden) == []
    assert differences(golden, {**golden, "comments": [{"comment_id": "a-1", "stance": "support", "new": 1}]}) == []
    assert differences(golden, {**golden, "comments": [{"comment_id": "a-1", "stance": "critique"}]}) == [
        "comments row 0 stance: 'support' → 'critique'"
    ]
    assert differences(golden, {**golden, "comments": [{"comment_id": "a-1"}]}) == [
        "comments row 0 stance: 'support' → '<no column>'"
    ]
    assert differences(golden, {"comments": []}) == ["comments: 1 rows before, 0 now", "manifest: missing"]
    assert differences(golden, {**golden, "manifest": {"total": 2}}) == ["manifest: total changed"]
