"""The Excel workbook and the HTML report: sheets, headers, formatting, and safety with untrusted text; the
report, the workbook and the notat reading the columns of lists, or their string twins in older tables."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from rows import comment_row, correction_row, mention_row, response_row, stance_counts

from pipeline.comments.senders import Sender
from pipeline.outputs.notat import write_notat
from pipeline.outputs.report import write_report
from pipeline.outputs.workbook import write_workbook
from pipeline.outputs.write import campaigns_table
from pipeline.tables import SCHEMAS, joined, to_frame, write_parquet

FORMULA_TEXT = "=SUM(A1) burde ikke regnes ut"
SCRIPT_TEXT = "Vi ber om tiltak 7S. <script>alert(1)</script> <img src=x onerror=alert(1)>"

SHEETS = {
    "Tiltak": [
        "Kode",
        "Tiltak",
        "Antall kommentarer",
        "Antall svar",
        "Avsendere",
        "Sitater",
        "Støtte",
        "Kritikk",
        "Forslag",
        "Spørsmål",
        "Nøytral",
        "Oppsummering",
        "Hovedpunkter",
        "Kilder",
    ],
    "Kommentarer": [
        "Kommentar-id",
        "Avsender",
        "Seksjon",
        "Tekst",
        "Tiltakskoder",
        "Tema",
        "Svar-id",
        "Tiltak uten kode",
        "Holdning",
        "Sikkerhet holdning",
        "Kilde",
    ],
    "Temaer": [
        "Tema-id",
        "Etikett",
        "Nøkkelfraser",
        "Nøkkelord",
        "Antall kommentarer",
        "Antall svar",
        "Antall stemmer",
        "Avsendere",
        "Kampanjer",
        "Tiltak",
        "Typiske kommentarer",
        "Støtte",
        "Kritikk",
        "Forslag",
        "Spørsmål",
        "Nøytral",
    ],
    "Svar": ["Svar-id", "Fil", "Avsender", "Format", "Status", "Feil", "Antall kommentarer"],
}


_response, _mention, _stances = response_row, mention_row, stance_counts


def _comment(cid: str, sender: str, section: str, text: str, theme: int, stance: str = "neutral") -> dict:
    return comment_row(cid, sender, text, theme, stance, section=section, paragraph=int(cid.rsplit("-", 1)[1]) + 1)


def _measure(
    code: str,
    text: str,
    ids: list[str],
    senders: str,
    quotes: str,
    stances: tuple = (0, 0, 0, 0, 0),
    summary: str = "",
    key_points: str = "",
    sources: str = "",
) -> dict:
    return {
        "code": code,
        "area": code[-1],
        "text": text,
        "n_comments": len(ids),
        "n_responses": len({i.rsplit("-", 1)[0] for i in ids}),
        "senders": senders,
        "quotes": quotes,
        "comment_ids": ",".join(ids),
        **_stances(*stances),
        "summary": summary,
        "key_points": key_points,
        "sources": sources,
    }


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    alna, kors = "Bydel Alna", "Kirkens Bymisjon"
    responses = to_frame(
        [
            _response("bydel-alna", "bydel-alna.txt", alna, "txt", n=3),
            _response("kirkens-bymisjon", "kirkens-bymisjon.pdf", kors, "pdf", n=3),
            _response("skannet-brev", "skannet-brev.pdf", "skannet-brev", "pdf", "error", "PDF-en er kryptert", 0),
        ],
        "responses",
    )
    comments = to_frame(
        [
            _comment(
                "bydel-alna-1", alna, "Forebygging", "Vi støtter tiltak 3F om tidlig innsats i skolen.", 0, "support"
            ),
            _comment("bydel-alna-2", alna, "Forebygging", FORMULA_TEXT, -1),
            _comment("bydel-alna-3", alna, "", "Tiltak 25F bør utvides til hele byen.", 0, "proposal"),
            _comment(
                "kirkens-bymisjon-1",
                kors,
                "Skadereduksjon",
                "Lavterskeltilbudet i 7S må få økte midler.",
                1,
                "critique",
            ),
            _comment("kirkens-bymisjon-2", kors, "Skadereduksjon", SCRIPT_TEXT, 1, "support"),
            _comment(
                "kirkens-bymisjon-3", kors, "Skadereduksjon", "-Brukerne må involveres i 3F og 7S.", 1, "proposal"
            ),
        ],
        "comments",
    )
    mentions = to_frame(
        [
            _mention("bydel-alna-1", "3F"),
            _mention("bydel-alna-2", "13F", likely="12F"),
            _mention("bydel-alna-3", "25F", valid=False),
            _mention("kirkens-bymisjon-1", "7S"),
            _mention("kirkens-bymisjon-2", "7S"),
            _mention("kirkens-bymisjon-3", "3F"),
            _mention("kirkens-bymisjon-3", "7S", kind="implicit", score=0.7),
        ],
        "mentions",
    )
    themes = to_frame(
        [
            {
                "theme_id": 0,
                "label": "skole, innsats",
                "keywords": "skole, tidlig innsats",
                "size": 2,
                "n_responses": 1,
                "representative": "bydel-alna-1",
                "phrases": "tidlig innsats",
                "representatives": "bydel-alna-1, bydel-alna-3",
                "n_voices": 1,
                "n_signers": 1,
                "senders": alna,
                "response_ids": "bydel-alna",
                "campaigns": "",
                "measures": "3F (1), 25F (1)",
                **_stances(1, 0, 1, 0, 0),
            },
            {
                "theme_id": 1,
                "label": "lavterskel, midler",
                "keywords": "lavterskel, midler, brukere",
                "size": 3,
                "n_responses": 1,
                "representative": "kirkens-bymisjon-2",
                "phrases": "",
                "representatives": "kirkens-bymisjon-1, kirkens-bymisjon-3",
                "n_voices": 1,
                "n_signers": 2,
                "senders": kors,
                "response_ids": "kirkens-bymisjon",
                "campaigns": "kampanje-1",
                "measures": "7S (3), 3F (1)",
                **_stances(1, 1, 1, 0, 0),
            },
        ],
        "themes",
    )
    quotes_3f = "«Vi støtter tiltak 3F om tidlig innsats i skolen.» (Bydel Alna, bydel-alna-1)"
    quotes_7s = (
        "«Lavterskeltilbudet i 7S må få økte midler.» (Kirkens Bymisjon, kirkens-bymisjon-1)\n"
        f"«{SCRIPT_TEXT}» (Kirkens Bymisjon, kirkens-bymisjon-2)"
    )
    ids_7s = ["kirkens-bymisjon-1", "kirkens-bymisjon-2", "kirkens-bymisjon-3"]
    measure_summary = to_frame(
        [
            _measure("1F", "Styrke foreldrestøtte i bydelene.\n- Foreldreveiledning", [], "", ""),
            _measure(
                "3F",
                "Tidlig innsats i skolen.",
                ["bydel-alna-1", "kirkens-bymisjon-3"],
                f"{alna}, {kors}",
                quotes_3f,
                (1, 0, 1, 0, 0),
                "2 kommentarer fra 2 svar (Bydel Alna, Kirkens Bymisjon): 1 støtter, 1 foreslår.",
                "«Vi støtter tiltak 3F om tidlig innsats i skolen.» (Bydel Alna, bydel-alna-1)",
                "bydel-alna.txt, avsnitt 2",
            ),
            _measure("1S", "Utvide sprøyterom og lavterskeltilbud. " * 10, [], "", ""),
            _measure(
                "7S",
                "Økte midler til lavterskeltilbud.",
                ids_7s,
                kors,
                quotes_7s,
                (1, 1, 1, 0, 0),
                "3 kommentarer fra 1 svar (Kirkens Bymisjon): 1 støtter, 1 kritiserer, 1 foreslår.",
                "«Lavterskeltilbudet i 7S må få økte midler.» (Kirkens Bymisjon, kirkens-bymisjon-1)\n"
                "«Brukerne må involveres i 3F og 7S.» (Kirkens Bymisjon, kirkens-bymisjon-3)",
                "kirkens-bymisjon.pdf, avsnitt 2\nkirkens-bymisjon.pdf, avsnitt 3",
            ),
        ],
        "measure_summary",
    )
    corrections = to_frame(
        [
            correction_row("kirkens-bymisjon", 4, "tiItak", "tiltak", "l-I", 0.95),
            correction_row("kirkens-bymisjon", 9, "rnidler", "midler", "rn-m", 0.55),
        ],
        "corrections",
    )
    return dict(
        responses=responses,
        comments=comments,
        mentions=mentions,
        themes=themes,
        measure_summary=measure_summary,
        corrections=corrections,
    )


@pytest.fixture
def workbook(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> openpyxl.Workbook:
    path = write_workbook(tmp_path / "oppsummering.xlsx", **{k: v for k, v in tables.items() if k != "corrections"})
    assert path.exists() and not list(tmp_path.glob(".*.tmp"))
    return openpyxl.load_workbook(path)


@pytest.fixture
def report(tmp_path: Path, tables: dict[str, pd.DataFrame]) -> str:
    path = write_report(tmp_path / "rapport.html", round_name="Rusmiddelpolitisk handlingsplan", **tables)
    assert path.exists() and not list(tmp_path.glob(".*.tmp"))
    return path.read_text(encoding="utf-8")


def _rows(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value for c in row))) for row in ws.iter_rows(min_row=2)]


def test_workbook_sheets_and_headers(workbook, tables):
    assert workbook.sheetnames == list(SHEETS)
    for name, header in SHEETS.items():
        assert [c.value for c in workbook[name][1]] == header
    counts = {"Tiltak": "measure_summary", "Kommentarer": "comments", "Temaer": "themes", "Svar": "responses"}
    for name, table in counts.items():
        assert workbook[name].max_row - 1 == len(tables[table])


def test_workbook_formatting(workbook):
    for ws in workbook.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert all(c.font.bold for c in ws[1])
        assert all(8 <= ws.column_dimensions[c.column_letter].width <= 80 for c in ws[1])
    tekst = workbook["Kommentarer"]["D2"]
    assert tekst.alignment.wrap_text


def test_workbook_stores_formula_like_text_as_text(workbook):
    ws = workbook["Kommentarer"]
    cells = {c.value: c for c in ws["D"][1:]}
    for text in (FORMULA_TEXT, "-Brukerne må involveres i 3F og 7S."):
        assert cells[text].data_type == "s"
    assert not any(c.data_type == "f" for ws in workbook.worksheets for row in ws.iter_rows() for c in row)


def test_workbook_comment_codes_and_themes(workbook):
    rows = {r["Kommentar-id"]: r for r in _rows(workbook["Kommentarer"])}
    assert rows["bydel-alna-3"]["Tiltakskoder"] == "25F (finnes ikke i planen)"
    assert rows["kirkens-bymisjon-3"]["Tiltakskoder"] == "3F"
    assert rows["kirkens-bymisjon-3"]["Tiltak uten kode"] == "7S (0,70)"
    assert rows["bydel-alna-2"]["Tiltakskoder"] == "13F (trolig 12F)"
    assert rows["bydel-alna-1"]["Tema"] == "skole, innsats"
    assert rows["bydel-alna-2"]["Tema"] in ("", None)
    assert rows["bydel-alna-2"]["Svar-id"] == "bydel-alna"


def test_workbook_theme_sheet_shows_phrases_voices_campaigns_measures_and_examples(workbook, tables):
    rows = {r["Tema-id"]: r for r in _rows(workbook["Temaer"])}
    assert rows[0]["Nøkkelfraser"] == "tidlig innsats" and rows[0]["Tiltak"] == "3F (1), 25F (1)"
    assert rows[1]["Kampanjer"] == "kampanje-1" and rows[1]["Antall stemmer"] == 1
    assert rows[1]["Avsendere"] == "Kirkens Bymisjon"
    examples = rows[1]["Typiske kommentarer"].split("\n\n")
    assert examples == [
        "«Lavterskeltilbudet i 7S må få økte midler.» (Kirkens Bymisjon)",
        "«-Brukerne må involveres i 3F og 7S.» (Kirkens Bymisjon)",
    ]
    assert workbook["Temaer"]["K2"].alignment.wrap_text


def test_workbook_shows_stance_source_and_measure_summary(workbook, tables):
    comments = tables["comments"].set_index("comment_id")
    names = {
        "support": "støtte",
        "critique": "kritikk",
        "proposal": "forslag",
        "question": "spørsmål",
        "neutral": "nøytral",
    }
    files = dict(zip(tables["responses"]["response_id"], tables["responses"]["source_file"]))
    for row in _rows(workbook["Kommentarer"]):
        comment = comments.loc[row["Kommentar-id"]]
        assert row["Holdning"] == names[comment["stance"]]
        assert row["Kilde"] == f"{files[comment['response_id']]}, avsnitt {comment['paragraph']}"
    summary = tables["measure_summary"].set_index("code")
    for row in _rows(workbook["Tiltak"]):
        expected = summary.loc[row["Kode"]]
        assert row["Støtte"] == expected["n_support"] and row["Kritikk"] == expected["n_critique"]
        assert (row["Oppsummering"] or "") == expected["summary"]
        assert (row["Kilder"] or "") == expected["sources"]
    assert workbook["Tiltak"]["M2"].alignment.wrap_text  # Hovedpunkter


def test_workbook_code_links_to_first_comment(workbook):
    ws = workbook["Tiltak"]
    codes = {c.value: c for c in ws["A"][1:]}
    link = codes["3F"].hyperlink
    assert link is not None and "Kommentarer" in link.location
    row = int(re.search(r"A(\d+)$", link.location).group(1))
    assert workbook["Kommentarer"].cell(row=row, column=1).value == "bydel-alna-1"
    assert "Kommentarer" in codes["7S"].hyperlink.location
    assert codes["1F"].hyperlink is None
    svar = _rows(workbook["Svar"])
    assert [r["Feil"] for r in svar if r["Status"] == "error"] == ["PDF-en er kryptert"]


def test_report_escapes_untrusted_text(report):
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert "&lt;img src=x onerror=alert(1)&gt;" in report
    assert "<script" not in report.lower()
    assert "<img" not in report.lower()


def test_report_is_self_contained(report):
    assert report.startswith("<!DOCTYPE html>")
    assert '<html lang="nb">' in report and '<meta charset="utf-8">' in report
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", report, re.IGNORECASE)
    assert not re.search(r"<link\b", report, re.IGNORECASE)
    assert "@import" not in report and "url(" not in report


def test_report_content(report):
    assert "Høringsrunde: Rusmiddelpolitisk handlingsplan" in report
    for code in ("1F", "3F", "1S", "7S"):
        assert code in report
    assert report.count("Ingen kommentarer") == 2
    assert 'id="tiltak-7S"' in report and 'id="tiltak-1F"' not in report
    assert "skannet-brev.pdf" in report and "PDF-en er kryptert" in report
    invalid = report.split("Ugyldige tiltakskoder", 1)[1].split("Mulig nummerering fra utkastet", 1)[0]
    assert "25F" in invalid and "Bydel Alna" in invalid
    drift = report.split("Mulig nummerering fra utkastet", 1)[1].split("Filer som ikke kunne leses", 1)[0]
    assert "13F" in drift and "12F" in drift and "bydel-alna-2" in drift
    ocr = report.split("Usikre OCR-rettinger", 1)[1]
    assert "rnidler → midler" in ocr and "tiItak" not in ocr
    assert "lavterskel, midler" in report and "Lavterskeltilbudet" in report
    assert " …" in report  # the long measure text is cut


def test_report_bar_chart_only_commented_measures(report):
    chart = report.split('<div class="chart">', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'href="#tiltak-(\w+)"', chart) == ["3F", "7S"]
    assert 'style="width: 100.0%"' in chart and 'style="width: 66.7%"' in chart
    assert 'title="7S: 1 kritikk" aria-label="7S: 1 kritikk"' in chart and 'title="3F: 1 støtte"' in chart


def test_report_handles_empty_round(tmp_path, tables):
    empty = {k: v.iloc[0:0] for k, v in tables.items()}
    html = write_report(tmp_path / "rapport.html", round_name="Tom", **empty).read_text(encoding="utf-8")
    assert "Ingen kommentarer nevner et tiltak." in html and "Alle filer ble lest." in html
    path = write_workbook(tmp_path / "oppsummering.xlsx", **{k: v for k, v in empty.items() if k != "corrections"})
    assert openpyxl.load_workbook(path).sheetnames == list(SHEETS)


# --- columns of lists -----------------------------------------------------------------------------
TYPED_QUOTE = {
    "text": "Typet sitat om 7S.",
    "sender": "",
    "comment_id": "kirkens-bymisjon-2",
    "file": "t.pdf",
    "paragraph": 9,
}
TYPED_POINT = {"text": "Typet hovedpunkt om 7S.", "sender": "Kirkens Bymisjon", "comment_id": "kirkens-bymisjon-3"}


def _set(frame: pd.DataFrame, key: str, value, column: str, cell) -> pd.DataFrame:
    """``frame`` with ``cell`` in ``column`` on the row where ``key`` is ``value``."""
    return frame.assign(**{column: [cell if k == value else v for k, v in zip(frame[key], frame[column])]})


def _with_lists(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with lists that say otherwise than their string twins: 7S's quotes, key points and
    comments, theme 1's representatives."""
    summary = _set(tables["measure_summary"], "code", "7S", "quote_items", [TYPED_QUOTE])
    summary = _set(summary, "code", "7S", "key_point_items", [TYPED_POINT])
    summary = _set(summary, "code", "7S", "comment_id_list", ["kirkens-bymisjon-3"])
    themes = _set(tables["themes"], "theme_id", 1, "representative_list", ["kirkens-bymisjon-2"])
    return {**tables, "measure_summary": summary, "themes": themes}


