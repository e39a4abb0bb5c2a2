"""The Prefect flow that analyses one hearing round, end to end.

    plan/ ──► measures ──────────────────────┐
    responses/ ──► ingest ──► ocr ──► segment ──► embed ──► mentions ──► summarise ──► outputs
                                                          └──► themes ─────────────────┘

Each task is a thin wrapper around one function in ``pipeline/``. Runs with no Prefect server (a
temporary local one starts by itself); the results land in ``data/processed/<round>/``.

Bad input never stops the round: a file that can't be read is an error row (ingest), and a response
that makes OCR repair, segmentation or stance raise becomes one too (its warning names the file).
``manifest.json`` accounts for every file under ``responses/``. The I/O tasks (reading the plan and
the responses, writing the results) retry with exponential backoff, unless waiting can't help.
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
from prefect.tasks import exponential_backoff

from flows.caching import CACHED, READS_FOLDER, READS_THEME_FILES
from pipeline import config
from pipeline.comments import campaigns, segment, stance
from pipeline.comments.senders import Sender
from pipeline.embed import embedder as embed
from pipeline.ingest import folder as ingest
from pipeline.ingest import manifest
from pipeline.measures import catalogue as measures
from pipeline.measures import linking
from pipeline.ocr import repair as ocr
from pipeline.outputs import masking as personal_data
from pipeline.outputs import write as outputs
from pipeline.summaries import per_measure as summarise
from pipeline.tables import to_frame
from pipeline.themes import round as theming
from pipeline.themes.clustering import NO_THEME

STEPS = 9
STATUS_NAMES = {"ok": "lest", "error": "feil", "duplicate": "duplikater", "skipped": "hoppet over"}
# Errors that waiting won't cure: a missing folder or file, a plan without measures, a manifest that
# doesn't add up. Other errors of the I/O tasks (a network drive gone for a moment, a file locked by
# a virus scanner, a full disk) are retried.
PERMANENT_ERRORS = (
    FileNotFoundError,
    NotADirectoryError,
    IsADirectoryError,
    measures.PlanError,
    manifest.ManifestError,
)


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


def _logger() -> logging.Logger | logging.LoggerAdapter:
    """The run's logger inside a flow run; a plain logger when a task's ``.fn`` is called directly."""
    try:
        return get_run_logger()
    except MissingContextError:
        return logging.getLogger(__name__)


def _step(n: int, text: str) -> None:
    _logger().info("Steg %d/%d: %s", n, STEPS, text)


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
                _logger().error("Kunne ikke lese planen %s: %s", plan_file, exc)
                raise
            _logger().warning("Hopper over planversjonen %s: %s", plan_file.name, exc)
    return pd.concat(frames, ignore_index=True), primary


@task(name="les-svar", **IO_RETRIES, cache_policy=READS_FOLDER, persist_result=True)
def read_responses(responses_dir: Path) -> list[ingest.Response]:
    logger = _logger()
    try:
        responses = ingest.read_folder(responses_dir)
    except Exception as exc:
        logger.error("Kunne ikke lese svarmappen %s: %s", responses_dir, exc)
        raise
    for r in responses:
        if r.status == "error":
            logger.warning("Kunne ikke lese %s: %s", r.source_file, r.error)
        elif r.status == "duplicate":
            logger.warning("Hopper over %s: %s", r.source_file, r.error)
    return responses


@task(name="ocr-rens-svar", **CACHED)
def clean_one(text: str) -> ocr.Cleaned:
    """OCR repair of one response (from the disk cache when the text was repaired before)."""
    return ocr.clean_text_cached(text)


def clean_texts(responses: list[ingest.Response]) -> ingest.ByResponse:
    """Cleaned text per readable response, each repaired in its own task (in parallel on the flow's task
    runner: threads by default, Dask workers with ``--dask``); one the repair fails on is left out, with
    its reason in the result's ``failed`` (see :func:`set_aside_failures`)."""
    futures = {r.response_id: clean_one.submit(r.text) for r in responses if r.status == "ok"}
    return ingest.each_response(lambda future: future.result(), futures, "OCR-rensing", _files(responses), _logger())


