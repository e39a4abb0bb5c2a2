"""How a Norwegian street address is written, as one pattern for finding addresses in text.

An address is a street name ending in a street word (``Storgata``, ``Kirkeveien``, ``Karl Johans
gate``) followed by a house number, with an optional ``, 0555 Oslo``; or a place name with a house
number and a postcode (``Furulia 12, 1450 Nesoddtangen``). A street named without a number is a place
in the city, not an address, and a number that is a date or an amount (``17. mai``, ``12 %``) is not a
house number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SPACE = r"[ \u00a0\u202f]"
STREET_WORDS = (  # as the end of a compound: Storgata, Kirkeveien, Youngstorget
    "gate",
    "gata",
    "gaten",
    "gt.",
    "vei",
    "veien",
    "veg",
    "vegen",
    "vn.",
    "allé",
    "alléen",
    "plass",
    "plassen",
    "bakke",
    "bakken",
    "stien",
    "sving",
    "svingen",
    "terrasse",
    "terrassen",
    "løkka",
    "løkken",
    "torg",
    "torget",
    "torv",
    "torvet",
    "brygge",
    "bryggen",
    "stredet",
    "smug",
    "smuget",
    "promenade",
    "promenaden",
    "kaia",
    "tunet",
)
SEPARATE_STREET_WORDS = STREET_WORDS + ("alle", "ring", "ringen", "sti")  # Bygdøy alle, Ullevål ring
STRONG_STREET_WORDS = ("gate", "gata", "gaten", "gt.", "vei", "veien", "veg", "vegen", "allé", "terrasse")
STREET_PREFIXES = (
    "Nedre",
    "Øvre",
    "Store",
    "Lille",
    "Gamle",
    "Nye",
    "Søndre",
    "Nordre",
    "Vestre",
    "Østre",
    "Indre",
    "Ytre",
    "Sankt",
    "St.",
)
MONTHS = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "des",
)
UNITS = (
    "%",
    "prosent",
    "kr",
    "kroner",
    "år",
    "ganger",
    "timer",
    "minutter",
    "meter",
    "m",
    "km",
    "personer",
    "mennesker",
    "plasser",
    "millioner",
    "mill",
)


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NAME_WORD = r"[A-ZÆØÅ][\w'’-]*\.?"  # Karl, Johans, St.
_LETTERS = r"[^\W\d_]"
_COMPOUND_STREET = (  # Storgata, Nedre Slottsgate
    rf"(?:(?:{_alternatives(STREET_PREFIXES)}){SPACE})?"
    rf"[A-ZÆØÅ]{_LETTERS}*?{_LETTERS}(?:{_alternatives(STREET_WORDS)})"
)
_NAMED_STREET = (  # Karl Johans gate, Fridtjof Nansens plass, Bygdøy allé
    rf"(?:{_NAME_WORD}{SPACE}){{0,2}}(?:[A-ZÆØÅ][\w'’-]*s{SPACE}(?:{_alternatives(SEPARATE_STREET_WORDS)})"
    rf"|[A-ZÆØÅ][\w'’-]*{SPACE}(?:{_alternatives(STRONG_STREET_WORDS)}))"
)
_HOUSE_NUMBER = rf"\d{{1,3}}(?:{SPACE}?[A-Z](?!\w)|[a-z](?!\w))?(?:[-–]\d{{1,3}}[A-Za-z]?)?"  # 12, 12B, 12 B, 12-14
_NOT_A_HOUSE_NUMBER = (  # 17. mai, 12 %, 3 ganger
    rf"(?!\w|[.,]\d|\.{SPACE}*(?:{_alternatives(MONTHS)})\b|{SPACE}*(?:{_alternatives(UNITS)})(?!\w))"
)
_POSTCODE = (  # , 0555 Oslo or the next line
    rf"(?:,{SPACE}*|{SPACE}*\n{SPACE}*|{SPACE}+)\d{{4}}{SPACE}+[A-ZÆØÅ]{_LETTERS}+(?:-[A-ZÆØÅ]{_LETTERS}+)?(?!\w)"
)
ADDRESS_RE = re.compile(
    rf"(?<![\w.])(?P<street>{_COMPOUND_STREET}|{_NAMED_STREET}){SPACE}+"
    rf"(?P<number>{_HOUSE_NUMBER}){_NOT_A_HOUSE_NUMBER}(?P<postcode>{_POSTCODE})?"
    # a place name without a street word is an address by its postcode: «Furulia 12, 1450 Nesoddtangen»
    rf"|(?<![\w.])(?P<place>[A-ZÆØÅ]{_LETTERS}+(?:{SPACE}[A-ZÆØÅ]{_LETTERS}+)?){SPACE}+"
    rf"(?P<place_number>{_HOUSE_NUMBER}),{SPACE}*\d{{4}}{SPACE}+[A-ZÆØÅ]{_LETTERS}+(?:-[A-ZÆØÅ]{_LETTERS}+)?(?!\w)"
)
