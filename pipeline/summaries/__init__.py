"""Summaries: per measure, who commented, how often, with which stance, and what they said."""

from pipeline.summaries.per_measure import summarise_measures

__all__ = ["summarise_measures"]
