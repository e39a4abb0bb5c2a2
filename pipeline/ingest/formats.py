"""Text extraction per file format: the bytes of one file in, its raw text and how it was read out.

:func:`extract` dispatches on the lower-case file extension. Every reader raises :class:`IngestError`
with a Norwegian reason when the file can't be read. Scans and images go through Tesseract
(:mod:`pipeline.ingest.tesseract`); so does a PDF whose text layer :func:`looks_like_garbage`. A file or
text too large to analyse in reasonable time is refused with a reason too (:func:`check_size`,
:func:`check_length`, ``MAX_*``).

Example:
    >>> extract("Vi støtter tiltaket.".encode("cp1252"), "txt").extraction
    'text'
"""

from __future__ import annotations

import codecs
import io
import re
import signal
import threading
import time
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from email import errors as email_errors
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser

import docx
from charset_normalizer import from_bytes
from docx.table import Table
from docx.text.paragraph import Paragraph
from odf.element import Node
from odf.namespaces import OFFICENS, TABLENS, TEXTNS
from odf.opendocument import load as load_odf
from PIL import Image
from pypdf import PasswordType, PdfReader

from pipeline.ingest import tesseract

IMAGE_FORMATS = ("png", "jpg", "jpeg", "tif", "tiff")
SUPPORTED_FORMATS = ("txt", "pdf", "docx", "odt", "eml", *IMAGE_FORMATS)
BINARY_RATIO = 0.05  # a .txt with more control characters than this is binary junk
NORWEGIAN_LETTERS = set("æøåÆØÅ")

EMPTY = "Tom fil"
BINARY = "Filen ser ikke ut til å være tekst (binært innhold)"
ENCRYPTED = "PDF-filen er passordbeskyttet"
NO_TEXT_LAYER = "PDF-filen har ingen tekst, heller ikke etter OCR (tomme eller uleselige sider)"
NO_IMAGE_TEXT = "Fant ingen tekst i bildet (OCR)"
EMPTY_DOCX = "Word-filen har ingen tekst"
EMPTY_ODT = "ODT-filen har ingen tekst"
EMPTY_EML = "E-posten har ingen lesbar tekst"
UNREAD_ATTACHMENT = "Vedlegg som ikke kunne leses:"
_BASE64_DEFECTS = (
    email_errors.InvalidBase64PaddingDefect,
    email_errors.InvalidBase64CharactersDefect,
    email_errors.InvalidBase64LengthDefect,
)
UNREAD_ATTACHMENT_HINT = "E-posten er ikke analysert (svaret står trolig i vedlegget); be om en lesbar fil"
MAX_EML_DEPTH = 3  # an e-mail in an e-mail in an e-mail; deeper is refused

# Size limits: a file too large to analyse in reasonable time becomes an error row, not a run of hours.
# The text limit is ~700 dense pages, several times the longest real response: 2 million characters
# give ~7,000 comments, which take the embedding step ~10 minutes on a 2-core laptop CPU (the whole
# bundled round of 34 comments takes under a minute), the OCR repair ~10 s.
MB = 1024 * 1024
MAX_TEXT_CHARS = 2_000_000  # characters of extracted text
CHARS_PER_PAGE = 3_000  # a dense page of Norwegian prose, for the message
MAX_TXT_BYTES = 8 * MB  # a .txt larger than this can't hold <= MAX_TEXT_CHARS (4 bytes a char in UTF-32)
MAX_FILE_BYTES = 200 * MB  # any other file (a scanned PDF of 100 colour pages is ~100 MB)
MAX_PDF_PAGES = 1_000  # pages of a PDF with a text layer
MAX_OCR_PAGES = 300  # pages of a scan (PDF or multi-page TIFF) read with OCR: ~3 s each

