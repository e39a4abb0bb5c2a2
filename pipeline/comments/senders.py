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

Example:
    >>> find_sender("Høringssvar fra Bydel Alna", ["Vi støtter planen."], ["Kari Nordmann", "bydelsdirektør"]).name
    'Bydel Alna'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.nb.organisations import (
    ORGANISATION_SUFFIXES,
    ORGANISATION_WORDS,
    REPORTED_BODY_RE,
    ROLE_WORDS,
    SPEECH_VERBS,
    STANCE_VERBS,
)
from pipeline.text import lexicon

ORGANISATION = "organisation"
PERSON = "person"
UNKNOWN = "unknown"

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
ROLE_ENDINGS = ("leder", "direktør", "sjef", "rådgiver", "sekretær")  # gruppeleder, etatsdirektør, stabssjef
FIRST_PERSON_SINGULAR = (1.5, "skriver i eget navn (jeg)")
FILE_NAME = (0.2, "filnavn")
OPENING_BLOCKS = 3
TITLE_MAX_WORDS = 25  # the opening sentences are in the first blocks of the body
MAX_NAME_WORDS = 8

_CAP = r"[A-ZÆØÅ]"
_NAME = r"[A-ZÆØÅ0-9][\wæøåÆØÅ.'’&-]*(?:\s+(?:[\wæøåÆØÅ.'’&-]+|[-–]|\([A-ZÆØÅ]{2,}\))){0,7}"
TITLE_RES = (
    re.compile(
        r"(?:høringssvar(?:et)?|høringsuttalelse(?:n)?|høringsinnspill(?:et)?|uttalelse(?:n)?|uttale(?:n)?|"
        r"innspill(?:et)?|kommentarer|merknader)\s+fra\s+"
        rf"(?P<name>{_NAME}?)(?:\s+(?:til|om|på|vedrørende|vedr\.|angående|i\s+sak)\s|\s+[—–-]\s|[:,.]|$)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^(?P<name>{_CAP}.+?)\s*[—–:-]\s*(?:høringssvar|høringsuttalelse|høringsinnspill|uttalelse|innspill)\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"^(?P<name>{_CAP}.+?)['’]\s+(?:høringssvar|høringsuttalelse|høringsinnspill|innspill|uttalelse|merknader)\b"
    ),
    re.compile(rf"^(?P<name>{_CAP}.+?)\s+(?:sitt\s+|sine\s+)?(?:høringssvar|høringsuttalelse|høringsinnspill)\b"),
)
SIGNATURE_FOR_RES = (
    re.compile(
        r"^(?:styret|ledelsen|administrasjonen|sekretariatet|arbeidsutvalget|landsstyret|"
        r"sentralstyret|hovedstyret|fylkesstyret)\s+(?:i|for|ved)\s+(?P<name>.+)$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:for|på\s+vegne\s+av|p\.?\s*v\.?\s*a\.?)\s+(?P<name>.+)$", re.IGNORECASE),
    re.compile(r"^(?P<name>.+?)\s+v/\s*.+$"),
)
ROLE_OF_RE = re.compile(r"\b(?:i|for|ved|hos|av)\s+(?P<name>[A-ZÆØÅ][^,;]+?)\s*(?:[,;]|$)")
ON_BEHALF_RE = re.compile(
    r"\b(?:på\s+vegne\s+av|på\s+vegner\s+av)\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[A-ZÆØÅa-zæøå][\wæøåÆØÅ-]*){0,4}?)"
    r"(?=[.,;:]|\s+(?:og|er|har|til|om)\b|$)"
)
LETTERHEAD_NAME_RE = re.compile(r"\b[A-ZÆØÅ]{2,}(?:[ -][A-ZÆØÅ]{2,}){0,4}\b")
INLINE_BYLINE_RE = re.compile(
    r"\b(?:skrevet|innlegg|kronikk)\s+av\s+[A-ZÆØÅ][\w.-]+(?:\s+[A-ZÆØÅ][\w.-]+){1,3},\s*"
    r"(?P<role>[^.:;]{3,140}?)(?=[.:;]\s|[.:;]?$)"
)
# a public office as a byline's role line: «Oslos byråd for sosiale tjenester, arbeid og integrering (Ap)»
OFFICE_RE = re.compile(
    r"^(?P<name>[A-ZÆØÅ][\wæøå-]*s\s+(?:byråd|ordfører|kommunedirektør|rådmann|fylkesordfører|"
    r"statsforvalter|helseminister|justisminister)\b[^()]*?)\s*(?:\([^)]*\))?$"
)
LEADING_NAME_RE = re.compile(r"^(?:[A-ZÆØÅ][a-zæøåéü-]+\s+){1,3}[A-ZÆØÅ][a-zæøåéü-]+(?=[\s,]|$)")
BYLINE_RE = re.compile(r"^av\s+(?P<person>[^,]+?)(?:,\s*(?P<role>.+))?$", re.IGNORECASE)
IFOLGE_RE = re.compile(
    rf"^(?:ifølge|i følge)\s+(?P<name>{_CAP}[\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){{0,4}}?)\s+"
    r"(?:er|har|vil|bør|må|skal|kan|mener|blir)\b",
    re.IGNORECASE,
)
REPORTED = re.compile(rf"(?i)(?:^|\s|-){REPORTED_BODY_RE}$|^(?:{REPORTED_BODY_RE})\b")
PRONOUNS = frozenset(
    {
        "vi",
        "jeg",
        "det",
        "dette",
        "den",
        "de",
        "der",
        "her",
        "som",
        "vår",
        "vårt",
        "våre",
        "min",
        "mitt",
        "hun",
        "han",
        "man",
        "en",
        "et",
        "ei",
        "i",
        "på",
        "for",
        "etter",
        "med",
        "når",
        "om",
        "også",
        "men",
        "og",
        "så",
        "slik",
        "samtidig",
        "derfor",
        "videre",
        "til",
        "av",
        "fra",
        "hvis",
        "dersom",
        "selv",
        "alle",
        "mange",
        "flere",
        "noen",
        "utvalgets",
        "departementets",
        "ingen",
        "hver",
        "hvordan",
        "hva",
        "hvorfor",
        "hvem",
        "hvilke",
        "hvilken",
        "ifølge",
        "nå",
        "da",
        "både",
        "enten",
        "ikke",
        "kanskje",
        "dessuten",
        "likevel",
    }
)
ARTICLES = frozenset({"Den", "Det", "De"})  # «Den norske legeforening», «De regionale brukerstyrte sentrene»
CONNECTORS = frozenset({"og", "for", "i", "av", "til", "mot", "på", "med", "-", "–", "&", "norske", "norsk"})
# personal_data's organisation words include function words (so no «og» is a name); they mark nothing here
NOT_MARKERS = frozenset(
    {
        "fra",
        "til",
        "om",
        "og",
        "i",
        "for",
        "ukjent",
        "avsender",
        "svar",
        "vennlig",
        "hilsen",
        "mvh",
        "høringssvar",
        "høringsuttalelse",
        "høringsinnspill",
        "innspill",
        "uttalelse",
        "oslo",
        "norge",
        "norges",
        "norsk",
        "norske",
        "nasjonal",
        "nasjonalt",
        "nasjonale",
        "helse",
        "gamle",
        "tiltak",
        "prosjekt",
        "stat",
        "staten",
        "røde",
        "blå",
    }
)
# a bare «Foreningen» or «Kommunen» refers back to the sender but does not name it
GENERIC_REFERENCES = frozenset(ORGANISATION_SUFFIXES) | {"politiet", "byrådet"}
PROPER_NAME_MAX_ZIPF = 3.5  # a single word this rare in Norwegian, speaking, is an organisation's name
WE_IN_RE = re.compile(
    r"^(?:vi|oss|for\s+oss)\s+i\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ()-]+){0,6}?)"
    r"(?=\s+(?:er|har|vil|mener|representerer|jobber|arbeider|ser|ønsker|tek|tar|kan|må|står)\b|[,:])",
    re.IGNORECASE,
)
OWN_VIEW_RE = re.compile(
    r"^(?:etter|slik)\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){0,5}?)(?:s|'|’)\s+"
    r"(?:syn|vurdering|mening|oppfatning|erfaring)\b"
)
CLAUSE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«])|\(\s*|:\s+|\s[–-]\s+")
INVERTED_RE = re.compile(
    r"\b(?P<verb>[a-zæøå]+)\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]+(?:\s+(?:[A-ZÆØÅ][\wæøåÆØÅ-]+|\([A-ZÆØÅ]{2,}\)))*)"
)
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«])")


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
    votes: dict[str, list[tuple[float, str, str]]] = defaultdict(list)  # key -> (weight, label, kind)

    def vote(name: str, evidence: tuple[float, str], kind: str) -> None:
        name = _tidy(name)
        if name and not REPORTED.search(name) and len(name.split()) <= MAX_NAME_WORDS:
            if all(label != evidence[1] for _, label, _, _ in votes[_key(name)]):  # each place counts once
                votes[_key(name)].append((evidence[0], evidence[1], kind, name))  # type: ignore[arg-type]

    for name, kind in _from_signature(signature):
        vote(name, SIGNATURE_ORGANISATION if kind == ORGANISATION else SIGNATURE_PERSON, kind)
    titles = [titles] if isinstance(titles, str) else list(titles)
    short_openings = [b for b in body[:OPENING_BLOCKS] if len(b.split()) <= TITLE_MAX_WORDS]
    for title in [*titles, *short_openings]:
        for name in _from_title(title):  # a title names an organisation unless the name is a person's
            vote(name, TITLE, PERSON if is_person_name(name) and not is_organisation_name(name) else ORGANISATION)
    for name, kind in _from_bylines(bylines):
        vote(name, BYLINE if kind == ORGANISATION else SIGNATURE_PERSON, kind)
    for name in _from_opening(body[:OPENING_BLOCKS]):
        vote(name, OPENING, ORGANISATION)
    for block in body:
        for m in ON_BEHALF_RE.finditer(block):
            if is_organisation_name(m.group("name")):
                vote(m.group("name"), OPENING, ORGANISATION)
    for block in letterheads:
        for m in LETTERHEAD_NAME_RE.finditer(block):
            if is_organisation_name(m.group()):
                vote(m.group().title().replace(" Kommune", " kommune"), LETTERHEAD, ORGANISATION)
                break
    for block in body[:OPENING_BLOCKS]:
        for m in INLINE_BYLINE_RE.finditer(block):
            organisation = ROLE_OF_RE.search(m.group("role"))
            if organisation and is_organisation_name(organisation.group("name")):
                vote(organisation.group("name"), BYLINE, ORGANISATION)
    for name, count in _subjects(body).items():
        vote(name, (min(SUBJECT_CAP, SUBJECT[0] * count), f"{SUBJECT[1]} ({count}×)"), ORGANISATION)
    if hint:
        vote(hint, EMAIL, _kind_of(hint))
    _merge_genitives_and_acronyms(votes, " ".join([*titles, *body]))
    if _writes_as_i(body):  # «Jeg har selv …»: a person writing for themself
        for evidence in votes.values():
            if any(kind == PERSON for _, _, kind, _ in evidence):
                evidence.append((*FIRST_PERSON_SINGULAR, PERSON, evidence[0][3]))
    if not votes:
        return Sender(fallback.strip(), UNKNOWN, FILE_NAME[1] if fallback else "")

    def strength(key: str) -> tuple[float, float]:
        evidence = votes[key]
        organisation = any(kind == ORGANISATION for _, _, kind, _ in evidence)
        return (sum(w for w, _, _, _ in evidence) + (1.0 if organisation else 0.0), -len(key))

    best = max(votes, key=strength)
    evidence = votes[best]
    kinds = {kind for _, _, kind, _ in evidence}
    kind = ORGANISATION if ORGANISATION in kinds else PERSON if PERSON in kinds else UNKNOWN
    name = max((n for *_, n in evidence), key=lambda n: (n.count(" "), len(n)))  # the fullest spelling
    labels = "; ".join(dict.fromkeys(label for _, label, _, _ in evidence))
    if (
        name.isupper()
        and _writes_as_i(body)
        and is_person_name(name.title())
        and not any(w.lower() in ORGANISATION_WORDS for w in name.split())
    ):
        kind = PERSON  # «KNUT OLAV BERGE» under a letter in the first person: a person, in capitals
    return Sender(name, kind, labels)


