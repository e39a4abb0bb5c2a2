"""Read every file of a hearing round and extract its raw text: the first stage of the pipeline.

One :class:`Response` per file. A file that cannot be read never stops the run: it becomes a row
with ``status="error"`` and a Norwegian message saying what is wrong with it. A file with the same
bytes as an earlier one is ``status="duplicate"`` (not read again). The readers per format (.txt,
.pdf, .docx, .odt, .eml, images; scans through OCR) are in :mod:`pipeline.ingest.formats`; what is
in the folder (links, skipped files, names as shown) comes from :mod:`pipeline.ingest.scan`.

A later stage that fails on one response turns that response into an error row too
(:mod:`pipeline.per_response`), so one bad file never stops the round.

Example:
    >>> rows = read_folder(Path("data/raw/runde-1"))  # doctest: +SKIP
    >>> [(r.response_id, r.status) for r in rows]  # doctest: +SKIP
    [('bydel-alna', 'ok'), ('fo-oslo-horingssvar', 'error')]
"""

from __future__ import annotations

import hashlib
import logging
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from slugify import slugify as ascii_slug

from pipeline import config
from pipeline.cache import cached
from pipeline.ingest.budgets import check_size
from pipeline.ingest.extracted import IngestError, reason
from pipeline.ingest.formats import SUPPORTED_FORMATS, extract
from pipeline.ingest.scan import (
    FolderEntry,
    is_regular_file,
    list_files,
    relative_name,
    scan_folder,
    skip_reason,
    source_names,
)

__all__ = [
    "SUPPORTED_FORMATS",
    "FolderEntry",
    "IngestError",
    "Response",
    "duplicate_reason",
    "extract_text",
    "file_sha256",
    "is_regular_file",
    "list_files",
    "read_document",
    "read_folder",
    "relative_name",
    "scan_folder",
    "skip_reason",
    "slugify",
    "source_names",
]

TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
MAX_SLUG = 80  # response ids name files in texts/; a long file name must not make too long a name
HASH_CHUNK = 1 << 20

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Response:
    """One file of a hearing round and its raw text."""

    response_id: str  # slug of the file name, unique within a round
    source_file: str  # path relative to the scanned folder, '/' separators
    sha256: str  # of the file bytes; "" if the file could not be read at all
    format: str  # lower-case extension without the dot: "txt", "pdf", "docx", "eml", "png", ...
    status: str  # "ok", "error" or "duplicate" (same bytes as an earlier file; not analysed)
    error: str  # Norwegian reason when status is "error", the original's file for a "duplicate", else ""
    text: str  # raw text, line breaks kept; "" on error and for a duplicate
    encoding: str  # detected encoding of a .txt, else ""
    pages: int | None  # page count of a pdf (also a scanned one), frames of an image, else None
    # How the text was obtained: text, pdf-text, pdf-ocr, image-ocr, docx, odt, or eml followed by
    # its attachments' ways in order (eml+pdf-text+docx); "" on error.
    extraction: str = ""
    sender_hint: str = ""  # the From of an e-mail (display name, else address); "" for other formats


def slugify(name: str) -> str:
    """Lower-case ascii slug: æ->ae, ø->o, å->a, other runs of non-alphanumerics -> '-' (at most MAX_SLUG long).

    Letters lose their accents (é->e); what has no ascii letter in it (–, «, ß, emoji) is dropped, not
    transliterated as python-slugify would (– to -, ß to ss): response ids stay as they always were.
    A comma between digits is a separator too (1,5 -> 1-5). "fil" when nothing is left.
    """
    folded = unicodedata.normalize("NFKD", name.lower().translate(TRANSLIT)).encode("ascii", "ignore").decode("ascii")
    slug = ascii_slug(
        folded,
        max_length=MAX_SLUG,
        entities=False,
        decimal=False,
        hexadecimal=False,
        regex_pattern=r"[^-a-z0-9]+",  # a capital that NFKD makes of a lower-case sign (ᵀ -> T) separates
        lowercase=False,
        replacements=[(",", "-")],
    )
    return slug or "fil"