# Garbage text layers (see looks_like_garbage).
MIN_LETTERS_PER_PAGE = 20  # fewer on average: a scan (maybe with a stamp or page numbers as text)
# Budgets of a .docx or .odt, checked on its zip directory before any XML is parsed: a small file can
# unpack to gigabytes, or hold millions of empty paragraphs that take minutes and gigabytes to build.
MAX_ZIP_ENTRIES = 2_000
MAX_UNZIPPED_BYTES = 200 * MB  # every part together, as the zip directory declares (reads never exceed it)
MAX_XML_BYTES = 25 * MB  # the main text part (word/document.xml, content.xml), ~10 times the longest real one
MAX_PARAGRAPHS = 50_000  # paragraphs in the main part; a 300-page response has a few thousand
MAX_PARSE_SECONDS = 60  # reading a file's text (not OCR: see pipeline.ingest.tesseract); a long real one takes a few
MAX_JUNK_CHARS = 0.10  # share of non-space characters that are private-use, control, U+FFFD, (cid:N)
MIN_CLEAN_TOKENS = 0.80  # share of tokens that are words (letters only) or NUMBERs
MIN_VOWEL_WORDS = 0.85  # share of letter-only tokens with a vowel (acronyms of <= 4 capitals aside)
MIN_TOKENS = 20  # the two token shares are judged only on at least this many tokens
MIN_FUNCTION_WORDS = 0.03  # share of words that are FUNCTION_WORDS (Norwegian text: 0.15-0.45)
MIN_WORDS_FOR_FUNCTION = 50  # ... judged only on at least this many words
MIN_VOWEL_LETTERS = 0.25  # share of vowels among the words' letters (Norwegian ~0.37, shifted codes ~0.2)
MIN_LETTERS_FOR_SHARE = 100  # ... judged only on at least this many letters
VOWELS = set("aeiouyæøåéèêëáàâíìîóòôöúùûüäÿ")
# The commonest words of Bokmål (with their usual OCR damage: pa, a, sa, ogsa), Nynorsk and English.
FUNCTION_WORDS = frozenset(
    """
    og i på å det er som en et ei til av for at med har de den dette disse ikke vi seg om kan var så
    fra men skal vil eller også ved blir bli være mer hvor der etter under alle andre nå når hva hvis
    må mot mellom bør sin sine sitt oss vår våre deres jeg du meg dem slik samt hos uten gjennom inn
    ut opp over pa a sa ogsa ma nar ein eit ikkje dei eg vere kva
    the and of to in is for that we are be on with as this it by not or from have will our an
""".split()
)
CID = re.compile(r"\(cid:\d+\)")
JUNK_CATEGORIES = {"Co", "Cc", "Cn", "Cs"}  # private use, control, unassigned, surrogate
EDGE_PUNCTUATION = ".,;:!?()[]{}<>\"'«»„“”‘’‚‹›-–—/\\…*•·"
WORD_JOINERS = re.compile(r"[-'’./]")  # inside a word: bydels-reform, f.eks., Oslo's, og/eller
# Numbers, dates, amounts and measure codes: 2026-2029, 12.09.2025, 100%, §12, 7S, 3F-5F, 1990-tallet
NUMBER = re.compile(r"[§#]?\d[\d.,:/%–-]*[^\W\d_]{0,2}(?:[-–—/]+\d[\d.,]*[^\W\d_]{0,2})*(?:-[^\W\d_]+)?")

MIME_FORMATS = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.oasis.opendocument.text": "odt",
    "message/rfc822": "eml",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/tiff": "tif",
}


class IngestError(Exception):
    """A file whose text cannot be read; the message is the Norwegian reason."""

    def __init__(self, message: str, pages: int | None = None) -> None:
        super().__init__(message)
        self.pages = pages


@dataclass(frozen=True)
class Extracted:
    """The text of one file and how it was obtained."""

    text: str
    extraction: str  # text, pdf-text, pdf-ocr, image-ocr, docx, odt, eml[+<attachment's way>...]
    encoding: str = ""  # of a .txt
    pages: int | None = None  # pages of a pdf, frames of an image
    sender_hint: str = ""  # From of an e-mail: display name, else address


OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-f]+>")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files, and password-protected new ones
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ENCRYPTED_DOCX = "Word-filen er passordbeskyttet"
OLD_WORD = "Filen er i det gamle Word-formatet (.doc), ikke .docx som navnet sier; lagre den som .docx eller PDF"
# Formats people send that høring doesn't read: what to do about them.
UNSUPPORTED_HINTS = {
    "doc": "det gamle Word-formatet: lagre den som .docx eller PDF",
    "rtf": "lagre den som .docx eller PDF",
    "pages": "lagre den som .docx eller PDF",
    "msg": "en Outlook-melding: lagre den som .eml, eller vedlegget for seg",
    "zip": "pakk ut filene i svarmappen",
    "heic": "lagre bildet som .jpg eller .png",
}


