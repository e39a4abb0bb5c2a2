"""What a run leaves in the Prefect UI: the round's summary, the per-measure table and the files not analysed.

Artifacts are shared (they sit in Prefect's database and UI): built from masked tables, with file
names masked as the workbook's are, unless the run keeps personal data.
"""

from __future__ import annotations

import pandas as pd
from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.tasks import STATUS_NAMES
from pipeline import outputs

SUMMARY_COLUMNS = [
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


@task(name="publiser-artefakter", cache_policy=NO_CACHE)
def publish_artifacts(
    round_name: str,
    out_dir: str,
    tables: dict[str, pd.DataFrame],
    checks: list[str] | None = None,
    files: dict | None = None,
    keep_personal_data: bool = False,
) -> None:
    """The run's summary in the Prefect UI; with ``files`` (the manifest), the files not analysed and why."""
    if not keep_personal_data:
        tables, files = masked_for_sharing(tables, files)
    counts = outputs.round_counts(tables)
    accounted = ""
    if files:
        by_status = ", ".join(f"{STATUS_NAMES[k]} {v}" for k, v in files["counts"].items())
        accounted = f"- Filer i svarmappen: {files['total']} ({by_status}), se `manifest.json`\n"
        _files_not_analysed([e for e in files["files"] if e["status"] != "ok"])
    create_markdown_artifact(
        key="hearing-round-summary",
        description=f"Høringsrunde {round_name}",
        markdown=(
            f"# Høringsrunde {round_name}\n\n"
            f"- Svar: {counts.received} ({counts.errors} kunne ikke leses, {counts.duplicates} duplikater)\n"
            + accounted
            + f"- Kommentarer: {counts.comments}\n"
            f"- Tiltak med kommentarer: {counts.measures_commented} av {counts.measures}\n"
            f"- Temaer: {counts.themes}\n\n"
            + "".join(f"- Temakontroll: {line}\n" for line in checks or [])
            + f"\nResultater: `{out_dir}`\n"
        ),
    )
    create_table_artifact(
        key="measure-summary",
        description="Kommentarer per tiltak",
        table=tables["measure_summary"][SUMMARY_COLUMNS].to_dict(orient="records"),
    )


def _files_not_analysed(entries: list[dict]) -> None:
    if entries:
        create_table_artifact(
            key="files-not-analysed",
            description="Filer som ikke ble analysert, og hvorfor",
            table=[{"fil": e["file"], "status": e["status"], "begrunnelse": e["reason"]} for e in entries],
        )


def masked_for_sharing(tables: dict[str, pd.DataFrame], files: dict | None) -> tuple[dict, dict | None]:
    """The tables and manifest as shared outputs show them (:func:`pipeline.outputs.mask_tables`)."""
    shared = {k: tables[k] for k in ("responses", "comments", "measure_summary", "themes")}
    masked = {**tables, **outputs.mask_tables(shared)}
    if files is None:
        return masked, None
    names = outputs.private_names(shared)
    shown = dict(zip(tables["responses"]["source_file"].astype(str), masked["responses"]["source_file"].astype(str)))
    entries = [
        {
            **e,
            "file": shown.get(e["file"]) or outputs.mask_text(e["file"], names),
            "reason": outputs.mask_text(e["reason"], names),
        }
        for e in files["files"]
    ]
    return masked, {**files, "files": entries}
