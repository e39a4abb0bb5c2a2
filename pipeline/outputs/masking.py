"""Find and mask personal data before a round's tables go into shared outputs.

Private citizens' responses carry personal data (national identity numbers, phone numbers, e-mail
addresses, street addresses, their names) that must not spread into the workbook, the HTML report
or the Word høringsnotat, which are shared across the administration. This module finds such data
with conservative, rule-based patterns and replaces it with readable Norwegian placeholders:

- ``[fødselsnummer fjernet]``: 11 digits (``DDMMYYXXXXX``, ``DDMMYY XXXXX``, ``DDMMYY-XXXXX``) whose
  two mod-11 check digits are right and whose date part is a date (D-numbers: day + 40; H-numbers:
  month + 40). Other 11-digit numbers (account and case numbers) are left alone.
- ``[telefonnummer fjernet]``: Norwegian 8-digit numbers starting with 2–9, contiguous or grouped
  2-2-2-2 or 3-2-3, optionally with +47/0047; not years, amounts, dates, postcodes or case numbers.
- ``[e-post fjernet]``: e-mail addresses.
- ``[adresse fjernet]``: a street name ending in a street word (Storgata, Kirkeveien, Karl Johans
  gate) followed by a house number, with an optional ``, 0555 Oslo``. A street named without a number
  is a place in the city, not an address, and is kept.
- ``[navn fjernet]``: the names of private persons, given by the caller (full name, and each name
  part of three letters or more, capitalised, as a word).

:func:`mask_tables` masks a round's tables for the shared outputs: private senders (see
:func:`is_private_person`) become ``Privatperson 1``, ``Privatperson 2`` … in every sender column and
in the ``(sender, comment id)`` attributions of quotes and key points; free text goes through
:func:`mask_text`. Organisations keep their names.

Verifiability: masking replaces spans of text, so the shared outputs quote the *masked* text; a
quote there is found verbatim in the masked comment text of the same outputs (unless the quote cut
a piece of personal data in half, which then is masked in the comment but not in the quote's
fragment). The unmasked tables (the parquet files under ``data/processed/``, internal to the
secretariat) keep the original text; comment ids, response ids, file names and offsets are not
masked, so every quote can be traced to the original response. File names that carry a person's
name (``hilde-moen.txt``) therefore still show in ids and sources.

Example:
    >>> mask_text("Ring meg på 912 34 567, hilsen Hilde Moen", names=["Hilde Moen"])
    'Ring meg på [telefonnummer fjernet], hilsen [navn fjernet]'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from pipeline.nb.organisations import ORGANISATION_SUFFIXES, ORGANISATION_WORDS

# --- kinds and placeholders -------------------------------------------------------------------
FNR = "fødselsnummer"
PHONE = "telefon"
EMAIL = "e-post"
ADDRESS = "adresse"
KINDS = (FNR, EMAIL, PHONE, ADDRESS)  # priority when two findings overlap
PLACEHOLDERS = {
    FNR: "[fødselsnummer fjernet]",
    PHONE: "[telefonnummer fjernet]",
    EMAIL: "[e-post fjernet]",
    ADDRESS: "[adresse fjernet]",
}
NAME_PLACEHOLDER = "[navn fjernet]"
PSEUDONYM = "Privatperson {}"

# --- fødselsnummer ----------------------------------------------------------------------------
FNR_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
FNR_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
D_NUMBER_OFFSET = 40  # D-number: day + 40
H_NUMBER_OFFSET = 40  # H-number: month + 40
CENTURIES = (1900, 2000)  # a date part is plausible when it is a date in one of them

SPACE = r"[ \u00a0\u202f]"
NOT_AFTER_NUMBER = rf"(?<![\w/.,+-])(?<!\d{SPACE})"  # not inside a longer number, case number or code
NOT_BEFORE_NUMBER = rf"(?![\w/]|[.,-]\d|{SPACE}\d|{SPACE}?%)"
FNR_RE = re.compile(rf"{NOT_AFTER_NUMBER}(?P<date>\d{{6}})(?:{SPACE}|-)?(?P<individual>\d{{5}}){NOT_BEFORE_NUMBER}")

# --- telefon ----------------------------------------------------------------------------------
PHONE_RE = re.compile(
    rf"(?:(?<![\w/.,+-])(?<!\d{SPACE})|(?<=\())"
    rf"(?:(?P<prefix>(?:\+|00)47|\((?:\+|00)47\)){SPACE}?)?"
    r"(?P<number>[2-9]\d{7}"  # 22334455
    rf"|[2-9]\d(?:{SPACE}\d\d){{3}}"  # 22 33 44 55
    rf"|[2-9]\d\d{SPACE}\d\d{SPACE}\d{{3}}"  # 223 34 455, 912 34 567
    rf"|(?<=47{SPACE})[2-9]\d{{3}}{SPACE}\d{{4}}"  # +47 9123 4567 (only after a country code)
    r"|[2-9]\d\d-\d\d-\d{3}|[2-9]\d-\d\d-\d\d-\d\d)"  # 912-34-567, 22-33-44-55
    rf"{NOT_BEFORE_NUMBER}"
)
# After a phone cue, any grouping of eight digits is a number: «tlf.91234567», «tlf 9123 4567».
CUED_PHONE_RE = re.compile(
    rf"(?i)\b(?:tlf|telefon\w*|tel|mob|mobil\w*|sms)\.?:?{SPACE}*(?:nr\.?:?{SPACE}*)?"
    rf"(?P<number>(?:(?:\+|00)47{SPACE}?)?\d(?:[{SPACE[1:-1]}.-]?\d){{7}})(?!\d)"
)
PHONE_CUE_RE = re.compile(r"(?i)\b(?:tlf|telefon\w*|tel|mob|mobil\w*|ring|sms)\.?:?\s*(?:nr\.?:?\s*)?$")
NOT_PHONE_BEFORE_RE = re.compile(
    r"(?i)(?:\bkr|\bnok|kroner|beløp|sum|\bsak\w*|arkiv\w*|journal\w*|\bref\w*|dok\w*|\borg\w*|"
    r"konto\w*|faktura\w*|\bnr|nummer)\.?:?\s*$"
)
NOT_PHONE_AFTER_RE = re.compile(r"(?i)^\s*(?:kr\b|kroner|nok\b|,-|mill|mrd|milliard|prosent|%)")
CONTEXT_CHARS = 25
DATE_FORMATS = ("%d%m%Y", "%Y%m%d")  # 24062025 and 20250624 are dates, not phone numbers

# --- e-post -----------------------------------------------------------------------------------
EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")

# --- adresse ----------------------------------------------------------------------------------
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

# --- private persons --------------------------------------------------------------------------
MIN_NAME_WORDS, MAX_NAME_WORDS = 2, 4
MIN_NAME_PART_LETTERS = 3  # a name part this long is masked on its own (the surname "Moen")
NAME_PARTICLES = frozenset(
    {
        "van",
        "von",
        "der",
        "den",
        "de",
        "da",
        "di",
        "del",
        "della",
        "du",
        "la",
        "le",
        "af",
        "av",
        "bin",
        "ibn",
        "al",
        "el",
        "ter",
        "ten",
        "dos",
        "das",
        "do",
        "zu",
    }
)
_NAME_WORD_RE = re.compile(r"[A-ZÀ-ÖØ-Þ][^\W\d_]*(?:['’-][^\W\d_]+)*")
_INITIAL_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]\.?")

# --- tables -----------------------------------------------------------------------------------
SENDER_COLUMNS = {"responses": ("sender",), "comments": ("sender",)}
SENDER_LIST_COLUMNS = {"themes": ("senders",), "measure_summary": ("senders",), "campaigns": ("senders",)}
ATTRIBUTED_COLUMNS = {"measure_summary": ("quotes", "key_points")}  # «text» (sender, comment id) lines
SENDER_NAMING_COLUMNS = {"measure_summary": ("summary",)}  # free text that lists senders by name
FREE_TEXT_COLUMNS = {
    "responses": ("error",),
    "comments": ("text", "section", "lead_in"),
    "themes": ("label", "keywords", "phrases"),
    "measure_summary": ("summary",),
    "corrections": ("original", "corrected"),
    "mentions": ("evidence",),
}
# Columns of ids, hashes, codes and categories: never personal data, and must stay exact.
MACHINE_COLUMNS = frozenset(
    {
        "sha256",
        "status",
        "format",
        "encoding",
        "extraction",
        "kind",
        "stance",
        "sender_kind",
        "code",
        "codes",
        "likely",
        "cited",
        "plan_version",
        "rule",
        "sender_evidence",
        "measures",
    }
)
PLAN_TABLES = frozenset({"measures"})  # the city's own plan text, not what responses say
LIST_SEPARATOR = ", "
ATTRIBUTION_RE = re.compile(r"^(?P<quote>.*»)(?P<gap>\s*)\((?P<sender>.*), (?P<cid>[^,\s()]+)\)(?P<tail>\s*)$")


class Found(NamedTuple):
    """One piece of personal data: its span in the text, its kind and the text itself."""

    start: int
    end: int
    kind: str
    text: str


# --- finding ----------------------------------------------------------------------------------
def find_personal_data(text: str) -> list[Found]:
    """Personal data in ``text``, in order of position, no two overlapping."""
    candidates = [
        *_findings(FNR_RE, text, FNR, _is_fnr),
        *_findings(EMAIL_RE, text, EMAIL, lambda m: True),
        *_findings(PHONE_RE, text, PHONE, _is_phone),
        *[Found(m.start("number"), m.end("number"), PHONE, m.group("number")) for m in CUED_PHONE_RE.finditer(text)],
        *_findings(ADDRESS_RE, text, ADDRESS, lambda m: True),
    ]
    return _without_overlaps(candidates)


def _findings(pattern: re.Pattern, text: str, kind: str, accept: Callable[[re.Match], bool]) -> list[Found]:
    return [Found(m.start(), m.end(), kind, m.group()) for m in pattern.finditer(text) if accept(m)]


def _without_overlaps(found: Iterable[Found]) -> list[Found]:
    """Keep findings by priority (kind order, then longer first); drop those overlapping a kept one."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    kept: list[Found] = []
    for f in sorted(found, key=lambda f: (order.get(f.kind, len(order)), f.start - f.end, f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def _is_fnr(m: re.Match) -> bool:
    digits = [int(d) for d in m.group("date") + m.group("individual")]
    return _check_digits(digits[:9]) == digits[9:] and _plausible_birth_date(m.group("date"))


def _check_digits(first_nine: Sequence[int]) -> list[int] | None:
    """The two mod-11 check digits of a fødselsnummer's first nine digits; None when there are none."""
    k1 = _mod11(first_nine, FNR_WEIGHTS_1)
    k2 = None if k1 is None else _mod11([*first_nine, k1], FNR_WEIGHTS_2)
    return None if k2 is None else [k1, k2]


def _mod11(digits: Sequence[int], weights: Sequence[int]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if remainder == 0 else None if remainder == 1 else 11 - remainder


def _plausible_birth_date(ddmmyy: str) -> bool:
    day, month, year = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    day -= D_NUMBER_OFFSET if day > D_NUMBER_OFFSET else 0
    month -= H_NUMBER_OFFSET if month > H_NUMBER_OFFSET else 0
    return any(_is_date(century + year, month, day) for century in CENTURIES)


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _is_phone(m: re.Match) -> bool:
    text = m.string
    before = text[max(0, m.start() - CONTEXT_CHARS) : m.start()]
    if m.group("prefix") or PHONE_CUE_RE.search(before):
        return True
    if NOT_PHONE_BEFORE_RE.search(before) or NOT_PHONE_AFTER_RE.match(text[m.end() : m.end() + CONTEXT_CHARS]):
        return False
    return not _is_compact_date(m.group("number"))


def _is_compact_date(digits: str) -> bool:
    for fmt in DATE_FORMATS:
        try:
            dt.datetime.strptime(digits, fmt)
        except ValueError:
            continue
        return True
    return False


# --- private persons --------------------------------------------------------------------------
def is_private_person(sender: str) -> bool:
    """Whether a sender reads as a private individual's name: 2–4 capitalised name words (particles
    such as "van" allowed between them), no digits, no acronym and no organisation word; a name in
    capitals counts, and what follows a comma (a role: «, sykepleier og mor») is left out."""
    sender = sender.split(",")[0].strip()  # «Kari Nordmann, sykepleier og mor»
    if sender.isupper():  # «KARI NORDMANN» in a signature
        sender = sender.title()
    words = sender.split()
    if not words or any(ch.isdigit() for ch in sender):
        return False
    if words[0] in NAME_PARTICLES or words[-1] in NAME_PARTICLES:
        return False
    names = [w for w in words if w not in NAME_PARTICLES]
    if len(words) - len(names) > 2 or not MIN_NAME_WORDS <= len(names) <= MAX_NAME_WORDS:
        return False
    return all(_is_name_word(w) for w in names) and not _is_initial(names[-1])


def _is_name_word(word: str) -> bool:
    if _is_initial(word):
        return True
    if not _NAME_WORD_RE.fullmatch(word) or word.isupper():
        return False  # not capitalised, or an acronym such as FO, NAV, KORUS
    return not _is_organisation_word(word.lower())


def _is_initial(word: str) -> bool:
    return bool(_INITIAL_RE.fullmatch(word))


def _is_organisation_word(word: str) -> bool:
    parts = [word, *word.split("-")]
    return any(p in ORGANISATION_WORDS or p.endswith(ORGANISATION_SUFFIXES) for p in parts)


# --- masking text -----------------------------------------------------------------------------
def mask_text(text: str, names: Sequence[str] = ()) -> str:
    """``text`` with personal data and the given private persons' names replaced by placeholders.

    Names are matched in any case (theme labels are lower-case lemmas, a signature may be in
    capitals) as whole words: the full name, and each name part of three letters or more on its own
    (the surname), with a genitive ``s`` if any.
    """
    found = find_personal_data(text)
    name_re = _names_pattern(tuple(n for n in names if n and n.strip()))
    if name_re is not None:
        found = _without_overlaps([*found, *_findings(name_re, text, "navn", lambda m: True)])
    return _replace(text, found)


def _replace(text: str, found: Sequence[Found]) -> str:
    parts, last = [], 0
    for f in found:
        parts += [text[last : f.start], PLACEHOLDERS.get(f.kind, NAME_PLACEHOLDER)]
        last = f.end
    return "".join(parts) + text[last:]


@lru_cache(maxsize=64)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for the names and their parts, longest first."""
    variants = {v for name in names for v in _name_variants(name)}
    if not variants:
        return None
    alternatives = "|".join(sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?:['’]?s)?(?![\w])", re.IGNORECASE)


def _name_variants(name: str) -> set[str]:
    """Regex alternatives for a name: the full name (any whitespace between words) and its parts."""
    words = name.split()
    variants = {r"\s+".join(re.escape(w) for w in words)}
    for part in {p for w in words for p in (w, *w.split("-"))}:
        if len(part) >= MIN_NAME_PART_LETTERS and part.casefold() not in NAME_PARTICLES:
            variants.add(re.escape(part))
    return variants


# --- masking tables ---------------------------------------------------------------------------
def mask_tables(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Masked copies of a round's tables for the shared outputs; the input frames are not changed.

    Private senders become ``Privatperson N`` (numbered in order of response id) in every sender
    column, comma-separated sender list and quote attribution, and in response ids and file names;
    then every text column but ids, hashes, codes and categories (:data:`MACHINE_COLUMNS`) goes through
    :func:`mask_text` with the private persons' names, senders and file names included.
    """
    pseudonyms = private_pseudonyms(tables)
    names = _names_of(pseudonyms)
    masked: dict[str, pd.DataFrame] = {}
    for table, frame in tables.items():
        frame = frame.copy()
        _map_columns(frame, SENDER_COLUMNS.get(table, ()), lambda s: pseudonyms.get(_normal(s), s))
        _map_columns(frame, SENDER_LIST_COLUMNS.get(table, ()), lambda s: _pseudonymise_list(s, pseudonyms))
        _map_columns(frame, ATTRIBUTED_COLUMNS.get(table, ()), lambda s: _mask_attributed(s, pseudonyms))
        _map_columns(frame, SENDER_NAMING_COLUMNS.get(table, ()), lambda s: _pseudonymise_names(s, pseudonyms))
        _map_columns(frame, FREE_TEXT_COLUMNS.get(table, ()), lambda s: mask_text(s, names))
        masked[table] = frame
    masked = _pseudonymise_ids(masked, tables.get("responses"), pseudonyms)
    for table, frame in masked.items():  # and every other text column: senders, file names, labels, evidence …
        if table not in PLAN_TABLES:
            _map_columns(frame, [c for c in frame.columns if _is_text_column(frame, c)], lambda s: mask_text(s, names))
    return masked


def _is_text_column(frame: pd.DataFrame, column: str) -> bool:
    """A column of free text that may hold personal data: not an id, hash, code or category."""
    if column in MACHINE_COLUMNS or column.endswith(("_id", "_ids")):
        return False
    return pd.api.types.is_string_dtype(frame[column]) or pd.api.types.is_object_dtype(frame[column])


def _pseudonymise_ids(
    tables: dict[str, pd.DataFrame], responses: pd.DataFrame | None, pseudonyms: Mapping[str, str]
) -> dict[str, pd.DataFrame]:
    """Private persons' response ids and file names (``hilde-moen``, ``hilde-moen.txt``) carry their
    names: in every string column they become ``privatperson-N`` (comment ids ``privatperson-N-003``).

    Args:
        tables: the masked tables (changed in place and returned).
        responses: the unmasked responses table (its senders say whose response is whose).
    """
    if responses is None or not pseudonyms or "response_id" not in responses:
        return tables
    replacements: dict[str, str] = {}
    for row in responses.itertuples(index=False):
        pseudonym = pseudonyms.get(_normal(str(row.sender or "")))
        if pseudonym:
            slug = pseudonym.lower().replace(" ", "-")
            replacements[str(row.response_id)] = slug
            if getattr(row, "source_file", None):
                source = str(row.source_file)
                replacements[source] = slug + (Path(source).suffix if "." in source else "")
    if not replacements:
        return tables
    pattern = re.compile(
        r"(?<![\w.-])(" + "|".join(map(re.escape, sorted(replacements, key=len, reverse=True))) + r")(?![\w.]|-[^\d])"
    )
    for frame in tables.values():
        columns = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c])]
        _map_columns(frame, columns, lambda s: pattern.sub(lambda m: replacements[m.group(1)], s))
    return tables


