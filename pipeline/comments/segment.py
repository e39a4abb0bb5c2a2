"""Split a cleaned response into comments: paragraphs and list items, each with its section heading.

Input is the text from :func:`pipeline.ocr.repair.clean_text`: one block per paragraph or list item,
separated by a blank line. The title, headings, greetings, the closing and the signature are not
comments; the sender is read from the signature or the title.

Example:
    >>> sender, comments = segment_response("r1", "Høringssvar fra Bydel Alna\\n\\nVi støtter planen.")
    >>> sender, [c.text for c in comments]
    ('Bydel Alna', ['Vi støtter planen.'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipeline.comments.senders import Sender, find_sender, is_person_name
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
REASONS = {  # what the workbook says about a block that is not a comment
    "title": "tittel",
    "heading": "overskrift (brukt som seksjon)",
    "greeting": "hilsen",
    "closing": "avslutning",
    "signature": "signatur",
    "repeated": "gjentatt sitat (står også i teksten)",
    "too-short": "for kort til å være en kommentar",
    "debris": "tegn uten tekst",
    "date": "dato",
    "published": "publiseringsdato",
    "reference": "referanse eller adressat",
    "credit": "fotokreditt",
    "caption": "bildetekst",
    "navigation": "navigasjon eller nettside-tekst",
    "link": "lenke eller vedlegg",
    "contact": "kontaktinformasjon",
    "referral": "viser bare til høringsbrevet",
    "byline": "forfatter (byline)",
    "letterhead": "brevhode",
}


@dataclass(frozen=True)
class Comment:
    """One comment: a paragraph or list item of a response."""

    comment_id: str
    response_id: str
    sender: str
    section: str
    text: str
    kind: str  # paragraph, bullet, numbered
    position: int
    char_start: int
    char_end: int
    lead_in: str = ""  # for a list item: the sentence that introduces its list
    paragraph: int = 0  # the block (paragraph or list item) of the cleaned text it is, from 1
    stance: str = ""  # set by pipeline.comments.stance
    stance_confidence: float = 0.0
    sender_kind: str = ""  # organisation, person or unknown (pipeline.comments.senders)


@dataclass(frozen=True)
class _Block:
    text: str
    start: int


@dataclass(frozen=True)
class LeftOut:
    """A block of a response that is not a comment, and why: every block is a comment or one of these."""

    response_id: str
    paragraph: int  # the block of the cleaned text, from 1
    text: str
    kind: str  # title, heading, greeting, closing, signature, repeated, too-short, or a furniture kind
    reason: str  # the same in Norwegian, for the workbook


@dataclass(frozen=True)
class Segmented:
    """One response split up: who sent it, its comments, and the blocks left out."""

    sender: Sender
    comments: list[Comment]
    left_out: list[LeftOut]


def segment_response(response_id: str, text: str, *, fallback_sender: str = "") -> tuple[str, list[Comment]]:
    """Sender name and comments of one cleaned response (see :func:`segment_document`)."""
    found = segment_document(response_id, text, fallback_sender=fallback_sender)
    return found.sender.name, found.comments


def segment_document(response_id: str, text: str, *, fallback_sender: str = "", sender_hint: str = "") -> Segmented:
    """Sender, comments and left-out blocks of one cleaned response.

    Args:
        response_id: id of the response; comment ids are ``<response_id>-<position>``.
        text: cleaned text, blocks separated by blank lines.
        fallback_sender: used when nothing in the text names the sender (a name from the file).
        sender_hint: the e-mail's ``From`` name, if the response came by e-mail.
    """
    blocks = _blocks(text)
    number = {block.start: i + 1 for i, block in enumerate(blocks)}
    body, signature, closing = _split_signature(blocks)
    kinds = _classify(body)
    left_out = [
        LeftOut(response_id, number[b.start], b.text, kind, REASONS.get(kind, kind))
        for b, kind in zip(body, kinds)
        if kind not in ("content", "heading")
    ]
    left_out += [
        LeftOut(response_id, number[b.start], b.text, k, REASONS[k])
        for b, k in [*([(closing, "closing")] if closing else []), *((b, "signature") for b in signature)]
    ]
    titles = [
        b.text
        for i, (b, kind) in enumerate(zip(body, kinds))
        if kind == "title" or kind == "heading" and i < TITLE_SEARCH_BLOCKS
    ]
    bylines = [b.text for b, kind in zip(body, kinds) if kind == "byline"]
    letterheads = [b.text for b, kind in zip(body, kinds) if kind == "letterhead"]
    # «X viser til høringsbrevet …» is left out as a referral, but it is where X names itself
    content = [b.text for b, kind in zip(body, kinds) if kind in ("content", "referral")]
    signature_lines = [line for b in signature for line in b.text.split("\n")]
    if closing:
        signature_lines = closing.text.split("\n")[1:] + signature_lines
    sender = find_sender(
        titles,
        content,
        signature_lines,
        bylines=bylines,
        letterheads=letterheads,
        hint=sender_hint,
        fallback=fallback_sender,
    )

    comments: list[Comment] = []
    section = lead_in = ""
    for block, kind in zip(body, kinds):
        if kind == "heading":
            section, lead_in = block.text.rstrip(":").strip(), ""
            left_out.append(LeftOut(response_id, number[block.start], block.text, "heading", REASONS["heading"]))
            continue
        if kind != "content":
            continue
        item, offset = _kind(block.text)
        body_text = block.text[offset:]
        if item == "paragraph":
            lead_in = _last_sentence(body_text)  # the lead-in of a list that may follow
        position = len(comments) + 1
        comments.append(
            Comment(
                comment_id=f"{response_id}-{position:03d}",
                response_id=response_id,
                sender=sender.name,
                section=section,
                text=body_text,
                kind=item,
                position=position,
                char_start=block.start + offset,
                char_end=block.start + len(block.text),
                lead_in=lead_in if item != "paragraph" else "",
                paragraph=number[block.start],
                sender_kind=sender.kind,
            )
        )
    left_out.sort(key=lambda x: x.paragraph)
    return Segmented(sender, comments, left_out)


def _classify(body: list[_Block]) -> list[str]:
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
        elif t.endswith(":") and following and _kind(following)[0] != "paragraph":
            kinds[i] = "content"  # the lead-in of a list
        elif _is_heading(t, following):
            kinds[i] = "heading"
        elif _has_content(t):
            kinds[i] = "content"
        else:
            kinds[i] = "too-short"
    return kinds


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


def _last_sentence(text: str) -> str:
    """The paragraph's last sentence: what introduces a list that follows it."""
    found = sentences(text)
    return found[-1] if found else ""


