"""Themes: recurring themes clustered, given stable ids and the analysts' review, and described."""

from pipeline.themes.clustering import NO_THEME
from pipeline.themes.ids import REVIEW_FILE, STATE_FILE
from pipeline.themes.round import Themes, find_themes, save

__all__ = ["NO_THEME", "REVIEW_FILE", "STATE_FILE", "Themes", "find_themes", "save"]
