"""Shared outputs (workbook, report, Word notat) mask personal data; the internal tables keep it."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from pipeline.outputs.write import NOTAT, REPORT, TABLES, WORKBOOK, write_outputs
from pipeline.tables import SCHEMAS, to_frame

PHONE, EMAIL, FNR_DIGITS = "912 34 567", "kari.nordmann@example.no", [0, 1, 0, 1, 9, 0, 1, 2, 3]


def _check(digits: list[int], weights: tuple[int, ...]) -> int:
    k = 11 - sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if k == 11 else k


def _fnr() -> str:
    """A made-up but valid fødselsnummer (01.01.1990, the first individual number that has one)."""
    for individual in range(100, 500):
        digits = FNR_DIGITS[:6] + [int(d) for d in f"{individual:03d}"]
        k1 = _check(digits, (3, 7, 6, 1, 8, 9, 4, 5, 2))
        k2 = _check(digits + [k1], (5, 4, 3, 2, 7, 6, 5, 4, 3, 2))
        if k1 != 10 and k2 != 10:
            return "".join(map(str, digits + [k1, k2]))
    raise AssertionError("no valid number")


FNR = _fnr()
PRIVATE_TEXT = (
    f"Jeg heter Kari Nordmann, fødselsnummer {FNR}, og bor i Storgata 12B, 0181 Oslo. "
    f"Ring meg på {PHONE} eller skriv til {EMAIL}. Tiltak 7S er viktig for meg."
)
ORG_TEXT = "Bydel Alna støtter tiltak 7S og ber om at Kari Nordmann får svar."


def _row(table: str, **values) -> dict:
    defaults = {"string": "", "int64": 0, "Int64": None, "float64": 0.0, "bool": True}
    return {**{c.name: defaults[c.dtype] for c in SCHEMAS[table]}, **values}


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    rows = {name: [] for name in TABLES}
    rows["responses"] = [
        _row(
            "responses",
            response_id="kari-nordmann",
            source_file="kari-nordmann.txt",
            sender="Kari Nordmann",
            format="txt",
            status="ok",
            n_comments=1,
        ),
        _row(
            "responses",
            response_id="bydel-alna",
            source_file="bydel-alna.txt",
            sender="Bydel Alna",
            format="txt",
            status="ok",
            n_comments=1,
        ),
    ]
    rows["comments"] = [
        _row(
            "comments",
            comment_id="kari-nordmann-001",
            response_id="kari-nordmann",
            sender="Kari Nordmann",
            text=PRIVATE_TEXT,
            theme_id=-1,
            kind="paragraph",
            position=1,
            stance="support",
            paragraph=2,
        ),
        _row(
            "comments",
            comment_id="bydel-alna-001",
            response_id="bydel-alna",
            sender="Bydel Alna",
            text=ORG_TEXT,
            theme_id=-1,
            kind="paragraph",
            position=1,
            stance="support",
            paragraph=2,
        ),
    ]
    rows["mentions"] = [
        _row("mentions", comment_id=c, code="7S", kind="explicit", score=1.0, evidence="7S")
        for c in ("kari-nordmann-001", "bydel-alna-001")
    ]
    rows["measure_summary"] = [
        _row(
            "measure_summary",
            code="7S",
            area="S",
            text="Lavterskel helsetilbud.",
            n_comments=2,
            n_responses=2,
            senders="Kari Nordmann, Bydel Alna",
            n_support=2,
            quotes=f"«{PRIVATE_TEXT}» (Kari Nordmann, kari-nordmann-001)\n«{ORG_TEXT}» (Bydel Alna, bydel-alna-001)",
            key_points=f"«Ring meg på {PHONE} eller skriv til {EMAIL}.» (Kari Nordmann, kari-nordmann-001)",
            summary="2 svar (Kari Nordmann, Bydel Alna) med 2 kommentarer. Begge svarene støtter tiltaket.",
            sources="kari-nordmann.txt, avsnitt 2\nbydel-alna.txt, avsnitt 2",
            comment_ids="kari-nordmann-001, bydel-alna-001",
        )
    ]
    return {name: to_frame(r, name) for name, r in rows.items()}


def _shared_text(out) -> str:
    workbook = openpyxl.load_workbook(out / WORKBOOK)
    cells = " ".join(str(c.value) for ws in workbook.worksheets for row in ws.iter_rows() for c in row if c.value)
    report = (out / REPORT).read_text(encoding="utf-8")
    with zipfile.ZipFile(out / NOTAT) as docx:
        notat = re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))
    return "\n".join((cells, report, notat))


@pytest.mark.parametrize("keep", [False, True])
def test_personal_data_is_masked_in_shared_outputs_only(tmp_path, tables, keep):
    write_outputs(tmp_path, "Test", tables, {}, keep_personal_data=keep)
    shared = _shared_text(tmp_path)
    for personal in (FNR, PHONE, EMAIL, "Storgata 12B", "Kari Nordmann", "kari-nordmann"):
        assert (personal in shared) == keep, personal
    assert "Bydel Alna" in shared  # organisations stay
    if not keep:
        assert "[telefonnummer fjernet]" in shared and "Privatperson 1" in shared
    internal = pd.read_parquet(tmp_path / "comments.parquet")
    assert PRIVATE_TEXT in internal["text"].tolist()  # the internal tables keep the original
