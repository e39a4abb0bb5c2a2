"""What each block of a cleaned response is: a title, heading, greeting, byline, furniture or content.

A response is split into blocks (paragraphs and list items); the closing greeting and the signature
after it are split off, and every block of the body before them gets a kind. Only ``content`` blocks
become comments; ``heading`` blocks name the section of those that follow; every other kind is a
block left out (see :data:`pipeline.comments.segment.REASONS`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.comments.names import is_person_name
from pipeline.nb.furniture import (
    ATTACHMENT_RE,
    DOCUMENT_TITLE_RE,
    DOCUMENT_TYPE_RE,
    FURNITURE_RES,
    LETTER_REFERRAL_RE,
    LETTERHEAD_MARKERS_RE,
    LETTERHEAD_MIN_MARKERS,
    POINTER_MAX_WORDS,
    POINTER_PLACE_RE,
    POINTER_VERB_RE,
    SECTION_LABEL_MAX_WORDS,
    SOURCE_LINE_RE,
)
from pipeline.nb.organisations import ROLE_WORDS
from pipeline.ocr.layout import is_closing
from pipeline.text.sentences import sentences

BULLET_PREFIX_RE = re.compile(r"^•\s+")
NUMBER_PREFIX_RE = re.compile(r"^\d{1,2}[.)]\s+")
GREETING_RE = re.compile(r"^(?:hei|hallo|til\s+\S.*|kjære\s+\S.*)[,!]?$", re.IGNORECASE)
TITLE_WORDS_RE = re.compile(r"høring|uttalelse|innspill|svar\b", re.IGNORECASE)
FIRST_PERSON_RE = re.compile(r"\b(?:vi|jeg|oss|meg)\b", re.IGNORECASE)  # a title does not speak
HEADING_MAX_WORDS = 12
GREETING_MAX_WORDS = 8
MIN_COMMENT_LETTERS = 15
MIN_COMMENT_WORDS = 3
MIN_ITEM_WORDS = 1  # a list item of one word («Bolig») is still a comment
LEAD_IN_MIN_WORDS = 4  # a short line before a list is its lead-in (a comment), not a heading, from this many words
TITLE_SEARCH_BLOCKS = 5
TITLE_MAX_WORDS = 25
BYLINE_SEARCH_BLOCKS = 6
BYLINE_MAX_WORDS = 16
CAPTION_MAX_WORDS = 25
PULL_QUOTE_MAX_WORDS = 40
LETTERHEAD_HEAD_CHARS = 300
LEADING_NAME_RE = re.compile(r"^(?:[A-ZÆØÅ][a-zæøåéü-]+\s+){1,3}[A-ZÆØÅ][a-zæøåéü-]+(?=[\s,])")


@dataclass(frozen=True)
class Block:
    """A paragraph or list item of the cleaned text and where it starts in it."""

    text: str
    start: int


def split_blocks(text: str) -> list[Block]:
    """The text's blocks: runs of non-blank lines, stripped, with where each starts."""
    blocks = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        stripped = m.group().strip()
        if stripped:
            blocks.append(Block(stripped, m.start() + m.group().index(stripped)))
    return blocks


def split_signature(blocks: list[Block]) -> tuple[list[Block], list[Block], Block | None]:
    """Body before the closing greeting (``Vennlig hilsen``), the signature blocks after it, and the
    closing's block (whose further lines are the first lines of the signature)."""
    for i in range(len(blocks) - 1, -1, -1):
        if is_closing(blocks[i].text.split("\n")[0]):
            return blocks[:i], blocks[i + 1 :], blocks[i]
    return blocks, [], None