def reason(exc: Exception) -> str:
    """An exception's message, without Python object addresses (``<_io.BytesIO object at 0x…>``)."""
    return OBJECT_REPR.sub("", str(exc)).strip() or type(exc).__name__


def damaged(kind: str, what: str, exc: Exception) -> IngestError:
    """``Kunne ikke lese Word-filen: filen er skadet eller ikke en Word-fil (teknisk feil: …)``."""
    return IngestError(f"Kunne ikke lese {kind}: filen er skadet eller {what} (teknisk feil: {reason(exc)})")


def _megabytes(size: int) -> str:
    value = round(size / MB, 1)
    return f"{value:.0f}" if value >= 10 or value.is_integer() else f"{value:.1f}".replace(".", ",")


def _count(n: int) -> str:
    """12 345 678: thousands separated by a space, the Norwegian way."""
    return f"{n:,}".replace(",", " ")


def size_limit(fmt: str) -> int:
    """The largest file (in bytes) of format ``fmt`` that is read."""
    return MAX_TXT_BYTES if fmt == "txt" else MAX_FILE_BYTES


def check_size(size: int, fmt: str) -> None:
    """Raises IngestError when a file of ``size`` bytes is too large to analyse (see MAX_TXT_BYTES)."""
    limit = size_limit(fmt)
    if size > limit:
        kind = " for tekstfiler" if fmt == "txt" else ""
        raise IngestError(
            f"Filen er for stor til å analyseres ({_megabytes(size)} MB; grense {_megabytes(limit)} MB{kind})"
        )


def check_length(text: str, pages: int | None = None) -> None:
    """Raises IngestError when a text is too long to analyse (more than MAX_TEXT_CHARS characters)."""
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(
            f"Filen er for stor til å analyseres: teksten har {_count(len(text))} tegn (grense "
            f"{_count(MAX_TEXT_CHARS)} tegn, om lag {_count(int(round(MAX_TEXT_CHARS / CHARS_PER_PAGE, -1)))} sider)",
            pages=pages,
        )


_OCR_PAGES_LEFT: ContextVar[list[int] | None] = ContextVar("ocr_pages_left", default=None)


class _TookTooLong(BaseException):
    """Raised by the alarm of :func:`time_limit`; not an Exception, so a parser's ``except Exception``
    cannot swallow it."""


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Stop the Python work inside after ``seconds``, as an IngestError naming ``what``: a budget of
    time for parsing a file, whatever in it makes the parser slow. Uses the process's alarm timer, so
    only in the main thread (elsewhere, as on Dask workers, the size and page budgets bound the work);
    an alarm already set (Prefect's own timeouts) is put back afterwards.

    Raises:
        IngestError: the work inside took longer than ``seconds``.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):  # noqa: ANN001 - a signal handler's signature
        raise _TookTooLong

    previous_handler = signal.signal(signal.SIGALRM, alarm)
    previous_delay, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    except _TookTooLong:
        raise IngestError(f"Filen er for tung å lese: {what} tok mer enn {seconds:g} sekunder") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_delay:
            signal.setitimer(signal.ITIMER_REAL, max(previous_delay - (time.monotonic() - started), 0.001))


def take_ocr_pages(pages: int, what: str) -> None:
    """Count ``pages`` against the OCR budget of the file being read: ``MAX_OCR_PAGES`` for a file
    with all its attachments (an e-mail with four 300-page scans is over it before any is read).

    Raises:
        IngestError: the pages would take the file over the budget.
    """
    left = _OCR_PAGES_LEFT.get()
    if left is None:
        left = [MAX_OCR_PAGES]
    if pages > left[0]:
        used = MAX_OCR_PAGES - left[0]
        what = f"{what} (med {_count(used)} sider til OCR i resten av e-posten)" if used else what
        raise too_many_pages(pages, left[0] if used else MAX_OCR_PAGES, what)
    left[0] -= pages


