"""Per-measure summary for planners: who commented on each measure, how often, and what they said.

Every measure of the plan gets a row, also those nobody commented on. A comment counts for a measure
when it writes the code, discusses it without the code (an implicit mention), or cites a drifted code
that most likely means it. Quotes are verbatim: the sentence of the comment that mentions the
measure, an exact substring of the cleaned response.

Example:
    >>> summary = summarise_measures(measures, comments, mentions)  # measure_summary table
"""

from __future__ import annotations

import re

import pandas as pd

from pipeline.tables import to_frame

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 400
SENTENCE_RE = re.compile(r"[^.!?]*(?:[.!?]+(?=\s|$)|$)")


def summarise_measures(measures: pd.DataFrame, comments: pd.DataFrame, mentions: pd.DataFrame) -> pd.DataFrame:
    """The ``measure_summary`` table: one row per measure, in plan order.

    Args:
        measures: the ``measures`` table.
        comments: the ``comments`` table.
        mentions: the ``mentions`` table (codes the plan lacks count only where they drifted to one).
    """
    by_id = comments.set_index("comment_id")
    counted = mentions.assign(code=effective_codes(mentions))
    counted = counted[counted["code"].isin(set(measures["code"]))]
    rows = []
    for measure in measures.itertuples(index=False):
        hits = counted[counted["code"] == measure.code]
        ids = [c for c in dict.fromkeys(hits["comment_id"]) if c in by_id.index]
        chosen = by_id.loc[ids] if ids else by_id.iloc[0:0]
        senders = list(dict.fromkeys(s for s in chosen["sender"] if s))
        evidence = dict(zip(hits["comment_id"], hits["evidence"]))
        quotes = [
            f"«{quote_for(text, evidence.get(cid, ''))}» ({sender or 'ukjent avsender'}, {cid})"
            for cid, text, sender in zip(ids[:MAX_QUOTES], chosen["text"], chosen["sender"])
        ]
        rows.append(
            {
                "code": measure.code,
                "area": measure.area,
                "text": measure.text,
                "n_comments": len(ids),
                "n_responses": chosen["response_id"].nunique(),
                "senders": ", ".join(senders),
                "quotes": "\n".join(quotes),
                "comment_ids": ", ".join(ids),
            }
        )
    return to_frame(rows, "measure_summary")


def effective_codes(mentions: pd.DataFrame) -> pd.Series:
    """The measure each mention counts for: the likely one where a cited code has drifted."""
    return mentions["likely"].where(mentions["likely"] != "", mentions["code"])


def quote_for(text: str, evidence: str) -> str:
    """The sentence of ``text`` that holds ``evidence`` (a written code, or the words an implicit
    mention matched: the sentence with most of them), else the first sentence; verbatim, trimmed."""
    sentences = [m.group().strip() for m in SENTENCE_RE.finditer(text) if m.group().strip()]
    if not sentences:
        return text[:MAX_QUOTE_CHARS]
    words = [w.strip().lower() for w in evidence.split(",") if w.strip()]
    chosen = next((s for s in sentences if evidence and evidence in s), None)
    if chosen is None:
        chosen = max(sentences, key=lambda s: sum(w in s.lower() for w in words))
    if len(chosen) > MAX_QUOTE_CHARS:
        chosen = chosen[:MAX_QUOTE_CHARS].rsplit(" ", 1)[0]
    return chosen