@task(name="del-i-kommentarer", **CACHED)
def split_comments(
    responses: list[ingest.Response], cleaned: dict[str, ocr.Cleaned]
) -> tuple[dict[str, Sender], pd.DataFrame, pd.DataFrame]:
    """Sender per response, the comments, and the blocks that are not comments (with the reason);
    a response segmentation fails on is in the senders' ``failed``."""
    found = ingest.each_response(
        lambda r: segment.segment_all([r], {r.response_id: cleaned[r.response_id].text}),
        {r.response_id: r for r in responses if r.response_id in cleaned},
        "oppdeling i kommentarer",
        _files(responses),
        _logger(),
    )
    by_response, rows, left_out = ingest.ByResponse(failed=found.failed), [], []
    for one_sender, comments, leftovers in found.values():
        by_response.update(one_sender)
        rows += [{**c.__dict__, "theme_id": NO_THEME} for c in comments]  # themes come later
        left_out += [x.__dict__ for x in leftovers]
    return by_response, to_frame(rows, "comments"), to_frame(left_out, "left_out")


@task(name="holdning", **CACHED)
def find_stances(comments: pd.DataFrame, responses: list[ingest.Response] | None = None) -> pd.DataFrame:
    """Each comment's stance (support, critique, proposal, question, neutral) and its confidence.

    A response whose comments the classifier fails on loses its comments here; the reason is in the
    result's ``attrs["failed"]`` (see :func:`set_aside_failures`).
    """
    texts, lead_ins, senders = comments["text"].tolist(), comments["lead_in"].tolist(), comments["sender"].tolist()
    groups = comments.groupby("response_id", sort=False).indices if len(comments) else {}
    found = ingest.each_response(
        lambda rows: stance.classify_all(
            [texts[i] for i in rows], [lead_ins[i] for i in rows], [senders[i] or "" for i in rows]
        ),
        groups,
        "holdningsanalyse",
        _files(responses),
        _logger(),
    )
    of_row = {int(i): s for rid, rows in groups.items() if rid in found for i, s in zip(rows, found[rid])}
    kept = comments.iloc[sorted(of_row)].reset_index(drop=True)
    labels = [of_row[i] for i in sorted(of_row)]
    counts = pd.Series([s.label for s in labels]).value_counts().to_dict() if labels else {}
    _logger().info("Holdning: %s", ", ".join(f"{stance.NORWEGIAN[k]} {v}" for k, v in counts.items()))
    result = kept.assign(
        stance=pd.array([s.label for s in labels], dtype="string"),
        stance_confidence=pd.array([s.confidence for s in labels], dtype="float64"),
    )
    result.attrs = {"failed": found.failed} if found.failed else {}
    return result


@task(name="sett-til-side-feil", cache_policy=NO_CACHE)
def set_aside_failures(
    responses: list[ingest.Response],
    cleaned: dict[str, ocr.Cleaned],
    senders: dict[str, Sender],
    comments: pd.DataFrame,
) -> tuple[list[ingest.Response], dict[str, ocr.Cleaned], pd.DataFrame]:
    """Responses OCR repair, segmentation or stance failed on become error rows (the reason names the
    stage); their texts and comments are left out of the rest of the round."""
    failed = {**getattr(cleaned, "failed", {}), **getattr(senders, "failed", {}), **comments.attrs.get("failed", {})}
    kept = comments[~comments["response_id"].isin(list(failed))].reset_index(drop=True)
    kept.attrs = {}
    if failed:
        files = _files(responses)
        _logger().warning(
            "%d svar kunne ikke analyseres og er ført som feil: %s",
            len(failed),
            ", ".join(files.get(rid, rid) for rid in failed),
        )
    return (ingest.mark_failed(responses, failed), {rid: c for rid, c in cleaned.items() if rid not in failed}, kept)


@task(name="manifest", **IO_RETRIES, cache_policy=NO_CACHE)
def account_for_files(responses_dir: Path, responses: list[ingest.Response], out_dir: Path | None = None) -> dict:
    """The manifest: every file under responses/ with its status (ok, error, duplicate, skipped), and
    the responses of the last run in ``out_dir`` whose file is gone."""
    previous = manifest.read_manifest(Path(out_dir) / manifest.MANIFEST) if out_dir else None
    found = manifest.build_manifest(responses_dir, responses, previous)
    counts = ", ".join(f"{STATUS_NAMES[k]} {v}" for k, v in found["counts"].items() if v)
    _logger().info("Filer i svarmappen: %d (%s)", found["total"], counts or "ingen")
    for gone in found["removed"]:
        _logger().warning(
            "Svaret %s (%s) var med i forrige kjøring, men filen er fjernet fra svarmappen; "
            "det er tatt ut av resultatene",
            gone["file"],
            gone["response_id"],
        )
    return found