def too_many_pages(pages: int, limit: int, what: str) -> IngestError:
    return IngestError(
        f"Filen er for stor til å analyseres: {what} har {_count(pages)} sider (grense {_count(limit)} sider)",
        pages=pages,
    )


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text).lstrip("\ufeff")


# --- .txt ---------------------------------------------------------------------------------------


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def _cp1252_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("horing-cp1252", _cp1252_fallback)


def _mixed_utf8(data: bytes) -> str | None:
    """A text mostly in UTF-8 with some Windows-1252 bytes (pasted together from two sources), or None.

    Most of its non-ascii bytes form valid UTF-8 sequences; the other bytes are read as Windows-1252.
    """
    sequences = UTF8_SEQUENCE.findall(data)
    if not sequences:
        return None
    in_sequences = sum(len(seq) for seq in sequences)
    stray = len(HIGH_BYTE.findall(data)) - in_sequences
    if stray > len(sequences):
        return None
    return data.decode("utf-8", errors="horing-cp1252").removeprefix("\ufeff")


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a .txt: strict utf-8, then a BOM, then utf-8 with some stray Windows-1252
    bytes, then charset-normalizer / cp1252."""
    mostly_text = data.count(b"\x00") <= BINARY_RATIO * len(data)  # else maybe BOM-less utf-16
    if mostly_text and (text := _try_decode(data, "utf-8-sig")) is not None:
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom) and (text := _try_decode(data, encoding)) is not None:
            return text, encoding
    if mostly_text and (text := _mixed_utf8(data)) is not None:
        return text, "utf-8+cp1252"
    cp1252 = _try_decode(data, "cp1252")
    best = from_bytes(data).best()
    if best is not None and _mostly_latin(str(best)):
        text = str(best)
        # Short cp1252 texts are often taken for cp1250 & co., which garble æøå.
        if cp1252 is not None and (
            text == cp1252 or (not NORWEGIAN_LETTERS & set(text) and NORWEGIAN_LETTERS & set(cp1252))
        ):
            return cp1252, "cp1252"
        return text, codecs.lookup(best.encoding).name
    if cp1252 is not None:
        return cp1252, "cp1252"
    raise IngestError(BINARY)


def _mostly_latin(text: str) -> bool:
    """A guessed decoding of a Norwegian file reads as Latin script; junk bytes often decode as CJK."""
    visible = [c for c in text if not c.isspace()]
    return bool(visible) and sum(c < "\u0250" for c in visible) >= 0.5 * len(visible)


def _binary(text: str) -> bool:
    """More than BINARY_RATIO of the characters are control characters or U+FFFD."""
    junk = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"))
    return junk > BINARY_RATIO * len(text)


def read_txt(data: bytes) -> Extracted:
    with time_limit(MAX_PARSE_SECONDS, "å finne tegnkodingen i tekstfilen"):
        text, encoding = decode(data)
    check_length(text)  # before the character-by-character checks
    if _binary(text):
        raise IngestError(BINARY)
    return Extracted(text, "text", encoding=encoding)


# --- .pdf ---------------------------------------------------------------------------------------


def _is_junk(text: str) -> bool:
    """Text made of glyph codes rather than words: odd characters, or tokens that aren't words."""
    cids = len(CID.findall(text))
    text = CID.sub(" ", text)
    chars = [c for c in text if not c.isspace()]
    junk = cids + sum(1 for c in chars if c == "\ufffd" or unicodedata.category(c) in JUNK_CATEGORIES)
    if junk > MAX_JUNK_CHARS * max(len(chars) + cids, 1):
        return True
    tokens = [t for t in (raw.strip(EDGE_PUNCTUATION) for raw in text.split()) if len(t) >= 2]
    words, numbers = [], 0
    for token in tokens:
        if WORD_JOINERS.sub("", token).isalpha():
            words.append(token)
        elif len(token) <= 40 and NUMBER.fullmatch(token):
            numbers += 1
    if len(tokens) >= MIN_TOKENS and len(words) + numbers < MIN_CLEAN_TOKENS * len(tokens):
        return True
    common = sum(1 for w in words if w.lower() in FUNCTION_WORDS)
    if len(words) >= MIN_WORDS_FOR_FUNCTION and common < MIN_FUNCTION_WORDS * len(words):
        return True
    # Latin-script words; acronyms (NAV, BYM, HLS) need no vowel.
    latin = [w for w in words if all(c < "\u0250" for c in w) and not (w.isupper() and len(w) <= 4)]
    vowelled = sum(1 for w in latin if VOWELS & set(w.lower()))
    if len(latin) >= MIN_TOKENS and vowelled < MIN_VOWEL_WORDS * len(latin):
        return True
    letters = [c for c in "".join(latin).lower() if c.isalpha()]
    vowels = sum(1 for c in letters if c in VOWELS)
    return len(letters) >= MIN_LETTERS_FOR_SHARE and vowels < MIN_VOWEL_LETTERS * len(letters)


