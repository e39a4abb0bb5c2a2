"""«Lag dokumentene på nytt»: the workbook, notat and report made again from a round's tables and the
decisions people have made since, in seconds: nothing is read, cleaned, embedded or clustered again.

:func:`reviewed_tables` is the pure part (tables + decisions → tables); :func:`make_documents_again`
reads the last run's results, applies it and switches the new set in as a run does
(:func:`pipeline.outputs.publish_set`, holding :func:`pipeline.outputs.output_lock`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import outputs, summaries, themes
from pipeline.ingest.manifest import MANIFEST, read_manifest
from pipeline.outputs.write import TABLES, TEXTS
from pipeline.review.apply import (
    Decisions,
    read_decisions,
    review_mentions,
    review_senders,
    review_stances,
    review_theme_ids,
    review_themes,
    unapplied,
)
from pipeline.tables import with_defaults
from pipeline.themes.description import Quality
from pipeline.themes.round import save_quality


class NothingToRegenerate(FileNotFoundError):
    """The folder holds no results of a run to make the documents from."""


@dataclass(frozen=True)
class Regenerated:
    """What :func:`make_documents_again` wrote, and the decisions that no longer apply."""

    written: list[Path]
    unapplied: pd.DataFrame


def reviewed_tables(
    tables: Mapping[str, pd.DataFrame], decisions: Decisions, quality: Quality | None = None
) -> tuple[dict[str, pd.DataFrame], Quality]:
    """A round's tables with ``decisions`` applied: senders, stances, measure links, theme moves,
    merges and names; the themes, the per-measure summary and the campaigns made again from them."""
    comments = review_theme_ids(review_stances(review_senders(tables["comments"], decisions), decisions), decisions)
    catalogue = _catalogue(tables["measures"], tables["measure_summary"])
    mentions = review_mentions(tables["mentions"], comments, decisions, catalogue["code"])
    responses = review_senders(tables["responses"], decisions)
    campaign_of = outputs.campaign_of(responses)
    found, checked = themes.describe_again(
        comments, (tables["comments"], tables["themes"]), campaign_of, mentions, decisions.review, quality
    )
    return {
        **tables,
        "comments": comments,
        "mentions": mentions,
        "responses": responses,
        "themes": review_themes(found, decisions),
        "measure_summary": summaries.summarise_measures(catalogue, comments, mentions, responses),
        "campaigns": outputs.campaigns_table(campaign_of, dict(zip(responses["response_id"], responses["sender"]))),
        "unapplied": unapplied(decisions, comments, responses),
    }, checked


def _catalogue(measures: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """The plan version the round was analysed against: the one whose codes and texts the summary has."""
    wanted = set(zip(summary["code"], summary["text"]))
    versions = measures.groupby("plan_version", sort=False)
    best = max(
        versions.groups, key=lambda v: len(wanted & set(zip(*(versions.get_group(v)[c] for c in ("code", "text")))))
    )
    return versions.get_group(best).reset_index(drop=True)


def make_documents_again(out_dir: Path, round_name: str | None = None, keep_personal_data: bool = False) -> Regenerated:
    """Apply the review store's decisions to the last run's tables in ``out_dir`` and write the tables,
    workbook, report and notat again.

    Raises:
        NothingToRegenerate: ``out_dir`` holds no complete results of a run.
        OutputFolderBusy: a run is writing the folder now.
    """
    out_dir = Path(out_dir)
    missing = [name for name in TABLES if name != "unapplied" and not (out_dir / f"{name}.parquet").is_file()]
    if missing:
        raise NothingToRegenerate(f"{out_dir}: finner ikke resultatene fra en kjøring ({missing[0]}.parquet mangler)")
    with outputs.output_lock(out_dir):
        tables = {name: _read(out_dir, name) for name in TABLES if (out_dir / f"{name}.parquet").is_file()}
        decisions = read_decisions(out_dir)
        reviewed, quality = reviewed_tables(tables, decisions, themes.load_quality(out_dir))
        manifest = read_manifest(out_dir / MANIFEST)

        def write(folder: Path) -> list[Path]:
            written = outputs.write_outputs(
                folder, round_name or out_dir.name, reviewed, {}, quality.findings, keep_personal_data, manifest
            )
            written += _same_texts(out_dir / TEXTS, folder / TEXTS)
            for name in (themes.STATE_FILE,):
                if (out_dir / name).is_file():
                    shutil.copy2(out_dir / name, folder / name)
            rows = list(zip(*(reviewed["themes"][c].tolist() for c in ("theme_id", "label", "size"))))
            return [*written, decisions.review.write(folder, rows), save_quality(quality, folder)]

        written = outputs.publish_set(out_dir, write)
    return Regenerated(written, reviewed["unapplied"])


def _read(out_dir: Path, name: str) -> pd.DataFrame:
    """A table as the last run wrote it; columns added since (a run of an older version) get their defaults."""
    return with_defaults(pd.read_parquet(out_dir / f"{name}.parquet"), name)


def _same_texts(source: Path, target: Path) -> list[Path]:
    """The run's texts, unchanged, into the new set: hard links where the file system allows, else copies."""
    if not source.is_dir():
        return []

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link, dirs_exist_ok=True)
    return sorted(p for p in target.rglob("*") if p.is_file())