def private_pseudonyms(tables: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """``Privatperson N`` for each private sender, numbered in order of their first response id."""
    source = tables.get("responses")
    if source is None or "sender" not in source:
        source = tables.get("comments")
    if source is None or "sender" not in source or "response_id" not in source:
        return {}
    kinds = (
        source["sender_kind"].fillna("").astype(str)
        if "sender_kind" in source
        else pd.Series([""] * len(source), index=source.index)
    )
    triples = sorted(
        zip(source["response_id"].astype(str), source["sender"].fillna("").astype(str), kinds),
        key=lambda triple: _natural_key(triple[0]),
    )
    private = dict.fromkeys(_normal(s) for _, s, kind in triples if _writes_for_themself(s, kind))
    return {name: PSEUDONYM.format(i) for i, name in enumerate(private, 1)}


def private_names(tables: Mapping[str, pd.DataFrame]) -> tuple[str, ...]:
    """The private persons' names to mask in text (:func:`mask_text`), from the round's senders."""
    return _names_of(private_pseudonyms(tables))


def _names_of(pseudonyms: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n.split(",")[0].strip() for n in pseudonyms))  # «Kari Nordmann, sykepleier»


def _writes_for_themself(sender: str, kind: str) -> bool:
    """A private person: the sender finder's kind where it is known (an organisation is never
    pseudonymised, whoever signs for it), else a sender that reads as a person's name."""
    if kind in ("organisation", "person"):
        return kind == "person"
    return is_private_person(sender)


