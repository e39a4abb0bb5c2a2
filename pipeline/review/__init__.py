"""Review: what people decide about a round (theme names and merges, moved comments, confirmed or
rejected measure links, stances, senders), kept in one append-only store beside the results and
applied to the machine's tables on every run."""

from pipeline.review.apply import (
    Decisions,
    pin_themes,
    read_decisions,
    review_mentions,
    review_senders,
    review_stances,
    review_theme_ids,
    review_themes,
    theme_pins,
    unapplied,
)
from pipeline.review.regenerate import NothingToRegenerate, Regenerated, make_documents_again, reviewed_tables
from pipeline.review.store import (
    KINDS,
    STORE_FILE,
    Decision,
    ReviewStore,
    StoreError,
    fingerprint,
    import_theme_review,
    open_store,
    store_path,
    theme_review,
)

__all__ = [
    "KINDS",
    "STORE_FILE",
    "Decision",
    "Decisions",
    "NothingToRegenerate",
    "Regenerated",
    "ReviewStore",
    "StoreError",
    "fingerprint",
    "import_theme_review",
    "make_documents_again",
    "open_store",
    "pin_themes",
    "read_decisions",
    "review_mentions",
    "review_senders",
    "review_stances",
    "review_theme_ids",
    "review_themes",
    "reviewed_tables",
    "store_path",
    "theme_pins",
    "theme_review",
    "unapplied",
]
