"""PDF files: the text layer, or OCR (:mod:`pipeline.ingest.tesseract`) where the layer
:func:`~pipeline.ingest.garbage.looks_like_garbage` (a scan, or fonts without a Unicode map).
"""

from __future__ import annotations

import io

from pypdf import PasswordType, PdfReader

from pipeline.ingest import tesseract
from pipeline.ingest.budgets import MAX_PDF_PAGES, parsing_time_limit, take_ocr_pages, too_many_pages
from pipeline.ingest.extracted import Extracted, IngestError, damaged, reason
from pipeline.ingest.garbage import is_junk, looks_like_garbage

ENCRYPTED = "PDF-filen er passordbeskyttet"
NO_TEXT_LAYER = "PDF-filen har ingen tekst, heller ikke etter OCR (tomme eller uleselige sider)"


def read_pdf(data: bytes) -> Extracted:
    if b"%PDF-" not in data[:1024]:
        raise IngestError("Kunne ikke lese PDF-filen: filen er ikke en PDF (mangler %PDF-hode)")
    try:
        with parsing_time_limit("å lese teksten i PDF-filen"):
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
    if text.strip() and not is_junk(text):  # a thin but real text layer, and nothing to see
        return Extracted(text, "pdf-text", pages=len(pages))
    raise IngestError(NO_TEXT_LAYER, pages=len(pages))
