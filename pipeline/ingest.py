"""Read every file of a hearing round and extract its raw text: the first stage of the pipeline.

One :class:`Response` per file. A file that cannot be read never stops the run: it becomes a row
with ``status="error"`` and a Norwegian message saying what is wrong with it.

Example:
    >>> rows = read_folder(Path("data/raw/runde-1"))  # doctest: +SKIP
    >>> [(r.response_id, r.status) for r in rows]  # doctest: +SKIP
    [('bydel-alna', 'ok'), ('fo-oslo-horingssvar', 'error')]
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from charset_normalizer import from_bytes
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PasswordType, PdfReader

SUPPORTED_FORMATS = ("txt", "pdf", "docx")
SKIPPED_NAMES = {"thumbs.db", "desktop.ini"}  # system files, like hidden files and '~$' locks
BINARY_RATIO = 0.05  # a .txt with more control characters than this is binary junk
NORWEGIAN_LETTERS = set("æøåÆØÅ")
TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})

EMPTY = "Tom fil"
BINARY = "Filen ser ikke ut til å være tekst (binært innhold)"
ENCRYPTED = "PDF-filen er passordbeskyttet"
NO_TEXT_LAYER = "PDF-filen har ingen tekst (skannet? OCR kommer i en senere versjon)"
EMPTY_DOCX = "Word-filen har ingen tekst"


class IngestError(Exception):
    """A file whose text cannot be read; the message is the Norwegian reason."""

    def __init__(self, message: str, pages: int | None = None) -> None:
        super().__init__(message)
        self.pages = pages


@dataclass(frozen=True)
class Response:
    """One file of a hearing round and its raw text."""

    response_id: str  # slug of the file name, unique within a round
    source_file: str  # path relative to the scanned folder, '/' separators
    sha256: str  # of the file bytes; "" if the file could not be read at all
    format: str  # lower-case extension without the dot: "txt", "pdf", "docx", ...
    status: str  # "ok" or "error"
    error: str  # Norwegian reason when status is "error", else ""
    text: str  # raw text, line breaks kept; "" on error
    encoding: str  # detected encoding of a .txt, else ""
    pages: int | None  # page count of a pdf (also a scanned one), else None


def slugify(name: str) -> str:
    """Lower-case ascii slug: æ->ae, ø->o, å->a, other runs of non-alphanumerics -> '-'."""
    ascii_ = unicodedata.normalize("NFKD", name.lower().translate(TRANSLIT))
    ascii_ = ascii_.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-") or "fil"


def _reason(exc: Exception) -> str:
    return str(exc).strip() or type(exc).__name__


def _normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text).lstrip("\ufeff")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a .txt: strict utf-8, then a BOM, then charset-normalizer / cp1252."""
    mostly_text = data.count(b"\x00") <= BINARY_RATIO * len(data)  # else maybe BOM-less utf-16
    if mostly_text and (text := _try_decode(data, "utf-8-sig")) is not None:
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    for bom, encoding in boms:
        if data.startswith(bom) and (text := _try_decode(data, encoding)) is not None:
            return text, encoding
    cp1252 = _try_decode(data, "cp1252")
    best = from_bytes(data).best()
    if best is not None and _mostly_latin(str(best)):
        text = str(best)
        # Short cp1252 texts are often taken for cp1250 & co., which garble æøå.
        if cp1252 is not None and (text == cp1252 or (
                not NORWEGIAN_LETTERS & set(text) and NORWEGIAN_LETTERS & set(cp1252))):
            return cp1252, "cp1252"
        return text, codecs.lookup(best.encoding).name
    if cp1252 is not None:
        return cp1252, "cp1252"
    raise IngestError(BINARY)


def _mostly_latin(text: str) -> bool:
    """A guessed decoding of a Norwegian file reads as Latin script; junk bytes often decode as CJK."""
    visible = [c for c in text if not c.isspace()]
    return bool(visible) and sum(c < "\u0250" for c in visible) >= 0.5 * len(visible)


def _read_txt(data: bytes) -> tuple[str, str]:
    text, encoding = _decode(data)
    junk = sum(1 for c in text if c == "\ufffd" or (
        unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"))
    if junk > BINARY_RATIO * len(text):
        raise IngestError(BINARY)
    return text, encoding


def _read_pdf(data: bytes) -> tuple[str, int]:
    if b"%PDF-" not in data[:1024]:
        raise IngestError("Kunne ikke lese PDF-filen: filen er ikke en PDF (mangler %PDF-hode)")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise IngestError(ENCRYPTED)
        pages = [page.extract_text() or "" for page in reader.pages]
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        raise IngestError(f"Kunne ikke lese PDF-filen: {_reason(exc)}") from exc
    if not "".join(pages).strip():
        raise IngestError(NO_TEXT_LAYER, pages=len(pages))
    return "\n\n".join(pages), len(pages)


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


def _read_docx(data: bytes) -> str:
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _docx_blocks(document, set())
    except Exception as exc:  # not a zip, no word/document.xml, broken XML, ...
        raise IngestError(f"Kunne ikke lese Word-filen: {_reason(exc)}") from exc
    if not blocks:
        raise IngestError(EMPTY_DOCX)
    return "\n\n".join(blocks)


def _extract(data: bytes, fmt: str) -> tuple[str, str, int | None]:
    """Text, encoding and page count of file bytes; raises IngestError."""
    if fmt not in SUPPORTED_FORMATS:
        ext = f".{fmt}" if fmt else "(ingen filendelse)"
        raise IngestError(f"Ukjent filformat: {ext} (støttet: .txt, .pdf, .docx)")
    if not data.strip():
        raise IngestError(EMPTY)
    try:
        encoding, pages = "", None
        if fmt == "txt":
            text, encoding = _read_txt(data)
        elif fmt == "pdf":
            text, pages = _read_pdf(data)
        else:
            text = _read_docx(data)
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"Uventet feil ved lesing av {fmt}-filen: {type(exc).__name__}: {exc}") from exc
    text = _normalise(text)
    if not text.strip():
        raise IngestError(EMPTY, pages=pages)
    return text, encoding, pages


def _format(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def extract_text(path: Path) -> str:
    """Text of a file (txt, pdf or docx).

    Raises:
        IngestError: with the Norwegian reason when the file can't be read.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise IngestError(f"Kunne ikke lese filen: {_reason(exc)}") from exc
    return _extract(data, _format(Path(path)))[0]


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
        return replace(row, status="error", error=f"Kunne ikke lese filen: {_reason(exc)}")
    row = replace(row, sha256=hashlib.sha256(data).hexdigest())
    try:
        text, encoding, pages = _extract(data, row.format)
    except IngestError as exc:
        return replace(row, status="error", error=str(exc), pages=exc.pages)
    return replace(row, text=text, encoding=encoding, pages=pages)


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
