"""Stance of a comment: does it support, criticise, propose, ask, or only describe?

Norwegian public-sector prose states stance with recognisable moves: «Vi støtter», «FO Oslo
berømmer», «Vi savner», «… bør …», «mener … ikke … nok», «Hvordan vil …?». Each sentence is
searched for such cues (:data:`CUES`, regular expressions over the lower-cased text); the cues
found give each stance a score, weighted by where the sentence stands (the first and the last
sentence of a paragraph carry its point) and by what the list's lead-in says for a list item
(«Vi foreslår følgende:»). A comment without cues is ``neutral``. The scores become probabilities by
a softmax; the confidence is the chosen stance's probability.

Weights were set on the labelled development corpus (``eval/stance.py`` measures macro-F1 there,
by cross-validation, and on the held-out test split).

Example:
    >>> classify("Vi støtter at det etableres et nytt brukerrom.")
    Stance(label='support', confidence=...)
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

STANCES = ("support", "critique", "proposal", "question", "neutral")
NORWEGIAN = {"support": "støtte", "critique": "kritikk", "proposal": "forslag", "question": "spørsmål",
             "neutral": "nøytral"}

_W = r"[\wæøå]*"  # the rest of a word: inflections and compounds
CUES: dict[str, list[tuple[str, float]]] = {
    "support": [
        (rf"\bstøtte[rs]?\b(?! opp)(?!{_W}ordning)", 1.6),
        (r"\b(?:er|ser) (?:svært |veldig |derfor |også )?positiv[et]?\b", 1.6),
        (r"\bglad(?:e)? for\b", 1.6),
        (r"\bberømme[rs]?\b", 1.8),
        (r"\bsetter (?:stor )?pris på\b", 1.6),
        (r"\b(?:er )?enig(?:e)? i\b", 1.4),
        (r"\bslutte[rt]? (?:oss|seg) til\b", 1.6),
        (r"\bvelkommen\b|\bdeler (?:\w+ )?(?:mål\w*|syn\w*|vurdering\w*)\b", 1.4),
        (r"\bgode? tiltak\b|\b(?:riktig|godt|tydelig)e? (?:utgangspunkt|grep|profil|retning)\b", 1.0),
        (r"\b(?:er|var) (?:svært |veldig |spesielt )?(?:bra|gode?|riktig|viktig) at\b", 1.0),
        (r"\bimøteser\b", 1.2),
        (r"\btakker for\b", 0.5),
        (r"\bgode erfaringer\b", 0.6),
        (r"\betterlengtet\b|\bi tråd med\b|\bet (?:godt|viktig) (?:grep|tiltak|alternativ|bidrag)\b", 1.2),
        (r"\b(?:er|blir) (?:svært |veldig )?(?:bra|godt) (?:om|at)\b|\bvil gjerne (?:være|bidra|delta)\b", 1.0),
    ],
    "critique": [
        (r"\bsavne[rs]?\b", 1.8),
        (r"\bbekymr(?:et|ede|ing)\b", 1.6),
        (r"\busikr?e?\b", 0.9),
        (r"\b(?:ikke|lite) realistisk\b", 1.6),
        (r"\b(?:i )?(?:for |svært )?liten grad\b", 1.3),
        (r"\bfor (?:lite|få|kort|svak)\b", 1.3),
        (r"\b(?:hjelper|betyr) lite\b|\bikke lenger\b|\bsjelden\b|\btilfeldig\b", 1.0),
        (r"\bvanskelig\w*\b|\bkrevende\b|\bdårlig\w*\b", 0.8),
        (r"\b(?:vil )?(?:på)?peke på at\b|\bpåpeke[rs]?\b", 0.9),
        (r"\b(?:innsparing|kutt|nedskjæring)\w*\b|\bikke (?:er )?(?:tilført|finansiert|fulgt opp)\b", 0.9),
        (r"\bikke (?:\w+ ){0,3}(?:nok|tilstrekkelig\w*)\b", 1.4),
        (r"\bmangle[rn]?\b|\bmangel(?:en)? på\b", 1.2),
        (r"\buklar[et]?\b", 1.1),
        (r"\b(?:sier|nevner) (?:lite|ingenting|ikke noe)\b", 1.6),
        (r"\bproblematisk\b|\buheldig\b|\bbeklage[rs]?\b|\bdessverre\b", 1.3),
        (r"\buenig\w*\b|\bgår imot\b|\bfraråde[rs]?\b|\breagerer på\b", 1.8),
        (r"\bkritisk\w* til\b|\bskeptisk\w*\b", 1.6),
        (r"\bkan ikke (?:\w+ ){0,2}(?:forutsette|forvente|regne med)\b", 1.4),
        (r"\bburde (?:ha )?(?:vært|\w+t)\b", 0.8),
        (r"\bskaper uro\b|\bsvekke[rs]?\b|\bsvak(?:t|e)?\b", 1.0),
        (r"\bi tvil\b|\blite troverdig\b|\bikke avklart\b", 1.3),
        (r"\buten (?:fast|flere|økte|egne|nok)\b|\bikke (?:har )?(?:ressurser|kapasitet|midler)\b", 0.9),
        (r"\bforutsetter\b", 0.5),
        (r"\bmen\b", 0.3),
        (r"\blikevel\b", 0.4),
    ],
    "proposal": [
        (r"\bforesl[åa](?:r|s)?\b", 1.6),
        (r"\bforslag\b", 0.6),
        (r"\bber (?:\w+ ){0,2}om\b|\bber (?:byrådet|kommunen)\b", 1.6),
        (r"\bfølgende (?:må|bør)\b|\bskulle ønske\b", 1.2),
        (r"\banbefale[rs]?\b", 1.5),
        (r"\boppfordre[rs]?\b", 1.4),
        (r"\bbør\b", 1.1),
        (r"\bmå\b", 0.7),
        (r"\bønske[rs]? (?:at|en|et|også)\b", 0.9),
        (r"\bi tillegg\b|\bogså omfatte\b|\btas (?:inn|med)\b|\blegges til\b", 0.6),
        (r"\butvide[rs]?\b|\butvides\b", 0.5),
        (r"\bfølgende\b", 0.6),
    ],
    "question": [
        (r"\?", 2.2),
        (r"\b(?:vil|ønsker) (?:gjerne )?vite\b|\blurer på\b|\bspør(?:er)? (?:om|hvordan|hva)\b", 1.4),
        (r"\bavklar\w*\b", 0.7),
    ],
}
_COMPILED = {stance: [(re.compile(p), w) for p, w in cues] for stance, cues in CUES.items()}
SENTENCE_RE = re.compile(r"[^.!?]+[.!?]*")
EDGE_WEIGHT = 1.4  # the first and the last sentence say what the paragraph is for
LEAD_IN_WEIGHT = 0.9  # a list item takes the stance its lead-in announces
NEUTRAL_SCORE = 0.9  # what a stance must beat to be more than a description
TEMPERATURE = 0.8


class Stance(NamedTuple):
    label: str
    confidence: float


def cue_scores(text: str, lead_in: str = "") -> dict[str, float]:
    """Score per stance (not neutral) from the cues in ``text`` and its list's ``lead_in``."""
    scores = dict.fromkeys(STANCES[:-1], 0.0)
    sentences = [s for s in SENTENCE_RE.findall(text.lower()) if s.strip()] or [text.lower()]
    for i, sentence in enumerate(sentences):
        weight = EDGE_WEIGHT if i in (0, len(sentences) - 1) else 1.0
        for stance, cues in _COMPILED.items():
            scores[stance] += weight * sum(w for pattern, w in cues if pattern.search(sentence))
    if lead_in:
        for stance, cues in _COMPILED.items():
            if stance != "question":
                scores[stance] += LEAD_IN_WEIGHT * sum(w for pattern, w in cues if pattern.search(lead_in.lower()))
    return scores


def classify(text: str, lead_in: str = "") -> Stance:
    """The comment's stance and its confidence (0–1)."""
    scores = cue_scores(text, lead_in)
    scores["neutral"] = NEUTRAL_SCORE
    top = max(scores.values())  # softmax shifted by the top score: no overflow on very long texts
    exps = {s: math.exp((v - top) / TEMPERATURE) for s, v in scores.items()}
    total = sum(exps.values())
    label = max(STANCES, key=lambda s: (scores[s], -STANCES.index(s)))
    return Stance(label, round(exps[label] / total, 3))


def classify_all(texts: Sequence[str], lead_ins: Sequence[str] | None = None) -> list[Stance]:
    """:func:`classify` for each comment."""
    lead_ins = lead_ins or [""] * len(texts)
    return [classify(text, lead) for text, lead in zip(texts, lead_ins)]
