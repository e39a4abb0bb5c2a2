"""Prefect flows and the command line: they orchestrate pipeline/, nothing more."""