def classify_blocks(body: list[Block]) -> list[str]:
    """What each block of the body is: ``content``, ``heading``, ``title``, a furniture kind, …"""
    texts = [b.text for b in body]
    kinds = [_furniture_kind(t) for t in texts]
    n = len(texts)
    # the title: the first block that is not furniture, if it reads as one; document-type words alone too
    first = next((i for i, k in enumerate(kinds) if not k), None)
    for _ in range(2):  # «Politikk», «Byavisa Øst» above a newspaper headline
        if first is not None and first + 1 < n and _is_section_label(texts[first], texts[first + 1]):
            kinds[first] = "navigation"
            first = next((i for i, k in enumerate(kinds) if not k), None)
    if first is not None and first < TITLE_SEARCH_BLOCKS and _is_title(texts[first], n - first):
        kinds[first] = "title"
    for i, t in enumerate(texts[:TITLE_SEARCH_BLOCKS]):
        if not kinds[i] and (DOCUMENT_TYPE_RE.match(t) or _is_document_title(t)):
            kinds[i] = "title"
    for i, t in enumerate(texts):
        if kinds[i]:
            continue
        following = texts[i + 1] if i + 1 < n else ""
        if i + 1 < n and kinds[i + 1] == "credit" and _is_caption(t):
            kinds[i] = "caption"
        elif _is_byline(t, i, kinds):
            kinds[i] = "byline"
        elif _is_greeting(t):
            kinds[i] = "greeting"
        elif not re.search(r"[^\W\d_]", t):
            kinds[i] = "debris"
        elif _is_repeated(t, [texts[j] for j in range(n) if j != i]):
            kinds[i] = "repeated"
        elif t.endswith(":") and following and item_kind(following)[0] != "paragraph":
            kinds[i] = "content"  # the lead-in of a list
        elif _is_heading(t, following):
            kinds[i] = "heading"
        elif _has_content(t):
            kinds[i] = "content"
        else:
            kinds[i] = "too-short"
    return kinds


def item_kind(text: str) -> tuple[str, int]:
    """A block as a list item: ``bullet``, ``numbered`` or ``paragraph``, and where its text starts (after
    a bullet or number)."""
    m = BULLET_PREFIX_RE.match(text)
    if m:
        return "bullet", m.end()
    m = NUMBER_PREFIX_RE.match(text)
    if m:
        return "numbered", m.end()
    return "paragraph", 0


def _furniture_kind(text: str) -> str:
    if "\n" not in text or len(text) < 300:
        for kind, pattern in FURNITURE_RES.items():
            if pattern.match(text.strip()):
                return kind
    notice = _notice_kind(text.strip())
    if notice:
        return notice
    head = text[:LETTERHEAD_HEAD_CHARS]
    if len(LETTERHEAD_MARKERS_RE.findall(head)) >= LETTERHEAD_MIN_MARKERS and _lower_share(head) < 0.6:
        return "letterhead"
    return ""


def _notice_kind(text: str) -> str:
    """A short notice to the reader that is not the sender's view: a pointer to text elsewhere
    (``navigation``), a note on attachments (``link``), a bare referral to the hearing letter
    (``referral``), a reprint's source line with its author (``byline``); else ``""``."""
    if "\n" in text or len(text.split()) > POINTER_MAX_WORDS:
        return ""
    if POINTER_VERB_RE.search(text) and POINTER_PLACE_RE.search(text):
        return "navigation"
    if ATTACHMENT_RE.match(text):
        return "link"
    if SOURCE_LINE_RE.match(text):
        return "byline"
    if LETTER_REFERRAL_RE.match(text) and len(sentences(text)) == 1:
        return "referral"
    return ""


def _is_document_title(text: str) -> bool:
    """«Høringssvar – …», «X' innspill til …» near the top, as one short sentence."""
    return (
        "\n" not in text
        and len(text.split()) <= TITLE_MAX_WORDS
        and bool(DOCUMENT_TITLE_RE.match(text))
        and len(sentences(text)) == 1
    )


def _lower_share(text: str) -> float:
    """Share of words that start in lower case: prose is mostly lower case, letterheads are not."""
    words = re.findall(r"[^\W\d_]+", text)
    return sum(w[0].islower() for w in words) / len(words) if words else 0.0


def _is_section_label(text: str, following: str) -> bool:
    words = text.split()
    return (
        len(words) <= SECTION_LABEL_MAX_WORDS
        and not re.search(r"[.:,;!?]", text)
        and len(following.split()) <= HEADING_MAX_WORDS * 2
        and not DOCUMENT_TYPE_RE.match(text)
        and not TITLE_WORDS_RE.search(text)
    )


