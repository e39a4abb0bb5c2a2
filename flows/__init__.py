"""Prefect flows and the command line: they orchestrate pipeline/, nothing more."""

import os

# Thread limits, set once by the entry points (the horing command, the flow, the test suite) before a
# library starts its threads; the library itself never writes the environment.
THREAD_LIMITS = {"OMP_THREAD_LIMIT": "1"}  # tesseract's OpenMP threads make OCR slower, not faster


def limit_threads() -> None:
    """Set :data:`THREAD_LIMITS` in the environment, where the user has not set them."""
    for name, value in THREAD_LIMITS.items():
        os.environ.setdefault(name, value)
