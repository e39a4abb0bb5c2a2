"""Outputs: the contract tables, the workbook, the report, the draft høringsnotat, masked for sharing."""

from pipeline.outputs.counts import RoundCounts, round_counts
from pipeline.outputs.masking import mask_tables, mask_text, private_names
from pipeline.outputs.write import (
    NOTAT,
    REPORT,
    WORKBOOK,
    OutputFolderBusy,
    campaign_of,
    campaigns_table,
    corrections_table,
    output_lock,
    publish_set,
    responses_table,
    texts_table,
    write_outputs,
)

__all__ = [
    "NOTAT",
    "REPORT",
    "WORKBOOK",
    "OutputFolderBusy",
    "RoundCounts",
    "campaign_of",
    "campaigns_table",
    "corrections_table",
    "mask_tables",
    "mask_text",
    "output_lock",
    "private_names",
    "publish_set",
    "responses_table",
    "round_counts",
    "texts_table",
    "write_outputs",
]
