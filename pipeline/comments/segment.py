"""Split a cleaned response into comments: paragraphs and list items, each with its section heading.

Input is the text from :func:`pipeline.ocr.repair.clean_text`: one block per paragraph or list item,
separated by a blank line. The title, headings, greetings, the closing and the signature are not
comments; the sender is read from the signature or the title. What each block is comes from
:mod:`pipeline.comments.blocks`, who sent the response from :mod:`pipeline.comments.senders`.

Example:
    >>> sender, comments = segment_response("r1", "Høringssvar fra Bydel Alna\\n\\nVi støtter planen.")
    >>> sender, [c.text for c in comments]
    ('Bydel Alna', ['Vi støtter planen.'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from pipeline.comments.blocks import (
    BULLET_PREFIX_RE,
    NUMBER_PREFIX_RE,
    TITLE_SEARCH_BLOCKS,
    Block,
    classify_blocks,
    item_kind,
    split_blocks,
    split_signature,
)
from pipeline.comments.senders import Sender, find_sender
from pipeline.text.sentences import sentences

__all__ = [
    "BULLET_PREFIX_RE",
    "NUMBER_PREFIX_RE",
    "REASONS",
    "Comment",
    "LeftOut",
    "Segmented",
    "fallback_sender",
    "segment_all",
    "segment_document",
    "segment_response",
]

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
    blocks = split_blocks(text)
    number = {block.start: i + 1 for i, block in enumerate(blocks)}
    body, signature, closing = split_signature(blocks)
    kinds = classify_blocks(body)
    sender = _sender(body, kinds, signature, closing, fallback=fallback_sender, hint=sender_hint)
    comments = _comments(response_id, body, kinds, number, sender)
    left_out = _left_out(response_id, body, kinds, signature, closing, number)
    return Segmented(sender, comments, left_out)


def _sender(
    body: Sequence[Block],
    kinds: Sequence[str],
    signature: Sequence[Block],
    closing: Block | None,
    *,
    fallback: str,
    hint: str,
) -> Sender:
    """The sender, from the title lines, bylines, letterheads, content and signature of the response."""
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
    return find_sender(
        titles, content, signature_lines, bylines=bylines, letterheads=letterheads, hint=hint, fallback=fallback
    )


def _comments(
    response_id: str, body: Sequence[Block], kinds: Sequence[str], number: Mapping[int, int], sender: Sender
) -> list[Comment]:
    """The content blocks as comments, each with the heading above it as its section and, for a list
    item, the last sentence of the paragraph before its list as its lead-in."""
    comments: list[Comment] = []
    section = lead_in = ""
    for block, kind in zip(body, kinds):
        if kind == "heading":
            section, lead_in = block.text.rstrip(":").strip(), ""
            continue
        if kind != "content":
            continue
        item, offset = item_kind(block.text)
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
    return comments


def _left_out(
    response_id: str,
    body: Sequence[Block],
    kinds: Sequence[str],
    signature: Sequence[Block],
    closing: Block | None,
    number: Mapping[int, int],
) -> list[LeftOut]:
    """Every block that is not a comment (headings, titles, furniture, the closing and the signature), in
    the order of the text."""
    left_out = [
        LeftOut(response_id, number[b.start], b.text, kind, REASONS.get(kind, kind))
        for b, kind in zip(body, kinds)
        if kind != "content"
    ]
    left_out += [
        LeftOut(response_id, number[b.start], b.text, k, REASONS[k])
        for b, k in [*([(closing, "closing")] if closing else []), *((b, "signature") for b in signature)]
    ]
    return sorted(left_out, key=lambda x: x.paragraph)


def _last_sentence(text: str) -> str:
    """The paragraph's last sentence: what introduces a list that follows it."""
    found = sentences(text)
    return found[-1] if found else ""


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