def _is_caption(text: str) -> bool:
    return len(text.split()) <= CAPTION_MAX_WORDS and text[-1] not in ".!?:"


def _is_byline(text: str, i: int, kinds: list[str]) -> bool:
    """«Av NN», or a lone name (or a name and its role) near the top, or a role line under a name."""
    if FURNITURE_RES["byline"].match(text) and len(text.split()) <= BYLINE_MAX_WORDS:
        return True
    near_top = i < BYLINE_SEARCH_BLOCKS
    name = text.split(",")[0].strip()
    if near_top and is_person_name(name) and "\n" not in text and text[-1] not in ".!?:":
        return True
    lead = LEADING_NAME_RE.match(text)  # «Nils Petter Gran prof.emeritus, med.faglig rådgiver …»
    if (
        near_top
        and lead
        and is_person_name(lead.group().strip())
        and len(text.split()) <= BYLINE_MAX_WORDS * 2
        and _is_role_line(text[lead.end() :])
    ):
        return True
    words = text.rstrip(".").split()  # a photo's caption: «Forbundsleder Kari Nordmann.», «Daglig leder NN»
    roles = next((k for k, w in enumerate(words) if w.lower() not in ROLE_WORDS), len(words))
    if roles and "\n" not in text and is_person_name(" ".join(words[roles:])):
        return True
    previous = kinds[i - 1] if i else ""
    return (
        previous == "byline"
        and len(text.split()) <= BYLINE_MAX_WORDS
        and text[-1] not in ".!?:"
        and _is_role_line(text)
    )


def _is_role_line(text: str) -> bool:
    words = {w.strip(",.()").lower() for w in text.split()}
    return bool(words & ROLE_WORDS) or bool(re.search(r"\([A-ZÆØÅa-zæøå]{1,5}\)$", text))  # «… (Ap)»


def _is_repeated(text: str, others: list[str]) -> bool:
    """A pull quote: a short block repeated inside another block."""
    needle = " ".join(text.split()).strip("«»\"“”'").lower()
    if len(needle.split()) < 4 or len(needle.split()) > PULL_QUOTE_MAX_WORDS:
        return False
    return any(needle in " ".join(o.split()).lower() and len(o) > len(text) for o in others)


def _is_title(text: str, n_blocks: int) -> bool:
    words = text.split()
    return (
        n_blocks > 1
        and len(words) <= TITLE_MAX_WORDS
        and not FIRST_PERSON_RE.search(text)
        and (bool(TITLE_WORDS_RE.search(text)) or len(words) <= 12)
    )


def _is_heading(text: str, following: str) -> bool:
    """A short single line that is not a sentence, followed by more text; not the lead-in of a list
    that follows it («Vi har disse merknadene:», «Kort fortalt mener vi følgende»)."""
    if not following or "\n" in text or BULLET_PREFIX_RE.match(text) or NUMBER_PREFIX_RE.match(text):
        return False
    words = text.split()
    if not words or len(words) > HEADING_MAX_WORDS or text[-1] in ".,;":
        return False
    if item_kind(following)[0] != "paragraph" and (text.endswith(":") or len(words) >= LEAD_IN_MIN_WORDS):
        return False
    if not re.search(r"[^\W\d_]{3,}", text):
        return False  # debris such as "A A" is no heading
    return text[0].isupper() or text[0].isdigit()


def _is_greeting(text: str) -> bool:
    """A salutation or an address line ("Hei,", "Til Byrådsavdeling for sosiale tjenester"), not a sentence."""
    return len(text.split()) <= GREETING_MAX_WORDS and not re.search(r"[.!?]\s", text) and bool(GREETING_RE.match(text))


def _has_content(text: str) -> bool:
    """Enough words to be a comment: a list item of one word is, a paragraph needs a few."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]
    if item_kind(text)[0] != "paragraph":
        return len(words) >= MIN_ITEM_WORDS
    return len(words) >= MIN_COMMENT_WORDS and sum(len(w) for w in words) >= MIN_COMMENT_LETTERS
