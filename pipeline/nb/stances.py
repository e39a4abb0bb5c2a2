"""The stance labels of the tables and their Norwegian names: one list for every table, document and log line.

A comment's ``stance`` is one of :data:`LABELS`; the workbook, report and notat show it by its
:class:`StanceName`.
"""

from __future__ import annotations

from typing import NamedTuple


class StanceName(NamedTuple):
    """One stance: its label in the tables, its heading (columns, legends) and its word in running text."""

    key: str
    heading: str
    word: str

    @property
    def column(self) -> str:
        """The count column of the themes and the per-measure summary: ``n_support`` …"""
        return f"n_{self.key}"


STANCES: tuple[StanceName, ...] = (
    StanceName("support", "Støtte", "støtte"),
    StanceName("critique", "Kritikk", "kritikk"),
    StanceName("proposal", "Forslag", "forslag"),
    StanceName("question", "Spørsmål", "spørsmål"),
    StanceName("neutral", "Nøytral", "nøytral"),
)
# a comment without a stance (an older table, a response left out): shown apart, never counted as neutral
UNKNOWN = StanceName("unknown", "Uten holdning", "uten holdning")

LABELS: tuple[str, ...] = tuple(s.key for s in STANCES)
NORWEGIAN: dict[str, str] = {s.key: s.word for s in STANCES}
