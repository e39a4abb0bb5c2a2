"""The tasks of the ``hearing_round`` flow: each a thin wrapper around one stage of ``pipeline/``.

A task that works per response returns the responses it failed on beside its result
(:class:`pipeline.per_response.PerResponse`, or a ``failed`` field); :func:`set_aside_failures` turns
them into error rows. The I/O tasks (reading the plan and the responses, the manifest, writing the
results) retry with exponential backoff, unless waiting can't help.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.exceptions import MissingContextError
from prefect.tasks import exponential_backoff

from flows import progress
from flows.caching import CACHED, READS_FOLDER, READS_THEME_FILES
from pipeline import comments as comment_stage
from pipeline import embed, ingest, measures, ocr, outputs, review, summaries, themes
from pipeline.nb.stances import NORWEGIAN as STANCE_WORDS
from pipeline.per_response import PerResponse, each_response, mark_failed
from pipeline.tables import to_frame

STATUS_NAMES = {"ok": "lest", "error": "feil", "duplicate": "duplikater", "skipped": "hoppet over"}
# Errors that waiting won't cure: a missing folder or file, a plan without measures, a manifest that
# doesn't add up. Other errors of the I/O tasks (a network drive gone for a moment, a file locked by
# a virus scanner, a full disk) are retried.
PERMANENT_ERRORS = (FileNotFoundError, NotADirectoryError, IsADirectoryError, measures.PlanError, ingest.ManifestError)


def _worth_retrying(task, task_run, state) -> bool:
    """Prefect's ``retry_condition_fn``: retry unless the error is one of PERMANENT_ERRORS."""
    return not isinstance(getattr(state, "data", None), PERMANENT_ERRORS)


# Reading and writing files: 3 retries after 1, 2 and 4 s (± half, so parallel runs don't retry in step).
IO_RETRIES = {
    "retries": 3,
    "retry_delay_seconds": exponential_backoff(backoff_factor=1),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": _worth_retrying,
}


