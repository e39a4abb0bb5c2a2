"""Find the measure codes a comment mentions, in every way people write them.

``7S``, ``11 S``, ``tiltak 11F``, lists (``3F, 4F, 5F, 15F og 16F``) and ranges (``3F-5F``,
``16S—-19S``, ``tiltakene 16S til 19S``) are expanded to single codes. A code the plan does not
have is kept with ``valid=False``. Only the plan's own code letters count, so other plans' codes and
stray OCR debris (``o 2 S nedvendig``) are not mentions.

Example:
    >>> [(m.code, m.valid) for m in find_explicit("c1", "Vi støtter 3F-5F og 25F.", {"3F", "4F", "5F"})]
    [('3F', True), ('4F', True), ('5F', True), ('25F', False)]
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

RANGE_SEPARATOR = r"\s*(?:[-–—]+|til)\s*"
MAX_RANGE = 30
CUE_RE = re.compile(r"\btiltak(?:et|ene|s?punkt(?:et|ene)?)?\s*$", re.IGNORECASE)
# the next element of a list of codes: "16 S og 17 S", "7 S, 8 S"
LIST_BEFORE_RE = re.compile(r"\d\s?[A-ZÆØÅ]\s*(?:,|og|eller|samt)\s*$")
# a number after these is a chapter, page or figure, not a measure: "kap. 3 S"
NOT_A_CODE_RE = re.compile(
    r"(?:\bkap(?:ittel)?\.?|\bside|\bs\.|§|\bnr\.?|\bavsnitt|\bfigur|\btabell|\bvedlegg)\s*$", re.I
)


@dataclass(frozen=True)
class Mention:
    """A comment's mention of a measure."""

    comment_id: str
    code: str
    kind: str  # explicit or implicit
    valid: bool
    score: float
    evidence: str


def code_letters(codes: Iterable[str]) -> str:
    """The code letters a catalogue uses, e.g. ``"FS"``."""
    return "".join(sorted({c[-1] for c in codes})) or "FS"


def find_explicit(comment_id: str, text: str, catalogue_codes: set[str], letters: str | None = None) -> list[Mention]:
    """Explicit code mentions in ``text``, ranges expanded, each code once per comment.

    Args:
        comment_id: recorded on each mention.
        text: the comment.
        catalogue_codes: the plan's codes; others are returned with ``valid=False``.
        letters: code letters to look for; default: the catalogue's.
    """
    letters = letters or code_letters(catalogue_codes)
    code = rf"(\d{{1,2}})(\s?)([{letters}])"
    single_re = re.compile(rf"(?<![\w/-])(?<!\d[.,]){code}(?![\w]|-[^\W\d_])")
    range_re = re.compile(
        rf"(?<![\w/-])(?<!\d[.,])(\d{{1,2}})(\s?)([{letters}])?{RANGE_SEPARATOR}{code}(?![\w]|-[^\W\d_])"
    )
    scan = _undamage_codes(text, letters)  # same length as text: spans and evidence line up
    found: dict[str, Mention] = {}
    taken: list[tuple[int, int]] = []

    def add(number: int, letter: str, evidence: str) -> None:
        key = f"{number}{letter}"
        if key not in found:
            found[key] = Mention(comment_id, key, "explicit", key in catalogue_codes, 1.0, evidence)

    for m in range_re.finditer(scan):
        first, space1, letter1, last, space2, letter2 = m.groups()
        a, b = int(first), int(last)
        if letter1 and letter1 != letter2 or not (a < b <= a + MAX_RANGE):
            continue
        if (space1 or space2) and not _spaced_code_ok(scan, m.start(), m.end()):
            continue
        for number in range(a, b + 1):
            add(number, letter2, text[m.start() : m.end()])
        taken.append(m.span())
    for m in single_re.finditer(scan):
        if any(a <= m.start() < b for a, b in taken):
            continue
        number, space, letter = m.groups()
        if space and not _spaced_code_ok(scan, m.start(), m.end()):
            continue
        if int(number) == 0:
            continue
        add(int(number), letter, text[m.start() : m.end()])
    return sorted(found.values(), key=lambda x: text.find(x.evidence))


def _undamage_codes(text: str, letters: str) -> str:
    """``text`` with OCR's usual misreadings inside codes undone, character for character.

    ``7$`` → ``7S``; ``1OS`` → ``10S`` (a letter O between digits and a code letter); ``l1F``/``I0S``
    → ``11F``/``10S`` (l, I or | before a digit that ends in a code letter).
    """
    chars = list(text)
    if "S" in letters:
        for m in re.finditer(r"(?<=\d)\$", text):
            chars[m.start()] = "S"
    for m in re.finditer(rf"(?<=\d)[Oo](?=\d?[{letters}](?![^\W\d_]))", text):
        chars[m.start()] = "0"
    for m in re.finditer(rf"(?<![\w/-])[lI|](?=[\dOo][{letters}$](?![^\W\d_]))", text):
        chars[m.start()] = "1"
    return "".join(chars)


def _spaced_code_ok(text: str, start: int, end: int) -> bool:
    """``11 S`` is a code only where the context says so; ``2 S`` in OCR debris is not.

    Accepted when written after a cue word (``tiltak 7 S``) or another code in a list (``16 S og 17 S``),
    inside parentheses, or followed by punctuation, a line end or ``og``/``eller``/``til``.
    """
    before, after = text[:start], text[end:]
    if CUE_RE.search(before) or LIST_BEFORE_RE.search(before):
        return True
    if NOT_A_CODE_RE.search(before):
        return False
    previous = before.split()[-1] if before.split() else ""
    if len(previous) == 1 and previous.isalpha() and previous.lower() not in "iå":
        return False  # a stray letter before it: debris such as "o 2 S"
    if before.rstrip().endswith("(") or re.match(r"\s*[),.;:]", after) or not after.strip():
        return True
    return bool(re.match(r"\s*(?:og|eller|til)\b", after))


def find_mentions(comments: Iterable, catalogue_codes: set[str]) -> list[Mention]:
    """Explicit mentions in every comment (objects with ``comment_id`` and ``text``)."""
    letters = code_letters(catalogue_codes)
    return [m for c in comments for m in find_explicit(c.comment_id, c.text, catalogue_codes, letters)]
