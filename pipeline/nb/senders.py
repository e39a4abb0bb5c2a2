"""How Norwegian letters name their sender: the patterns of titles, signatures, bylines and self-mentions.

Regular expressions over one line or sentence, and the small words around names, that
:mod:`pipeline.comments.senders` reads a response's sender from. A change of wording («Høringsinnspill
fra X», «på vegne av X») is a change here.
"""

from __future__ import annotations

import re

from pipeline.nb.organisations import REPORTED_BODY_RE

_CAP = r"[A-ZÆØÅ]"
_NAME = r"[A-ZÆØÅ0-9][\wæøåÆØÅ.'’&-]*(?:\s+(?:[\wæøåÆØÅ.'’&-]+|[-–]|\([A-ZÆØÅ]{2,}\))){0,7}"

# --- the title ----------------------------------------------------------------------------------
# «Høringssvar fra X», «X – høringsuttalelse», «X' innspill», «Xs høringssvar» (the last: a genitive).
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

# --- the signature --------------------------------------------------------------------------------
# «styret i X», «for X» / «på vegne av X», «X v/ leder NN»
SIGNATURE_FOR_RES = (
    re.compile(
        r"^(?:styret|ledelsen|administrasjonen|sekretariatet|arbeidsutvalget|landsstyret|"
        r"sentralstyret|hovedstyret|fylkesstyret)\s+(?:i|for|ved)\s+(?P<name>.+)$",
        re.IGNORECASE,
    ),
    re.compile(r"^(?:for|på\s+vegne\s+av|p\.?\s*v\.?\s*a\.?)\s+(?P<name>.+)$", re.IGNORECASE),
    re.compile(r"^(?P<name>.+?)\s+v/\s*.+$"),
)
# the organisation of a role: «generalsekretær i Blå Kors», «leder for X»
ROLE_OF_RE = re.compile(r"\b(?:i|for|ved|hos|av)\s+(?P<name>[A-ZÆØÅ][^,;]+?)\s*(?:[,;]|$)")
# «på vegne av X» anywhere in the text
ON_BEHALF_RE = re.compile(
    r"\b(?:på\s+vegne\s+av|på\s+vegner\s+av)\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[A-ZÆØÅa-zæøå][\wæøåÆØÅ-]*){0,4}?)"
    r"(?=[.,;:]|\s+(?:og|er|har|til|om)\b|$)"
)

# --- letterheads and bylines --------------------------------------------------------------------
# a name in capitals in a letterhead: «STAVANGER KOMMUNE Postadr.: …»
LETTERHEAD_NAME_RE = re.compile(r"\b[A-ZÆØÅ]{2,}(?:[ -][A-ZÆØÅ]{2,}){0,4}\b")
# a byline inside an opening block: «Innlegg skrevet av NN, leder i X.»
INLINE_BYLINE_RE = re.compile(
    r"\b(?:skrevet|innlegg|kronikk)\s+av\s+[A-ZÆØÅ][\w.-]+(?:\s+[A-ZÆØÅ][\w.-]+){1,3},\s*"
    r"(?P<role>[^.:;]{3,140}?)(?=[.:;]\s|[.:;]?$)"
)
# a public office as a byline's role line: «Oslos byråd for sosiale tjenester, arbeid og integrering (Ap)»
OFFICE_RE = re.compile(
    r"^(?P<name>[A-ZÆØÅ][\wæøå-]*s\s+(?:byråd|ordfører|kommunedirektør|rådmann|fylkesordfører|"
    r"statsforvalter|helseminister|justisminister)\b[^()]*?)\s*(?:\([^)]*\))?$"
)
# a person's name at the start of a line: «Nils Petter Gran, …»
LEADING_NAME_RE = re.compile(r"^(?:[A-ZÆØÅ][a-zæøåéü-]+\s+){1,3}[A-ZÆØÅ][a-zæøåéü-]+(?=[\s,]|$)")
# «Av NN, leder i X»
BYLINE_RE = re.compile(r"^av\s+(?P<person>[^,]+?)(?:,\s*(?P<role>.+))?$", re.IGNORECASE)
# where a reprint's source line gives its author: «Avisa Oslo, 31.8.2021: <tittel> skrevet av NN, …»
CREDIT_RE = re.compile(r"\b(?:skrevet\s+av|[Aa]v)\s+(?=[A-ZÆØÅ][a-zæøå]+\s+[A-ZÆØÅ])")

# --- who speaks in a sentence -----------------------------------------------------------------
# «Ifølge X er …»
IFOLGE_RE = re.compile(
    rf"^(?:ifølge|i følge)\s+(?P<name>{_CAP}[\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){{0,4}}?)\s+"
    r"(?:er|har|vil|bør|må|skal|kan|mener|blir)\b",
    re.IGNORECASE,
)
# «Vi i X er …», «For oss i X …»
WE_IN_RE = re.compile(
    r"^(?:vi|oss|for\s+oss)\s+i\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ()-]+){0,6}?)"
    r"(?=\s+(?:er|har|vil|mener|representerer|jobber|arbeider|ser|ønsker|tek|tar|kan|må|står)\b|[,:])",
    re.IGNORECASE,
)
# «Etter Xs vurdering …», «Slik X' syn er …»
OWN_VIEW_RE = re.compile(
    r"^(?:etter|slik)\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[\wæøåÆØÅ-]+){0,5}?)(?:s|'|’)\s+"
    r"(?:syn|vurdering|mening|oppfatning|erfaring)\b"
)
# a verb and the capitalised name after it: «I hovedsak støtter Advokatforeningen …»
INVERTED_RE = re.compile(
    r"\b(?P<verb>[a-zæøå]+)\s+(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]+(?:\s+(?:[A-ZÆØÅ][\wæøåÆØÅ-]+|\([A-ZÆØÅ]{2,}\)))*)"
)
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«])")
CLAUSE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«])|\(\s*|:\s+|\s[–-]\s+")
# the writer as «jeg» (a person) or as «vi» (an organisation), in lower-cased text
FIRST_PERSON_SINGULAR_RE = re.compile(r"\b(?:jeg|eg)\b")
FIRST_PERSON_PLURAL_RE = re.compile(r"\b(?:vi|oss)\b")

# a name that ends in a reported body («departementet», «Utvalget») is not the sender
REPORTED = re.compile(rf"(?i)(?:^|\s|-){REPORTED_BODY_RE}$|^(?:{REPORTED_BODY_RE})\b")

# --- the small words around names -------------------------------------------------------------
# A sentence that opens with one of these has no organisation as its subject.
PRONOUNS = frozenset({
    "vi", "jeg", "det", "dette", "den", "de", "der", "her", "som", "vår", "vårt", "våre", "min", "mitt",
    "hun", "han", "man", "en", "et", "ei", "i", "på", "for", "etter", "med", "når", "om", "også", "men",
    "og", "så", "slik", "samtidig", "derfor", "videre", "til", "av", "fra", "hvis", "dersom", "selv",
    "alle", "mange", "flere", "noen", "utvalgets", "departementets", "ingen", "hver", "hvordan", "hva",
    "hvorfor", "hvem", "hvilke", "hvilken", "ifølge", "nå", "da", "både", "enten", "ikke", "kanskje",
    "dessuten", "likevel",
})
ARTICLES = frozenset({"Den", "Det", "De"})  # «Den norske legeforening», «De regionale brukerstyrte sentrene»
# Words that join the parts of an organisation's name: «Landsgruppen av helsesykepleiere».
CONNECTORS = frozenset({"og", "for", "i", "av", "til", "mot", "på", "med", "-", "–", "&", "norske", "norsk"})
