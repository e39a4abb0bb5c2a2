"""The Prefect flow that analyses one hearing round, end to end.

    plan/ ──► measures ──────────────────────┐
    responses/ ──► ingest ──► ocr ──► segment ──► embed ──► mentions ──► summarise ──► outputs
                                                          └──► themes ─────────────────┘

Each task is a thin wrapper around one function in ``pipeline/``. Runs with no Prefect server (a
temporary local one starts by itself); the results land in ``data/processed/<round>/``.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError

from pipeline import (
    campaigns, config, embed, ingest, linking, measures, ocr, outputs, segment, stance, summarise, theming,
)
from pipeline.themes import NO_THEME
from pipeline.tables import to_frame

STEPS = 9


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """The run's logger inside a flow run; a plain logger when a task's ``.fn`` is called directly."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def _step(n: int, text: str) -> None:
    _logger().info("Steg %d/%d: %s", n, STEPS, text)


@task(name="les-plan", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def read_plans(plan_dir: Path, plan_version: str | None) -> tuple[pd.DataFrame, str]:
    """Every plan version in plan/ (all go to measures.parquet) and the one the round is analysed against."""
    files = measures.find_plan_files(plan_dir)
    primary = measures.primary_version(files, plan_version)
    frames = []
    for plan_file in files:
        try:
            frames.append(to_frame(measures.read_plan(plan_file), "measures"))
        except measures.PlanError as exc:
            if plan_file.stem == primary:
                raise
            _logger().warning("Hopper over planversjonen %s: %s", plan_file.name, exc)
    return pd.concat(frames, ignore_index=True), primary


@task(name="les-svar", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def read_responses(responses_dir: Path) -> list[ingest.Response]:
    responses = ingest.read_folder(responses_dir)
    for r in responses:
        if r.status == "error":
            _logger().warning("Kunne ikke lese %s: %s", r.source_file, r.error)
    return responses


@task(name="ocr-rens", cache_policy=NO_CACHE)
def clean_texts(responses: list[ingest.Response]) -> dict[str, ocr.Cleaned]:
    return {r.response_id: ocr.clean_text(r.text) for r in responses if r.status == "ok"}


@task(name="del-i-kommentarer", cache_policy=NO_CACHE)
def split_comments(
    responses: list[ingest.Response], cleaned: dict[str, ocr.Cleaned]
) -> tuple[dict[str, str], pd.DataFrame]:
    senders, found = segment.segment_all(responses, {rid: c.text for rid, c in cleaned.items()})
    rows = [{**c.__dict__, "theme_id": NO_THEME} for c in found]  # themes come later
    return senders, to_frame(rows, "comments")


@task(name="holdning", cache_policy=NO_CACHE)
def find_stances(comments: pd.DataFrame) -> pd.DataFrame:
    """Each comment's stance (support, critique, proposal, question, neutral) and its confidence."""
    found = stance.classify_all(comments["text"].tolist(), comments["lead_in"].tolist())
    counts = pd.Series([s.label for s in found]).value_counts().to_dict() if found else {}
    _logger().info("Holdning: %s", ", ".join(f"{stance.NORWEGIAN[k]} {v}" for k, v in counts.items()))
    return comments.assign(
        stance=pd.array([s.label for s in found], dtype="string"),
        stance_confidence=[s.confidence for s in found],
    )


@task(name="kampanjer", cache_policy=NO_CACHE)
def find_campaigns(cleaned: dict[str, ocr.Cleaned]) -> dict[str, str]:
    """Near-identical responses (campaign letters): campaign id per response in one."""
    found = campaigns.find_campaigns({rid: c.text for rid, c in cleaned.items()})
    if found:
        _logger().info("Kampanjebrev: %d svar i %d kampanjer", len(found), len(set(found.values())))
    return found


@task(name="embedding", cache_policy=NO_CACHE)
def embed_all(comments: pd.DataFrame, catalogue: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """Embeddings of the comments, of each measure and of each measure's parts (one cached pass),
    and the model's name."""
    logger = _logger()
    embedder = embed.load_embedder()
    texts = comments["text"].tolist()
    measure_texts = linking.measure_texts(catalogue)
    parts, _ = linking.measure_part_texts(catalogue)
    vectors, n_new = embed.embed_texts(
        texts + measure_texts + parts,
        embedder,
        progress=lambda done, total: logger.info("Embedding: %d av %d nye tekster", done, total),
    )
    logger.info("Modell %s: %d tekster, %d nye (resten fra cache)", embedder.name, len(vectors), n_new)
    n, m = len(texts), len(measure_texts)
    return vectors[:n], vectors[n:n + m], vectors[n + m:], embedder.name


@task(name="finn-tiltak", cache_policy=NO_CACHE)
def link_measures(comments: pd.DataFrame, catalogue: pd.DataFrame, vectors: tuple) -> linking.Linked:
    """Written codes, implicit mentions and drift warnings: the mentions and crosswalk tables."""
    return linking.link(comments, catalogue, *vectors[:3])


@task(name="finn-temaer", cache_policy=NO_CACHE)
def find_themes(
    comments: pd.DataFrame,
    vectors: tuple,
    linked: linking.Linked,
    catalogue: pd.DataFrame,
    campaign_of: dict[str, str],
    out_dir: Path,
) -> theming.Themes:
    found = theming.find_themes(
        comments, vectors[0], linked.scores, catalogue["innsatsomrade"].tolist(), linked.mentions, campaign_of,
        out_dir, model=vectors[3],
    )
    logger = _logger()
    quality = found.quality
    logger.info("Temaer: %d, uten tema: %.0f %% av kommentarene", quality.n_themes, 100 * quality.outlier_share)
    for warning in quality.warnings:
        logger.warning("Temakontroll: %s", warning)
    return found


@task(name="oppsummer-tiltak", cache_policy=NO_CACHE)
def summarise_measures(
    catalogue: pd.DataFrame, comments: pd.DataFrame, found: pd.DataFrame, responses: list[ingest.Response]
) -> pd.DataFrame:
    files = pd.DataFrame({"response_id": [r.response_id for r in responses],
                          "source_file": [r.source_file for r in responses]})
    return summarise.summarise_measures(catalogue, comments, found, files)


@task(name="samle-tabeller", cache_policy=NO_CACHE)
def collect_tables(
    responses: list[ingest.Response],
    cleaned: dict[str, ocr.Cleaned],
    senders: dict[str, str],
    found: theming.Themes,
    linked: linking.Linked,
    all_measures: pd.DataFrame,
    summary: pd.DataFrame,
    campaign_of: dict[str, str],
) -> dict[str, pd.DataFrame]:
    return {
        "responses": outputs.responses_table(responses, senders, found.comments, cleaned, campaign_of),
        "comments": found.comments,
        "mentions": linked.mentions,
        "measures": all_measures,
        "themes": found.table,
        "corrections": outputs.corrections_table(cleaned),
        "measure_summary": summary,
        "crosswalk": linked.crosswalk,
        "campaigns": outputs.campaigns_table(campaign_of, senders),
    }


@task(name="skriv-resultater", retries=2, retry_delay_seconds=[1, 5], cache_policy=NO_CACHE)
def write_outputs(
    out_dir: Path,
    round_name: str,
    tables: dict[str, pd.DataFrame],
    responses: list[ingest.Response],
    cleaned: dict[str, ocr.Cleaned],
    found: theming.Themes,
) -> list[Path]:
    written = outputs.write_outputs(
        out_dir, round_name, tables, outputs.texts_table(responses, cleaned), found.quality.findings
    )
    return written + theming.save(found, out_dir)


@task(name="publiser-artefakter", cache_policy=NO_CACHE)
def publish_artifacts(
    round_name: str, out_dir: Path, tables: dict[str, pd.DataFrame], checks: list[str] | None = None
) -> None:
    responses, comments, summary = tables["responses"], tables["comments"], tables["measure_summary"]
    n_errors = int((responses["status"] == "error").sum())
    commented = summary[summary["n_comments"] > 0]
    create_markdown_artifact(
        key="hearing-round-summary",
        description=f"Høringsrunde {round_name}",
        markdown=(
            f"# Høringsrunde {round_name}\n\n"
            f"- Svar: {len(responses)} ({n_errors} kunne ikke leses)\n"
            f"- Kommentarer: {len(comments)}\n"
            f"- Tiltak med kommentarer: {len(commented)} av {len(summary)}\n"
            f"- Temaer: {len(tables['themes'])}\n\n"
            + "".join(f"- Temakontroll: {line}\n" for line in checks or [])
            + f"\nResultater: `{out_dir}`\n"
        ),
    )
    create_table_artifact(
        key="measure-summary",
        description="Kommentarer per tiltak",
        table=summary[
            ["code", "n_comments", "n_responses", "n_support", "n_critique", "n_proposal", "n_question",
             "n_neutral", "senders", "summary"]
        ].to_dict(orient="records"),
    )


@flow(name="hearing_round", log_prints=True)
def hearing_round(round_dir: str | None = None, out_dir: str | None = None, plan_version: str | None = None) -> str:
    """Analyse a hearing round folder (``plan/`` + ``responses/``); returns the output folder.

    ``plan_version`` names the plan file (without extension) to analyse against when ``plan/`` holds
    several versions; default: the final one (see :func:`pipeline.measures.primary_version`).
    """
    paths = config.round_paths(round_dir, out_dir)
    _step(1, f"leser planen i {paths.plan_dir}")
    all_measures, primary = read_plans(paths.plan_dir, plan_version)
    catalogue = all_measures[all_measures["plan_version"] == primary].reset_index(drop=True)
    _step(2, f"leser svarene i {paths.responses_dir}")
    responses = read_responses(paths.responses_dir)
    _step(3, "OCR-rens og ombrekking")
    cleaned = clean_texts(responses)
    _step(4, "deler svarene i kommentarer, finner holdning og kampanjebrev")
    senders, comments = split_comments(responses, cleaned)
    comments = find_stances(comments)
    campaign_of = find_campaigns(cleaned)
    _step(5, "embedding av kommentarer og tiltak")
    vectors = embed_all(comments, catalogue)
    _step(6, f"finner tiltakene kommentarene gjelder (plan: {primary})")
    linked = link_measures(comments, catalogue, vectors)
    _step(7, "finner temaer")
    found = find_themes(comments, vectors, linked, catalogue, campaign_of, paths.out_dir)
    _step(8, "oppsummerer per tiltak")
    summary = summarise_measures(catalogue, found.comments, linked.mentions, responses)
    _step(9, f"skriver resultater til {paths.out_dir}")
    tables = collect_tables(responses, cleaned, senders, found, linked, all_measures, summary, campaign_of)
    write_outputs(paths.out_dir, paths.name, tables, responses, cleaned, found)
    publish_artifacts(paths.name, paths.out_dir, tables, found.quality.findings)
    return str(paths.out_dir)


if __name__ == "__main__":
    hearing_round()