def _format(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _file_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "Kunne ikke lese filen: ingen tilgang (sjekk filens rettigheter)"
    if isinstance(exc, FileNotFoundError):
        return "Kunne ikke lese filen: filen finnes ikke lenger"
    return f"Kunne ikke lese filen: {exc.strerror or reason(exc)}"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (a large file is never held in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def extract_text(path: Path) -> str:
    """Text of a file in any of the SUPPORTED_FORMATS (scans and images through OCR).

    Raises:
        IngestError: with the Norwegian reason when the file can't be read.
    """
    path = Path(path)
    try:
        check_size(path.stat().st_size, _format(path))
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(_file_error(exc)) from exc
    return extract(data, _format(path)).text


def read_document(path: Path, root: Path | None = None, seen: Mapping[str, str] | None = None) -> Response:
    """Extract the text of one file. Never raises for bad content: returns status="error" with a reason.

    A file too large to analyse is not read into memory (only hashed). A file whose SHA-256 is in
    ``seen`` is a ``duplicate`` of the file named there, and is not read further.

    Args:
        path: The file.
        root: The folder being scanned; ``source_file`` is relative to it (the file name if None).
        seen: SHA-256 -> source_file of the files read before it (see :func:`read_folder`).
    """
    path = Path(path)
    source = relative_name(path, root)
    row = Response(slugify(Path(source).stem), source, "", _format(path), "ok", "", "", "", None)
    too_large: IngestError | None = None
    data = None
    if os.path.lexists(path) and not is_regular_file(path):  # replaced by a link or a pipe since the scan
        return replace(row, status="error", error="Ikke en vanlig fil (lenke, rør eller enhet): leses ikke")
    try:
        try:
            check_size(path.stat().st_size, row.format)
        except IngestError as exc:  # too large: hash it for the record, but don't read it into memory
            too_large = exc
        if too_large is None:
            data = path.read_bytes()
            row = replace(row, sha256=hashlib.sha256(data).hexdigest())
        else:
            row = replace(row, sha256=file_sha256(path))
    except OSError as exc:
        return replace(row, status="error", error=_file_error(exc))
    # Same bytes as an earlier file: a duplicate (but empty files are all "Tom fil").
    if seen and row.sha256 in seen and (data is None or data.strip()):
        return replace(row, status="duplicate", error=duplicate_reason(seen[row.sha256]))
    if too_large is not None or data is None:
        return replace(row, status="error", error=str(too_large))
    try:
        key = f"{row.sha256}.{row.format}.{config.OCR_LANGUAGE}"  # a scan read with other language data differs
        found = cached("extract", key, lambda: extract(data, row.format))
    except IngestError as exc:
        return replace(row, status="error", error=str(exc), pages=exc.pages)
    except Exception as exc:  # a bug in a reader must not stop the round either
        error = f"Uventet feil ved lesing av filen: {type(exc).__name__}: {exc}"
        return replace(row, status="error", error=error)
    return replace(
        row,
        text=found.text,
        encoding=found.encoding,
        pages=found.pages,
        extraction=found.extraction,
        sender_hint=found.sender_hint,
    )


def duplicate_reason(original: str) -> str:
    """The reason of a duplicate row: which file it repeats."""
    return f"Duplikat: samme innhold (byte for byte) som «{original}»; analyseres ikke på nytt"


def read_folder(folder: Path) -> list[Response]:
    """All files under folder (recursively, sorted by relative path), one Response each.

    Hidden files and folders (name starting with '.'), Office lock/temp files ('~$...', '*.tmp'),
    backups ('...~') and Thumbs.db/desktop.ini are skipped (:func:`skip_reason`); links are never followed
    and, with pipes and devices, are error rows (a link to a file in the folder is skipped: that file is
    read as itself; see :func:`scan_folder`). Ids are made unique
    with -2, -3, ... in path order. A file with the same bytes as an earlier one (in path order) is a
    ``duplicate`` naming the earlier one.

    Raises:
        NotADirectoryError: if folder is not a directory.
    """
    folder = Path(folder)
    rows, used, seen = [], set(), {}
    entries = scan_folder(folder)
    names = source_names([e.path for e in entries], folder)
    for entry in entries:
        path, source = entry.path, names[entry.path]
        if skip_reason(path.relative_to(folder)) or entry.status == "skipped":
            continue
        try:
            if entry.kind != "file":
                row = Response(
                    slugify(Path(source).stem), source, "", _format(path), "error", entry.reason, "", "", None
                )
            else:
                row = replace(read_document(path, folder, seen), source_file=source)
        except Exception as exc:  # read_document catches what files do; this is for what they shouldn't
            row = Response(
                slugify(Path(relative_name(path, folder)).stem),
                relative_name(path, folder),
                "",
                _format(path),
                "error",
                f"Uventet feil ved lesing av filen: {type(exc).__name__}: {reason(exc)}",
                "",
                "",
                None,
            )
        if row.sha256 and row.status != "duplicate":
            seen.setdefault(row.sha256, row.source_file)
        response_id, n = row.response_id, 1
        while response_id in used:
            n += 1
            response_id = f"{row.response_id}-{n}"
        used.add(response_id)
        rows.append(replace(row, response_id=response_id))
    return rows
