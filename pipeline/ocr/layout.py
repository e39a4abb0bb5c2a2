"""Undo layout damage: page furniture, line-end hyphenation and hard-wrapped lines.

Text from PDFs and OCR keeps the page's line breaks, running headers, page numbers and words split
at the end of a line. :func:`reflow` turns it into paragraphs and list items, one per block,
separated by a blank line. Bullet items start with ``• ``, numbered items keep their number.

Example:
    >>> reflow("Vi mener at forebyg-\\ngende tiltak er viktige.\\n\\n• Bolig\\n• Arbeid")
    'Vi mener at forebyggende tiltak er viktige.\\n\\n• Bolig\\n\\n• Arbeid'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.text import lexicon

BULLET_RE = re.compile(r"^\s*[•●▪◦■□➢►·*–-]\s+")
NUMBERED_RE = re.compile(r"^\s*\d{1,2}[.)]\s+(?=\S)")
PAGE_NUMBER_RE = re.compile(r"^\s*(?:side\s+)?\d{1,3}(?:\s*(?:/|av)\s*\d{1,3})?\s*$", re.IGNORECASE)
# a running header or footer: a page number set off by a separator glyph ("4 » Rapport ¢ Del 2")
NUMBERED_HEADER_RE = re.compile(r"^\s*\d{1,3}\s*[»|·•¢–—]\s+\S.*$|^.*\S\s+[»|·•¢–—]\s*\d{1,3}\s*$")
HYPHEN_END_RE = re.compile(r"(\w+)-$")
QUOTE_MARKS = "”“’'"
QUOTES = "”“’'\"«»‘„"  # every glyph that opens or closes a quote
GENITIVE_RE = re.compile(r"^(?:[A-ZÆØÅ][\w-]*[sxzSXZ])$")  # a name or acronym whose genitive is an apostrophe
# word (or closing parenthesis) + footnote marker, then lower-case text or the end of the line
FOOTNOTE_RE = re.compile(
    r"(\(?\w[\w-]*\)?[.,]?)"  # a word, a number or a parenthesis, maybe with its full stop or comma
    r"([¹²³⁴⁵⁶⁷⁸⁹⁰]+|[*®°”“’']{1,2}|(?<=\))(?:\?|\d{1,2}))"  # the marker
    r"(?=\s+[a-zæøå]|\s*$)"  # the sentence goes on in lower case, or the line ends
)
KEEP_SPACE_AFTER_HYPHEN = {"og", "eller", "til", "samt", "enn"}  # "bruker- og pårørendeorganisasjoner"
CLOSING_RE = re.compile(
    r"^(?:med\s+)?(?:vennlig|venleg|beste|hjertelig)?\s*(?:hilsen|helsing|hilsner)\b|^mvh\b"
    r"|^(?:with\s+)?(?:kind|best|warm)\s+regards\b|^(?:yours\s+)?(?:sincerely|faithfully)\b",  # English
    re.IGNORECASE,
)
SENTENCE_END = ".!?:"
HEADING_MAX_WORDS = 10
HEADING_MAX_CHARS = 60
FURNITURE_MIN_REPEATS = 3
FURNITURE_MAX_LEN = 100
MIN_PAGE_NUMBERS = 2  # page-number lines that show a text was laid out in pages
WRAP_MIN_LINES, WRAP_MIN_SHARE = 5, 0.5  # hard-wrapped: half of the long lines go on on the next line
WRAP_LONG_LINE = 40


@dataclass(frozen=True)
class LayoutChange:
    """One layout repair, for the audit log (line numbers are 1-based, in the input text)."""

    line: int
    original: str
    corrected: str
    rule: str


def reflow(text: str) -> str:
    """Paragraphs and list items from hard-wrapped text (see :func:`reflow_with_log`)."""
    return reflow_with_log(text)[0]


def reflow_with_log(text: str) -> tuple[str, list[LayoutChange]]:
    """Remove page furniture, join wrapped lines and hyphenated words; log each change."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n").split("\n")
    changes: list[LayoutChange] = []
    furniture = _furniture_lines(lines, paged="\f" in text)
    for i in sorted(furniture):
        changes.append(LayoutChange(i + 1, lines[i].strip(), "", "page-furniture"))
    width = _line_width(lines)

    units: list[list[tuple[int, str]]] = []  # each unit: its (line index, text) pairs
    current: list[tuple[int, str]] = []
    blank_run = 0
    signature = False
    for i, raw in enumerate(lines):
        if i in furniture:
            continue
        line, marks = detach_footnotes(raw.strip())
        changes.extend(LayoutChange(i + 1, original, kept, "footnote") for original, kept in marks)
        if not line:
            blank_run += 1
            if current:
                units.append(current)
                current = []
            continue
        starts_item = bool(BULLET_RE.match(line) or NUMBERED_RE.match(line))
        closing = is_closing(line)
        following = next((n.strip() for n in lines[i + 1 :] if n.strip()), "")
        heading_next = current[-1][1][-1] in ".!?:" and _is_heading_line(line, following, width) if current else False
        if current and (
            starts_item
            or closing
            or signature
            or _is_intended_break(current[-1][1], line, width)
            or heading_next
            or len(current) == 1
            and _is_heading_line(current[0][1], line, width)
        ):
            units.append(current)
            current = []
        signature = signature or closing  # after the closing greeting every line stands alone
        if not current and units and blank_run and not signature and _continues(units[-1], line):
            current = units.pop()  # a paragraph split by a page break or a stray blank line
        current.append((i, line))
        blank_run = 0
    if current:
        units.append(current)

    blocks = []
    for unit in units:
        joined, unit_changes = _join_lines(unit)
        blocks.append(joined)
        changes.extend(unit_changes)
    return "\n\n".join(b for b in blocks if b), changes


