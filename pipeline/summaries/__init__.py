"""Summaries: per measure, who commented, how often, with which stance, and what they said."""
