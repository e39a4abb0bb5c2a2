"""The places of a letter that name its sender, and the names each gives.

The signature («styret i X», «for X», «NN, generalsekretær i X»), the title («Høringssvar fra X»),
bylines («Av NN, leder i X»), the letterhead, and «på vegne av X» in the text. Each finder reads one
place and gives candidate names, with their kind where the place tells it; :func:`pipeline.comments.senders.find_sender`
weighs them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipeline.comments.names import MAX_NAME_WORDS, ORGANISATION, PERSON, is_organisation_name, is_person_name
from pipeline.nb.organisations import ROLE_ENDINGS, ROLE_WORDS
from pipeline.nb.senders import (
    BYLINE_RE,
    CREDIT_RE,
    INLINE_BYLINE_RE,
    LEADING_NAME_RE,
    LETTERHEAD_NAME_RE,
    OFFICE_RE,
    ON_BEHALF_RE,
    ROLE_OF_RE,
    SIGNATURE_FOR_RES,
    TITLE_RES,
)


def from_signature(lines: Sequence[str]) -> list[tuple[str, str]]:
    """Names and kinds in the signature's lines: an organisation line, «for X», a role line's
    organisation, or a person's name; contact lines are skipped."""
    found: list[tuple[str, str]] = []
    usable = [line.strip() for line in lines if line.strip() and not re.search(r"@|\d{4,}|https?:|www\.", line)]
    for line in usable:
        if len(line.split()) > MAX_NAME_WORDS + 2:
            continue
        for k, pattern in enumerate(SIGNATURE_FOR_RES):
            m = pattern.match(line)
            if m and (k != 1 or is_organisation_name(m.group("name"))):  # «for X» may name a person too
                found.append((m.group("name"), ORGANISATION))
                break
        else:
            role = _role_organisation(line)
            if role:
                found.append((role, ORGANISATION))
            elif _is_role_line(line):
                continue
            elif is_organisation_name(line):
                found.append((line, ORGANISATION))
            elif is_person_name(line.split(",")[0]):
                found.append((line.split(",")[0], PERSON))
            elif re.fullmatch(r"[A-ZÆØÅ][\wæøåÆØÅ.-]*(?:\s+[A-ZÆØÅ][\wæøåÆØÅ.-]*)+", line):
                found.append((line, ORGANISATION))  # capitalised, not a person's name: «Trygg Hverdag Oslo»
    return found


def from_title(title: str) -> list[str]:
    """The name a title gives: «Høringssvar fra X», «X – høringsuttalelse», «Kirkens Bymisjons høringssvar»."""
    for i, pattern in enumerate(TITLE_RES):
        m = pattern.search(title)
        if m:
            name = m.group("name").strip()
            genitive = i == len(TITLE_RES) - 1 and name.endswith("s") and not name.endswith("ss")
            return [name[:-1] if genitive else name]  # «Kirkens Bymisjons høringssvar»: Kirkens Bymisjon
    return []


def from_bylines(lines: Sequence[str]) -> list[tuple[str, str]]:
    """Names and kinds in byline and author lines: «Av NN, leder i X», a role line, a public office, a name."""
    found: list[tuple[str, str]] = []
    for line in lines:
        credit = list(CREDIT_RE.finditer(line))  # «Avisa Oslo, 31.8.2021: <tittel> skrevet av NN, leder i X»
        if credit and credit[-1].start() > 0:
            line = line[credit[-1].end() :]
        m = BYLINE_RE.match(line.strip())
        if m:
            role = m.group("role") or ""
            organisation = ROLE_OF_RE.search(role)
            if organisation and is_organisation_name(organisation.group("name")):
                found.append((organisation.group("name"), ORGANISATION))
            found.append((m.group("person"), PERSON))
            continue
        role = _role_organisation(line)
        office = OFFICE_RE.match(line.strip())
        lead = LEADING_NAME_RE.match(line.strip())
        if role:
            found.append((role, ORGANISATION))
        elif office:
            found.append((office.group("name"), ORGANISATION))
        elif is_person_name(line.strip()):
            found.append((line.strip(), PERSON))
        elif lead and is_person_name(lead.group()):
            found.append((lead.group(), PERSON))
    return found


def on_behalf_of(blocks: Sequence[str]) -> list[str]:
    """Organisations the text writes «på vegne av»."""
    return [
        m.group("name")
        for block in blocks
        for m in ON_BEHALF_RE.finditer(block)
        if is_organisation_name(m.group("name"))
    ]


def from_letterheads(blocks: Sequence[str]) -> list[str]:
    """The first organisation's name in capitals in each letterhead block, in title case: «STAVANGER
    KOMMUNE» → Stavanger kommune."""
    found = []
    for block in blocks:
        for m in LETTERHEAD_NAME_RE.finditer(block):
            if is_organisation_name(m.group()):
                found.append(m.group().title().replace(" Kommune", " kommune"))
                break
    return found


def from_inline_bylines(blocks: Sequence[str]) -> list[str]:
    """The organisations of bylines inside the text: «Innlegg skrevet av NN, leder i X»."""
    found = []
    for block in blocks:
        for m in INLINE_BYLINE_RE.finditer(block):
            organisation = ROLE_OF_RE.search(m.group("role"))
            if organisation and is_organisation_name(organisation.group("name")):
                found.append(organisation.group("name"))
    return found


def _role_organisation(line: str) -> str:
    """«generalsekretær i Blå Kors», «NN, leder for X» → the organisation, else ``""``: named after
    the first comma, or else anywhere in the line."""
    if not _is_role_line(line):
        return ""
    for part in (line.split(",", 1)[-1], line):
        m = ROLE_OF_RE.search(part)
        if m and is_organisation_name(m.group("name")):
            return m.group("name")
    return ""


def _is_role_line(line: str) -> bool:
    """A line that starts with, or holds early, a role («gruppeleder i bystyret», «NN, generalsekretær»)."""
    words = [w.strip(",.()").lower() for w in line.split()]
    return any(w in ROLE_WORDS or w.endswith(ROLE_ENDINGS) for w in words[:6])
