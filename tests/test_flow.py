"""The whole Prefect flow on the bundled round, plus files that cannot be read."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_round
from documents import render_page, scanned_pdf
from openpyxl import load_workbook

from pipeline import config
from pipeline.summaries import per_measure
from pipeline.tables import SCHEMAS, columns, joined
from pipeline.themes import description

pytestmark = pytest.mark.slow


def _hash_tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def result(tmp_path_factory, prefect_harness):
    import shutil

    base = tmp_path_factory.mktemp("flow")
    round_dir = base / "tryggere-liv-test"
    shutil.copytree(config.DEFAULT_ROUND_DIR, round_dir)
    (round_dir / "responses" / "ødelagt svar.pdf").write_bytes(b"%PDF-1.4 this is not really a pdf")
    (round_dir / "responses" / "notater.xyz").write_text("hei", encoding="utf-8")
    scan = render_page(
        [
            "Høringssvar fra Bydel Østensjø",
            "",
            "Vi støtter tiltak 10S om et nytt brukerrom i Oslo.",
            "Særlig må bydelene få midler til bolig og oppfølging av brukerne.",
            "",
            "Med vennlig hilsen",
            "Bydel Østensjø",
        ]
    )
    (round_dir / "responses" / "skannet brev.pdf").write_bytes(scanned_pdf([scan]))
    before = _hash_tree(round_dir)
    return round_dir, run_round(round_dir, base / "out", base / "cache"), before


def _table(out: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(out / f"{name}.parquet")


def test_every_output_is_written_with_its_schema(result):
    _, out, _ = result
    for name in SCHEMAS:
        frame = _table(out, name)
        assert list(frame.columns) == columns(name), name
    assert (out / "oppsummering.xlsx").stat().st_size > 0
    assert (out / "rapport.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_the_string_columns_are_made_from_the_lists(result):
    import pyarrow.parquet as pq

    _, out, _ = result
    for name in SCHEMAS:
        schema = pq.read_schema(out / f"{name}.parquet")
        for column in (c for c in SCHEMAS[name] if c.arrow is not None):
            assert schema.field(column.name).type == column.arrow, (name, column.name)
    made = {"measure_summary": per_measure.string_columns, "themes": description.string_columns}
    for name, make in made.items():
        rows = _table(out, name).to_dict("records")
        assert rows and any(len(r["comment_id_list" if name == "measure_summary" else "measure_items"]) for r in rows)
        for row in rows:
            lists = {c.name: row[c.name] for c in SCHEMAS[name] if c.arrow is not None}
            strings = make(**lists)
            assert strings == {c: row[c] for c in strings}, (name, row)
    for name, pairs in {
        "campaigns": (("senders", "sender_list"), ("response_ids", "response_id_list")),
        "crosswalk": (("comment_ids", "comment_id_list"),),
    }.items():
        for row in _table(out, name).to_dict("records"):
            assert all(row[twin] == joined(row[listed]) for twin, listed in pairs), (name, row)


def test_unreadable_files_are_error_rows_and_the_run_goes_on(result):
    _, out, _ = result
    responses = _table(out, "responses").set_index("source_file")
    assert responses.loc["fo-oslo.txt", "status"] == "ok"
    assert responses.loc["fo-oslo.txt", "sender"] == "FO Oslo"
    assert responses.loc["fo-oslo.txt", "n_comments"] >= 30
    assert responses.loc["ødelagt svar.pdf", "status"] == "error"
    assert "PDF" in responses.loc["ødelagt svar.pdf", "error"]
    assert "Ukjent filformat" in responses.loc["notater.xyz", "error"]
    assert responses.loc["fo-oslo.txt", "extraction"] == "text"


def test_a_scanned_letter_is_read_with_ocr(result):
    _, out, _ = result
    responses = _table(out, "responses").set_index("source_file")
    scan = responses.loc["skannet brev.pdf"]
    assert (scan["status"], scan["extraction"], scan["sender"]) == ("ok", "pdf-ocr", "Bydel Østensjø")
    comments = _table(out, "comments")
    texts = comments.loc[comments["response_id"] == scan["response_id"], "text"].tolist()
    assert any("bolig og oppfølging" in t for t in texts)


def test_measures_mentions_and_summary(result):
    _, out, _ = result
    assert len(_table(out, "measures")) == 43
    mentions = _table(out, "mentions")
    assert set(mentions.loc[~mentions["valid"], "code"]) == {"25F"}
    summary = _table(out, "measure_summary").set_index("code")
    assert "FO Oslo" in summary.loc["7S", "senders"]
    counted = mentions.assign(code=mentions["likely"].where(mentions["likely"] != "", mentions["code"]))
    per_code = counted.groupby("code")["comment_id"].nunique()
    for code, row in summary.iterrows():
        assert row["n_comments"] == per_code.get(code, 0), code
    assert (summary["n_comments"] == 0).any()  # silence is listed too
    assert set(mentions["kind"]) == {"explicit", "implicit"}
    crosswalk = _table(out, "crosswalk")
    assert {("17F", "16F"), ("13F", "12F")} <= set(zip(crosswalk["cited"], crosswalk["likely"]))


def test_comments_have_themes_and_trace_to_the_cleaned_text(result):
    _, out, _ = result
    comments = _table(out, "comments")
    themes = _table(out, "themes")
    assert len(themes) >= 2
    assert set(comments["theme_id"]) - {-1} == set(themes["theme_id"])
    assert themes["size"].sum() == (comments["theme_id"] != -1).sum()
    for c in comments.itertuples():
        text = (out / "texts" / f"{c.response_id}.txt").read_text(encoding="utf-8")
        assert text[c.char_start : c.char_end] == c.text


def test_every_quote_is_verbatim(result):
    _, out, _ = result
    quotes = [q for cell in _table(out, "measure_summary")["quotes"] for q in cell.split("\n") if q]
    assert quotes
    for quote in quotes:
        response_id = quote.rsplit(", ", 1)[1].rstrip(")").rsplit("-", 1)[0]
        text = (out / "texts" / f"{response_id}.txt").read_text(encoding="utf-8")
        assert quote[1 : quote.index("» (")] in text


def test_workbook_sheets_and_corrections(result):
    _, out, _ = result
    workbook = load_workbook(out / "oppsummering.xlsx")
    assert workbook.sheetnames == ["Tiltak", "Kommentarer", "Temaer", "Svar"]
    assert workbook["Tiltak"].max_row == 44
    corrections = _table(out, "corrections")
    assert len(corrections) > 150 and set(corrections["response_id"]) == {"fo-oslo"}


def test_raw_data_is_not_changed(result):
    round_dir, _, before = result
    assert _hash_tree(round_dir) == before


def test_themes_leave_a_state_a_review_file_and_full_descriptions(result):
    _, out, _ = result
    themes = _table(out, "themes")
    comments = _table(out, "comments").set_index("comment_id")
    assert (out / "tema_tilstand.json").exists()
    review = (out / "tema_gjennomgang.csv").read_text(encoding="utf-8-sig").splitlines()
    assert review[0] == "tema_id;etikett;antall_kommentarer;nytt_navn;slå_sammen_med;merknad"
    assert len(review) == len(themes) + 1
    for theme in themes.itertuples():
        shown = theme.representatives.split(", ")
        assert 1 <= len(shown) <= 3 and all(comments.loc[c, "theme_id"] == theme.theme_id for c in shown)
        assert theme.label and theme.n_voices <= theme.n_signers == theme.n_responses
    assert len(set(themes["label"])) == len(themes)
    workbook = load_workbook(out / "oppsummering.xlsx")
    labels = [c.value for c in workbook["Temaer"]["B"][1:]]
    assert labels == themes["label"].tolist()
    assert list(_table(out, "campaigns").columns) == [
        "campaign_id",
        "n_responses",
        "senders",
        "response_ids",
        "sender_list",
        "response_id_list",
    ]


def _cleaned_texts(out: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in (out / "texts").glob("*.txt") if ".original" not in p.name]


def test_every_quote_in_every_document_is_verbatim(result):
    import html
    import re

    from docx import Document

    _, out, _ = result
    texts = _cleaned_texts(out)
    summary = _table(out, "measure_summary")
    found_in = lambda quote: any(quote in t for t in texts)  # noqa: E731
    points = [p for cell in summary["key_points"] for p in cell.split("\n") if p]
    assert points and all(found_in(p[1 : p.index("» (")]) for p in points)
    notat = Document(str(out / "hoeringsnotat.docx"))
    quoted = [p.text for p in notat.paragraphs if p.text.startswith("«")]
    assert quoted
    for text in quoted:
        assert found_in(text[1 : text.rindex("»")]), text
    report = html.unescape((out / "rapport.html").read_text(encoding="utf-8"))
    in_report = re.findall(r"«([^»]{20,})»", report)
    plan = _table(out, "measures")["text"].tolist()  # the report also shows the plan's own «names»
    assert in_report and all(found_in(q) or any(q in m for m in plan) for q in in_report)
    workbook = load_workbook(out / "oppsummering.xlsx")
    for row in workbook["Tiltak"].iter_rows(min_row=2, values_only=True):
        for cell in (row[5], row[12]):  # Sitater, Hovedpunkter
            for line in (cell or "").split("\n"):
                if line:
                    assert found_in(line[1 : line.index("» (")]), line


def test_documents_agree_with_the_tables(result):
    from docx import Document

    _, out, _ = result
    summary = _table(out, "measure_summary")
    comments = _table(out, "comments")
    commented = summary[summary["n_comments"] > 0]
    assert set(comments["stance"]) <= {"support", "critique", "proposal", "question", "neutral"}
    counts = commented[["n_support", "n_critique", "n_proposal", "n_question", "n_neutral"]].sum(axis=1)
    assert (counts == commented["n_comments"]).all()
    notat = Document(str(out / "hoeringsnotat.docx"))
    headings = [p.text for p in notat.paragraphs if p.style.name == "Heading 2"]
    for code in commented["code"]:
        assert any(h.split()[0] == code for h in headings), code
    for code in summary.loc[summary["n_comments"] == 0, "code"]:
        assert not any(h.split()[0] == code for h in headings), code
    workbook = load_workbook(out / "oppsummering.xlsx")
    rows = {r[0]: r for r in workbook["Tiltak"].iter_rows(min_row=2, values_only=True)}
    for row in commented.itertuples():
        assert rows[row.code][6:11] == (row.n_support, row.n_critique, row.n_proposal, row.n_question, row.n_neutral)


def test_the_bundled_report_shows_what_the_tables_hold(result, tmp_path):
    import unicodedata

    import pypdf
    from test_report_browser import _chromium, _run_chromium

    binary = _chromium()
    _, out, _ = result
    pdf = tmp_path / "rapport.pdf"
    _run_chromium(
        binary,
        tmp_path / "profile",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        (out / "rapport.html").resolve().as_uri(),
    )
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages))
    flat = " ".join(text.split())
    summary = _table(out, "measure_summary")
    comments = _table(out, "comments")
    assert "Kommentarer per tiltak" in flat and "Svar × tiltak" in flat
    assert str(len(comments)) in flat
    for row in summary[summary["n_comments"] > 0].itertuples():
        assert row.code in flat
        assert " ".join(row.summary.split()[:6]) in flat, row.code
    for label in _table(out, "themes")["label"]:
        assert label in flat
