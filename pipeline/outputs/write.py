"""Assemble a round's contract tables and write every output file to ``data/processed/<round>/``.

Tables go to Parquet (:mod:`pipeline.tables`), each response's extracted and cleaned text to
``texts/`` (so every quote can be traced), and the readers' documents to ``oppsummering.xlsx`` and
``rapport.html`` (:mod:`pipeline.outputs.workbook`), and the account of every file received to ``manifest.json``
(:mod:`pipeline.ingest.manifest`). Every file is written atomically, and a run's files as one set: written
beside the output folder and switched in for the last run's (:func:`publish_set`), one run at a time
(:func:`output_lock`).
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from filelock import FileLock, Timeout

from pipeline.comments.senders import Sender
from pipeline.ingest.folder import Response
from pipeline.ingest.manifest import MANIFEST, write_manifest
from pipeline.ocr.repair import Cleaned
from pipeline.outputs.masking import mask_tables
from pipeline.outputs.notat import write_notat
from pipeline.outputs.report import write_report
from pipeline.outputs.workbook import write_workbook
from pipeline.tables import atomic_write, joined, to_frame, write_parquet

TABLES = (
    "responses",
    "comments",
    "mentions",
    "measures",
    "themes",
    "corrections",
    "measure_summary",
    "crosswalk",
    "campaigns",
    "left_out",
    "unapplied",
)
WORKBOOK = "oppsummering.xlsx"
REPORT = "rapport.html"
NOTAT = "hoeringsnotat.docx"
TEXTS = "texts"
LOCK = ".{name}.lock"  # beside the output folder, held by the run that writes it; the OS lets go if the run dies
STAGING = ".{name}.ny"  # the new set of results, written beside the folder and switched in
PREVIOUS = ".{name}.forrige"  # the previous set while the new one is switched in
STRAY_TEMP = ".*.tmp"  # what an interrupted atomic_write leaves (pipeline.tables.atomic_write)

log = logging.getLogger(__name__)


class OutputFolderBusy(RuntimeError):
    """Another run is writing the same output folder."""


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder for one run; a second run into it stops at once with a clear message.
    Temporary files an interrupted run left behind are removed once the lock is held.

    Raises:
        OutputFolderBusy: another run holds the folder.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(_beside(out_dir, LOCK), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise OutputFolderBusy(
            f"En annen kjøring skriver allerede til {out_dir}. Vent til den er ferdig, eller velg en annen "
            f"resultatmappe (--out)."
        ) from None
    try:
        recover_set(out_dir)
        out_dir.mkdir(exist_ok=True)
        for stray in remove_stray_temp_files(out_dir):
            log.info("Fjernet en halvskrevet midlertidig fil fra en avbrutt kjøring: %s", stray)
        yield
    finally:
        lock.release()


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table of the run; ``unapplied`` is empty when the run had no review store."""
    return tables[name] if name in tables or name != "unapplied" else to_frame([], name)


def _beside(out_dir: Path, pattern: str) -> Path:
    return out_dir.with_name(pattern.format(name=out_dir.name))


def publish_set(out_dir: Path, write: Callable[[Path], list[Path]]) -> list[Path]:
    """Write a new set of results with ``write`` (given a folder) and switch it in for the old one in
    ``out_dir`` as one step: a full disk, an error or a kill while writing leaves the previous set
    whole, and readers never see new tables beside an old report. Files in ``out_dir`` that the run
    does not make (an analyst's notes) are carried over. Call it holding :func:`output_lock`.

    Returns:
        The paths written, as they lie in ``out_dir`` after the switch.
    """
    out_dir = Path(out_dir)
    staging, previous = _beside(out_dir, STAGING), _beside(out_dir, PREVIOUS)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for path in out_dir.iterdir() if out_dir.is_dir() else []:
            if path.name not in _made_by_a_run() and not path.match(STRAY_TEMP) and path.is_file():
                shutil.copy2(path, staging / path.name)
        written = write(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, previous)
    os.replace(staging, out_dir)  # between the two renames a kill leaves `previous`: recover_set puts it back
    shutil.rmtree(previous, ignore_errors=True)
    return [out_dir / Path(p).relative_to(staging) for p in written]


def recover_set(out_dir: Path) -> None:
    """After a run killed while switching sets: put the previous set back where it belongs, and
    drop a half-written new one."""
    out_dir = Path(out_dir)
    staging, previous = _beside(out_dir, STAGING), _beside(out_dir, PREVIOUS)
    if previous.exists() and not out_dir.exists():
        os.replace(previous, out_dir)
        log.warning(
            "Forrige kjøring ble avbrutt mens resultatene ble byttet ut; de forrige resultatene i %s er satt tilbake",
            out_dir,
        )
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)


def _made_by_a_run() -> set[str]:
    from pipeline.themes.ids import REVIEW_FILE, STATE_FILE
    from pipeline.themes.round import QUALITY_FILE

    made = {MANIFEST, WORKBOOK, REPORT, NOTAT, TEXTS, STATE_FILE, REVIEW_FILE, QUALITY_FILE}
    return made | {f"{t}.parquet" for t in TABLES}


