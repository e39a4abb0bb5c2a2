"""A round's headline counts, computed once for the report, the notat, the Prefect summary and the command line.

Files received = read + errors + duplicates (skipped files are only in the manifest).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.outputs.cells import listed


@dataclass(frozen=True)
class RoundCounts:
    """What a reader is told first about a round."""

    received: int  # response files (rows of responses.parquet)
    read: int  # status ok
    errors: int  # status error: could not be read or analysed
    duplicates: int  # status duplicate: the same bytes as another file
    comments: int
    comments_with_measure: int  # comments that mention at least one measure
    measures: int  # measures of the analysed plan
    measures_commented: int  # measures with at least one comment
    themes: int


def round_counts(tables: Mapping[str, pd.DataFrame]) -> RoundCounts:
    """The counts of a round's contract tables (``responses``, ``comments``, ``measure_summary``, and
    ``themes`` where given). A comment mentions a measure when the summary counts it for one (a drifted
    code for the measure it likely means)."""
    status = tables["responses"]["status"].astype("string").fillna("").tolist()
    summary = tables["measure_summary"]
    themes = tables.get("themes")
    counted = {c for ids in listed(summary, "comment_id_list", "comment_ids", ",") for c in ids}
    return RoundCounts(
        received=len(status),
        read=status.count("ok"),
        errors=status.count("error"),
        duplicates=status.count("duplicate"),
        comments=len(tables["comments"]),
        comments_with_measure=len(counted),
        measures=len(summary),
        measures_commented=int((summary["n_comments"] > 0).sum()),
        themes=0 if themes is None else len(themes),
    )
