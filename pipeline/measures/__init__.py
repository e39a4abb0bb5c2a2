"""Measures: the plan's catalogue, and each comment linked to the measures it mentions (written codes,
implicit mentions, drift)."""

from pipeline.measures.catalogue import Measure, PlanError, find_plan_files, primary_version, read_plan
from pipeline.measures.linking import Linked, RoundVectors, embed_round, link

__all__ = [
    "Linked",
    "Measure",
    "PlanError",
    "RoundVectors",
    "embed_round",
    "find_plan_files",
    "link",
    "primary_version",
    "read_plan",
]
