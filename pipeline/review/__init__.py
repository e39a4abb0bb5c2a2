"""Review: what people decide about a round (theme names and merges, moved comments, confirmed or
rejected measure links, stances, senders), kept in one append-only store beside the results."""

from pipeline.review.store import (
    KINDS,
    STORE_FILE,
    Decision,
    ReviewStore,
    StoreError,
    import_theme_review,
    open_store,
    theme_review,
)

__all__ = [
    "KINDS",
    "STORE_FILE",
    "Decision",
    "ReviewStore",
    "StoreError",
    "import_theme_review",
    "open_store",
    "theme_review",
]