def is_closing(line: str) -> bool:
    """A closing greeting line: ``Med vennlig hilsen``, ``Vennlig hilsen,``, ``Mvh``, ``Kind regards``."""
    return bool(CLOSING_RE.match(line.strip())) and len(line.split()) <= 5


def detach_footnotes(line: str) -> tuple[str, list[tuple[str, str]]]:
    """Remove footnote markers glued to words: ``arbeid”``, ``(2025)*``, ``(KPS)?``, ``(2019)8``, ``rus¹``.

    A marker is a superscript digit, or a glyph OCR reads for one (``* ® ° ” “ ’ '``, or ``?`` or one
    or two digits after a closing parenthesis) right after a word, followed by more of the sentence
    in lower case or by the end of the line. A quote mark that may close a quote is not a marker
    (``”Nåløyet” ved``: quotes opened with ``”`` too), nor is the apostrophe of a genitive after a
    name or acronym ending in s, x or z (``Blå Kors' arbeid``, ``KS’ rolle``).
    Returns the line and the (word with marker, word) pairs removed.
    """
    removed: list[tuple[str, str]] = []

    def strip(m: re.Match) -> str:
        word, mark = m.group(1), m.group(2)
        if mark in ("'", "’") and GENITIVE_RE.match(word):
            return m.group()  # a genitive apostrophe
        if any(c in QUOTE_MARKS for c in mark) and (
            _opens_quote(line[: m.start()], mark) or not line[m.end() :].strip()
        ):
            return m.group()  # closes a quote (maybe one opened on an earlier line)
        removed.append((word + mark, word))
        return word

    return FOOTNOTE_RE.sub(strip, line), removed