def looks_like_garbage(text: str, pages: int) -> bool:
    """Whether a PDF's text layer is too thin or too odd to be the document's text (then: OCR).

    Garbage is fewer than MIN_LETTERS_PER_PAGE letters per page on average (a scan), more than
    MAX_JUNK_CHARS of private-use / control characters, U+FFFD or ``(cid:N)`` codes (fonts without
    a Unicode map), fewer than MIN_CLEAN_TOKENS of the tokens being plain words or numbers, fewer
    than MIN_FUNCTION_WORDS of the words being common ones (og, i, på, the, ...), fewer than
    MIN_VOWEL_WORDS of the words having a vowel, or fewer than MIN_VOWEL_LETTERS of their letters
    being vowels (glyph codes shifted off the letters: ``+ÛULQJVVYDU RJ`` for ``Høringssvar og``).
    OCR-damaged real text (``gkt``, ``pa``, ``|``) passes: its tokens are still words. No lexicon
    is needed; the thresholds leave a wide margin on the seeds (tests/data/seeds).
    """
    letters = sum(1 for c in CID.sub("", text) if c.isalpha())
    return letters < MIN_LETTERS_PER_PAGE * max(pages, 1) or _is_junk(text)


def read_pdf(data: bytes) -> Extracted:
    if b"%PDF-" not in data[:1024]:
        raise IngestError("Kunne ikke lese PDF-filen: filen er ikke en PDF (mangler %PDF-hode)")
    try:
        with time_limit(MAX_PARSE_SECONDS, "å lese teksten i PDF-filen"):
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                raise IngestError(ENCRYPTED)
            if (n_pages := len(reader.pages)) > MAX_PDF_PAGES:
                raise too_many_pages(n_pages, MAX_PDF_PAGES, "PDF-filen")
            pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise damaged("PDF-filen", "ufullstendig", exc) from exc
    text = "\n\n".join(pages)
    if not looks_like_garbage(text, len(pages)):
        return Extracted(text, "pdf-text", pages=len(pages))
    take_ocr_pages(len(pages), "det skannede dokumentet (OCR)")
    try:
        ocr_text, _ = tesseract.ocr_pdf(data)
    except tesseract.OcrError as exc:
        raise IngestError(f"Kan ikke lese skannet dokument: {exc}", pages=len(pages)) from exc
    except Exception as exc:  # pdfium can't render it
        raise IngestError(f"Kan ikke lese skannet dokument: {reason(exc)}", pages=len(pages)) from exc
    if ocr_text.strip():
        return Extracted(ocr_text, "pdf-ocr", pages=len(pages))
    if text.strip() and not _is_junk(text):  # a thin but real text layer, and nothing to see
        return Extracted(text, "pdf-text", pages=len(pages))
    raise IngestError(NO_TEXT_LAYER, pages=len(pages))


# --- images -------------------------------------------------------------------------------------


