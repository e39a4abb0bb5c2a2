"""Tests for pipeline.ingest.folder: real files written in tmp_path, read with the real libraries."""

from __future__ import annotations

import email
import email.policy
import io
import os
import re
from pathlib import Path

import docx
import pytest
from documents import (
    SCAN_LINES,
    SCAN_WORDS,
    docx_bytes,
    garbage_layer_pdf,
    make_eml,
    make_odt,
    make_pdf,
    render_page,
    scanned_pdf,
    shifted,
)
from PIL import Image
from pypdf import PdfReader, PdfWriter
from seeds import seed_text

from pipeline.ingest.folder import (
    SUPPORTED_FORMATS,
    IngestError,
    Response,
    extract_text,
    read_document,
    read_folder,
    slugify,
)
from pipeline.ingest.garbage import looks_like_garbage

TEXT = "Høringssvar fra Bydel Østensjø\n\nVi støtter tiltak 7S og ønsker økt satsing på rusforebygging."
PAGES = [
    ["Høringssvar fra Bydel Østensjø", "Vi støtter tiltak 7S og ønsker økt satsing."],
    ["Side to: Rusforebygging på skolene", "Med vennlig hilsen Ærlige Åse"],
]


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
    assert (row.extraction, row.sender_hint) == ("text", "")


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
    assert row.extraction == "pdf-text"
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
    assert row.text == "" and row.extraction == ""  # blank pages: OCR found nothing either


def test_docx_paragraphs_bullets_and_table_in_order(tmp_path):
    row = read_document(make_docx(tmp_path / "svar.docx"))
    assert (row.status, row.format, row.pages, row.extraction) == ("ok", "docx", None, "docx")
    assert row.text.split("\n\n") == [
        "Høringssvar fra Bydel Østensjø",
        "Vi støtter tiltak 7S.",
        "• Økt satsing på rusforebygging",
        "• Flere lavterskeltilbud",
        "Tiltak",
        "Kommentar",
        "7S",
        "Bør prioriteres høyt.",
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
        (
            "notes.xyz",
            "Ukjent filformat: .xyz (støttet: .txt, .pdf, .docx, .odt, .eml, .png, .jpg, .jpeg, .tif, .tiff)",
        ),
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
    assert SUPPORTED_FORMATS == ("txt", "pdf", "docx", "odt", "eml", "png", "jpg", "jpeg", "tif", "tiff")


# --- scans and images: real Tesseract OCR (Norwegian model) --------------------------------------


@pytest.fixture(scope="session")
def scan_page() -> Image.Image:
    return render_page()


def _assert_norwegian_scan(row: Response) -> None:
    assert (row.status, row.error) == ("ok", "")
    for word in SCAN_WORDS:
        assert word in row.text, (word, row.text)


@pytest.mark.parametrize(("name", "save"), [("brev.png", {}), ("Brev fra Bydel Østensjø.JPG", {"quality": 85})])
def test_image_is_read_with_ocr(tmp_path, scan_page, name, save):
    scan_page.save(tmp_path / name, **save)
    row = read_document(tmp_path / name)
    _assert_norwegian_scan(row)
    assert (row.extraction, row.pages, row.encoding, row.sender_hint) == ("image-ocr", 1, "", "")
    assert row.format == name.rsplit(".", 1)[1].lower()


def test_multipage_tiff_reads_every_frame_in_order(tmp_path, scan_page):
    second = render_page(["Side to", "Vi ber om mer oppfølging av unge i Groruddalen."])
    scan_page.save(tmp_path / "skann.tiff", save_all=True, append_images=[second], compression="tiff_deflate")
    row = read_document(tmp_path / "skann.tiff")
    _assert_norwegian_scan(row)
    assert (row.extraction, row.pages) == ("image-ocr", 2)
    assert row.text.index("Østensjø") < row.text.index("Groruddalen")


def test_transparent_png_is_read_as_black_on_white(tmp_path):
    mask = render_page(SCAN_LINES[:1], size=(1200, 400)).point(lambda v: 255 - v)  # text opaque
    image = Image.new("RGBA", mask.size, (0, 0, 0, 0))  # transparent black: black once flattened
    image.putalpha(mask)
    image.save(tmp_path / "logo.png")
    row = read_document(tmp_path / "logo.png")
    assert row.status == "ok" and "Østensjø" in row.text and row.extraction == "image-ocr"


def test_scanned_pdf_is_read_with_ocr(tmp_path, scan_page):
    second = render_page(["Side to", "Vi ber om mer oppfølging av unge i Groruddalen."])
    (tmp_path / "skannet.pdf").write_bytes(scanned_pdf([scan_page, second]))
    row = read_document(tmp_path / "skannet.pdf")
    _assert_norwegian_scan(row)
    assert (row.extraction, row.pages) == ("pdf-ocr", 2)
    assert row.text.index("Østensjø") < row.text.index("Groruddalen")
    assert "\n\n" in row.text[row.text.index("oppfølging") : row.text.index("Groruddalen")]  # page break


def test_pdf_with_garbage_text_layer_is_read_with_ocr(tmp_path, scan_page):
    junk = [shifted(line) for line in SCAN_LINES * 6]  # '+ÛULQJVVYDU IUD %\\GHO »VWHQVMÛ'
    data = garbage_layer_pdf(scan_page, junk)
    assert "+ÛULQJVVYDU" in PdfReader(io.BytesIO(data)).pages[0].extract_text()  # the layer is there
    (tmp_path / "søppel.pdf").write_bytes(data)
    row = read_document(tmp_path / "søppel.pdf")
    _assert_norwegian_scan(row)
    assert (row.extraction, row.pages) == ("pdf-ocr", 1)
    assert "ÛULQJ" not in row.text


def test_missing_tesseract_is_an_error_row_saying_so(tmp_path, scan_page, monkeypatch):
    import pytesseract

    from pipeline import config

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "finnes-ikke" / "tesseract"))
    monkeypatch.setattr(config, "CACHE_DIR", None)  # the same page may have been read (and cached) before
    scan_page.save(tmp_path / "brev.png")
    (tmp_path / "skannet.pdf").write_bytes(scanned_pdf([scan_page]))
    image, scan = read_document(tmp_path / "brev.png"), read_document(tmp_path / "skannet.pdf")
    assert image.status == "error" and image.error.startswith("Kan ikke lese bildet: Tesseract OCR")
    assert scan.status == "error" and scan.error.startswith("Kan ikke lese skannet dokument: Tesseract OCR")
    assert scan.pages == 1
    for row in (image, scan):
        assert "norsk språkdata (nor) er ikke installert (make setup installerer det)" in row.error
        assert row.text == "" and row.extraction == ""
    with pytest.raises(IngestError, match="Tesseract OCR"):
        extract_text(tmp_path / "brev.png")


