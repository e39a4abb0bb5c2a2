"""The flow's review steps: read what people decided (the review store, and ``tema_gjennomgang.csv``
imported into it), and apply it to the machine's results (:mod:`pipeline.review.apply`).

The decisions are read once, when the run starts; what is decided in the app while the run works
holds from the next run (or «Lag dokumentene på nytt»).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from prefect import task
from prefect.cache_policies import NO_CACHE

from flows.tasks import logger
from pipeline import measures, outputs, review
from pipeline.themes.ids import REVIEW_FILE, Review


@task(name="les-gjennomgang", cache_policy=NO_CACHE)
def read_review(out_dir: Path) -> review.Decisions:
    """The decisions that hold now; the analysts' review file is imported into the store first (a
    value the app changed after the file was written wins)."""
    out_dir = Path(out_dir)
    csv = out_dir / REVIEW_FILE
    if csv.exists():
        written_at = datetime.fromtimestamp(csv.stat().st_mtime, UTC).isoformat(timespec="microseconds")
        with review.open_store(review.store_path(out_dir)) as store:
            added = review.import_theme_review(store, Review.load(out_dir), written_at=written_at)
        if added:
            logger().info("Gjennomgang: %d endringer fra %s lagt inn i gjennomgangsloggen", added, REVIEW_FILE)
    decisions = review.read_decisions(out_dir)
    n = sum(
        len(d) for d in (decisions.stances, decisions.themes, decisions.mentions, decisions.drift, decisions.senders)
    )
    if n:
        logger().info("Gjennomgang: %d beslutninger om kommentarer, tiltak og avsendere brukes", n)
    return decisions


@task(name="bruk-gjennomgang-kommentarer", cache_policy=NO_CACHE)
def review_comments(comments: pd.DataFrame, decisions: review.Decisions) -> pd.DataFrame:
    """The comments with the senders and stances people set."""
    return review.review_stances(review.review_senders(comments, decisions), decisions)


@task(name="bruk-gjennomgang-tiltak", cache_policy=NO_CACHE)
def review_mentions(
    linked: measures.Linked, comments: pd.DataFrame, catalogue: pd.DataFrame, decisions: review.Decisions
) -> measures.Linked:
    """The links with the ones people rejected dropped, and the ones they added or confirmed marked."""
    mentions = review.review_mentions(linked.mentions, comments, decisions, catalogue["code"])
    return measures.Linked(mentions, linked.crosswalk, linked.scores)


@task(name="bruk-gjennomgang-tabeller", cache_policy=NO_CACHE)
def review_tables(tables: dict[str, pd.DataFrame], decisions: review.Decisions) -> dict[str, pd.DataFrame]:
    """The responses with the senders people set, the themes with what analysts checked, and the
    decisions that no longer apply (``unapplied``, each one also a warning)."""
    responses = review.review_senders(tables["responses"], decisions)
    gone = review.unapplied(decisions, tables["comments"], responses)
    for row in gone.itertuples(index=False):
        logger().warning(
            "Gjennomgang: beslutningen %s om %s (%s, %s) brukes ikke: %s",
            row.kind,
            row.target,
            row.who,
            row.at,
            row.reason,
        )
    senders = dict(zip(responses["response_id"], responses["sender"]))
    return {
        **tables,
        "responses": responses,
        "themes": review.review_themes(tables["themes"], decisions),
        "campaigns": outputs.campaigns_table(outputs.campaign_of(responses), senders),
        "unapplied": gone,
    }
