"""Who sent a response: the organisation that speaks, or a person writing for themself.

A reader names the sender from several places at once; so does :func:`find_sender`. Each place
gives candidates with a weight, and the candidate with the most evidence wins:

* the signature block: «styret i X», «for X», «X v/ leder NN», an organisation line, a role line
  («generalsekretær i X»); a person's name only counts as a person;
* the title: «Høringssvar fra X», «X – høringsuttalelse», «Xs høringssvar»;
* bylines: «Av NN, leder i X», a name line followed by a role line;
* the opening sentences: «X viser til …», «X takker for …», «Ifølge X …»;
* how often a name is the subject of a speech verb in the whole text («Legeforeningen støtter»);
* the e-mail's ``From`` name, and last the file name.

Bodies whose proposals a response reports (departementet, utvalget, regjeringen) are never the
sender. An organisation beats a person: a response signed by a director for an agency is the
agency's. ``kind`` is ``organisation``, ``person`` or ``unknown``; ``evidence`` says in Norwegian
where the name was found.

This module weighs the evidence; :mod:`pipeline.comments.sender_places` reads the places,
:mod:`pipeline.comments.speaking` the sentences, :mod:`pipeline.comments.names` tests a name, and
:mod:`pipeline.nb.senders` holds the Norwegian patterns.

Example:
    >>> find_sender("Høringssvar fra Bydel Alna", ["Vi støtter planen."], ["Kari Nordmann", "bydelsdirektør"]).name
    'Bydel Alna'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pipeline.comments.names import (
    MAX_NAME_WORDS,
    ORGANISATION,
    PERSON,
    UNKNOWN,
    is_organisation_name,
    is_person_name,
    kind_of,
    name_key,
    same_sender,
    tidy_name,
)
from pipeline.comments.sender_places import (
    from_bylines,
    from_inline_bylines,
    from_letterheads,
    from_signature,
    from_title,
    on_behalf_of,
)
from pipeline.comments.speaking import opening_speakers, speaking_counts, speaking_subject, writes_as_i
from pipeline.nb.organisations import ORGANISATION_WORDS
from pipeline.nb.senders import REPORTED

__all__ = ["Sender", "find_sender", "is_organisation_name", "is_person_name", "same_sender", "speaking_subject"]

# evidence: (weight, the label shown to users)
SIGNATURE_ORGANISATION = (3.0, "signatur")
SIGNATURE_PERSON = (1.0, "signatur (person)")
TITLE = (2.0, "tittel")
BYLINE = (2.5, "byline")
LETTERHEAD = (2.0, "brevhode")
OPENING = (2.0, "åpningssetning")
SUBJECT = (0.6, "omtaler seg selv")  # per sentence where the name speaks; capped
SUBJECT_CAP = 2.4
EMAIL = (1.5, "e-post (From)")
FIRST_PERSON_SINGULAR = (1.5, "skriver i eget navn (jeg)")
FILE_NAME = (0.2, "filnavn")
OPENING_BLOCKS = 3
TITLE_MAX_WORDS = 25  # the opening sentences are in the first blocks of the body

Evidence = tuple[float, str]
Votes = dict[str, list[tuple[float, str, str, str]]]  # name key -> (weight, label, kind, spelling), in order found


@dataclass(frozen=True)
class Sender:
    """The sender of a response as a reader would name it."""

    name: str
    kind: str = UNKNOWN  # organisation, person, unknown
    evidence: str = ""  # where the name was found, in Norwegian: «tittel; åpningssetning»


def find_sender(
    titles: Sequence[str] | str,
    body: Sequence[str],
    signature: Sequence[str],
    *,
    bylines: Sequence[str] = (),
    letterheads: Sequence[str] = (),
    hint: str = "",
    fallback: str = "",
) -> Sender:
    """The sender of one response.

    Args:
        titles: the response's title lines (a title, a headline and its subtitle), or one title.
        body: the blocks after the title, in order (paragraphs, headings, list items).
        signature: the lines after the closing greeting.
        bylines: byline and author lines found before the body («Av NN, leder i X»).
        letterheads: letterhead blocks («STAVANGER KOMMUNE Postadr.: …»).
        hint: the e-mail's ``From`` name, if any.
        fallback: a name from the file, used when nothing else names a sender.
    """
    titles = [titles] if isinstance(titles, str) else list(titles)
    votes: Votes = defaultdict(list)
    for name, evidence, kind in _evidence(titles, body, signature, bylines, letterheads, hint):
        _vote(votes, name, evidence, kind)
    _merge_genitives_and_acronyms(votes, " ".join([*titles, *body]))
    if writes_as_i(body):  # «Jeg har selv …»: a person writing for themself
        for evidence in votes.values():
            if any(kind == PERSON for _, _, kind, _ in evidence):
                evidence.append((*FIRST_PERSON_SINGULAR, PERSON, evidence[0][3]))
    if not votes:
        return Sender(fallback.strip(), UNKNOWN, FILE_NAME[1] if fallback else "")
    return _elected(votes, body)


def _evidence(
    titles: Sequence[str],
    body: Sequence[str],
    signature: Sequence[str],
    bylines: Sequence[str],
    letterheads: Sequence[str],
    hint: str,
) -> Iterator[tuple[str, Evidence, str]]:
    """Every candidate name the response's places give, with its evidence and kind, in the order counted."""
    for name, kind in from_signature(signature):
        yield name, SIGNATURE_ORGANISATION if kind == ORGANISATION else SIGNATURE_PERSON, kind
    short_openings = [b for b in body[:OPENING_BLOCKS] if len(b.split()) <= TITLE_MAX_WORDS]
    for title in [*titles, *short_openings]:
        for name in from_title(title):  # a title names an organisation unless the name is a person's
            yield name, TITLE, PERSON if is_person_name(name) and not is_organisation_name(name) else ORGANISATION
    for name, kind in from_bylines(bylines):
        yield name, BYLINE if kind == ORGANISATION else SIGNATURE_PERSON, kind
    for name in [*opening_speakers(body[:OPENING_BLOCKS]), *on_behalf_of(body)]:
        yield name, OPENING, ORGANISATION
    for name in from_letterheads(letterheads):
        yield name, LETTERHEAD, ORGANISATION
    for name in from_inline_bylines(body[:OPENING_BLOCKS]):
        yield name, BYLINE, ORGANISATION
    for name, count in speaking_counts(body).items():
        yield name, (min(SUBJECT_CAP, SUBJECT[0] * count), f"{SUBJECT[1]} ({count}×)"), ORGANISATION
    if hint:
        yield hint, EMAIL, kind_of(hint)


