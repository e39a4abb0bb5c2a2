"""E-mails (.eml): the body (plain text, else HTML made text) and the text of every attachment,
read as a file of its own through :func:`pipeline.ingest.formats.extract`; the sender from ``From``.

An attachment that can't be read makes the whole e-mail an error naming it (the response is likely
in it). Images the HTML body shows inline (logos, signatures) are not attachments.
"""

from __future__ import annotations

import re
from email import errors as email_errors
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

from pipeline.ingest.budgets import check_size
from pipeline.ingest.extracted import Extracted, IngestError, reason
from pipeline.ingest.image import IMAGE_FORMATS
from pipeline.ingest.plaintext import decode, is_binary

EMPTY_EML = "E-posten har ingen lesbar tekst"
UNREAD_ATTACHMENT = "Vedlegg som ikke kunne leses:"
UNREAD_ATTACHMENT_HINT = "E-posten er ikke analysert (svaret står trolig i vedlegget); be om en lesbar fil"
MAX_EML_DEPTH = 3  # an e-mail in an e-mail in an e-mail; deeper is refused
_BASE64_DEFECTS = (
    email_errors.InvalidBase64PaddingDefect,
    email_errors.InvalidBase64CharactersDefect,
    email_errors.InvalidBase64LengthDefect,
)
MIME_FORMATS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "message/rfc822": "eml",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/tiff": "tif",
}


class _HtmlText(HTMLParser):
    """Text of an HTML body: blocks separated by a blank line, <br> a line break, <li> with '• '."""

    BLOCKS = {
        "p",
        "div",
        "li",
        "tr",
        "table",
        "ul",
        "ol",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dt",
        "dd",
        "hr",
    }
    SKIPPED = {"script", "style", "head", "title", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0
        self.bullet = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.current.append("\n")
        elif tag in ("td", "th"):
            self.current.append(" ")
        elif tag in self.BLOCKS:
            self.flush()
            self.bullet = self.bullet or tag == "li"

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(re.sub(r"\s+", " ", data))

    def flush(self) -> None:
        lines = (line.strip() for line in "".join(self.current).split("\n"))
        if block := "\n".join(line for line in lines if line):
            self.blocks.append(f"• {block}" if self.bullet else block)
            self.bullet = False
        self.current = []


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.blocks)


def _part_text(part: EmailMessage) -> str:
    try:
        text = part.get_content()
    except (LookupError, UnicodeError):  # unknown or wrong charset
        text = decode(part.get_payload(decode=True) or b"")[0]
    return text if isinstance(text, str) else ""


def _sender(message: EmailMessage) -> str:
    try:
        addresses = message["From"].addresses if message["From"] is not None else ()
    except Exception:  # a From the parser could not make sense of
        return str(message.get("From", "")).strip()
    for address in addresses:
        if name := (address.display_name or address.addr_spec).strip():
            return name
    return ""


def _referenced_cids(message: EmailMessage) -> set[str]:
    """Content-IDs an HTML part shows inline (logos and signature images, not attachments)."""
    cids = set()
    for part in message.walk():
        if part.get_content_type() == "text/html" and not part.is_attachment():
            cids |= set(re.findall(r"cid:([^\"'\s>)]+)", _part_text(part), flags=re.IGNORECASE))
    return cids


def _attachment_format(part: EmailMessage) -> str:
    """Format of a part as an attachment (file name first, then MIME type), "" if it's none."""
    if part.get_content_type() == "message/rfc822":
        return "eml"
    name = part.get_filename() or ""
    if "." in name:
        return name.rsplit(".", 1)[1].strip().lower()
    return MIME_FORMATS.get(part.get_content_type(), "")


def _attachments(part: EmailMessage, body: EmailMessage | None, cids: set[str]):
    """(format, part) of each attachment in a supported format, in order."""
    from pipeline.ingest.formats import SUPPORTED_FORMATS, UNSUPPORTED_HINTS  # the dispatch, which reads e-mails

    for sub in part.iter_parts():
        if sub is body:
            continue
        fmt = _attachment_format(sub)
        if fmt != "eml" and sub.is_multipart():
            yield from _attachments(sub, body, cids)
        elif fmt in SUPPORTED_FORMATS or fmt in UNSUPPORTED_HINTS:  # a .doc is a response we can't read: said
            content_id = (sub.get("Content-ID") or "").strip().strip("<>")
            if fmt in IMAGE_FORMATS and content_id and content_id in cids:
                continue  # an image shown in the HTML body: a logo, not a scanned letter
            yield fmt, sub


def _attachment_bytes(fmt: str, part: EmailMessage) -> bytes:
    if fmt == "eml" and part.get_content_type() == "message/rfc822":
        return part.get_content().as_bytes(policy=policy.default)
    return part.get_payload(decode=True) or b""


def read_eml(data: bytes, depth: int = 0) -> Extracted:
    """The e-mail's body and the text of every attachment, in order; the ``From`` as sender hint.

    An attachment that cannot be read (password-protected, too large, damaged, a format not read, an
    e-mail nested deeper than ``MAX_EML_DEPTH``) makes the whole e-mail an error naming it: the
    response is likely in it, and a cover note analysed alone would pass for the response.

    Raises:
        IngestError: the e-mail or one of its attachments cannot be read.
    """
    try:
        message = message_from_bytes(data, policy=policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        text = ""
        if body is not None:
            text = _part_text(body)
            if body.get_content_type() == "text/html":
                text = html_to_text(text)
        found = list(_attachments(message, body, _referenced_cids(message)))
        sender = _sender(message)
    except Exception as exc:
        raise IngestError(f"Kunne ikke lese e-posten: {reason(exc)}") from exc
    texts, ways, problems = [text.strip()] if text.strip() and not is_binary(text) else [], ["eml"], []
    for k, (fmt, part) in enumerate(found, 1):
        name = part.get_filename() or f"vedlegg {k} (.{fmt})"
        try:
            attachment = _read_attachment(fmt, part, depth)
        except Exception as exc:  # noqa: BLE001 - each attachment's problem is reported by name
            problems.append(f"«{name}»: {reason(exc)}")
            continue
        texts.append(attachment.text.strip())
        ways.append(attachment.extraction)
    if problems:
        raise IngestError(f"{UNREAD_ATTACHMENT} {'; '.join(problems)}. {UNREAD_ATTACHMENT_HINT}")
    if not texts:
        raise IngestError(EMPTY_EML)
    return Extracted("\n\n".join(texts), "+".join(ways), sender_hint=sender)


def _read_attachment(fmt: str, part: EmailMessage, depth: int) -> Extracted:
    data = _attachment_bytes(fmt, part)
    if any(isinstance(d, _BASE64_DEFECTS) for d in part.defects):  # found while decoding
        raise IngestError("vedlegget er skadet (ugyldig base64-koding)")
    if fmt == "eml":
        if depth + 1 >= MAX_EML_DEPTH:
            raise IngestError(f"e-poster lagt ved i hverandre i mer enn {MAX_EML_DEPTH} ledd")
        check_size(len(data), fmt)
        return read_eml(data, depth + 1)
    from pipeline.ingest.formats import extract  # the dispatch, which reads e-mails with this module

    return extract(data, fmt)
