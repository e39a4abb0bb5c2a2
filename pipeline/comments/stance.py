"""Stance of a comment: does the sender support, criticise, propose, ask, or only describe?

Norwegian public-sector prose states stance with recognisable moves: «Vi støtter», «Vi savner»,
«… bør …», «Hvordan vil …?» (the cues of :mod:`pipeline.nb.stance_cues`). What a cue means depends
on its scope, so each sentence is cut into clauses and every cue found is counted as a feature of
its kind, its scope and its place:

* negated («Vi støtter **ikke** …», «kan **ikke** støtte», «verken … eller»): a negated support
  cue counts as critique;
* reported («**Departementet foreslår** …», «**Utvalget mener** …»): someone else's position, not
  the sender's, unless the sender takes a stand in a clause of its own («…, og dette støtter vi»);
* evaluative statements without a cue verb («er i strid med», «vil føre til mer stigma»);
* in the list's lead-in («Vi krever:»), for a list item that has no move of its own.

A multinomial logistic model over these features gives each stance a probability; the confidence
is the chosen stance's. It is fitted (``python eval/stance.py --fit``) on the dev splits only: the
synthetic responses of ``eval/data/hearing/dev`` and the labelled real-like statements of the dev
split of ``eval/data/real_responses``. Its figures come from the test splits, which it never saw
(macro-F1 on real test text is well under the synthetic one; see ``models/stance.json``'s provenance
and ``python eval/stance.py``).

Example:
    >>> classify("Vi støtter ikke at tilbudet flyttes.").label
    'critique'
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from pipeline import config
from pipeline.comments.senders import is_organisation_name, same_sender, speaking_subject
from pipeline.nb import stance_cues as nb
from pipeline.nb.stances import LABELS as STANCES
from pipeline.text.sentences import sentences

MODEL_FILE = config.MODELS_DIR / "stance.json"
EDGE_WEIGHT = 1.4  # the first and the last sentence say what the paragraph is for
CUE_STANCES = ("support", "critique", "proposal", "question")

_CUES = {s: [(re.compile(p), w) for p, w in cues] for s, cues in nb.CUES.items()}
_EVALUATIVE = {s: [(re.compile(p), w) for p, w in cues] for s, cues in nb.EVALUATIVE.items()}
_NEGATION = re.compile(nb.NEGATION_RE)
_OPPOSITION = re.compile(nb.OPPOSITION_RE)
_REPORTED = re.compile(rf"\b{nb.REPORTED_SUBJECT_RE}(?:\s+[\wæøå]+){{0,3}}?\s+{nb.REPORTED_VERB_RE}\b")
_FIRST_PERSON = re.compile(r"\b(?:vi|oss|vår|vårt|våre|jeg|meg|min|mitt|mine)\b")
_CLAUSE_BREAK = re.compile(nb.CLAUSE_BREAK_RE)
_ENDORSING = re.compile(nb.ENDORSING_RE)
_WORD = re.compile(r"[\wæøå]+")


def _feature_names() -> list[str]:
    names = []
    for stance in CUE_STANCES:
        names += [stance, f"{stance}_negated", f"{stance}_reported", f"lead_{stance}"]
    names += [
        "eval_support",
        "eval_critique",
        "eval_reported",
        "opposition",
        "first_person",
        "list_item",
        "ends_with_question",
        "reported_clauses",
        "long",
    ]
    return names


FEATURES = tuple(_feature_names())


class Stance(NamedTuple):
    label: str
    confidence: float


def clauses(text: str, sender: str = "") -> list[tuple[str, bool, bool]]:
    """The clauses of ``text`` (lower case) with whether each is an edge sentence's and whether it
    reports someone else's position: a reporting body and verb with no first person in the clause, or
    (where the ``sender`` is known) another organisation speaking («Legeforeningen mener …» in a
    response that is not Legeforeningen's)."""
    found = []
    parts = sentences(text) or [text]
    for i, sentence in enumerate(parts):
        edge = i in (0, len(parts) - 1)
        for clause in _CLAUSE_BREAK.split(sentence):
            if clause.strip():
                low = clause.lower()
                m = _REPORTED.search(low)
                reported = bool(m) and not _FIRST_PERSON.search(low)
                if sender and not reported and not _FIRST_PERSON.search(low):
                    subject = speaking_subject(clause.strip())
                    reported = bool(subject) and is_organisation_name(subject) and not same_sender(subject, sender)
                found.append((low, edge, reported))
    return found


def _is_negated(clause: str, start: int, end: int, cue: str, stance: str) -> bool:
    """A negation within a few words before the cue, or right after it («støtter ikke»); a negation
    inside a critique cue is part of it («ikke tilstrekkelig»), inside a support cue it negates it."""
    if _NEGATION.search(cue):
        return stance == "support"
    before = _WORD.findall(clause[:start])[-nb.NEGATION_WINDOW :]
    after = _WORD.findall(clause[end:])[: nb.NEGATION_AFTER_WINDOW]
    return any(_NEGATION.fullmatch(w) for w in before + after) or bool(_NEGATION.search(" ".join(before[-3:])))


def features(text: str, lead_in: str = "", *, sender: str = "", list_item: bool = False) -> dict[str, float]:
    """The comment's stance features (see :data:`FEATURES`), from its text, its list's lead-in and
    (if known) who sent it."""
    f = dict.fromkeys(FEATURES, 0.0)
    for clause, edge, reported in clauses(text, sender):
        weight = EDGE_WEIGHT if edge else 1.0
        f["reported_clauses"] += reported
        for stance, cues in _CUES.items():
            for pattern, prior in cues:
                for m in pattern.finditer(clause):
                    negated = _is_negated(clause, m.start(), m.end(), m.group(), stance)
                    if reported:
                        key = f"{stance}_reported"
                    elif negated and (stance == "support" or stance == "proposal" and _ENDORSING.match(m.group())):
                        key = "critique"  # «vi støtter ikke», «vi kan aldri anbefale»
                    else:
                        key = f"{stance}_negated" if negated else stance
                    f[key] += weight * prior
        for stance, cues in _EVALUATIVE.items():  # the sender's judgement counts as its stance's cue
            for pattern, prior in cues:
                if pattern.search(clause):
                    f["eval_reported" if reported else stance] += weight * prior
                    f[f"eval_{stance}"] += not reported
        if _OPPOSITION.search(clause) and not reported:
            f["opposition"] += weight
        f["first_person"] += bool(_FIRST_PERSON.search(clause))
    if lead_in:
        lead = features(lead_in, sender=sender)
        own = any(f[s] for s in CUE_STANCES) or f["opposition"]
        for stance in CUE_STANCES:
            if stance != "question":
                f[f"lead_{stance}"] = lead[stance] + (lead["opposition"] if stance == "critique" else 0.0)
                if not own:  # an item with no move of its own inherits its lead-in's («Vi krever:»)
                    f[stance] += f[f"lead_{stance}"]
    f["list_item"] = float(list_item or bool(lead_in))
    f["ends_with_question"] = float(text.rstrip().endswith("?"))
    f["long"] = math.log1p(len(text.split())) / 5
    return f


def model_file() -> Path:
    """The model a run uses: the one refitted on reviews (``config.LEARNED_MODELS_DIR``), else the shipped one."""
    learned = Path(config.LEARNED_MODELS_DIR) / MODEL_FILE.name
    return learned if learned.is_file() else MODEL_FILE


def load_model(path: Path | None = None) -> dict:
    """The fitted model (default: :func:`model_file`): ``classes``, ``features``, ``coefficients``
    (class × feature), ``intercept``, ``provenance``."""
    path = Path(path) if path is not None else model_file()
    return _read_model(path, path.stat().st_mtime_ns if path.is_file() else 0)


@lru_cache(maxsize=4)
def _read_model(path: Path, modified: int = 0) -> dict:  # modified: a rewritten file is read again
    model = json.loads(Path(path).read_text(encoding="utf-8"))
    if tuple(model["features"]) != FEATURES:
        raise ValueError(
            f"{path}: fitted on other features than pipeline.comments.stance computes; refit with "
            "`python eval/stance.py --fit`"
        )
    return model


def probabilities(text: str, lead_in: str = "", *, sender: str = "", model: dict | None = None) -> dict[str, float]:
    """Probability of each stance for one comment."""
    model = model or load_model()
    values = features(text, lead_in, sender=sender)
    x = [values[name] for name in model["features"]]
    scores = [b + sum(w * v for w, v in zip(row, x)) for row, b in zip(model["coefficients"], model["intercept"])]
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return {c: e / total for c, e in zip(model["classes"], exps)}


def classify(text: str, lead_in: str = "", *, sender: str = "", model: dict | None = None) -> Stance:
    """The comment's stance and its confidence (0–1); ``sender`` tells its own positions from those
    of others it reports."""
    p = probabilities(text, lead_in, sender=sender, model=model)
    label = max(p, key=lambda s: (p[s], -STANCES.index(s)))
    return Stance(label, round(p[label], 3))


def classify_all(
    texts: Sequence[str], lead_ins: Sequence[str] | None = None, senders: Sequence[str] | None = None
) -> list[Stance]:
    """:func:`classify` for each comment."""
    lead_ins = lead_ins or [""] * len(texts)
    senders = senders or [""] * len(texts)
    return [classify(text, lead, sender=who) for text, lead, who in zip(texts, lead_ins, senders)]
