"""Fixture documents for the ingest tests, built with the real libraries: PDFs (text layer, scanned,
garbage text layer over a scan), page images, .odt and .eml files."""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
from odf.opendocument import OpenDocumentText
from odf.text import H, List, ListItem, P
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")  # Debian fonts-dejavu-core

SCAN_LINES = [
    "Høringssvar fra Bydel Østensjø",
    "Vi støtter tiltak 10S og ønsker økt satsing på rusforebygging blant unge.",
    "Særlig må bydelene få midler til bolig og oppfølging.",
]
SCAN_WORDS = ["Østensjø", "økt", "rusforebygging", "Særlig", "oppfølging"]  # Tesseract nor reads these


def _pdf_string(line: str) -> bytes:
    """A PDF literal string for a WinAnsi font: cp1252 bytes, non-ascii as octal escapes."""
    out = bytearray(b"(")
    for byte in line.encode("cp1252"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte >= 128:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out + b")")


def make_pdf(pages: list[list[str]], invisible: bool = False, size: tuple[int, int] = (595, 842)) -> bytes:
    """A minimal valid PDF, one text line per string, Helvetica with WinAnsiEncoding.

    ``invisible`` draws the text in render mode 3 (like the text layer of an OCR'd scan).
    """
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        stream = b"BT /F1 12 Tf %s72 720 Td 16 TL\n" % (b"3 Tr " if invisible else b"")
        stream += b"".join(_pdf_string(line) + b" Tj T*\n" for line in lines) + b"ET"
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (*size, 5 + 2 * i)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def render_page(lines: list[str] = SCAN_LINES, size: tuple[int, int] = (1700, 2200), font_px: int = 30) -> Image.Image:
    """A white page with black lines of text in DejaVu Serif, like a scanned letter (grayscale)."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(str(FONT), font_px)
    for i, line in enumerate(lines):
        draw.text((150, 200 + i * 2 * font_px), line, font=font, fill=0)
    return page


def scanned_pdf(pages: list[Image.Image], resolution: int = 200) -> bytes:
    """A PDF of page images only (no text layer), as a scanner writes it."""
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=resolution, save_all=True, append_images=pages[1:])
    return out.getvalue()


def shifted(line: str, offset: int = 29) -> str:
    """Glyph codes instead of characters: what a subset font without a Unicode map extracts as."""
    return "".join(chr(ord(c) - offset) if ord(c) > 60 else c for c in line)


def garbage_layer_pdf(page: Image.Image, junk: list[str], resolution: int = 200) -> bytes:
    """A scanned page with an invisible text layer of junk over it (pypdf merges the two)."""
    scan = PdfReader(io.BytesIO(scanned_pdf([page], resolution)))
    box = scan.pages[0].mediabox
    layer = PdfReader(io.BytesIO(make_pdf([junk], invisible=True, size=(int(box.width), int(box.height)))))
    writer = PdfWriter()
    writer.add_page(scan.pages[0])
    writer.pages[0].merge_page(layer.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_odt(path: Path) -> Path:
    """A heading, two paragraphs (one with a line break and repeated spaces) and a bullet list."""
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Høringssvar fra Bydel Grünerløkka"))
    document.text.addElement(P(text="Vi støtter tiltak 7S."))
    document.text.addElement(P(text="Bydelen ønsker  mer satsing på forebygging."))
    bullets = List()
    for item in ("Økt satsing på rusforebygging", "Flere lavterskeltilbud"):
        entry = ListItem()
        entry.addElement(P(text=item))
        bullets.addElement(entry)
    document.text.addElement(bullets)
    document.text.addElement(P(text="Med vennlig hilsen Åse Ærlig"))
    document.save(str(path))
    return path


def docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def make_eml(
    path: Path,
    body: str | None = None,
    html: str | None = None,
    attachments: list[tuple[str, bytes, str]] = (),
    sender: str = "Bydel Alna <postmottak@bla.oslo.kommune.no>",
) -> Path:
    """An e-mail: plain and/or HTML body, attachments as (file name, bytes, MIME type)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "postmottak@byr.oslo.kommune.no"
    message["Subject"] = "Høringssvar – Handlingsplan for rusfeltet"
    if body is not None:
        message.set_content(body)
    if html is not None:
        if body is None:
            message.set_content(html, subtype="html")
        else:
            message.add_alternative(html, subtype="html")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    path.write_bytes(bytes(message))
    return path


def docx_with_body(xml: bytes) -> bytes:
    """A .docx whose body starts with the raw ``xml`` (e.g. millions of empty paragraphs)."""
    template = zipfile.ZipFile(io.BytesIO(docx_bytes(["Vi støtter planen."])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info in template.infolist():
            data = template.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + xml, 1)
            package.writestr(info.filename, data)
    return out.getvalue()


def valid_fnr(birth: str = "150385") -> str:
    """A fødselsnummer with right check digits for the date ``birth`` (ddmmyy), made up for tests."""
    from pipeline.outputs.personal_data import _check_digits

    for individual in range(100, 1000):
        first = [int(d) for d in f"{birth}{individual}"]
        if (check := _check_digits(first)) is not None:
            return "".join(map(str, first + check))
    raise ValueError(f"no valid number for {birth}")
