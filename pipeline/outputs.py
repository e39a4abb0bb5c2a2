"""Assemble a round's contract tables and write every output file to ``data/processed/<round>/``.

Tables go to Parquet (:mod:`pipeline.tables`), each response's extracted and cleaned text to
``texts/`` (so every quote can be traced), and the readers' documents to ``oppsummering.xlsx`` and
``rapport.html`` (:mod:`pipeline.export`), and the account of every file received to ``manifest.json``
(:mod:`pipeline.manifest`). Every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.export import write_report, write_workbook
from pipeline.ingest import Response
from pipeline.manifest import MANIFEST, write_manifest
from pipeline.notat import write_notat
from pipeline.personal_data import mask_tables
from pipeline.ocr import Cleaned
from pipeline.senders import Sender
from pipeline.tables import atomic_write, to_frame, write_parquet

TABLES = (
    "responses", "comments", "mentions", "measures", "themes", "corrections", "measure_summary", "crosswalk",
    "campaigns", "left_out",
)
WORKBOOK = "oppsummering.xlsx"
REPORT = "rapport.html"
NOTAT = "hoeringsnotat.docx"
TEXTS = "texts"


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


def campaigns_table(campaign_of: Mapping[str, str], senders: Mapping[str, Sender]) -> pd.DataFrame:
    """The ``campaigns`` table: each group of near-identical responses and who signed them."""
    members: dict[str, list[str]] = {}
    for response_id, campaign in sorted(campaign_of.items()):
        members.setdefault(campaign, []).append(response_id)
    rows = [
        {"campaign_id": c, "n_responses": len(ids), "response_ids": ", ".join(ids),
         "senders": ", ".join(_sender(senders, r).name or r for r in ids)}
        for c, ids in sorted(members.items(), key=lambda kv: int(kv[0].rsplit("-", 1)[1]))
    ]
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
            use); by default it is masked there (:func:`pipeline.personal_data.mask_tables`). The
            Parquet tables and texts keep the original.
        manifest: every file under responses/ and its status (:func:`pipeline.manifest.build_manifest`),
            written first, to ``manifest.json``.
    """
    out_dir = Path(out_dir)
    written = [write_manifest(out_dir / MANIFEST, manifest)] if manifest is not None else []
    written += [write_parquet(tables[name], out_dir / f"{name}.parquet") for name in TABLES]
    for response_id, (original, cleaned) in texts.items():
        for suffix, content in ((".original.txt", original), (".txt", cleaned)):
            path = out_dir / TEXTS / f"{response_id}{suffix}"
            written.append(atomic_write(path, lambda tmp, c=content: Path(tmp).write_text(c, encoding="utf-8")))
    shared = {k: tables[k] for k in ("measure_summary", "comments", "mentions", "themes", "responses", "corrections")}
    if not keep_personal_data:
        shared = mask_tables(shared)
    corrections = shared.pop("corrections")
    written.append(write_workbook(out_dir / WORKBOOK, **shared))
    written.append(write_report(out_dir / REPORT, round_name=round_name, corrections=corrections,
                                 theme_checks=theme_checks, **shared))
    written.append(write_notat(out_dir / NOTAT, round_name, **shared))
    return written