def _vote(votes: Votes, name: str, evidence: Evidence, kind: str) -> None:
    """Count one place's evidence for ``name``; each place counts once per name, a reported body never."""
    name = tidy_name(name)
    if name and not REPORTED.search(name) and len(name.split()) <= MAX_NAME_WORDS:
        if all(label != evidence[1] for _, label, _, _ in votes[name_key(name)]):
            votes[name_key(name)].append((evidence[0], evidence[1], kind, name))


def _elected(votes: Votes, body: Sequence[str]) -> Sender:
    """The candidate with the most evidence (an organisation's counts one more), in its fullest spelling."""
    best = max(votes, key=lambda key: _strength(key, votes[key]))
    evidence = votes[best]
    kinds = {kind for _, _, kind, _ in evidence}
    kind = ORGANISATION if ORGANISATION in kinds else PERSON if PERSON in kinds else UNKNOWN
    name = max((n for *_, n in evidence), key=lambda n: (n.count(" "), len(n)))
    labels = "; ".join(dict.fromkeys(label for _, label, _, _ in evidence))
    if (
        name.isupper()
        and writes_as_i(body)
        and is_person_name(name.title())
        and not any(w.lower() in ORGANISATION_WORDS for w in name.split())
    ):
        kind = PERSON  # «KNUT OLAV BERGE» under a letter in the first person: a person, in capitals
    return Sender(name, kind, labels)


def _strength(key: str, evidence: list[tuple[float, str, str, str]]) -> tuple[float, float]:
    organisation = any(kind == ORGANISATION for _, _, kind, _ in evidence)
    return (sum(w for w, _, _, _ in evidence) + (1.0 if organisation else 0.0), -len(key))


def _merge_genitives_and_acronyms(votes: Votes, text: str) -> None:
    """Fold «RHO» into «Rusfeltets hovedorganisasjon (RHO)», «Bymisjons» into «Bymisjon» and
    «Eldrerådet» into «Eldrerådet i Bydel Vestre Aker»."""
    for key in list(votes):
        if key not in votes:
            continue
        target = None
        longer = [other for other in votes if other != key and other.startswith(key + " ")]
        if key.endswith("s") and key[:-1] in votes:
            target = key[:-1]
        elif longer:
            target = max(longer, key=lambda other: sum(w for w, *_ in votes[other]))
        else:
            for other in votes:
                if other != key and re.search(rf"\b{re.escape(other)}\s*\(\s*{re.escape(key)}\s*\)", text.lower()):
                    target = other
                    break
        if target:
            votes[target].extend(votes.pop(key))
