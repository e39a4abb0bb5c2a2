"""Plan-version drift: a comment cites a code whose measure is not what it talks about.

Responses are written to the draft plan, and numbering moves between draft and final: FO Oslo cites
the elderly-alcohol measures as ``17F-19F``, which are 16F–18F in the final plan. For each citation
(a code or a range, as written), the codes shifted by -3..+3 within the same letter are compared with
the codes as cited, by how well their measures fit the comment (:func:`pipeline.measures.implicit.text_fit`).
A shift that fits clearly better is a warning: cited → likely. Where many citations in a round shift
the same way, :func:`crosswalk` proposes a draft→final table for planners to accept or correct.

Example:
    >>> detect(mentions, fit={"13F": 0.1, "12F": 0.9}, codes={"12F", "13F"})  # doctest: +SKIP
    [Drift(comment_id='c1', cited='13F', likely='12F', gain=0.8)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from pipeline.measures.explicit import Mention
from pipeline.tables import joined, to_frame

MAX_SHIFT = 3
MIN_GAIN = 0.6  # the shifted codes must fit this much better, on average (z-score units) ...
GAIN_PER_STEP = 0.2  # ... and more for each step beyond one: a shift of 3 needs 1.0
MIN_FIT = 1.0  # ... and fit clearly themselves
INVALID_FIT = -1.0  # the fit of a code the plan does not have


@dataclass(frozen=True)
class Drift:
    """A cited code that most likely means another measure."""

    comment_id: str
    cited: str
    likely: str
    gain: float  # how much better the shifted codes fit the comment (z-score units)


def detect(mentions: Iterable[Mention], fit: Mapping[str, float], codes: set[str]) -> list[Drift]:
    """Drift warnings for one comment's explicit mentions.

    All codes of one letter that the comment writes form one citation (a range, a list), shifted
    together: numbering moves in blocks between plan versions.

    Args:
        mentions: the comment's explicit mentions.
        fit: how well each measure of the plan fits the comment (:func:`pipeline.measures.implicit.text_fit`).
        codes: the plan's codes.
    """
    citations: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.kind == "explicit":
            citations[m.code[-1]].append(m)
    found: list[Drift] = []
    for letter, cited in citations.items():
        numbers = [int(m.code[:-1]) for m in cited]
        base = sum(fit.get(m.code, INVALID_FIT) for m in cited) / len(cited)
        best_shift, best_gain, best_mean = 0, 0.0, base
        for shift in range(-MAX_SHIFT, MAX_SHIFT + 1):
            shifted = [f"{n + shift}{letter}" for n in numbers]
            if shift == 0 or not all(c in codes for c in shifted):
                continue
            mean = sum(fit[c] for c in shifted) / len(shifted)
            gain = mean - base - GAIN_PER_STEP * (abs(shift) - 1)
            if gain > best_gain:
                best_shift, best_gain, best_mean = shift, gain, mean
        if best_shift and best_gain >= MIN_GAIN and best_mean >= MIN_FIT:
            for m, n in zip(cited, numbers):
                found.append(Drift(m.comment_id, m.code, f"{n + best_shift}{letter}", round(best_gain, 3)))
    return found


def crosswalk(drifts: Iterable[Drift], response_of: Mapping[str, str]) -> pd.DataFrame:
    """The ``crosswalk`` table: each (cited, likely) pair the round's drift warnings agree on.

    ``support`` counts the comments behind a pair, ``n_responses`` their responses; pairs backed by
    more comments come first.
    """
    grouped: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d in drifts:
        grouped[(d.cited, d.likely)].add(d.comment_id)
    rows = []
    for (cited, likely), ids in grouped.items():
        listed = sorted(ids)
        rows.append(
            {
                "cited": cited,
                "likely": likely,
                "support": len(ids),
                "n_responses": len({response_of.get(i, i) for i in ids}),
                "comment_id_list": listed,
                "comment_ids": joined(listed),
            }
        )
    rows.sort(key=lambda r: (-r["support"], _order(r["cited"])))
    return to_frame(rows, "crosswalk")


def _order(code: str) -> tuple[str, int]:
    return code[-1], int(code[:-1])
