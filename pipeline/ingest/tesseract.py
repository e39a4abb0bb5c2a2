"""Optical character recognition: rasterise scanned PDFs and images and read them with Tesseract.

Pages are rendered with pypdfium2 at ``config.OCR_DPI``, turned to grayscale and read with Tesseract's
Norwegian model (``config.OCR_LANGUAGE``, default ``nor``) through pytesseract. Pages are joined by a
blank line, like the pages of a PDF text layer.

Tesseract is a system program (Debian ``tesseract-ocr`` and ``tesseract-ocr-nor``); where it or its
language data is missing, :class:`OcrUnavailable` says so in Norwegian. Its OpenMP threads make it
slower, not faster: the entry points set ``OMP_THREAD_LIMIT=1`` (:func:`flows.limit_threads`).

Example:
    >>> text, frames = ocr_image(Path("skannet-brev.png").read_bytes())  # doctest: +SKIP
"""

from __future__ import annotations

import functools
import io
import subprocess
import time
from collections.abc import Iterable, Iterator

import pypdfium2 as pdfium
import pytesseract
from PIL import Image, ImageOps, ImageSequence

from pipeline import config

PAGE_TIMEOUT_S = 300  # one page that takes longer than this is given up
DOCUMENT_TIMEOUT_S = 1800  # and a document whose OCR takes longer than this (300 pages at ~3 s are 15 minutes)
MAX_SIDE_PX = 10_000  # a poster-sized PDF page is rendered at less than OCR_DPI, to this size
MAX_PAGE_PIXELS = 16_000_000  # and to this many pixels (A4 at 300 dpi is 8.7 million): OCR time grows with them
MAX_IMAGE_PIXELS = 100_000_000  # an image larger than this is not decoded at all (it would take gigabytes)

NOT_INSTALLED = "Tesseract OCR med norsk språkdata ({lang}) er ikke installert (make setup installerer det)"
NO_LANGUAGE = (
    "Tesseract OCR er installert, men mangler språkdata for {missing} "
    "(make setup installerer norsk språkdata: tesseract-ocr-nor)"
)


class OcrError(Exception):
    """OCR of a page failed; the message is the Norwegian reason."""


class OcrUnavailable(OcrError):
    """The tesseract program or its language data is not installed."""


def _tesseract_cmd() -> str:
    return pytesseract.pytesseract.tesseract_cmd


@functools.lru_cache(maxsize=8)
def _missing(cmd: str, lang: str) -> str:
    """'' when ``cmd`` runs and has every language of ``lang`` ("nor", "nor+eng"), else the reason."""
    try:
        run = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return NOT_INSTALLED.format(lang=lang)
    lines = (run.stdout + "\n" + run.stderr).splitlines()
    installed = {line.strip() for line in lines if line.strip() and " " not in line.strip()}
    missing = [code for code in lang.split("+") if code not in installed]
    return NO_LANGUAGE.format(missing=", ".join(missing)) if missing else ""


def check_available() -> None:
    """Raise :class:`OcrUnavailable` unless tesseract and the ``OCR_LANGUAGE`` data are installed."""
    if reason := _missing(_tesseract_cmd(), config.OCR_LANGUAGE):
        raise OcrUnavailable(reason)


