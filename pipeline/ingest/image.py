"""Image files (.png, .jpg, .tif, multi-page TIFF too): their text read with OCR
(:mod:`pipeline.ingest.tesseract`), each frame a page of the OCR budget.
"""

from __future__ import annotations

import io

from PIL import Image

from pipeline.ingest import tesseract
from pipeline.ingest.budgets import take_ocr_pages
from pipeline.ingest.extracted import Extracted, IngestError, damaged

IMAGE_FORMATS = ("png", "jpg", "jpeg", "tif", "tiff")
NO_IMAGE_TEXT = "Fant ingen tekst i bildet (OCR)"


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