def _blocks(text: str) -> list[_Block]:
    blocks = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        stripped = m.group().strip()
        if stripped:
            blocks.append(_Block(stripped, m.start() + m.group().index(stripped)))
    return blocks


def _split_signature(blocks: list[_Block]) -> tuple[list[_Block], list[_Block], _Block | None]:
    """Body before the closing greeting (``Vennlig hilsen``), the signature blocks after it, and the
    closing's block (whose further lines are the first lines of the signature)."""
    for i in range(len(blocks) - 1, -1, -1):
        if is_closing(blocks[i].text.split("\n")[0]):
            return blocks[:i], blocks[i + 1 :], blocks[i]
    return blocks, [], None


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
    if _kind(following)[0] != "paragraph" and (text.endswith(":") or len(words) >= LEAD_IN_MIN_WORDS):
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
    if _kind(text)[0] != "paragraph":
        return len(words) >= MIN_ITEM_WORDS
    return len(words) >= MIN_COMMENT_WORDS and sum(len(w) for w in words) >= MIN_COMMENT_LETTERS


def _kind(text: str) -> tuple[str, int]:
    """Kind of block and where its text starts (after a bullet or number)."""
    m = BULLET_PREFIX_RE.match(text)
    if m:
        return "bullet", m.end()
    m = NUMBER_PREFIX_RE.match(text)
    if m:
        return "numbered", m.end()
    return "paragraph", 0


def fallback_sender(source_file: str) -> str:
    """A readable sender from a file name, for responses that name none: ``fo_oslo-svar.txt`` → ``fo oslo svar``."""
    stem = source_file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[_\-\s]+", " ", stem).strip()


def segment_all(
    responses: Iterable, cleaned: Mapping[str, str]
) -> tuple[dict[str, Sender], list[Comment], list[LeftOut]]:
    """Sender, comments and left-out blocks of every response that has a cleaned text.

    Args:
        responses: objects with ``response_id``, ``source_file`` and maybe ``sender_hint`` (ingest's
            ``Response``: an e-mail's From name).
        cleaned: cleaned text per response id.
    """
    senders: dict[str, Sender] = {}
    comments: list[Comment] = []
    left_out: list[LeftOut] = []
    for r in responses:
        if r.response_id in cleaned:
            found = segment_document(
                r.response_id,
                cleaned[r.response_id],
                fallback_sender=fallback_sender(r.source_file),
                sender_hint=getattr(r, "sender_hint", "") or "",
            )
            senders[r.response_id] = found.sender
            comments.extend(found.comments)
            left_out.extend(found.left_out)
    return senders, comments, left_out