def _documents(folder: Path, tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """What a reader sees in the report, the workbook (its cells) and the notat (its text)."""
    folder.mkdir(parents=True, exist_ok=True)
    shared = {k: v for k, v in tables.items() if k != "corrections"}
    report = write_report(folder / "rapport.html", round_name="Runde", **tables).read_text(encoding="utf-8")
    book = openpyxl.load_workbook(write_workbook(folder / "oppsummering.xlsx", **shared))
    cells = "\n".join(f"{ws.title}!{c.coordinate}={c.value!r}" for ws in book for row in ws.iter_rows() for c in row)
    links = "\n".join(c.hyperlink.location for c in book["Tiltak"]["A"] if c.hyperlink)
    with zipfile.ZipFile(write_notat(folder / "hoeringsnotat.docx", "Runde", **shared)) as docx:
        notat = re.sub(r"<[^>]+>", " ", docx.read("word/document.xml").decode("utf-8"))
    return {"report": report, "workbook": f"{cells}\n{links}", "notat": notat}


def test_the_documents_read_the_lists_not_their_string_twins(tmp_path, tables):
    docs = _documents(tmp_path, _with_lists(tables))
    for name in ("report", "notat"):
        text = docs[name]
        assert "«Typet sitat om 7S.» (ukjent avsender, kirkens-bymisjon-2)" in text, name
        assert "t.pdf, avsnitt 9" in text and "kirkens-bymisjon.pdf, avsnitt 2" not in text, name
        assert "«Typet hovedpunkt om 7S.» (Kirkens Bymisjon, kirkens-bymisjon-3)" in text, name
        assert "(Kirkens Bymisjon, kirkens-bymisjon-1)" not in text, name  # the twins' quote and key point
        assert "-Brukerne må involveres" not in text, name  # theme 1 shows only its listed representative
    book = openpyxl.load_workbook(tmp_path / "oppsummering.xlsx")
    themes = {r["Tema-id"]: r for r in _rows(book["Temaer"])}
    assert themes[1]["Typiske kommentarer"] == f"«{SCRIPT_TEXT}» (Kirkens Bymisjon)"
    link = {c.value: c.hyperlink for c in book["Tiltak"]["A"][1:]}["7S"]
    row = int(re.search(r"A(\d+)$", link.location).group(1))
    assert book["Kommentarer"].cell(row=row, column=1).value == "kirkens-bymisjon-3"


def test_the_documents_read_lists_back_from_parquet(tmp_path, tables):
    typed = _with_lists(tables)
    read = {}
    for name, frame in typed.items():
        write_parquet(frame, tmp_path / f"{name}.parquet", name)
        read[name] = pd.read_parquet(tmp_path / f"{name}.parquet")
    assert not isinstance(read["measure_summary"]["quote_items"].iloc[0], list)  # numpy arrays, as Parquet gives
    assert _documents(tmp_path / "read", read) == _documents(tmp_path / "built", typed)


def test_documents_of_tables_without_lists_read_the_string_columns(tmp_path, tables):
    lists = {c.name for columns in SCHEMAS.values() for c in columns if c.dtype == "object"}
    older = {name: frame.drop(columns=[c for c in frame.columns if c in lists]) for name, frame in tables.items()}
    assert "quote_items" not in older["measure_summary"] and "representative_list" not in older["themes"]
    docs = _documents(tmp_path / "older", older)
    assert docs == _documents(tmp_path / "empty-lists", tables)  # rows built without lists read the same
    assert "«Lavterskeltilbudet i 7S må få økte midler.» (Kirkens Bymisjon, kirkens-bymisjon-1)" in docs["report"]
    assert "kirkens-bymisjon.pdf, avsnitt 3" in docs["report"] and "kirkens-bymisjon.pdf, avsnitt 3" in docs["notat"]
    assert "-Brukerne må involveres i 3F og 7S." in docs["notat"]


def test_the_campaigns_table_lists_its_letters_and_joins_them():
    senders = {"r1": Sender("Kari Nordmann", "person"), "r2": Sender("", "unknown"), "r3": Sender("FO Oslo")}
    table = campaigns_table({"r2": "kampanje-1", "r1": "kampanje-1", "r3": "kampanje-2"}, senders)
    assert table["response_id_list"].tolist() == [["r1", "r2"], ["r3"]]
    assert table["sender_list"].tolist() == [["Kari Nordmann", "r2"], ["FO Oslo"]]
    for row in table.to_dict("records"):
        assert row["senders"] == joined(row["sender_list"]) and row["response_ids"] == joined(row["response_id_list"])
