"""Find personal data in a text and mask it with readable Norwegian placeholders.

The patterns are conservative and rule-based; what they find is replaced by:

- ``[fødselsnummer fjernet]``: 11 digits (``DDMMYYXXXXX``, ``DDMMYY XXXXX``, ``DDMMYY-XXXXX``) whose
  two mod-11 check digits are right and whose date part is a date (D-numbers: day + 40; H-numbers:
  month + 40). Other 11-digit numbers (account and case numbers) are left alone.
- ``[telefonnummer fjernet]``: Norwegian 8-digit numbers starting with 2–9, contiguous or grouped
  2-2-2-2 or 3-2-3, optionally with +47/0047; not years, amounts, dates, postcodes or case numbers.
- ``[e-post fjernet]``: e-mail addresses.
- ``[adresse fjernet]``: a street address (:mod:`pipeline.outputs.addresses`).
- ``[navn fjernet]``: the names of private persons, given by the caller (full name, and each name
  part of three letters or more, capitalised, as a word).

Example:
    >>> mask_text("Ring meg på 912 34 567, hilsen Hilde Moen", names=["Hilde Moen"])
    'Ring meg på [telefonnummer fjernet], hilsen [navn fjernet]'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from stdnum.no import fodselsnummer

from pipeline.outputs.addresses import ADDRESS_RE, SPACE

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

# --- fødselsnummer ----------------------------------------------------------------------------
# The weights of the two mod-11 check digits; stdnum.no.fodselsnummer computes them with the same.
FNR_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
FNR_WEIGHTS_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
D_NUMBER_OFFSET = 40  # D-number: day + 40
H_NUMBER_OFFSET = 40  # H-number: month + 40
CENTURIES = (1900, 2000)  # a date part is plausible when it is a date in one of them

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

# --- names of private persons ----------------------------------------------------------------
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
    number = "".join(map(str, first_nine))
    k1 = fodselsnummer.calc_check_digit1(number)
    k2 = fodselsnummer.calc_check_digit2(number + k1)
    return [int(k1), int(k2)] if len(k1) == len(k2) == 1 else None  # "10": a remainder of 1 has no digit


def _plausible_birth_date(ddmmyy: str) -> bool:
    """Whether a date part (``DDMMYY``) is a date in the 1900s or the 2000s, as a D- or H-number too.

    By hand, not stdnum's ``get_birth_date``: that takes the century from the individual digits (and
    ``is_valid`` rejects a date after today), so ``290200`` with individual digits below 500 would be
    29 February 1900, no date, and whether a number is masked would change with the day of the run.
    """
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