def logger() -> logging.Logger | logging.LoggerAdapter:
    """The run's logger inside a flow run; a plain logger when a task's ``.fn`` is called directly."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def _files(responses: list[ingest.Response] | None) -> dict[str, str]:
    """Source file per response id, to name the file in a warning."""
    return {r.response_id: r.source_file for r in responses or []}


@task(name="les-plan", **IO_RETRIES, cache_policy=READS_FOLDER, persist_result=True)
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
                logger().error("Kunne ikke lese planen %s: %s", plan_file, exc)
                raise
            logger().warning("Hopper over planversjonen %s: %s", plan_file.name, exc)
    return pd.concat(frames, ignore_index=True), primary


@task(name="les-svar", **IO_RETRIES, cache_policy=READS_FOLDER, persist_result=True)
def read_responses(responses_dir: Path) -> list[ingest.Response]:
    try:
        responses = ingest.read_folder(responses_dir)
    except Exception as exc:
        logger().error("Kunne ikke lese svarmappen %s: %s", responses_dir, exc)
        raise
    for r in responses:
        if r.status == "error":
            logger().warning("Kunne ikke lese %s: %s", r.source_file, r.error)
        elif r.status == "duplicate":
            logger().warning("Hopper over %s: %s", r.source_file, r.error)
    return responses


@task(name="ocr-rens-svar", **CACHED)
def clean_one(text: str) -> ocr.Cleaned:
    """OCR repair of one response (from Prefect's result store when the text was repaired before)."""
    return ocr.clean_text(text)


def clean_texts(responses: list[ingest.Response]) -> PerResponse[ocr.Cleaned]:
    """Cleaned text per readable response, each repaired in its own task (in parallel on the flow's task
    runner: threads by default, Dask workers with ``--dask``)."""
    futures = {r.response_id: clean_one.submit(r.text) for r in responses if r.status == "ok"}
    return each_response(lambda future: future.result(), futures, "OCR-rensing", _files(responses), logger())


class Segmented(NamedTuple):
    """The responses split into comments: sender per response, the comments, the blocks that are not
    comments (with the reason), and the responses segmentation failed on."""

    senders: dict[str, comment_stage.Sender]
    comments: pd.DataFrame
    left_out: pd.DataFrame
    failed: dict[str, str]


@task(name="del-i-kommentarer", **CACHED)
def split_comments(responses: list[ingest.Response], cleaned: Mapping[str, ocr.Cleaned]) -> Segmented:
    found = each_response(
        lambda r: comment_stage.segment_all([r], {r.response_id: cleaned[r.response_id].text}),
        {r.response_id: r for r in responses if r.response_id in cleaned},
        "oppdeling i kommentarer",
        _files(responses),
        logger(),
    )
    senders, rows, left_out = {}, [], []
    for one_sender, comments, leftovers in found.ok.values():
        senders.update(one_sender)
        rows += [{**c.__dict__, "theme_id": themes.NO_THEME} for c in comments]  # themes come later
        left_out += [x.__dict__ for x in leftovers]
    return Segmented(senders, to_frame(rows, "comments"), to_frame(left_out, "left_out"), found.failed)


class WithStances(NamedTuple):
    """The comments with their stance, and the responses the classifier failed on (their comments are gone)."""

    comments: pd.DataFrame
    failed: dict[str, str]


@task(name="holdning", **CACHED)
def find_stances(comments: pd.DataFrame, responses: list[ingest.Response] | None = None) -> WithStances:
    """Each comment's stance (support, critique, proposal, question, neutral) and its confidence."""
    texts, lead_ins, senders = comments["text"].tolist(), comments["lead_in"].tolist(), comments["sender"].tolist()
    groups = comments.groupby("response_id", sort=False).indices if len(comments) else {}
    found = each_response(
        lambda rows: comment_stage.classify_all(
            [texts[i] for i in rows], [lead_ins[i] for i in rows], [senders[i] or "" for i in rows]
        ),
        groups,
        "holdningsanalyse",
        _files(responses),
        logger(),
    )
    of_row = {int(i): s for rid, rows in groups.items() if rid in found.ok for i, s in zip(rows, found.ok[rid])}
    kept = comments.iloc[sorted(of_row)].reset_index(drop=True)
    labels = [of_row[i] for i in sorted(of_row)]
    counts = pd.Series([s.label for s in labels]).value_counts().to_dict() if labels else {}
    logger().info("Holdning: %s", ", ".join(f"{STANCE_WORDS[k]} {v}" for k, v in counts.items()))
    result = kept.assign(
        stance=pd.array([s.label for s in labels], dtype="string"),
        stance_confidence=pd.array([s.confidence for s in labels], dtype="float64"),
    )
    return WithStances(result, found.failed)


@task(name="sett-til-side-feil", cache_policy=NO_CACHE)
def set_aside_failures(
    responses: list[ingest.Response],
    cleaned: Mapping[str, ocr.Cleaned],
    comments: pd.DataFrame,
    failed: Mapping[str, str],
) -> tuple[list[ingest.Response], dict[str, ocr.Cleaned], pd.DataFrame]:
    """Responses a stage failed on (``failed``: response id → reason naming the stage) become error rows;
    their texts and comments are left out of the rest of the round."""
    kept = comments[~comments["response_id"].isin(list(failed))].reset_index(drop=True)
    if failed:
        files = _files(responses)
        logger().warning(
            "%d svar kunne ikke analyseres og er ført som feil: %s",
            len(failed),
            ", ".join(files.get(rid, rid) for rid in failed),
        )
    return mark_failed(responses, failed), {rid: c for rid, c in cleaned.items() if rid not in failed}, kept


@task(name="manifest", **IO_RETRIES, cache_policy=NO_CACHE)
def account_for_files(responses_dir: Path, responses: list[ingest.Response], out_dir: Path | None = None) -> dict:
    """The manifest: every file under responses/ with its status (ok, error, duplicate, skipped), and
    the responses of the last run in ``out_dir`` whose file is gone."""
    previous = ingest.read_manifest(Path(out_dir) / ingest.MANIFEST) if out_dir else None
    found = ingest.build_manifest(responses_dir, responses, previous)
    counts = ", ".join(f"{STATUS_NAMES[k]} {v}" for k, v in found["counts"].items() if v)
    logger().info("Filer i svarmappen: %d (%s)", found["total"], counts or "ingen")
    for gone in found["removed"]:
        logger().warning(
            "Svaret %s (%s) var med i forrige kjøring, men filen er fjernet fra svarmappen; "
            "det er tatt ut av resultatene",
            gone["file"],
            gone["response_id"],
        )
    return found


@task(name="kampanjer", **CACHED)
def group_campaigns(cleaned: Mapping[str, ocr.Cleaned]) -> dict[str, str]:
    """Near-identical responses (campaign letters): campaign id per response in one."""
    found = comment_stage.find_campaigns({rid: c.text for rid, c in cleaned.items()})
    if found:
        logger().info("Kampanjebrev: %d svar i %d kampanjer", len(found), len(set(found.values())))
    return found


@task(name="embedding", **CACHED)
def embed_round(comments: pd.DataFrame, catalogue: pd.DataFrame) -> measures.RoundVectors:
    """Embeddings of the comments, of each measure and of each measure's parts (one cached pass)."""
    vectors = measures.embed_round(
        comments,
        catalogue,
        embed.load_embedder(),
        progress=lambda done, total: progress.detail(f"Embedding: {done} av {total} nye tekster"),
    )
    total = len(vectors.comments) + len(vectors.measures) + len(vectors.parts)
    logger().info("Modell %s: %d tekster, %d nye (resten fra cache)", vectors.model, total, vectors.n_new)
    return vectors


@task(name="finn-tiltak", **CACHED)
def link_measures(comments: pd.DataFrame, catalogue: pd.DataFrame, vectors: measures.RoundVectors) -> measures.Linked:
    """Written codes, implicit mentions and drift warnings: the mentions and crosswalk tables."""
    if comments.empty:  # no readable response: nothing to link (the round still completes)
        return measures.Linked(to_frame([], "mentions"), to_frame([], "crosswalk"), np.zeros((0, len(catalogue))))
    return measures.link(comments, catalogue, vectors.comments, vectors.measures, vectors.parts)


@task(name="finn-temaer", cache_policy=READS_THEME_FILES, persist_result=True)
def group_themes(
    comments: pd.DataFrame,
    vectors: measures.RoundVectors,
    linked: measures.Linked,
    catalogue: pd.DataFrame,
    campaign_of: dict[str, str],
    out_dir: Path,
    decisions: review.Decisions | None = None,
) -> themes.Themes:
    """Themes of the comments, with people's moves (pinned comments), names and merges applied."""
    found = themes.find_themes(
        comments,
        vectors.comments,
        linked.scores,
        catalogue["innsatsomrade"].tolist(),
        linked.mentions,
        campaign_of,
        out_dir,
        model=vectors.model,
        review=decisions.review if decisions else None,  # else tema_gjennomgang.csv in out_dir
        pins=review.theme_pins(comments, decisions) if decisions else None,
    )
    quality = found.quality
    logger().info("Temaer: %d, uten tema: %.0f %% av kommentarene", quality.n_themes, 100 * quality.outlier_share)
    for warning in quality.warnings:
        logger().warning("Temakontroll: %s", warning)
    return found


@task(name="oppsummer-tiltak", **CACHED)
def summarise_measures(
    catalogue: pd.DataFrame, comments: pd.DataFrame, found: pd.DataFrame, responses: list[ingest.Response]
) -> pd.DataFrame:
    files = pd.DataFrame(
        {"response_id": [r.response_id for r in responses], "source_file": [r.source_file for r in responses]}
    )
    return summaries.summarise_measures(catalogue, comments, found, files)


@task(name="samle-tabeller", cache_policy=NO_CACHE)
def collect_tables(
    responses: list[ingest.Response],
    cleaned: Mapping[str, ocr.Cleaned],
    segmented: Segmented,
    found: themes.Themes,
    linked: measures.Linked,
    all_measures: pd.DataFrame,
    summary: pd.DataFrame,
    campaign_of: dict[str, str],
) -> dict[str, pd.DataFrame]:
    """The round's contract tables (:mod:`pipeline.tables`), by name."""
    kept = set(found.comments["response_id"]) | {r.response_id for r in responses if r.status == "ok"}
    left_out = segmented.left_out
    return {
        "responses": outputs.responses_table(responses, segmented.senders, found.comments, cleaned, campaign_of),
        "comments": found.comments,
        "mentions": linked.mentions,
        "measures": all_measures,
        "themes": found.table,
        "corrections": outputs.corrections_table(cleaned),
        "measure_summary": summary,
        "crosswalk": linked.crosswalk,
        "campaigns": outputs.campaigns_table(campaign_of, segmented.senders),
        "left_out": left_out[left_out["response_id"].isin(list(kept))].reset_index(drop=True),
    }


@task(name="skriv-resultater", **IO_RETRIES, cache_policy=NO_CACHE)
def write_outputs(
    out_dir: Path,
    round_name: str,
    tables: dict[str, pd.DataFrame],
    responses: list[ingest.Response],
    cleaned: Mapping[str, ocr.Cleaned],
    found: themes.Themes,
    files: dict | None = None,
    keep_personal_data: bool = False,
) -> list[Path]:
    """Every output file, as one set switched in for the last run's (:func:`pipeline.outputs.publish_set`);
    ``files`` is the manifest (``manifest.json``)."""

    def write(folder: Path) -> list[Path]:
        written = outputs.write_outputs(
            folder,
            round_name,
            tables,
            outputs.texts_table(responses, cleaned),
            found.quality.findings,
            manifest=files,
            keep_personal_data=keep_personal_data,
        )
        return written + themes.save(found, folder)

    try:
        return outputs.publish_set(out_dir, write)
    except Exception as exc:
        logger().error("Kunne ikke skrive resultatene til %s: %s", getattr(exc, "filename", None) or out_dir, exc)
        raise