def _normal(name: str) -> str:
    """A name with single spaces between its words, in lower case: «KARI  Nordmann» is «kari nordmann»."""
    return " ".join(name.split()).casefold()


def _natural_key(text: str) -> list:
    """r2 before r10."""
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text) if p]


def _map_columns(frame: pd.DataFrame, columns: Iterable[str], fn: Callable[[str], str]) -> None:
    """Apply ``fn`` to the non-missing values of ``columns`` in place, keeping each column's dtype."""
    for column in columns:
        if column in frame:
            dtype = frame[column].dtype
            frame[column] = frame[column].map(lambda v: v if pd.isna(v) else fn(str(v))).astype(dtype)


def _pseudonymise_list(senders: str, pseudonyms: Mapping[str, str]) -> str:
    return LIST_SEPARATOR.join(pseudonyms.get(_normal(s), s) for s in senders.split(LIST_SEPARATOR))


def _mask_attributed(lines: str, pseudonyms: Mapping[str, str]) -> str:
    """Mask «text» (sender, comment id) lines: the sender pseudonymised, the text masked."""
    return "\n".join(_mask_attributed_line(line, pseudonyms) for line in lines.split("\n"))


def _mask_attributed_line(line: str, pseudonyms: Mapping[str, str]) -> str:
    names = _names_of(pseudonyms)
    m = ATTRIBUTION_RE.match(line)
    if m is None:
        return mask_text(line, names)
    sender = pseudonyms.get(_normal(m.group("sender")), m.group("sender"))
    return f"{mask_text(m.group('quote'), names)}{m.group('gap')}({sender}, {m.group('cid')}){m.group('tail')}"


def _pseudonymise_names(text: str, pseudonyms: Mapping[str, str]) -> str:
    """Replace private senders' full names by their pseudonyms (where a text lists senders)."""
    if not pseudonyms:
        return text
    pattern = _full_names_pattern(tuple(pseudonyms))
    return pattern.sub(lambda m: pseudonyms[_normal(m.group())], text)


@lru_cache(maxsize=16)
def _full_names_pattern(names: tuple[str, ...]) -> re.Pattern:
    alternatives = "|".join(r"\s+".join(map(re.escape, n.split())) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)
