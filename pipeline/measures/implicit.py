"""Implicit mentions: a comment that discusses a measure without writing its code.

Evidence of three kinds, combined by a small logistic model (:class:`ImplicitModel`, fitted by
``eval/mentions.py --fit`` and stored in ``models/implicit-mentions.json`` with its provenance):

* **names** found automatically in the plan's own text (LASSO, RusKompass, «Play it right»,
  AUDIT-C, Brukerrom 2 …), but not place names (a district says where, not what);
* **vocabulary**: the words only one or two measures use (``sprøytebokser``), widened by the domain
  thesaurus :mod:`pipeline.nb.thesaurus` (a measure that says ``brukerrom`` also hears
  ``sprøyterom``, ``injeksjonsrom``, ``inhalasjonsrom``);
* **similarity** of comment and measure embeddings (and of their character n-grams), also relative to
  the comment's similarity to every other measure.

A link needs evidence: one specific clue (a programme's name, a specific concept such as
``nalokson``) or two clues together (``eldre`` and ``legemidler``) let a pair pass at the model's
``threshold``; a single generic word or similarity alone must clear the higher
``threshold_semantic``. Bylines and name lines never link.

Example:
    >>> space = measure_space(profiles, texts, parts, part_owner, vectors, part_vectors)  # doctest: +SKIP
    >>> scored = score_pairs(comment_texts, comment_vectors, space, load_model())  # doctest: +SKIP
    >>> found = find_implicit(comment_ids, scored, space.profiles, model=load_model())  # doctest: +SKIP

The model and its file are in :mod:`pipeline.measures.implicit_model`, the measures' names, terms
and concepts in :mod:`pipeline.measures.vocabulary`, the pair features and scores in
:mod:`pipeline.measures.scoring`; this module chooses the links.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pipeline.measures.explicit import Mention
from pipeline.measures.implicit_model import FEATURES, MODEL_FILE, ImplicitModel, load_model, save_model
from pipeline.measures.scoring import (
    MeasureSpace,
    Scored,
    character_similarity,
    measure_parts,
    measure_space,
    pair_features,
    score_matrix,
    score_pairs,
    text_fit,
)
from pipeline.measures.vocabulary import (
    MeasureProfile,
    concept_hits,
    find_names,
    looks_like_byline,
    measure_profiles,
    shared_terms,
)

__all__ = [
    "FEATURES",
    "MODEL_FILE",
    "ImplicitModel",
    "MeasureProfile",
    "MeasureSpace",
    "Scored",
    "character_similarity",
    "concept_hits",
    "find_implicit",
    "find_names",
    "load_model",
    "looks_like_byline",
    "measure_parts",
    "measure_profiles",
    "measure_space",
    "pair_features",
    "save_model",
    "score_matrix",
    "score_pairs",
    "selected",
    "shared_terms",
    "text_fit",
]


def selected(scored: Scored, model: ImplicitModel, written: Sequence[set[int]] = ()) -> list[list[int]]:
    """For each comment, the measures (columns) it mentions implicitly, best first: at most
    ``model.max_per_comment``, each over ``model.threshold`` with strong lexical evidence or over
    ``model.threshold_semantic`` without; ``written``: columns a comment already cites, skipped."""
    chosen = []
    for row, p in enumerate(scored.probabilities):
        limit = np.where(scored.strong[row], model.threshold, model.threshold_semantic)
        skip = written[row] if row < len(written) else set()
        ranked = [int(k) for k in np.argsort(-p) if p[k] >= limit[k] and k not in skip]
        chosen.append(ranked[: model.max_per_comment])
    return chosen


def find_implicit(
    comment_ids: Sequence[str],
    scored: Scored,
    profiles: Sequence[MeasureProfile],
    explicit: dict[str, set[str]] | None = None,
    model: ImplicitModel | None = None,
) -> list[Mention]:
    """Implicit mentions from :func:`score_pairs` (see :func:`selected`).

    Args:
        comment_ids: the rows of ``scored``; ``profiles``: its columns.
        explicit: codes each comment already writes: not repeated as implicit.
        model: the thresholds; default :func:`load_model`.
    """
    model = model or load_model()
    column = {p.code: k for k, p in enumerate(profiles)}
    written = [{column[c] for c in (explicit or {}).get(cid, set()) if c in column} for cid in comment_ids]
    found: list[Mention] = []
    for row, columns in enumerate(selected(scored, model, written)):
        for k in columns:
            words = ", ".join(scored.evidence[row][k][:5])
            found.append(
                Mention(
                    comment_ids[row],
                    profiles[k].code,
                    "implicit",
                    True,
                    round(float(scored.probabilities[row, k]), 3),
                    words,
                )
            )
    return found