def _opens_quote(before: str, mark: str) -> bool:
    """True when ``before`` has an unclosed opening quote that ``mark`` may close.

    A quote glyph opens a quote where it stands before a word (at the start or after a space or
    bracket: ``”Nåløyet``, ``«dette``), and closes one after a word; which glyph it is does not matter.
    """
    opened = 0
    for i, c in enumerate(before):
        if c not in QUOTES:
            continue
        after_space = i == 0 or before[i - 1].isspace() or before[i - 1] in "([{–—/"
        before_word = i + 1 == len(before) or not before[i + 1].isspace()  # the word may be the marked one
        if c in "«„‘“" or (after_space and before_word and c != "»"):
            opened += 1
        elif opened and c not in "'’" or opened and c == mark:
            opened -= 1
    return opened > 0 or (mark == "’" and "‘" in before)


def _furniture_lines(lines: list[str], paged: bool = False) -> set[int]:
    """Running headers/footers (short lines repeated on many pages, page numbers aside) and page numbers.

    A line that recurs is a running header only where the text shows its pages: page breaks
    (``paged``), page numbers, the hard line breaks of a laid-out page, or a number in the line that
    counts up from one occurrence to the next. In a text without pages a recurring line is content
    (the heading of each statement in a list: «Høringsinnspill, 4.12.2023»).
    """
    keys = [re.sub(r"\d+", "#", line.strip().lower()) for line in lines]
    counts = Counter(k for k in keys if k)
    found = set()
    recurring: dict[str, list[int]] = {}
    for i, (line, key) in enumerate(zip(lines, keys)):
        stripped = line.strip()
        if not stripped:
            continue
        if (PAGE_NUMBER_RE.match(stripped) or NUMBERED_HEADER_RE.match(stripped)) and _between_blanks(lines, i):
            if len(stripped) <= FURNITURE_MAX_LEN:
                found.add(i)
        elif (
            counts[key] >= FURNITURE_MIN_REPEATS
            and len(stripped) <= FURNITURE_MAX_LEN
            and len(key.replace("#", "").split()) >= 2
            and not BULLET_RE.match(stripped)
            and _between_blanks(lines, i)
        ):
            recurring.setdefault(key, []).append(i)
    laid_out = paged or len(found) >= MIN_PAGE_NUMBERS or _hard_wrapped(lines)
    for indices in recurring.values():
        if laid_out or _counts_pages([lines[i] for i in indices]):
            found.update(indices)
    return found


def _hard_wrapped(lines: list[str]) -> bool:
    """True when the text keeps a page's line breaks: most long lines go on, mid-sentence, on the next."""
    long_lines = [i for i, line in enumerate(lines) if len(line.strip()) >= WRAP_LONG_LINE]
    wrapped = sum(
        i + 1 < len(lines) and bool(lines[i + 1].strip()) and lines[i].rstrip()[-1] not in SENTENCE_END
        for i in long_lines
    )
    return len(long_lines) >= WRAP_MIN_LINES and wrapped >= WRAP_MIN_SHARE * len(long_lines)


def _counts_pages(occurrences: list[str]) -> bool:
    """True when a number in the recurring line counts up from each occurrence to the next (a page number)."""
    numbers = [[int(n) for n in re.findall(r"\d+", line)] for line in occurrences]
    if not numbers or len({len(n) for n in numbers}) != 1:
        return False
    return any(all(0 < a[k] < b[k] <= 999 for a, b in zip(numbers, numbers[1:])) for k in range(len(numbers[0])))


def _between_blanks(lines: list[str], i: int) -> bool:
    """True when the line stands alone: page furniture is set off from the text around it."""
    before = i == 0 or not lines[i - 1].strip()
    after = i + 1 >= len(lines) or not lines[i + 1].strip()
    return before or after


def _line_width(lines: list[str]) -> int:
    """The text's wrap width: a high percentile of its line lengths."""
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) > 20)
    if not lengths:
        return 80
    return lengths[int(0.9 * (len(lengths) - 1))]