@task(name="kampanjer", **CACHED)
def find_campaigns(cleaned: dict[str, ocr.Cleaned]) -> dict[str, str]:
    """Near-identical responses (campaign letters): campaign id per response in one."""
    found = campaigns.find_campaigns({rid: c.text for rid, c in cleaned.items()})
    if found:
        _logger().info("Kampanjebrev: %d svar i %d kampanjer", len(found), len(set(found.values())))
    return found


@task(name="embedding", **CACHED)
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
    return vectors[:n], vectors[n : n + m], vectors[n + m :], embedder.name


@task(name="finn-tiltak", **CACHED)
def link_measures(comments: pd.DataFrame, catalogue: pd.DataFrame, vectors: tuple) -> linking.Linked:
    """Written codes, implicit mentions and drift warnings: the mentions and crosswalk tables."""
    if comments.empty:  # no readable response: nothing to link (the round still completes)
        return linking.Linked(to_frame([], "mentions"), to_frame([], "crosswalk"), np.zeros((0, len(catalogue))))
    return linking.link(comments, catalogue, *vectors[:3])


@task(name="finn-temaer", cache_policy=READS_THEME_FILES, persist_result=True)
def find_themes(
    comments: pd.DataFrame,
    vectors: tuple,
    linked: linking.Linked,
    catalogue: pd.DataFrame,
    campaign_of: dict[str, str],
    out_dir: Path,
) -> theming.Themes:
    found = theming.find_themes(
        comments,
        vectors[0],
        linked.scores,
        catalogue["innsatsomrade"].tolist(),
        linked.mentions,
        campaign_of,
        out_dir,
        model=vectors[3],
    )
    logger = _logger()
    quality = found.quality
    logger.info("Temaer: %d, uten tema: %.0f %% av kommentarene", quality.n_themes, 100 * quality.outlier_share)
    for warning in quality.warnings:
        logger.warning("Temakontroll: %s", warning)
    return found


@task(name="oppsummer-tiltak", **CACHED)
def summarise_measures(
    catalogue: pd.DataFrame, comments: pd.DataFrame, found: pd.DataFrame, responses: list[ingest.Response]
) -> pd.DataFrame:
    files = pd.DataFrame(
        {"response_id": [r.response_id for r in responses], "source_file": [r.source_file for r in responses]}
    )
    return summarise.summarise_measures(catalogue, comments, found, files)


@task(name="samle-tabeller", cache_policy=NO_CACHE)
def collect_tables(
    responses: list[ingest.Response],
    cleaned: dict[str, ocr.Cleaned],
    senders: dict[str, Sender],
    found: theming.Themes,
    linked: linking.Linked,
    all_measures: pd.DataFrame,
    summary: pd.DataFrame,
    campaign_of: dict[str, str],
    left_out: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    kept = set(found.comments["response_id"]) | {r.response_id for r in responses if r.status == "ok"}
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
        "left_out": (
            left_out[left_out["response_id"].isin(list(kept))].reset_index(drop=True)
            if left_out is not None
            else to_frame([], "left_out")
        ),
    }