def _prepare(image: Image.Image) -> Image.Image:
    """Upright grayscale image; transparent areas become white (not black)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")


def ocr_page(image: Image.Image, page: int = 1, timeout: float = PAGE_TIMEOUT_S) -> str:
    """Text of one page image, read with Tesseract in ``config.OCR_LANGUAGE``.

    Raises:
        OcrUnavailable: tesseract or its language data is missing.
        OcrError: tesseract failed on the page.
    """
    lang = config.OCR_LANGUAGE
    try:
        text = pytesseract.image_to_string(_prepare(image), lang=lang, timeout=max(1, int(timeout)))
    except pytesseract.TesseractNotFoundError as exc:
        raise OcrUnavailable(NOT_INSTALLED.format(lang=lang)) from exc
    except pytesseract.TesseractError as exc:
        message = str(exc.message).strip()
        if "Failed loading language" in message or "Error opening data file" in message:
            raise OcrUnavailable(NO_LANGUAGE.format(missing=lang)) from exc
        raise OcrError(f"Tesseract feilet på side {page}: {message or exc}") from exc
    except RuntimeError as exc:  # pytesseract's timeout
        if "timeout" in str(exc).lower():
            raise OcrError(f"OCR av side {page} tok mer enn {int(timeout)} sekunder") from exc
        raise
    return text.replace("\x0c", "").strip()


def ocr_pages(images: Iterable[Image.Image]) -> tuple[str, int]:
    """Text of page images (pages joined by a blank line; empty pages left out) and the page count;
    a page gets at most ``PAGE_TIMEOUT_S``, the document ``DOCUMENT_TIMEOUT_S``.

    Raises:
        OcrError: a page or the document took too long, or tesseract failed.
    """
    check_available()
    texts, count = [], 0
    deadline = time.monotonic() + DOCUMENT_TIMEOUT_S
    for count, image in enumerate(images, start=1):
        left = deadline - time.monotonic()
        if left <= 0:
            raise OcrError(
                f"OCR av dokumentet tok mer enn {DOCUMENT_TIMEOUT_S // 60} minutter (stoppet på side {count})"
            )
        if text := ocr_page(image, count, timeout=min(PAGE_TIMEOUT_S, left)):
            texts.append(text)
    return "\n\n".join(texts), count


def pdf_pages(data: bytes, dpi: int | None = None) -> Iterator[Image.Image]:
    """Each page of a PDF rendered as a grayscale image at ``dpi`` (default ``config.OCR_DPI``), at most
    ``MAX_SIDE_PX`` on a side and ``MAX_PAGE_PIXELS`` in all (a poster-sized page is rendered smaller)."""
    dpi = dpi or config.OCR_DPI
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                width, height = page.get_size()  # points
                scale = min(
                    dpi / 72, MAX_SIDE_PX / max(width, height, 1), (MAX_PAGE_PIXELS / max(width * height, 1)) ** 0.5
                )
                bitmap = page.render(scale=scale, grayscale=True)
                image = bitmap.to_pil()
                bitmap.close()
            finally:
                page.close()
            yield image
    finally:
        document.close()


def image_frames(data: bytes) -> Iterator[Image.Image]:
    """Each frame of an image file (several for a multi-page TIFF), scaled down to at most
    ``MAX_PAGE_PIXELS``.

    Raises:
        OcrError: the image has more than ``MAX_IMAGE_PIXELS`` pixels (it is not decoded).
    """
    with Image.open(io.BytesIO(data)) as image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise OcrError(
                f"Bildet er for stort til å analyseres: {image.width} × {image.height} piksler "
                f"(grense {MAX_IMAGE_PIXELS // 1_000_000} millioner)"
            )
        for frame in ImageSequence.Iterator(image):
            frame.load()
            page = frame.copy()
            if page.width * page.height > MAX_PAGE_PIXELS:  # read at a resolution OCR needs, no more
                page.thumbnail(
                    (int(page.width * (MAX_PAGE_PIXELS / (page.width * page.height)) ** 0.5) or 1, page.height)
                )
            yield page


def ocr_pdf(data: bytes) -> tuple[str, int]:
    """OCR text of every page of a PDF, and its page count.

    Raises:
        OcrUnavailable: tesseract or its language data is missing (checked before rendering).
        OcrError: tesseract failed on a page.
    """
    check_available()  # before opening the document
    return ocr_pages(pdf_pages(data))


def ocr_image(data: bytes) -> tuple[str, int]:
    """OCR text of every frame of an image file, and the number of frames.

    Raises:
        OcrUnavailable: tesseract or its language data is missing.
        OcrError: tesseract failed on a frame.
        PIL.UnidentifiedImageError, OSError: not a readable image.
    """
    check_available()  # before decoding the image
    return ocr_pages(image_frames(data))