def _is_intended_break(previous: str, line: str, width: int) -> bool:
    """A line that ends a sentence while the next line's first word would still have fitted."""
    if not previous or previous[-1] not in SENTENCE_END:
        return False
    if not line[:1].isupper() and not line[:1].isdigit():
        return False
    first_word = line.split()[0]
    if len(previous) + 1 + len(first_word) < width * 0.95:
        return True
    # a run of one-line items: this line is a whole sentence that does not fill the width
    return line[-1] in ".!?" and len(line) < width * 0.85 and len(previous) < width * 0.9


def _is_heading_line(line: str, following: str, width: int) -> bool:
    """A block's first line that is a heading on its own line: short, no sentence punctuation at its
    end, and the next line starts a new sentence («Avkriminalisering» / «Utvalget foreslår …»)."""
    if not following[:1].isupper() or line[-1] in SENTENCE_END + ",;-" or BULLET_RE.match(line):
        return False
    short = len(line) <= HEADING_MAX_CHARS or len(line) < width * 0.6
    return len(line.split()) <= HEADING_MAX_WORDS and short and (line[:1].isupper() or line[:1].isdigit())


def _continues(unit: list[tuple[int, str]], line: str) -> bool:
    """The next block continues this one: it ends mid-sentence and the next starts in lower case."""
    last = unit[-1][1]
    if last[-1] in SENTENCE_END or len(unit) == 1 and not _looks_like_prose(unit[0][1]):
        return False
    return line[:1].islower() or line[:1] == "(" or (last.endswith("-") and line[:1].isdigit())


def _looks_like_prose(line: str) -> bool:
    return len(line.split()) >= 6 or bool(BULLET_RE.match(line) or NUMBERED_RE.match(line))


def _join_lines(unit: list[tuple[int, str]]) -> tuple[str, list[LayoutChange]]:
    text, joins = join_wrapped([line for _, line in unit])
    changes = [LayoutChange(unit[k + 1][0] + 1, original, corrected, "dehyphenate") for k, original, corrected in joins]
    if BULLET_RE.match(text):
        text = BULLET_RE.sub("• ", text, count=1)
    return text, changes


def join_wrapped(lines: list[str]) -> tuple[str, list[tuple[int, str, str]]]:
    """Join hard-wrapped lines into one string, undoing line-end hyphenation where it split a word.

    Returns the text and the words re-joined, as (index of the first line, ``head-|tail``, word).
    """
    joins: list[tuple[int, str, str]] = []
    text = lines[0].strip() if lines else ""
    for k, raw in enumerate(lines[1:]):
        line = raw.strip()
        if not line:
            continue
        hyphen = HYPHEN_END_RE.search(text)
        if not hyphen:
            text = f"{text} {line}"
            continue
        head = hyphen.group(1)
        tail_match = re.match(r"\w+", line)
        tail = tail_match.group() if tail_match else ""
        glue = _hyphen_glue(head, tail, line)
        if glue == "":
            joins.append((k, f"{head}-|{tail}", head + tail))
            text = text[:-1] + line
        else:
            text = text + ("" if glue == "-" else " ") + line
    return text, joins


def _hyphen_glue(head: str, tail: str, line: str) -> str:
    """How a line ending in ``head-`` joins a line starting with ``tail``.

    Returns ``""`` to drop the hyphen (a word split by the line break), ``"-"`` to keep it without a
    space (``2026-2029``, ``e-læring``, ``Oslo-Akershus``), ``" "`` to keep ``head- tail``
    (``bruker- og pårørende``).
    """
    if not tail:
        return "-" if line[:1] in ",.;:)" else " "  # "alkohol-, benzodiazepin- og ..."
    if tail.lower() in KEEP_SPACE_AFTER_HYPHEN:
        return " "
    if head[-1:].isdigit() or tail[:1].isdigit() or tail[:1].isupper():
        return "-"
    if len(head) == 1 or head.isupper():
        return "-"
    joined = head + tail
    if lexicon.is_word(joined) or lexicon.zipf(joined) > 0:
        return ""
    if lexicon.zipf(f"{head}-{tail}") > 0:
        return "-"
    return ""
