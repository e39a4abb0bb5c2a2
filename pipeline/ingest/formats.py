"""Text extraction per file format: the bytes of one file in, its raw text and how it was read out.

:func:`extract` dispatches on the lower-case file extension to a reader (:data:`READERS`): plain text
(:mod:`~pipeline.ingest.plaintext`), PDF (:mod:`~pipeline.ingest.pdf`), images
(:mod:`~pipeline.ingest.image`), .docx and .odt (:mod:`~pipeline.ingest.office`) and e-mails
(:mod:`~pipeline.ingest.eml`). Every reader raises :class:`IngestError` with a Norwegian reason when
the file can't be read. Scans and images go through Tesseract (:mod:`pipeline.ingest.tesseract`); so
does a PDF whose text layer :func:`~pipeline.ingest.garbage.looks_like_garbage`. A file or text too
large to analyse in reasonable time is refused with a reason too (:mod:`pipeline.ingest.budgets`).

Example:
    >>> extract("Vi støtter tiltaket.".encode("cp1252"), "txt").extraction
    'text'
"""

from __future__ import annotations

from pipeline.ingest.budgets import check_length, check_size, ocr_page_budget
from pipeline.ingest.eml import read_eml
from pipeline.ingest.extracted import Extracted, IngestError
from pipeline.ingest.image import IMAGE_FORMATS, read_image
from pipeline.ingest.office import read_docx, read_odt
from pipeline.ingest.pdf import read_pdf
from pipeline.ingest.plaintext import normalise, read_txt

SUPPORTED_FORMATS = ("txt", "pdf", "docx", "odt", "eml", *IMAGE_FORMATS)
EMPTY = "Tom fil"
# Formats people send that høring doesn't read: what to do about them.
UNSUPPORTED_HINTS = {
    "doc": "det gamle Word-formatet: lagre den som .docx eller PDF",
    "rtf": "lagre den som .docx eller PDF",
    "pages": "lagre den som .docx eller PDF",
    "msg": "en Outlook-melding: lagre den som .eml, eller vedlegget for seg",
    "zip": "pakk ut filene i svarmappen",
    "heic": "lagre bildet som .jpg eller .png",
}
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
    try:
        with ocr_page_budget():  # an e-mail's attachments share its OCR budget (see take_ocr_pages)
            found = READERS[fmt](data)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"Uventet feil ved lesing av {fmt}-filen: {type(exc).__name__}: {exc}") from exc
    check_length(found.text, found.pages)
    text = normalise(found.text)
    if not text.strip():
        raise IngestError(EMPTY, pages=found.pages)
    return Extracted(text, found.extraction, found.encoding, found.pages, found.sender_hint)