def remove_stray_temp_files(out_dir: Path) -> list[Path]:
    """Remove the temporary files an interrupted write left in ``out_dir`` (and its sub-folders)."""
    stray = sorted(p for p in Path(out_dir).rglob(STRAY_TEMP) if p.is_file() and not p.is_symlink())
    for path in stray:
        path.unlink(missing_ok=True)
    return stray


def responses_table(
    responses: Sequence[Response],
    senders: Mapping[str, Sender],
    comments: pd.DataFrame,
    cleaned: Mapping[str, Cleaned],
    campaign_of: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The ``responses`` table: every file of the round, readable or not."""
    campaign_of = campaign_of or {}
    counts = comments["response_id"].value_counts().to_dict()
    rows = []
    for r in responses:
        fixed = cleaned.get(r.response_id)
        rows.append(
            {
                **r.__dict__,
                "sender": _sender(senders, r.response_id).name,
                "sender_kind": _sender(senders, r.response_id).kind,
                "sender_evidence": _sender(senders, r.response_id).evidence,
                "n_comments": int(counts.get(r.response_id, 0)),
                "n_corrections": len(fixed.corrections) if fixed else 0,
                "campaign_id": campaign_of.get(r.response_id, ""),
            }
        )
    return to_frame(rows, "responses")


def _sender(senders: Mapping[str, Sender | str], response_id: str) -> Sender:
    found = senders.get(response_id)
    return found if isinstance(found, Sender) else Sender(found or "", "unknown", "")


def campaign_of(responses: pd.DataFrame) -> dict[str, str]:
    """campaign id of each response in a campaign, from the ``responses`` table."""
    return {r: c for r, c in zip(responses["response_id"], responses["campaign_id"]) if c}


def campaigns_table(campaign_of: Mapping[str, str], senders: Mapping[str, Sender]) -> pd.DataFrame:
    """The ``campaigns`` table: each group of near-identical responses and who signed them."""
    members: dict[str, list[str]] = {}
    for response_id, campaign in sorted(campaign_of.items()):
        members.setdefault(campaign, []).append(response_id)
    rows = []
    for c, ids in sorted(members.items(), key=lambda kv: int(kv[0].rsplit("-", 1)[1])):
        signers = [_sender(senders, r).name or r for r in ids]
        rows.append(
            {
                "campaign_id": c,
                "n_responses": len(ids),
                "response_id_list": ids,
                "sender_list": signers,
                "response_ids": joined(ids),
                "senders": joined(signers),
            }
        )
    return to_frame(rows, "campaigns")


def corrections_table(cleaned: Mapping[str, Cleaned]) -> pd.DataFrame:
    """The ``corrections`` table: the audit log of every change the OCR repair made."""
    rows = [{"response_id": rid, **c.__dict__} for rid, fixed in cleaned.items() for c in fixed.corrections]
    return to_frame(rows, "corrections")


def texts_table(responses: Sequence[Response], cleaned: Mapping[str, Cleaned]) -> dict[str, tuple[str, str]]:
    """Per readable response: (text as extracted, cleaned text), for ``texts/``."""
    return {r.response_id: (r.text, cleaned[r.response_id].text) for r in responses if r.response_id in cleaned}


def write_outputs(
    out_dir: Path,
    round_name: str,
    tables: Mapping[str, pd.DataFrame],
    texts: Mapping[str, tuple[str, str]],
    theme_checks: list[str] | None = None,
    keep_personal_data: bool = False,
    manifest: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write the tables, the texts (``<id>.original.txt`` and ``<id>.txt``), the workbook, the report and
    the draft høringsnotat.

    Args:
        out_dir: the round's output folder.
        round_name: shown in the report.
        tables: every table named in ``TABLES``.
        texts: per response id, (extracted text, cleaned text).
        theme_checks: the themes' guard-rail findings, shown in the report.
        keep_personal_data: keep personal data in the workbook, report and notat (for internal
            use); by default it is masked there (:func:`pipeline.outputs.masking.mask_tables`). The
            Parquet tables and texts keep the original.
        manifest: every file under responses/ and its status (:func:`pipeline.ingest.manifest.build_manifest`),
            written first, to ``manifest.json``.
    """
    out_dir = Path(out_dir)
    written = [write_manifest(out_dir / MANIFEST, manifest)] if manifest is not None else []
    written += [write_parquet(_table(tables, name), out_dir / f"{name}.parquet", name) for name in TABLES]
    for response_id, (original, cleaned) in texts.items():
        for suffix, content in ((".original.txt", original), (".txt", cleaned)):
            path = out_dir / TEXTS / f"{response_id}{suffix}"
            written.append(atomic_write(path, lambda tmp, c=content: Path(tmp).write_text(c, encoding="utf-8")))
    shared = {k: tables[k] for k in ("measure_summary", "comments", "mentions", "themes", "responses", "corrections")}
    if not keep_personal_data:
        shared = mask_tables(shared)
    corrections = shared.pop("corrections")
    written.append(write_workbook(out_dir / WORKBOOK, **shared))
    written.append(
        write_report(
            out_dir / REPORT,
            round_name=round_name,
            corrections=corrections,
            theme_checks=theme_checks,
            removed=(manifest or {}).get("removed", []),
            **shared,
        )
    )
    written.append(write_notat(out_dir / NOTAT, round_name, **shared))
    return written
