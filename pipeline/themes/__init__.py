"""Themes: recurring themes clustered, given stable ids and the analysts' review, and described."""

from pipeline.themes.clustering import NO_THEME, split_theme
from pipeline.themes.ids import REVIEW_FILE, STATE_FILE
from pipeline.themes.round import QUALITY_FILE, Themes, describe_again, find_themes, load_quality, save

__all__ = [
    "NO_THEME",
    "QUALITY_FILE",
    "REVIEW_FILE",
    "STATE_FILE",
    "Themes",
    "describe_again",
    "find_themes",
    "load_quality",
    "save",
    "split_theme",
]
