"""Per-measure summary for planners: who commented on each measure, how often, and what they said.

Every measure of the plan gets a row, also those nobody commented on. A comment counts for a measure
when it writes the code, discusses it without the code (an implicit mention), or cites a drifted code
that most likely means it. Quotes are verbatim: the sentence of the comment that mentions the
measure, an exact substring of the cleaned response, with where it is (file, paragraph).

Each row also has the comments' stances counted, a short summary whose words of prevalence
(«alle», «de fleste», «flere», «ett svar») follow from the counts, and 3–5 key points: sentences of
the comments, representative of what they say and unlike each other (maximal marginal relevance over
TF-IDF), each verbatim with its sender. Quotes, key points, comment ids and senders are columns of
lists (``quote_items`` …); the string columns (``quotes`` …) are made from them (:func:`string_columns`).

Example:
    >>> summary = summarise_measures(measures, comments, mentions)  # measure_summary table
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.nb.stances import LABELS as STANCES
from pipeline.tables import joined, to_frame
from pipeline.text.keywords import content_lemmas
from pipeline.text.mmr import mmr
from pipeline.text.sentences import sentences

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 400
MAX_KEY_POINTS, MIN_KEY_POINTS = 5, 3
KEY_POINT_DIVERSITY = 0.6  # weight of representativeness against novelty
MIN_KEY_POINT_WORDS = 6
UNKNOWN_SENDER = "ukjent avsender"
STANCE_VERBS = {  # what responses with that stance do, in the summary: (one response, several)
    "support": ("støtter tiltaket", "støtter tiltaket"),
    "critique": ("er kritisk eller bekymret", "er kritiske eller bekymret"),
    "proposal": ("foreslår endringer eller tillegg", "foreslår endringer eller tillegg"),
    "question": ("stiller spørsmål", "stiller spørsmål"),
    "neutral": ("omtaler tiltaket uten å ta tydelig stilling", "omtaler tiltaket uten å ta tydelig stilling"),
}


def summarise_measures(
    measures: pd.DataFrame, comments: pd.DataFrame, mentions: pd.DataFrame, responses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The ``measure_summary`` table: one row per measure, in plan order.

    Args:
        measures: the ``measures`` table.
        comments: the ``comments`` table (with ``stance``).
        mentions: the ``mentions`` table (codes the plan lacks count only where they drifted to one).
        responses: the ``responses`` table, for the file a quote comes from.
    """
    files = dict(zip(responses["response_id"], responses["source_file"])) if responses is not None else {}
    by_id = comments.set_index("comment_id")
    counted = mentions.assign(code=effective_codes(mentions))
    counted = counted[counted["code"].isin(set(measures["code"]))]
    rows = []
    for measure in measures.itertuples(index=False):
        hits = counted[counted["code"] == measure.code]
        ids = [c for c in dict.fromkeys(hits["comment_id"]) if c in by_id.index]
        chosen = (by_id.loc[ids] if ids else by_id.iloc[0:0]).reset_index()
        typed = {
            "sender_list": list(dict.fromkeys(s for s in chosen["sender"] if s)),
            "quote_items": quote_items(chosen, ids, dict(zip(hits["comment_id"], hits["evidence"])), files),
            "comment_id_list": ids,
            "key_point_items": key_point_items(chosen),
        }
        stances = Counter(chosen["stance"]) if "stance" in chosen else Counter()
        checked = _checked(hits, chosen)
        rows.append(
            {
                "code": measure.code,
                "area": measure.area,
                "text": measure.text,
                "n_comments": len(ids),
                "n_responses": chosen["response_id"].nunique(),
                **{f"n_{stance}": stances.get(stance, 0) for stance in STANCES},
                "summary": summary_text(chosen),
                "n_checked": sum(checked.get(c, False) for c in ids),
                **typed,
                **string_columns(**typed),
            }
        )
    return to_frame(rows, "measure_summary")


def _checked(hits: pd.DataFrame, chosen: pd.DataFrame) -> dict[str, bool]:
    """comment id → whether a person checked its link to the measure or its stance (review app)."""
    linked = hits.groupby("comment_id")["checked"].apply(lambda c: bool((c != "").any())) if "checked" in hits else {}
    stance = dict(zip(chosen["comment_id"], chosen["stance_checked"])) if "stance_checked" in chosen else {}
    return {c: bool(linked.get(c, False)) or bool(stance.get(c, False)) for c in chosen["comment_id"]}


def string_columns(
    sender_list: list[str], quote_items: list[dict], comment_id_list: list[str], key_point_items: list[dict]
) -> dict[str, str]:
    """A row's string columns, made from its columns of lists: ``senders``, ``quotes``, ``comment_ids``,
    ``key_points`` and ``sources``."""
    return {
        "senders": joined(sender_list),
        "quotes": "\n".join(attributed(q) for q in quote_items),
        "comment_ids": joined(comment_id_list),
        "key_points": "\n".join(attributed(p) for p in key_point_items),
        "sources": "\n".join(source_of(q["file"], q["paragraph"]) for q in quote_items),
    }


