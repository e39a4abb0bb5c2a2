"""What reading one file gives: its text and how it was read (:class:`Extracted`), or the Norwegian
reason it can't be read (:class:`IngestError`). Every reader of :mod:`pipeline.ingest.formats` returns
the one or raises the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OBJECT_REPR = re.compile(r"\s*<[\w.]+ object at 0x[0-9a-f]+>")


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


def reason(exc: Exception) -> str:
    """An exception's message, without Python object addresses (``<_io.BytesIO object at 0x…>``)."""
    return OBJECT_REPR.sub("", str(exc)).strip() or type(exc).__name__


def damaged(kind: str, what: str, exc: Exception) -> IngestError:
    """``Kunne ikke lese Word-filen: filen er skadet eller ikke en Word-fil (teknisk feil: …)``."""
    return IngestError(f"Kunne ikke lese {kind}: filen er skadet eller {what} (teknisk feil: {reason(exc)})")
