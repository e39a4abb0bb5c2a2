"""Office documents (.docx from Word, .odt from LibreOffice): paragraphs, list items and table cells
in document order, one block each. A package over a budget is refused before its XML is parsed
(:func:`~pipeline.ingest.budgets.check_package`).
"""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph
from odf.element import Node
from odf.namespaces import OFFICENS, TABLENS, TEXTNS
from odf.opendocument import load as load_odf

from pipeline.ingest.budgets import check_package, parsing_time_limit
from pipeline.ingest.extracted import Extracted, IngestError, damaged

EMPTY_DOCX = "Word-filen har ingen tekst"
EMPTY_ODT = "ODT-filen har ingen tekst"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old Office files, and password-protected new ones
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
ENCRYPTED_DOCX = "Word-filen er passordbeskyttet"
OLD_WORD = "Filen er i det gamle Word-formatet (.doc), ikke .docx som navnet sier; lagre den som .docx eller PDF"
_ODT_SKIPPED = {(TEXTNS, "note"), (OFFICENS, "annotation"), (TEXTNS, "tracked-changes")}


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


def read_docx(data: bytes) -> Extracted:
    check_package(data, "word/document.xml", (b"<w:p>", b"<w:p ", b"<w:p/>"), "Word-filen")
    try:
        with parsing_time_limit("å lese Word-filen"):
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
        with parsing_time_limit("å lese ODT-filen"):
            document = load_odf(io.BytesIO(data))
            blocks = _odt_blocks(document.text)
    except IngestError:
        raise
    except Exception as exc:  # not a zip, no content.xml, broken XML, ...
        raise damaged("ODT-filen", "ikke en ODT-fil", exc) from exc
    if not blocks:
        raise IngestError(EMPTY_ODT)
    return Extracted("\n\n".join(blocks), "odt")
