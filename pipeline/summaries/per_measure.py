"""Per-measure summary for planners: who commented on each measure, how often, and what they said.

Every measure of the plan gets a row, also those nobody commented on. A comment counts for a measure
when it writes the code, discusses it without the code (an implicit mention), or cites a drifted code
that most likely means it. Quotes are verbatim: the sentence of the comment that mentions the
measure, an exact substring of the cleaned response, with where it is (file, paragraph).

Each row also has the comments' stances counted, a short summary whose words of prevalence
(«alle», «de fleste», «flere», «ett svar») follow from the counts, and 3–5 key points: sentences of
the comments, representative of what they say and unlike each other (maximal marginal relevance over
TF-IDF), each verbatim with its sender.

Example:
    >>> summary = summarise_measures(measures, comments, mentions)  # measure_summary table
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.comments.stance import STANCES
from pipeline.tables import to_frame
from pipeline.text.keywords import content_lemmas
from pipeline.text.sentences import sentences

MAX_QUOTES = 3
MAX_QUOTE_CHARS = 400
MAX_KEY_POINTS, MIN_KEY_POINTS = 5, 3
KEY_POINT_DIVERSITY = 0.6  # weight of representativeness against novelty
MIN_KEY_POINT_WORDS = 6
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
        senders = list(dict.fromkeys(s for s in chosen["sender"] if s))
        evidence = dict(zip(hits["comment_id"], hits["evidence"]))
        quotes = [
            f"«{quote_for(text, evidence.get(cid, ''))}» ({sender or 'ukjent avsender'}, {cid})"
            for cid, text, sender in zip(ids[:MAX_QUOTES], chosen["text"], chosen["sender"])
        ]
        sources = [
            source_of(files.get(row.response_id, row.response_id), row.paragraph)
            for row in chosen.iloc[:MAX_QUOTES].itertuples()
        ]
        stances = Counter(chosen["stance"]) if "stance" in chosen else Counter()
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
                **{f"n_{stance}": stances.get(stance, 0) for stance in STANCES},
                "summary": summary_text(chosen),
                "key_points": "\n".join(key_points(chosen)),
                "sources": "\n".join(sources),
            }
        )
    return to_frame(rows, "measure_summary")


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
    """3–5 sentences that together show what the comments say: representative (close to what the
    comments share) and not redundant; verbatim, «sentence» (sender, comment id), in that order."""
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
    picked = [int(np.argmax(relevance))]
    while len(picked) < wanted:
        redundancy = (unit @ unit[picked].T).toarray().max(axis=1)
        score = KEY_POINT_DIVERSITY * relevance - (1 - KEY_POINT_DIVERSITY) * redundancy
        score[picked] = -np.inf
        picked.append(int(np.argmax(score)))
    return [f"«{candidates[i][0]}» ({candidates[i][1] or 'ukjent avsender'}, {candidates[i][2]})" for i in picked]


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