def attributed(item: Mapping[str, Any]) -> str:
    """A quote or key point as shown: «text» (sender, comment id)."""
    return f"«{item['text']}» ({item['sender'] or UNKNOWN_SENDER}, {item['comment_id']})"


def quote_items(chosen: pd.DataFrame, ids: list[str], evidence: dict[str, str], files: dict[str, str]) -> list[dict]:
    """Up to ``MAX_QUOTES`` quotes: from each comment the sentence that mentions the measure
    (:func:`quote_for`), with its sender, comment id, file and paragraph."""
    return [
        {
            "text": quote_for(row.text, evidence.get(cid, "")),
            "sender": row.sender,
            "comment_id": cid,
            "file": files.get(row.response_id, row.response_id),
            "paragraph": int(row.paragraph),
        }
        for cid, row in zip(ids[:MAX_QUOTES], chosen.itertuples())
    ]


def source_of(file: str, paragraph: int) -> str:
    """Where a quote is: the response's file and the paragraph of its cleaned text."""
    return f"{file}, avsnitt {paragraph}" if paragraph else file


def prevalence(k: int, n: int) -> str:
    """How many of ``n`` responses, in words that follow from the counts."""
    if k == 1:
        return "ett svar" if n > 1 else "svaret"
    if k == n:
        return "begge svarene" if n == 2 else "alle svarene"
    if k > n / 2:
        return "de fleste svarene"
    return "flere svar"


def summary_text(chosen: pd.DataFrame) -> str:
    """A short summary of the comments on one measure: who, how many, and the balance of stances."""
    if chosen.empty:
        return "Ingen kommentarer."
    n = chosen["response_id"].nunique()
    senders = list(dict.fromkeys(s for s in chosen["sender"] if s))
    who = ", ".join(senders[:5]) + (f" og {len(senders) - 5} andre" if len(senders) > 5 else "")
    comments = "én kommentar" if len(chosen) == 1 else f"{len(chosen)} kommentarer"
    lines = [f"{n} svar ({who}) med {comments}."]
    if "stance" in chosen:
        stated = set(chosen.loc[chosen["stance"] != "neutral", "response_id"])
        for stance, (one, several) in STANCE_VERBS.items():
            responses = set(chosen.loc[chosen["stance"] == stance, "response_id"])
            if stance == "neutral":
                responses -= stated  # a response that takes a stance elsewhere is not "without one"
            if responses:
                words = prevalence(len(responses), n)
                lines.append(f"{words[0].upper()}{words[1:]} {one if len(responses) == 1 else several}.")
    return " ".join(lines)


def key_points(chosen: pd.DataFrame) -> list[str]:
    """:func:`key_point_items` as shown: «sentence» (sender, comment id)."""
    return [attributed(p) for p in key_point_items(chosen)]


def key_point_items(chosen: pd.DataFrame) -> list[dict]:
    """3–5 sentences that together show what the comments say: representative (close to what the
    comments share) and not redundant; verbatim, each with its sender and comment id."""
    candidates = [
        (sentence, row.sender, row.comment_id)
        for row in chosen.itertuples()
        for sentence in sentences(row.text)
        if len(sentence.split()) >= MIN_KEY_POINT_WORDS and len(sentence) <= MAX_QUOTE_CHARS
    ]
    if not candidates:
        return []
    try:
        matrix = TfidfVectorizer(analyzer=content_lemmas, sublinear_tf=True).fit_transform(c[0] for c in candidates)
    except ValueError:  # no content words
        return []
    unit = matrix.tocsr()  # rows are L2-normalised by TfidfVectorizer; kept sparse for popular measures
    relevance = np.asarray(unit @ np.asarray(unit.mean(axis=0)).ravel()).ravel()
    wanted = min(MAX_KEY_POINTS, max(MIN_KEY_POINTS, chosen["comment_id"].nunique()), len(candidates))
    picked = mmr(unit, relevance, wanted, KEY_POINT_DIVERSITY)
    return [dict(zip(("text", "sender", "comment_id"), candidates[i])) for i in picked]


def effective_codes(mentions: pd.DataFrame) -> pd.Series:
    """The measure each mention counts for: the likely one where a cited code has drifted."""
    return mentions["likely"].where(mentions["likely"] != "", mentions["code"])


def quote_for(text: str, evidence: str) -> str:
    """The sentence of ``text`` that holds ``evidence`` (a written code, or the words an implicit
    mention matched: the sentence with most of them), else the first sentence; verbatim and whole,
    never cut: of equally good sentences, one within ``MAX_QUOTE_CHARS`` comes first."""
    found = sentences(text)
    if not found:
        return text.strip()
    words = [w.strip().lower() for w in evidence.split(",") if w.strip()]
    ranked = sorted(
        found,
        key=lambda s: (not (evidence and evidence in s), -sum(w in s.lower() for w in words), len(s) > MAX_QUOTE_CHARS),
    )
    return ranked[0]
