"""The Prefect flow that analyses one hearing round, end to end.

    plan/ ────► measures: catalogue ───────────────┐
                                                   ▼
    responses/ ─► ingest ─► ocr ─► comments ─► embed ─► measures: links ─┬─► summaries ─┬─► outputs
                                                                    ▲    └─► themes ────┘
    review store ─► review (links, stances, senders, theme moves, names, merges)

Each stage is a package of ``pipeline/`` with the same name, and each step a task in
:mod:`flows.tasks`. Runs with no Prefect server (a temporary local one starts by itself); the results
land in ``data/processed/<round>/``.

Bad input never stops the round: a file that can't be read is an error row (ingest), and a response
that makes OCR repair, segmentation or stance raise becomes one too (its warning names the file).
``manifest.json`` accounts for every file under ``responses/``.
"""

from __future__ import annotations

from prefect import flow

from flows import limit_threads, progress, review, tasks
from flows.artifacts import publish_artifacts
from pipeline import config, outputs


@flow(name="hearing_round", log_prints=True)
def hearing_round(
    round_dir: str | None = None,
    out_dir: str | None = None,
    plan_version: str | None = None,
    keep_personal_data: bool = False,
) -> str:
    """Analyse a hearing round folder (``plan/`` + ``responses/``); returns the output folder.

    ``plan_version`` names the plan file (without extension) to analyse against when ``plan/`` holds
    several versions; default: the final one (see :func:`pipeline.measures.primary_version`).
    Personal data (identity numbers, phone numbers, e-mail and street addresses, private persons'
    names) is masked in the workbook, report and notat unless ``keep_personal_data`` (internal use).
    """
    limit_threads()
    paths = config.round_paths(round_dir, out_dir)
    with outputs.output_lock(paths.out_dir):  # one run per output folder
        return _analyse(paths, plan_version, keep_personal_data)


def _analyse(paths: config.RoundPaths, plan_version: str | None, keep_personal_data: bool) -> str:
    """The stages of :func:`hearing_round`, in order (the flow holds the output folder's lock)."""
    _step(1, f"leser planen i {paths.plan_dir}")
    decisions = review.read_review(paths.out_dir)
    all_measures, primary = tasks.read_plans(paths.plan_dir, plan_version)
    catalogue = all_measures[all_measures["plan_version"] == primary].reset_index(drop=True)
    _step(2, f"leser svarene i {paths.responses_dir}")
    responses = tasks.read_responses(paths.responses_dir)
    _step(3, "OCR-rens og ombrekking")
    cleaned = tasks.clean_texts(responses)
    _step(4, "deler svarene i kommentarer, finner holdning og kampanjebrev")
    segmented = tasks.split_comments(responses, cleaned.ok)
    stances = tasks.find_stances(segmented.comments, responses)
    failed = {**cleaned.failed, **segmented.failed, **stances.failed}
    responses, texts, comments = tasks.set_aside_failures(responses, cleaned.ok, stances.comments, failed)
    files = tasks.account_for_files(paths.responses_dir, responses, paths.out_dir)
    campaign_of = tasks.group_campaigns(texts)
    _step(5, "embedding av kommentarer og tiltak")
    vectors = tasks.embed_round(comments, catalogue)
    _step(6, f"finner tiltakene kommentarene gjelder (plan: {primary})")
    linked = review.review_mentions(tasks.link_measures(comments, catalogue, vectors), comments, catalogue, decisions)
    comments = review.review_comments(comments, decisions)  # after the cached steps: a correction re-runs none
    _step(7, "finner temaer")
    found = tasks.group_themes(comments, vectors, linked, catalogue, campaign_of, paths.out_dir, decisions)
    _step(8, "oppsummerer per tiltak")
    summary = tasks.summarise_measures(catalogue, found.comments, linked.mentions, responses)
    _step(9, f"skriver resultater til {paths.out_dir}")
    tables = tasks.collect_tables(responses, texts, segmented, found, linked, all_measures, summary, campaign_of)
    tables = review.review_tables(tables, decisions)
    tasks.write_outputs(paths.out_dir, paths.name, tables, responses, texts, found, files, keep_personal_data)
    publish_artifacts(paths.name, str(paths.out_dir), tables, found.quality.findings, files, keep_personal_data)
    return str(paths.out_dir)


def _step(number: int, text: str) -> None:
    progress.begin(number, text, tasks.logger())


def with_task_runner(dask: str | None = None, workers: int | None = None):
    """The flow on a chosen task runner: Prefect's threads (``dask`` None), a local Dask cluster
    (``dask="lokal"``, ``workers`` processes) or an existing Dask scheduler (``dask="tcp://host:8786"``).

    Needs the optional extra ``prefect-dask`` for Dask (``pip install -e .[dask]``).
    """
    if not dask:
        return hearing_round
    from prefect_dask import DaskTaskRunner

    if dask == "lokal":
        kwargs = {"n_workers": workers} if workers else {}
        return hearing_round.with_options(task_runner=DaskTaskRunner(cluster_kwargs=kwargs))
    return hearing_round.with_options(task_runner=DaskTaskRunner(address=dask))


if __name__ == "__main__":
    hearing_round()
