"""Shared fixtures: the seed documents, a bundled-round copy, one Prefect test harness per session."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from pipeline import config

from seeds import seed_text

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
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


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness():
        yield
