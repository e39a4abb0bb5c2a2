"""Split a cleaned response into comments: paragraphs and list items, each with its section heading.

Input is the text from :func:`pipeline.ocr.clean_text`: one block per paragraph or list item,
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

from pipeline.layout import is_closing

BULLET_PREFIX_RE = re.compile(r"^•\s+")
NUMBER_PREFIX_RE = re.compile(r"^\d{1,2}[.)]\s+")
GREETING_RE = re.compile(r"^(?:hei|hallo|til\s+\S.*|kjære\s+\S.*)[,!]?$", re.IGNORECASE)
TITLE_WORDS_RE = re.compile(r"høring|uttalelse|innspill|svar\b", re.IGNORECASE)
SENDER_IN_TITLE_RES = (
    re.compile(r"(?:høringssvar|høringsuttalelse|høringsinnspill|uttalelse|innspill)\s+fra\s+(.+?)(?:\s+(?:til|om|på|vedrørende)\s|\s+[—–-]\s|[:,.]|$)", re.IGNORECASE),
    re.compile(r"^(.+?)\s+(?:sitt\s+|sine\s+)?(?:høringssvar|høringsuttalelse|høringsinnspill)\b", re.IGNORECASE),
)
ORGANISATION_RE = re.compile(
    r"(?i:\w*(?:forbund|forbundet|forening|foreningen|organisasjon|organisasjonen|misjon|misjonen|råd|rådet|"
    r"senter|senteret|sentret|stiftelse|stiftelsen|etat|etaten|kommune|kommunen|direktorat|direktoratet|"
    r"tilsyn|tilsynet|sykehus|sykehuset|universitet|universitetet|klinikk|klinikken|parti|partiet|lag|laget|"
    r"nettverk|nettverket|kors|institutt|instituttet|akademi|akademiet|hjelp|tjeneste|tjenesten)\b)"
    r"|\bBydel\b|\b(?:AS|ASA|SA|HF|IKS)\b|\b[A-ZÆØÅ]{2,}\b"
)
HEADING_MAX_WORDS = 12
GREETING_MAX_WORDS = 8
MIN_COMMENT_LETTERS = 15
MIN_COMMENT_WORDS = 3


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
    stance: str = ""  # set by pipeline.stance
    stance_confidence: float = 0.0


@dataclass(frozen=True)
class _Block:
    text: str
    start: int


def segment_response(response_id: str, text: str, *, fallback_sender: str = "") -> tuple[str, list[Comment]]:
    """Sender and comments of one cleaned response.

    Args:
        response_id: id of the response; comment ids are ``<response_id>-<position>``.
        text: cleaned text, blocks separated by blank lines.
        fallback_sender: used when neither signature nor title names the sender.
    """
    blocks = _blocks(text)
    number = {block.start: i + 1 for i, block in enumerate(blocks)}
    body, signature = _split_signature(blocks)
    title = body[0].text if body and _is_title(body[0].text, len(body)) else ""
    if title:
        body = body[1:]
    sender = _sender_from_signature(signature) or _sender_from_title(title, text) or fallback_sender

    comments: list[Comment] = []
    section = lead_in = ""
    for i, block in enumerate(body):
        following = body[i + 1].text if i + 1 < len(body) else ""
        if _is_heading(block.text, following):
            section, lead_in = block.text.rstrip(":").strip(), ""
            continue
        if _is_greeting(block.text) or not _has_content(block.text):
            continue
        kind, offset = _kind(block.text)
        body_text = block.text[offset:]
        if kind == "paragraph":
            lead_in = _last_sentence(body_text)  # the lead-in of a list that may follow
        position = len(comments) + 1
        comments.append(
            Comment(
                comment_id=f"{response_id}-{position:03d}",
                response_id=response_id,
                sender=sender,
                section=section,
                text=body_text,
                kind=kind,
                position=position,
                char_start=block.start + offset,
                char_end=block.start + len(block.text),
                lead_in=lead_in if kind != "paragraph" else "",
                paragraph=number[block.start],
            )
        )
    return sender, comments


def _last_sentence(text: str) -> str:
    """The paragraph's last sentence: what introduces a list that follows it."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"(])", text.strip())
    return sentences[-1] if sentences else ""


