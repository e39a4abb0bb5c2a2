"""Tests for pipeline.ingest: real files written in tmp_path, read with the real libraries."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from pipeline.ingest import (
    SUPPORTED_FORMATS,
    IngestError,
    Response,
    extract_text,
    read_document,
    read_folder,
    slugify,
)

TEXT = "Høringssvar fra Bydel Østensjø\n\nVi støtter tiltak 7S og ønsker økt satsing på rusforebygging."
PAGES = [
    ["Høringssvar fra Bydel Østensjø", "Vi støtter tiltak 7S og ønsker økt satsing."],
    ["Side to: Rusforebygging på skolene", "Med vennlig hilsen Ærlige Åse"],
]


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


def make_pdf(pages: list[list[str]]) -> bytes:
    """A minimal valid PDF, one text line per string, Helvetica with WinAnsiEncoding."""
    n = len(pages)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, lines in enumerate(pages):
        stream = b"BT /F1 12 Tf 72 720 Td 16 TL\n"
        stream += b"".join(_pdf_string(line) + b" Tj T*\n" for line in lines) + b"ET"
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
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


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Høringssvar fra Bydel Østensjø", level=1)
    document.add_paragraph("Vi støtter tiltak 7S.")
    document.add_paragraph("Økt satsing på rusforebygging", style="List Bullet")
    document.add_paragraph("Flere lavterskeltilbud", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Tiltak"
    table.cell(0, 1).text = "Kommentar"
    table.cell(1, 0).text = "7S"
    table.cell(1, 1).text = "Bør prioriteres høyt."
    document.add_paragraph("Med vennlig hilsen Åse Ærlig")
    document.save(path)
    return path


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("cp1252", "cp1252")],
)
def test_txt_encodings_read_back_identical(tmp_path, encoding, reported):
    path = tmp_path / "svar.txt"
    path.write_bytes(TEXT.encode(encoding))
    row = read_document(path)
    assert (row.status, row.error) == ("ok", "")
    assert row.text == TEXT
    assert row.encoding == reported
    assert row.format == "txt" and row.pages is None


def test_txt_utf16_without_bom_and_line_endings(tmp_path):
    path = tmp_path / "svar.txt"
    path.write_bytes(TEXT.replace("\n", "\r\n").encode("utf-16-le"))
    row = read_document(path)
    assert row.status == "ok" and row.text == TEXT


def test_txt_normalises_crlf_nul_and_nfc(tmp_path):
    path = tmp_path / "svar.txt"
    decomposed = "Ho\u0308ringssvar\r\nVi sto\u0308tter\x00 tiltaket.\rSlutt"
    path.write_bytes(decomposed.encode("utf-8"))
    assert read_document(path).text == "Höringssvar\nVi stötter tiltaket.\nSlutt"


def test_pdf_with_text_layer(tmp_path):
    path = tmp_path / "Bydel Østensjø.PDF"
    path.write_bytes(make_pdf(PAGES))
    row = read_document(path)
    assert (row.status, row.error) == ("ok", "")
    assert row.format == "pdf" and row.pages == 2 and row.encoding == ""
    for line in PAGES[0] + PAGES[1]:
        assert line in row.text
    first, second = row.text.split("\n\n")
    assert "Østensjø\nVi støtter" in first and "Ærlige Åse" in second


def test_pdf_encrypted(tmp_path):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PAGES))))
    writer.encrypt(user_password="hemmelig", owner_password="eier", algorithm="RC4-128")
    locked = io.BytesIO()
    writer.write(locked)
    (tmp_path / "låst.pdf").write_bytes(locked.getvalue())
    row = read_document(tmp_path / "låst.pdf")
    assert (row.status, row.error) == ("error", "PDF-filen er passordbeskyttet")

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PAGES))))
    writer.encrypt(user_password="", owner_password="eier", algorithm="RC4-128")
    open_ = io.BytesIO()
    writer.write(open_)
    (tmp_path / "åpen.pdf").write_bytes(open_.getvalue())
    row = read_document(tmp_path / "åpen.pdf")
    assert row.status == "ok" and "Bydel Østensjø" in row.text


def test_pdf_aes_encrypted_with_empty_user_password(tmp_path):
    pytest.importorskip("cryptography")  # pypdf needs it for AES
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PAGES))))
    writer.encrypt(user_password="", owner_password="eier", algorithm="AES-256")
    writer.write(tmp_path / "rettigheter.pdf")
    row = read_document(tmp_path / "rettigheter.pdf")
    assert row.status == "ok" and "Bydel Østensjø" in row.text and row.pages == 2


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "skannet.pdf"
    path.write_bytes(make_pdf([[], []]))
    row = read_document(path)
    assert row.status == "error" and "ingen tekst" in row.error and row.pages == 2
    assert row.text == ""


def test_docx_paragraphs_bullets_and_table_in_order(tmp_path):
    row = read_document(make_docx(tmp_path / "svar.docx"))
    assert (row.status, row.format, row.pages) == ("ok", "docx", None)
    assert row.text.split("\n\n") == [
        "Høringssvar fra Bydel Østensjø",
        "Vi støtter tiltak 7S.",
        "• Økt satsing på rusforebygging",
        "• Flere lavterskeltilbud",
        "Tiltak", "Kommentar", "7S", "Bør prioriteres høyt.",
        "Med vennlig hilsen Åse Ærlig",
    ]


def test_docx_merged_cells_read_once(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Felles celle"
    table.cell(0, 2).text = "Egen celle"
    document.save(tmp_path / "tabell.docx")
    assert extract_text(tmp_path / "tabell.docx") == "Felles celle\n\nEgen celle"


@pytest.fixture
def bad_files(tmp_path) -> dict[str, Path]:
    valid = make_pdf(PAGES)
    files = {
        "junk.pdf": b"dette er ikke en pdf " * 20,
        "truncated.pdf": valid[: len(valid) // 2],
        "binary.txt": os.urandom(2000) + b"\x00" * 200 + os.urandom(500),
        "tiny-binary.txt": b"\x00\x01junk",  # decodes as utf-16 CJK unless checked
        "empty.txt": b"",
        "blank.txt": b"  \r\n\t\n",
        "notes.xyz": b"noe tekst",
        "broken.docx": b"PK\x03\x04 ikke en zip",
        "README": b"ingen filendelse",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return {name: tmp_path / name for name in files}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("junk.pdf", "Kunne ikke lese PDF-filen: filen er ikke en PDF"),
        ("truncated.pdf", "Kunne ikke lese PDF-filen: "),
        ("binary.txt", "Filen ser ikke ut til å være tekst (binært innhold)"),
        ("tiny-binary.txt", "Filen ser ikke ut til å være tekst (binært innhold)"),
        ("empty.txt", "Tom fil"),
        ("blank.txt", "Tom fil"),
        ("notes.xyz", "Ukjent filformat: .xyz (støttet: .txt, .pdf, .docx)"),
        ("broken.docx", "Kunne ikke lese Word-filen: "),
        ("README", "Ukjent filformat: (ingen filendelse)"),
    ],
)
def test_error_rows(bad_files, name, message):
    row = read_document(bad_files[name])
    assert row.status == "error"
    assert row.error.startswith(message)
    if message.endswith(": "):  # the reason follows
        assert len(row.error) > len(message)
    assert row.text == "" and len(row.sha256) == 64
    with pytest.raises(IngestError, match=re.escape(message)):
        extract_text(bad_files[name])


def test_unreadable_path_is_an_error_row(tmp_path):
    row = read_document(tmp_path / "finnes-ikke.txt")
    assert row.status == "error" and row.error.startswith("Kunne ikke lese filen") and row.sha256 == ""
    with pytest.raises(IngestError):
        extract_text(tmp_path / "finnes-ikke.txt")


def test_read_folder_keeps_bad_rows_and_skips_system_files(tmp_path, bad_files):
    (tmp_path / "god.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "Bydel Østensjø.pdf").write_bytes(make_pdf(PAGES))
    (tmp_path / "underliggende").mkdir()
    make_docx(tmp_path / "underliggende" / "svar.docx")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "~$tmp.docx").write_bytes(b"\x05lock")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("[core]")

    rows = read_folder(tmp_path)
    sources = [r.source_file for r in rows]
    assert sources == sorted(sources)
    assert set(sources) == set(bad_files) | {"god.txt", "Bydel Østensjø.pdf", "underliggende/svar.docx"}
    by_source = {r.source_file: r for r in rows}
    assert all(by_source[name].status == "error" and by_source[name].error for name in bad_files)
    assert {by_source[n].status for n in ("god.txt", "Bydel Østensjø.pdf", "underliggende/svar.docx")} == {"ok"}
    assert by_source["Bydel Østensjø.pdf"].response_id == "bydel-ostensjo"
    assert all(isinstance(r, Response) for r in rows)


def test_response_ids_slugged_unique_and_stable(tmp_path):
    (tmp_path / "FO Oslo høringssvar.PDF").write_bytes(make_pdf(PAGES))
    (tmp_path / "FO Oslo høringssvar.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "fo-oslo-horingssvar-2.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Fo_Oslo_Høringssvar.docx").write_bytes(b"")
    (tmp_path / "Ærlig & Åpen (2024).txt").write_text(TEXT, encoding="utf-8")

    first, second = read_folder(tmp_path), read_folder(tmp_path)
    assert first == second
    ids = {r.source_file: r.response_id for r in first}
    assert ids == {
        "FO Oslo høringssvar.PDF": "fo-oslo-horingssvar",  # sorted: upper case first
        "FO Oslo høringssvar.txt": "fo-oslo-horingssvar-2",
        "b/Fo_Oslo_Høringssvar.docx": "fo-oslo-horingssvar-3",
        "fo-oslo-horingssvar-2.txt": "fo-oslo-horingssvar-2-2",
        "Ærlig & Åpen (2024).txt": "aerlig-apen-2024",
    }
    assert len(set(ids.values())) == len(ids)
    assert slugify("FO Oslo høringssvar") == "fo-oslo-horingssvar"
    assert slugify("Kafé Ærø") == "kafe-aero"


def test_extract_text_and_formats(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(TEXT.encode("cp1252"))
    assert extract_text(path) == TEXT
    assert SUPPORTED_FORMATS == ("txt", "pdf", "docx")