def _frames(data: bytes) -> int:
    """Frames (pages) of an image without decoding them; 1 if Pillow can't tell (OCR reports why)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1) or 1)
    except Exception:
        return 1


def read_image(data: bytes) -> Extracted:
    take_ocr_pages(_frames(data), "bildefilen (OCR)")
    try:
        text, frames = tesseract.ocr_image(data)
    except tesseract.OcrError as exc:
        raise IngestError(f"Kan ikke lese bildet: {exc}") from exc
    except Exception as exc:  # Pillow: not an image, truncated, too large
        raise damaged("bildefilen", "ikke et bilde", exc) from exc
    if not text.strip():
        raise IngestError(NO_IMAGE_TEXT, pages=frames)
    return Extracted(text, "image-ocr", pages=frames)


# --- .docx --------------------------------------------------------------------------------------


def _is_list(paragraph: Paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return "List" in style or (numbered and not style.startswith(("Heading", "Title")))


def _docx_blocks(container, seen: set) -> list[str]:
    """Paragraphs (list items with '• ') and table cells of a document or cell, in order."""
    blocks = []
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            for row in item.rows:
                for cell in row.cells:
                    if cell._tc not in seen:  # merged cells repeat in row.cells
                        seen.add(cell._tc)  # (the element itself: ids of lxml proxies get reused)
                        blocks += _docx_blocks(cell, seen)
        elif text := item.text.strip():
            blocks.append(f"• {text}" if _is_list(item) else text)
    return blocks


def check_package(data: bytes, main_part: str, paragraph_tags: tuple[bytes, ...], what: str) -> None:
    """Raises IngestError when a zip package (.docx, .odt) is over a budget (``MAX_ZIP_ENTRIES``,
    ``MAX_UNZIPPED_BYTES``, ``MAX_XML_BYTES``, ``MAX_PARAGRAPHS``), before anything is parsed. A file
    that is no zip is left to its reader to report."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        return
    with package:
        entries = package.infolist()
        if len(entries) > MAX_ZIP_ENTRIES:
            raise IngestError(
                f"Filen er for stor til å analyseres: {what} har {_count(len(entries))} deler "
                f"(grense {_count(MAX_ZIP_ENTRIES)})"
            )
        unzipped = sum(e.file_size for e in entries)
        if unzipped > MAX_UNZIPPED_BYTES:
            raise IngestError(
                f"Filen er for stor til å analyseres: {what} pakkes ut til {unzipped // MB:,} MB "
                f"(grense {MAX_UNZIPPED_BYTES // MB} MB)".replace(",", " ")
            )
        main = next((e for e in entries if e.filename == main_part), None)
        if main is None:
            return
        if main.file_size > MAX_XML_BYTES:
            raise IngestError(
                f"Filen er for stor til å analyseres: teksten i {what} er {main.file_size // MB} MB "
                f"XML (grense {MAX_XML_BYTES // MB} MB)"
            )
        paragraphs = _count_tags(package, main, paragraph_tags)
        if paragraphs > MAX_PARAGRAPHS:
            raise IngestError(
                f"Filen er for stor til å analyseres: {what} har {_count(paragraphs)} avsnitt "
                f"(grense {_count(MAX_PARAGRAPHS)})"
            )


def _count_tags(package: zipfile.ZipFile, entry: zipfile.ZipInfo, tags: tuple[bytes, ...]) -> int:
    """Occurrences of the opening ``tags`` in a part, read in chunks (a tag cut between two chunks
    is counted by keeping the last bytes of each)."""
    count, tail, keep = 0, b"", max(len(t) for t in tags)
    with package.open(entry) as handle:
        while chunk := handle.read(1 << 20):
            window = tail + chunk
            count += sum(window.count(t) for t in tags) - sum(tail.count(t) for t in tags)
            tail = window[-keep:]
    return count


def read_docx(data: bytes) -> Extracted:
    check_package(data, "word/document.xml", (b"<w:p>", b"<w:p ", b"<w:p/>"), "Word-filen")
    try:
        with time_limit(MAX_PARSE_SECONDS, "å lese Word-filen"):
            document = docx.Document(io.BytesIO(data))
            blocks = _docx_blocks(document, set())
    except IngestError:
        raise
    except Exception as exc:  # not a zip, no word/document.xml, broken XML, ...
        if data.startswith(OLE_MAGIC):
            raise IngestError(ENCRYPTED_DOCX if ENCRYPTED_PACKAGE in data else OLD_WORD) from exc
        raise damaged("Word-filen", "ikke en Word-fil", exc) from exc
    if not blocks:
        raise IngestError(EMPTY_DOCX)
    return Extracted("\n\n".join(blocks), "docx")


# --- .odt ---------------------------------------------------------------------------------------

_ODT_SKIPPED = {(TEXTNS, "note"), (OFFICENS, "annotation"), (TEXTNS, "tracked-changes")}