def _blocks(text: str) -> list[_Block]:
    blocks = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text):
        stripped = m.group().strip()
        if stripped:
            blocks.append(_Block(stripped, m.start() + m.group().index(stripped)))
    return blocks


def _split_signature(blocks: list[_Block]) -> tuple[list[_Block], list[_Block]]:
    """Body before the closing greeting (``Vennlig hilsen``), and the signature after it."""
    for i in range(len(blocks) - 1, -1, -1):
        first_line = blocks[i].text.split("\n")[0]
        if is_closing(first_line):
            rest = blocks[i].text.split("\n")[1:]
            signature = [_Block(line, 0) for line in rest if line.strip()] + blocks[i + 1:]
            return blocks[:i], signature
    return blocks, []


def _is_title(text: str, n_blocks: int) -> bool:
    words = text.split()
    return n_blocks > 1 and len(words) <= 25 and (bool(TITLE_WORDS_RE.search(text)) or len(words) <= 12)


def _is_heading(text: str, following: str) -> bool:
    """A short single line that is not a sentence, followed by more text."""
    if not following or "\n" in text or BULLET_PREFIX_RE.match(text) or NUMBER_PREFIX_RE.match(text):
        return False
    words = text.split()
    if not words or len(words) > HEADING_MAX_WORDS or text[-1] in ".,;":
        return False
    if not re.search(r"[^\W\d_]{3,}", text):
        return False  # debris such as "A A" is no heading
    return text[0].isupper() or text[0].isdigit()


def _is_greeting(text: str) -> bool:
    """A salutation or an address line ("Hei,", "Til Byrådsavdeling for sosiale tjenester"), not a sentence."""
    return len(text.split()) <= GREETING_MAX_WORDS and not re.search(r"[.!?]\s", text) and bool(GREETING_RE.match(text))


def _has_content(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) > 1]
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


def _sender_from_signature(signature: list[_Block]) -> str:
    lines = [line.strip() for block in signature for line in block.text.split("\n") if line.strip()]
    lines = [line for line in lines if len(line.split()) <= 8 and not re.search(r"@|\d{4,}|https?:", line)]
    for line in lines:
        if ORGANISATION_RE.search(line):
            return line.rstrip(".,")
    return lines[0].rstrip(".,") if lines else ""


def _sender_from_title(title: str, text: str) -> str:
    for pattern in SENDER_IN_TITLE_RES:
        m = pattern.search(title)
        if m:
            name = m.group(1).strip(" —–-:,.")
            if name.endswith("s") and re.search(rf"\b{re.escape(name[:-1])}\b(?!s)", text):
                name = name[:-1]  # genitive: "FO Oslos høringssvar" is from "FO Oslo"
            if 0 < len(name.split()) <= 8:
                return name
    return ""


def fallback_sender(source_file: str) -> str:
    """A readable sender from a file name, for responses that name none: ``fo_oslo-svar.txt`` → ``fo oslo svar``."""
    stem = source_file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[_\-\s]+", " ", stem).strip()


def segment_all(responses: Iterable, cleaned: Mapping[str, str]) -> tuple[dict[str, str], list[Comment]]:
    """Sender and comments of every response that has a cleaned text.

    Args:
        responses: objects with ``response_id``, ``source_file`` and maybe ``sender_hint`` (ingest's
            ``Response``; an e-mail's From name is used when the text names no sender).
        cleaned: cleaned text per response id.
    """
    senders: dict[str, str] = {}
    comments: list[Comment] = []
    for r in responses:
        if r.response_id in cleaned:
            senders[r.response_id], found = segment_response(
                r.response_id,
                cleaned[r.response_id],
                fallback_sender=getattr(r, "sender_hint", "") or fallback_sender(r.source_file),
            )
            comments.extend(found)
    return senders, comments