def is_organisation_name(name: str) -> bool:
    """Whether ``name`` names an organisation: an organisation word or ending, or an acronym."""
    words = re.findall(r"[\wæøåÆØÅ]+", name)
    if any(w.isupper() and len(w) >= 2 and not w.isdigit() for w in words):
        return True
    return any(
        w.lower() in ORGANISATION_WORDS - NOT_MARKERS or w.lower().endswith(ORGANISATION_SUFFIXES)
        for w in words
        if not w.isdigit()
    )


def _is_organisation_word(word: str) -> bool:
    return word in ORGANISATION_WORDS - NOT_MARKERS or word.endswith(ORGANISATION_SUFFIXES)


def is_person_name(name: str) -> bool:
    """Whether ``name`` reads as one person's name (2–4 capitalised name words, no organisation word)."""
    from pipeline.outputs.masking import is_private_person

    return is_private_person(name)


def _kind_of(name: str) -> str:
    if is_organisation_name(name):
        return ORGANISATION
    return PERSON if is_person_name(name) else UNKNOWN


def _tidy(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" \t—–-:;,.«»\"'")
    return name[:1].upper() + name[1:]  # «fra politiet» names Politiet


def _key(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", name).lower().strip()


def _from_signature(lines: Sequence[str]) -> list[tuple[str, str]]:
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


def _from_title(title: str) -> list[str]:
    for i, pattern in enumerate(TITLE_RES):
        m = pattern.search(title)
        if m:
            name = m.group("name").strip()
            genitive = i == len(TITLE_RES) - 1 and name.endswith("s") and not name.endswith("ss")
            return [name[:-1] if genitive else name]  # «Kirkens Bymisjons høringssvar»: Kirkens Bymisjon
    return []


CREDIT_RE = re.compile(r"\b(?:skrevet\s+av|[Aa]v)\s+(?=[A-ZÆØÅ][a-zæøå]+\s+[A-ZÆØÅ])")


def _from_bylines(lines: Sequence[str]) -> list[tuple[str, str]]:
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


def _from_opening(blocks: Sequence[str]) -> list[str]:
    found = []
    for block in blocks:
        for sentence in SENTENCE_SPLIT_RE.split(block)[:2]:
            name = _speaking_subject(sentence)
            text = " ".join(blocks)
            if (
                name
                and (len(name.split()) > 1 or is_organisation_name(name) or _written_inside(name, text))
                and not _surname(name, text)
            ):
                found.append(name)
            m = IFOLGE_RE.match(sentence)
            if m and is_organisation_name(m.group("name")):
                found.append(m.group("name"))
    return found


def speaking_subject(sentence: str) -> str:
    """The organisation a sentence opens with when it speaks («Legeforeningen støtter …» →
    Legeforeningen), or ``""``."""
    return _speaking_subject(sentence)


def same_sender(name: str, sender: str) -> bool:
    """Whether ``name`` refers to ``sender``: a shared name word («Legeforeningen» in «Den norske
    legeforening»), an acronym of it, or a bare «Foreningen», «Etaten» that refers back."""
    if _key(name) in GENERIC_REFERENCES:
        return True
    words = {w.lower() for w in re.findall(r"[\wæøåÆØÅ]+", name)} - CONNECTORS - {"den", "det", "de"}
    theirs = {w.lower() for w in re.findall(r"[\wæøåÆØÅ]+", sender)} - CONNECTORS - {"den", "det", "de"}
    if words & theirs:
        return True
    return any(a.endswith(b) or b.endswith(a) for a in words for b in theirs if min(len(a), len(b)) >= 6)


def _speaking_subject(sentence: str) -> str:
    """The organisation a sentence opens with when it speaks: «Fagforbundet Oslo viser til …», «Vi i
    Landsgruppen av helsesykepleiere representerer …», «Etter Folkehelseinstituttets vurdering …»."""
    sentence = sentence.lstrip("–—-•* ")
    m = WE_IN_RE.match(sentence) or OWN_VIEW_RE.match(sentence)
    if m and _is_organisation_phrase(m.group("name").split()):
        return m.group("name")
    words = sentence.split()
    if not words or not words[0][:1].isupper():
        return ""
    if words[0].lower() in PRONOUNS and not (words[0] in ARTICLES and len(words) > 2 and words[1][:1].isupper()):
        return ""
    for i, word in enumerate(words[1 : MAX_NAME_WORDS + 1], 1):
        if _is_finite_verb(word.lower().strip(",:;")):
            name = " ".join(words[:i]).rstrip(",")
            return name if _is_organisation_phrase(words[:i]) else ""
        if word.endswith((",", ".", ":", ";")) and not re.fullmatch(r"\([A-ZÆØÅ]{2,}\)[,:]?", word):
            return ""
    return ""


def _is_finite_verb(word: str) -> bool:
    """A speech verb, or a present or past tense verb that is no noun («prioriterer», «frarådet»)."""
    if word in SPEECH_VERBS:
        return True
    classes = lexicon.word_classes(word)
    return "verb" in classes and "noun" not in classes and word.endswith(("er", "te", "de", "et"))


def _inverted_subjects(sentence: str) -> list[str]:
    """Organisations named right after a speech verb inside a sentence: «I hovedsak støtter
    Advokatforeningen …», «Som høringsinstans vil Advokatforeningen være …»."""
    found = []
    for m in INVERTED_RE.finditer(sentence):
        name = m.group("name")
        verb = m.group("verb").lower()
        if (
            verb in SPEECH_VERBS
            and _is_organisation_phrase(name.split())
            and (is_organisation_name(name) or verb in STANCE_VERBS and " " not in name)
        ):  # «Derfor støtter Actis …»
            found.append(name)
    return found


def _is_organisation_phrase(words: Sequence[str]) -> bool:
    """Words that can make up an organisation's name: capitalised words, acronyms, connectors and
    organisation nouns («Landsgruppen av helsesykepleiere», «Statens helsetilsyn»), with something
    that marks an organisation, or a proper name no person carries («Actis», «Tryggere Ungdom»)."""
    words = [w.strip(",:") for w in words]
    if not words or words[0].lower() in ("ifølge",):
        return False
    mixed = any(w[:1].islower() or w.isupper() for w in words[1:])
    after_connector = False  # «Landsforeningen for trygg oppvekst»: lower-case words after «for» are the name's
    organisation_seen = _is_organisation_word(words[0].lower())
    for w in words[1:]:
        if not (
            w[:1].isupper()
            or w.lower() in CONNECTORS
            or re.fullmatch(r"\([A-ZÆØÅ]{2,}\)", w)
            or _is_organisation_word(w.lower())
            or after_connector
            and organisation_seen
            and w[:1].islower()
        ):
            return False
        after_connector = after_connector or w.lower() in ("for", "av", "mot", "i")
        organisation_seen = organisation_seen or _is_organisation_word(w.lower())
    name = " ".join(words)
    first = words[0].lower()
    if (
        len(words) > 1
        and mixed
        and words[0] not in ARTICLES
        and lexicon.word_classes(first)
        and not _is_organisation_word(first)
        and not any(_is_organisation_word(w.lower()) for w in words[1:] if not w.isupper() and "(" not in w)
    ):
        return False  # «Utgangspunktet for NFA»: a common noun and an acronym is no name
    if is_organisation_name(name):
        return len(words) > 1 or first not in GENERIC_REFERENCES
    capitalised = [w for w in words if w[:1].isupper() and w not in ARTICLES]
    if len(capitalised) == 1 and len(words) == 1:  # a proper name, if the text also writes it mid-sentence
        return not lexicon.word_classes(first) and lexicon.zipf(first) < PROPER_NAME_MAX_ZIPF
    return len(capitalised) >= 2 and all(lexicon.word_classes(w.lower()) for w in capitalised)


def _subjects(blocks: Sequence[str]) -> dict[str, int]:
    """How often each organisation is the speaking subject of a sentence (or clause) in the text.

    A one-word name that is not an organisation word («Actis», «Tyrili») counts only where the text
    also writes it capitalised inside a sentence: a sentence's first word is capitalised anyway."""
    counts: dict[str, int] = defaultdict(int)
    text = " ".join(blocks)
    for block in blocks:
        for clause in CLAUSE_SPLIT_RE.split(block):
            name = _speaking_subject(clause)
            if (
                name
                and (
                    len(name.split()) > 1
                    or is_organisation_name(name)
                    or _written_inside(name, text)
                    or _takes_a_stand(name, clause)
                )
                and not _surname(name, text)
            ):
                counts[name] += 1
            for inverted in _inverted_subjects(clause):
                counts[inverted] += 1
    return dict(counts)


def _takes_a_stand(name: str, clause: str) -> bool:
    """«Actis går imot forslaget»: a one-word name followed by a verb that takes a stand."""
    rest = clause.lstrip("–—-•* ")[len(name) :].split()
    return bool(rest) and rest[0].lower() in STANCE_VERBS


def _surname(word: str, text: str) -> bool:
    """Whether ``word`` is the last name of a person the text names in full («Per Olav Haugen»)."""
    return " " not in word and any(
        is_person_name(m.group()) for m in re.finditer(rf"(?:[A-ZÆØÅ][a-zæøåé-]+\s+){{1,3}}{re.escape(word)}\b", text)
    )


def _written_inside(word: str, text: str) -> bool:
    return bool(re.search(rf"[\wæøå,]\s+{re.escape(word)}\b", text))


def _writes_as_i(blocks: Sequence[str]) -> bool:
    text = " ".join(blocks).lower()
    singular = len(re.findall(r"\b(?:jeg|eg)\b", text))
    return singular >= 2 and singular > len(re.findall(r"\b(?:vi|oss)\b", text))


def _merge_genitives_and_acronyms(votes: dict[str, list], text: str) -> None:
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
