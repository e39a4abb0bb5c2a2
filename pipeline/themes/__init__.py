"""Themes: recurring themes clustered, given stable ids and the analysts' review, and described."""