@task(name="skriv-resultater", **IO_RETRIES, cache_policy=NO_CACHE)
def write_outputs(
    out_dir: Path,
    round_name: str,
    tables: dict[str, pd.DataFrame],
    responses: list[ingest.Response],
    cleaned: dict[str, ocr.Cleaned],
    found: theming.Themes,
    files: dict | None = None,
    keep_personal_data: bool = False,
) -> list[Path]:
    """Every output file, as one set switched in for the last run's (:func:`pipeline.outputs.write.publish_set`);
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
        return written + theming.save(found, folder)

    try:
        return outputs.publish_set(out_dir, write)
    except Exception as exc:
        _logger().error("Kunne ikke skrive resultatene til %s: %s", getattr(exc, "filename", None) or out_dir, exc)
        raise


@task(name="publiser-artefakter", cache_policy=NO_CACHE)
def publish_artifacts(
    round_name: str,
    out_dir: Path,
    tables: dict[str, pd.DataFrame],
    checks: list[str] | None = None,
    files: dict | None = None,
    keep_personal_data: bool = False,
) -> None:
    """The run's summary in the Prefect UI; with ``files`` (the manifest), the files not analysed and why.

    Artifacts are shared (they sit in Prefect's database and UI): built from masked tables, with file
    names masked as the workbook's are, unless ``keep_personal_data``.
    """
    if not keep_personal_data:
        tables, files = _masked_for_sharing(tables, files)
    responses, comments, summary = tables["responses"], tables["comments"], tables["measure_summary"]
    n_errors = int((responses["status"] == "error").sum())
    n_duplicates = int((responses["status"] == "duplicate").sum())
    commented = summary[summary["n_comments"] > 0]
    accounted = ""
    if files:
        counts = ", ".join(f"{STATUS_NAMES[k]} {v}" for k, v in files["counts"].items())
        accounted = f"- Filer i svarmappen: {files['total']} ({counts}), se `manifest.json`\n"
        not_analysed = [e for e in files["files"] if e["status"] != "ok"]
        if not_analysed:
            create_table_artifact(
                key="files-not-analysed",
                description="Filer som ikke ble analysert, og hvorfor",
                table=[{"fil": e["file"], "status": e["status"], "begrunnelse": e["reason"]} for e in not_analysed],
            )
    create_markdown_artifact(
        key="hearing-round-summary",
        description=f"Høringsrunde {round_name}",
        markdown=(
            f"# Høringsrunde {round_name}\n\n"
            f"- Svar: {len(responses)} ({n_errors} kunne ikke leses, {n_duplicates} duplikater)\n"
            + accounted
            + f"- Kommentarer: {len(comments)}\n"
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
            [
                "code",
                "n_comments",
                "n_responses",
                "n_support",
                "n_critique",
                "n_proposal",
                "n_question",
                "n_neutral",
                "senders",
                "summary",
            ]
        ].to_dict(orient="records"),
    )


def _masked_for_sharing(tables: dict[str, pd.DataFrame], files: dict | None) -> tuple[dict, dict | None]:
    """The tables and manifest as shared outputs show them (:func:`pipeline.outputs.masking.mask_tables`)."""
    shared = {k: tables[k] for k in ("responses", "comments", "measure_summary", "themes")}
    masked = {**tables, **personal_data.mask_tables(shared)}
    if files is None:
        return masked, None
    names = personal_data.private_names(shared)
    shown = dict(zip(tables["responses"]["source_file"].astype(str), masked["responses"]["source_file"].astype(str)))
    entries = [
        {
            **e,
            "file": shown.get(e["file"]) or personal_data.mask_text(e["file"], names),
            "reason": personal_data.mask_text(e["reason"], names),
        }
        for e in files["files"]
    ]
    return masked, {**files, "files": entries}


@flow(name="hearing_round", log_prints=True)
def hearing_round(
    round_dir: str | None = None,
    out_dir: str | None = None,
    plan_version: str | None = None,
    keep_personal_data: bool = False,
) -> str:
    """Analyse a hearing round folder (``plan/`` + ``responses/``); returns the output folder.

    ``plan_version`` names the plan file (without extension) to analyse against when ``plan/`` holds
    several versions; default: the final one (see :func:`pipeline.measures.catalogue.primary_version`).
    Personal data (identity numbers, phone numbers, e-mail and street addresses, private persons'
    names) is masked in the workbook, report and notat unless ``keep_personal_data`` (internal use).
    """
    paths = config.round_paths(round_dir, out_dir)
    with outputs.output_lock(paths.out_dir):  # one run per output folder
        return _analyse(paths, plan_version, keep_personal_data)


def _analyse(paths: config.RoundPaths, plan_version: str | None, keep_personal_data: bool) -> str:
    """The stages of :func:`hearing_round`, in order (the flow holds the output folder's lock)."""
    _step(1, f"leser planen i {paths.plan_dir}")
    all_measures, primary = read_plans(paths.plan_dir, plan_version)
    catalogue = all_measures[all_measures["plan_version"] == primary].reset_index(drop=True)
    _step(2, f"leser svarene i {paths.responses_dir}")
    responses = read_responses(paths.responses_dir)
    _step(3, "OCR-rens og ombrekking")
    cleaned = clean_texts(responses)
    _step(4, "deler svarene i kommentarer, finner holdning og kampanjebrev")
    senders, comments, left_out = split_comments(responses, cleaned)
    comments = find_stances(comments, responses)
    responses, cleaned, comments = set_aside_failures(responses, cleaned, senders, comments)
    files = account_for_files(paths.responses_dir, responses, paths.out_dir)
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
    tables = collect_tables(responses, cleaned, senders, found, linked, all_measures, summary, campaign_of, left_out)
    write_outputs(paths.out_dir, paths.name, tables, responses, cleaned, found, files, keep_personal_data)
    publish_artifacts(paths.name, paths.out_dir, tables, found.quality.findings, files, keep_personal_data)
    return str(paths.out_dir)


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