def test_missing_language_data_is_an_error_row_saying_so(tmp_path, scan_page, monkeypatch):
    from pipeline import config

    monkeypatch.setattr(config, "OCR_LANGUAGE", "nor+qqq")  # no such traineddata
    scan_page.save(tmp_path / "brev.png")
    row = read_document(tmp_path / "brev.png")
    assert row.status == "error"
    assert row.error.startswith("Kan ikke lese bildet: Tesseract OCR er installert, men mangler språkdata for qqq")


def test_broken_and_blank_images_are_error_rows(tmp_path):
    (tmp_path / "ødelagt.png").write_bytes(b"\x89PNG\r\n\x1a\n ikke et bilde")
    Image.new("L", (400, 300), 255).save(tmp_path / "blank.jpg")
    broken, blank = read_document(tmp_path / "ødelagt.png"), read_document(tmp_path / "blank.jpg")
    assert broken.status == "error" and broken.error.startswith("Kunne ikke lese bildefilen: ")
    assert (blank.status, blank.error, blank.pages) == ("error", "Fant ingen tekst i bildet (OCR)", 1)


# --- garbage text layers --------------------------------------------------------------------------


@pytest.mark.parametrize("number", [0, 4])  # FO Oslo's response and an OCR-damaged report
def test_ocr_damaged_seed_text_is_not_garbage(number):
    text = seed_text(number)
    assert not looks_like_garbage(text, pages=max(1, len(text) // 3000))
    assert not looks_like_garbage(text[:3000], pages=1)


@pytest.mark.parametrize(
    "junk",
    [
        "\n".join(shifted(line) for line in seed_text(0).splitlines()[:40]),  # glyph codes, shifted
        " ".join(f"(cid:{i % 90 + 3})(cid:{i % 47 + 5})(cid:{i % 31 + 7})" for i in range(300)),
        " ".join(chr(0xE000 + i % 200) * 3 for i in range(400)),  # private-use glyphs
        "Hø\ufffd\ufffdngss\ufffd\ufffdr fr\ufffd B\ufffdd\ufffdl Øst\ufffd\ufffdsjø " * 30,
        " ".join("#$%&*+<=>@^~{}|"[i % 15] * (i % 5 + 2) + "¤¦§" for i in range(300)),  # symbols
        "xq zkv brtn plmkr vtsk grz kjhg fdsq wrt " * 30,  # letters without vowels
    ],
)
def test_junk_is_garbage(junk):
    assert looks_like_garbage(junk, pages=1)


def test_thin_text_layer_is_garbage():
    assert looks_like_garbage("Side 1 av 3", pages=1)  # a page number over a scan
    assert looks_like_garbage("Mottatt 12.09.2025 Oslo kommune", pages=3)
    assert not looks_like_garbage("Bydel Alna har ingen merknader til handlingsplanen.", pages=1)


# --- .odt and .eml ------------------------------------------------------------------------------


def test_odt_headings_paragraphs_and_list_in_order(tmp_path):
    row = read_document(make_odt(tmp_path / "svar.odt"))
    assert (row.status, row.format, row.extraction, row.pages) == ("ok", "odt", "odt", None)
    assert row.text.split("\n\n") == [
        "Høringssvar fra Bydel Grünerløkka",
        "Vi støtter tiltak 7S.",
        "Bydelen ønsker  mer satsing på forebygging.",
        "• Økt satsing på rusforebygging",
        "• Flere lavterskeltilbud",
        "Med vennlig hilsen Åse Ærlig",
    ]


def test_broken_and_empty_odt_are_error_rows(tmp_path):
    from odf.opendocument import OpenDocumentText

    (tmp_path / "ødelagt.odt").write_bytes(b"PK\x03\x04 ikke en zip")
    OpenDocumentText().save(str(tmp_path / "tom.odt"))
    assert read_document(tmp_path / "ødelagt.odt").error.startswith("Kunne ikke lese ODT-filen: ")
    assert read_document(tmp_path / "tom.odt").error == "ODT-filen har ingen tekst"


DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY = "Hei,\n\nVedlagt er høringssvaret fra Bydel Alna.\n\nMed vennlig hilsen\nBydel Alna"


def test_eml_body_then_readable_attachments(tmp_path):
    attachment = docx_bytes(["Bydel Alna støtter tiltak 7S.", "Vi ønsker flere boliger."])
    path = make_eml(
        tmp_path / "Svar fra Alna.eml",
        body=BODY,
        attachments=[
            ("høringssvar.docx", attachment, DOCX_MIME),
            ("notat.xyz", b"ukjent format", "application/octet-stream"),  # no document format: not a response
        ],
    )
    row = read_document(path)
    assert (row.status, row.format, row.extraction, row.pages) == ("ok", "eml", "eml+docx", None)
    assert row.sender_hint == "Bydel Alna"
    assert row.text == BODY + "\n\nBydel Alna støtter tiltak 7S.\n\nVi ønsker flere boliger."


@pytest.mark.parametrize(
    ("name", "data", "mime", "why"),
    [
        ("svar.pdf", b"%PDF-1.4\n ikke en ekte pdf", "application/pdf", "PDF-filen"),
        ("svar.doc", b"\xd0\xcf\x11\xe0 gammel Word", "application/msword", "Ukjent filformat: .doc"),
    ],
)
def test_an_unread_attachment_makes_the_e_mail_an_error_naming_it(tmp_path, name, data, mime, why):
    path = make_eml(tmp_path / "svar.eml", body=BODY, attachments=[(name, data, mime)])
    row = read_document(path)
    assert row.status == "error" and f"«{name}»" in row.error and why in row.error and row.text == ""
    assert "ikke analysert" in row.error


def test_damaged_base64_and_too_deep_nesting_are_named(tmp_path):
    path = make_eml(
        tmp_path / "skadet.eml", body=BODY, attachments=[("svar.txt", b"Vi er enige i planen.", "text/plain")]
    )
    raw = path.read_bytes()
    encoded = __import__("base64").b64encode(b"Vi er enige i planen.")
    path.write_bytes(raw.replace(encoded, encoded[:-3] + b"!*"))
    assert "base64" in read_document(path).error

    inner = make_eml(tmp_path / "0.eml", body="Vi støtter planen.").read_bytes()
    for _ in range(1, 5):
        message = email.message.EmailMessage()
        message["From"] = "kari@example.no"
        message.set_content("Videresendt.")
        message.add_attachment(email.message_from_bytes(inner, policy=email.policy.default))
        inner = bytes(message)
    (tmp_path / "dyp.eml").write_bytes(inner)
    assert "mer enn 3 ledd" in read_document(tmp_path / "dyp.eml").error


def test_eml_html_body_becomes_text_and_logos_are_not_attachments(tmp_path, scan_page):
    html = (
        "<html><head><style>p { color: red }</style><title>Svar</title></head><body>"
        "<p>Hei,</p><p>Vi st&oslash;tter <b>tiltak 7S</b>.<br>Og 11F&nbsp;også.</p>"
        "<ul><li>Punkt en</li><li><p>Punkt to</p></li></ul>"
        '<img src="cid:logo@alna"><script>var x = 1;</script></body></html>'
    )
    path = make_eml(tmp_path / "html.eml", html=html, sender="ola.nordmann@example.no")
    row = read_document(path)
    assert (row.status, row.extraction, row.sender_hint) == ("ok", "eml", "ola.nordmann@example.no")
    assert row.text == "Hei,\n\nVi støtter tiltak 7S.\nOg 11F også.\n\n• Punkt en\n\n• Punkt to"

    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    logo, scan = io.BytesIO(), io.BytesIO()
    render_page(["Oslo kommune"], size=(900, 400)).save(logo, "PNG")
    scan_page.save(scan, "PNG")
    message.make_mixed()
    message.add_attachment(
        logo.getvalue(),
        maintype="image",
        subtype="png",
        filename="image001.png",
        disposition="inline",
        cid="<logo@alna>",
    )
    message.add_attachment(scan.getvalue(), maintype="image", subtype="png", filename="skannet brev.png")
    path.write_bytes(bytes(message))
    row = read_document(path)
    assert (row.status, row.extraction) == ("ok", "eml+image-ocr")  # the logo is not read
    assert row.text.startswith("Hei,") and "Østensjø" in row.text and "Oslo kommune" not in row.text


def test_eml_without_readable_text_is_an_error(tmp_path):
    empty = read_document(make_eml(tmp_path / "tom.eml", body=""))
    assert (empty.status, empty.error, empty.sender_hint) == ("error", "E-posten har ingen lesbar tekst", "")
    only_broken = make_eml(
        tmp_path / "vedlegg.eml",
        body="\n",
        attachments=[
            ("ødelagt.docx", b"PK\x03\x04 ikke en zip", DOCX_MIME),
            ("notat.xyz", b"ukjent format", "application/octet-stream"),
        ],
    )
    assert "«ødelagt.docx»" in read_document(only_broken).error


def test_response_fields_added_with_defaults():
    row = Response("svar", "svar.txt", "", "txt", "ok", "", "tekst", "utf-8", None)
    assert (row.extraction, row.sender_hint) == ("", "")


def test_read_folder_reads_new_formats(tmp_path, scan_page):
    scan_page.save(tmp_path / "brev.png")
    make_odt(tmp_path / "svar.odt")
    make_eml(tmp_path / "epost.eml", body=BODY)
    rows = {r.source_file: r for r in read_folder(tmp_path)}
    assert {name: r.extraction for name, r in rows.items()} == {
        "brev.png": "image-ocr",
        "epost.eml": "eml",
        "svar.odt": "odt",
    }
    assert rows["epost.eml"].sender_hint == "Bydel Alna" and rows["brev.png"].sender_hint == ""
