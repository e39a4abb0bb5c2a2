"""Read every file of a hearing round and extract its raw text: the first stage of the pipeline.

One :class:`Response` per file. A file that cannot be read never stops the run: it becomes a row
with ``status="error"`` and a Norwegian message saying what is wrong with it. The readers per format
(.txt, .pdf, .docx, .odt, .eml, images; scans through OCR) are in :mod:`pipeline.formats`.

Example:
    >>> rows = read_folder(Path("data/raw/runde-1"))  # doctest: +SKIP
    >>> [(r.response_id, r.status) for r in rows]  # doctest: +SKIP
    [('bydel-alna', 'ok'), ('fo-oslo-horingssvar', 'error')]
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.formats import SUPPORTED_FORMATS, IngestError, extract, reason

__all__ = ["SUPPORTED_FORMATS", "IngestError", "Response", "extract_text", "read_document", "read_folder",
           "slugify"]

SKIPPED_NAMES = {"thumbs.db", "desktop.ini"}  # system files, like hidden files and '~$' locks
TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})


@dataclass(frozen=True)
class Response:
    """One file of a hearing round and its raw text."""

    response_id: str  # slug of the file name, unique within a round
    source_file: str  # path relative to the scanned folder, '/' separators
    sha256: str  # of the file bytes; "" if the file could not be read at all
    format: str  # lower-case extension without the dot: "txt", "pdf", "docx", "eml", "png", ...
    status: str  # "ok" or "error"
    error: str  # Norwegian reason when status is "error", else ""
    text: str  # raw text, line breaks kept; "" on error
    encoding: str  # detected encoding of a .txt, else ""
    pages: int | None  # page count of a pdf (also a scanned one), frames of an image, else None
    # How the text was obtained: text, pdf-text, pdf-ocr, image-ocr, docx, odt, or eml followed by
    # its attachments' ways in order (eml+pdf-text+docx); "" on error.
    extraction: str = ""
    sender_hint: str = ""  # the From of an e-mail (display name, else address); "" for other formats


def slugify(name: str) -> str:
    """Lower-case ascii slug: æ->ae, ø->o, å->a, other runs of non-alphanumerics -> '-'."""
    ascii_ = unicodedata.normalize("NFKD", name.lower().translate(TRANSLIT))
    ascii_ = ascii_.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "fil"


def _format(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def extract_text(path: Path) -> str:
    """Text of a file in any of the SUPPORTED_FORMATS (scans and images through OCR).

    Raises:
        IngestError: with the Norwegian reason when the file can't be read.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(f"Kunne ikke lese filen: {reason(exc)}") from exc
    return extract(data, _format(Path(path))).text


def read_document(path: Path, root: Path | None = None) -> Response:
    """Extract the text of one file. Never raises for bad content: returns status="error" with a reason.

    Args:
        path: The file.
        root: The folder being scanned; ``source_file`` is relative to it (the file name if None).
    """
    path = Path(path)
    source = path.relative_to(root).as_posix() if root is not None else path.name
    row = Response(slugify(path.stem), source, "", _format(path), "ok", "", "", "", None)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return replace(row, status="error", error=f"Kunne ikke lese filen: {reason(exc)}")
    row = replace(row, sha256=hashlib.sha256(data).hexdigest())
    try:
        found = extract(data, row.format)
    except IngestError as exc:
        return replace(row, status="error", error=str(exc), pages=exc.pages)
    except Exception as exc:  # a bug in a reader must not stop the round either
        error = f"Uventet feil ved lesing av filen: {type(exc).__name__}: {exc}"
        return replace(row, status="error", error=error)
    return replace(row, text=found.text, encoding=found.encoding, pages=found.pages,
                   extraction=found.extraction, sender_hint=found.sender_hint)


def _skipped(relative: Path) -> bool:
    name = relative.name
    hidden = any(part.startswith(".") for part in relative.parts)
    return hidden or name.startswith("~$") or name.lower() in SKIPPED_NAMES


def read_folder(folder: Path) -> list[Response]:
    """All files under folder (recursively, sorted by relative path), one Response each.

    Hidden files and folders (name starting with '.'), Office lock/temp files ('~$...') and
    Thumbs.db/desktop.ini are skipped. Ids are made unique with -2, -3, ... in path order.

    Raises:
        NotADirectoryError: if folder is not a directory.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"Fant ikke mappen: {folder}")
    files = sorted((p for p in folder.rglob("*") if p.is_file()),
                   key=lambda p: p.relative_to(folder).as_posix())
    rows, used = [], set()
    for path in files:
        if _skipped(path.relative_to(folder)):
            continue
        row = read_document(path, folder)
        response_id, n = row.response_id, 1
        while response_id in used:
            n += 1
            response_id = f"{row.response_id}-{n}"
        used.add(response_id)
        rows.append(replace(row, response_id=response_id))
    return rows