def _odt_inline(element) -> str:
    """Text of a paragraph or heading; footnotes, comments and tracked deletions left out."""
    parts = []
    for node in element.childNodes:
        if node.nodeType == Node.TEXT_NODE:
            parts.append(node.data)
            continue
        qname = getattr(node, "qname", None)
        if qname == (TEXTNS, "line-break"):
            parts.append("\n")
        elif qname == (TEXTNS, "tab"):
            parts.append("\t")
        elif qname == (TEXTNS, "s"):
            parts.append(" " * int(node.getAttribute("c") or 1))
        elif qname not in _ODT_SKIPPED:
            parts.append(_odt_inline(node))
    return "".join(parts)


def _odt_blocks(element, bullet: bool = False) -> list[str]:
    """Headings and paragraphs (list items with '• ') and table cells, in document order."""
    blocks = []
    for node in element.childNodes:
        qname = getattr(node, "qname", None)
        if qname in {(TEXTNS, "p"), (TEXTNS, "h")}:
            if text := _odt_inline(node).strip():
                blocks.append(f"• {text}" if bullet else text)
        elif qname == (TEXTNS, "list-item") or qname == (TEXTNS, "list-header"):
            blocks += _odt_blocks(node, bullet=qname == (TEXTNS, "list-item"))
        elif qname is not None and qname not in _ODT_SKIPPED and qname[0] in (TEXTNS, TABLENS):
            blocks += _odt_blocks(node, bullet)  # list, section, table, row, cell, ...
    return blocks


def read_odt(data: bytes) -> Extracted:
    check_package(data, "content.xml", (b"<text:p>", b"<text:p ", b"<text:p/>", b"<text:h ", b"<text:h>"), "ODT-filen")
    try:
        with time_limit(MAX_PARSE_SECONDS, "å lese ODT-filen"):
            document = load_odf(io.BytesIO(data))
            blocks = _odt_blocks(document.text)
    except IngestError:
        raise
    except Exception as exc:  # not a zip, no content.xml, broken XML, ...
        raise damaged("ODT-filen", "ikke en ODT-fil", exc) from exc
    if not blocks:
        raise IngestError(EMPTY_ODT)
    return Extracted("\n\n".join(blocks), "odt")


# --- .eml ---------------------------------------------------------------------------------------


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
    texts, ways, problems = [text.strip()] if text.strip() and not _binary(text) else [], ["eml"], []
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
    return extract(data, fmt)


# --- dispatch -----------------------------------------------------------------------------------

READERS = {
    "txt": read_txt,
    "pdf": read_pdf,
    "docx": read_docx,
    "odt": read_odt,
    "eml": read_eml,
    **{fmt: read_image for fmt in IMAGE_FORMATS},
}


def extract(data: bytes, fmt: str) -> Extracted:
    """Text of file bytes in format ``fmt`` (lower-case extension), normalised (NFC, '\\n' breaks).

    Raises:
        IngestError: the Norwegian reason the file can't be read; never anything else.
    """
    if fmt not in SUPPORTED_FORMATS:
        ext = f".{fmt}" if fmt else "(ingen filendelse)"
        supported = ", ".join(f".{f}" for f in SUPPORTED_FORMATS)
        hint = f"; {UNSUPPORTED_HINTS[fmt]}" if fmt in UNSUPPORTED_HINTS else ""
        raise IngestError(f"Ukjent filformat: {ext} (støttet: {supported}){hint}")
    check_size(len(data), fmt)
    if not data.strip():
        raise IngestError(EMPTY)
    budget = None if _OCR_PAGES_LEFT.get() is not None else _OCR_PAGES_LEFT.set([MAX_OCR_PAGES])
    try:
        found = READERS[fmt](data)  # an e-mail's attachments share its OCR budget (see take_ocr_pages)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"Uventet feil ved lesing av {fmt}-filen: {type(exc).__name__}: {exc}") from exc
    finally:
        if budget is not None:
            _OCR_PAGES_LEFT.reset(budget)
    check_length(found.text, found.pages)
    text = normalise(found.text)
    if not text.strip():
        raise IngestError(EMPTY, pages=found.pages)
    return Extracted(text, found.extraction, found.encoding, found.pages, found.sender_hint)
