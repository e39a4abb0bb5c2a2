"""Shared outputs (workbook, report, Word notat) mask personal data; the internal tables keep it."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest

from pipeline.outputs.masking import mask_tables
from pipeline.outputs.write import NOTAT, REPORT, TABLES, WORKBOOK, write_outputs
from pipeline.summaries import per_measure
from pipeline.tables import SCHEMAS, joined, to_frame
from pipeline.themes import description

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
    return {**{c.name: [] if c.dtype == "object" else defaults[c.dtype] for c in SCHEMAS[table]}, **values}


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


# --- columns of lists -----------------------------------------------------------------------------
PRIVATE, ORG = ("Kari Nordmann", "kari-nordmann-001", "kari-nordmann"), ("Bydel Alna", "bydel-alna-001", "bydel-alna")
SUMMARY_LISTS = {
    "quote_items": [
        {
            "text": PRIVATE_TEXT,
            "sender": PRIVATE[0],
            "comment_id": PRIVATE[1],
            "file": "kari-nordmann.txt",
            "paragraph": 2,
        },
        {"text": ORG_TEXT, "sender": ORG[0], "comment_id": ORG[1], "file": "bydel-alna.txt", "paragraph": 2},
    ],
    "key_point_items": [
        {"text": f"Ring meg på {PHONE} eller skriv til {EMAIL}.", "sender": PRIVATE[0], "comment_id": PRIVATE[1]}
    ],
    "comment_id_list": [PRIVATE[1], ORG[1]],
    "sender_list": [PRIVATE[0], ORG[0]],
}
THEME_LISTS = {
    "keyword_list": ["tiltak", "nordmann", f"fødselsnummer {FNR}"],
    "phrase_list": [f"fødselsnummer {FNR}"],
    "representative_list": [PRIVATE[1], ORG[1]],
    "sender_list": [PRIVATE[0], ORG[0]],
    "response_id_list": [PRIVATE[2], ORG[2]],
    "campaign_list": ["kampanje-1"],
    "measure_items": [{"code": "7S", "n": 2}],
}


@pytest.fixture
def typed_tables(tables) -> dict[str, pd.DataFrame]:
    """The round with its columns of lists filled in, the string columns made from them, in every table."""
    summary = tables["measure_summary"].to_dict("records")[0]
    assert per_measure.string_columns(**SUMMARY_LISTS) == {
        c: summary[c] for c in per_measure.string_columns(**SUMMARY_LISTS)
    }
    theme = _row(
        "themes",
        theme_id=0,
        label="tiltak, nordmann",
        size=2,
        n_responses=2,
        representative=PRIVATE[1],
        n_voices=1,
        n_signers=2,
        n_support=2,
        **THEME_LISTS,
        **description.string_columns(**THEME_LISTS),
    )
    campaign = {"sender_list": [PRIVATE[0], ORG[0]], "response_id_list": [PRIVATE[2], ORG[2]]}
    campaign = _row(
        "campaigns",
        campaign_id="kampanje-1",
        n_responses=2,
        senders=joined(campaign["sender_list"]),
        response_ids=joined(campaign["response_id_list"]),
        **campaign,
    )
    crosswalk = _row(
        "crosswalk",
        cited="13F",
        likely="12F",
        support=1,
        n_responses=1,
        comment_id_list=[PRIVATE[1]],
        comment_ids=PRIVATE[1],
    )
    return {
        **tables,
        "measure_summary": to_frame([{**summary, **SUMMARY_LISTS}], "measure_summary"),
        "themes": to_frame([theme], "themes"),
        "campaigns": to_frame([campaign], "campaigns"),
        "crosswalk": to_frame([crosswalk], "crosswalk"),
    }


def _leaves(value: Any) -> Iterator[str]:
    """Every string in a cell: the cell itself, the values of a list, the fields of its records."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, (list, tuple, np.ndarray)):
        for v in value:
            yield from _leaves(v)
    elif isinstance(value, str):
        yield value


def _cells(tables: dict[str, pd.DataFrame]) -> Iterator[tuple[str, str, str]]:
    for name, frame in tables.items():
        for column in frame.columns:
            for cell in frame[column].tolist():
                for text in _leaves(cell):
                    yield name, column, text


def test_no_cell_of_the_masked_tables_holds_personal_data_lists_included(typed_tables):
    masked = mask_tables({k: v for k, v in typed_tables.items() if k != "measures"})
    found = list(_cells(masked))
    for personal in (FNR, PHONE, EMAIL, "Storgata 12B", "Kari", "Nordmann", "kari-nordmann"):
        leaks = [(t, c) for t, c, text in found if personal.casefold() in text.casefold()]
        assert not leaks, (personal, leaks)
    summary, theme, campaign = (masked[t].to_dict("records")[0] for t in ("measure_summary", "themes", "campaigns"))
    assert [q["sender"] for q in summary["quote_items"]] == ["Privatperson 1", "Bydel Alna"]  # organisations stay
    assert summary["quote_items"][0]["file"] == "privatperson-1.txt" and summary["quote_items"][1]["paragraph"] == 2
    assert summary["key_point_items"][0] == {
        "text": "Ring meg på [telefonnummer fjernet] eller skriv til [e-post fjernet].",
        "sender": "Privatperson 1",
        "comment_id": "privatperson-1-001",
    }
    assert summary["comment_id_list"] == ["privatperson-1-001", "bydel-alna-001"]
    assert theme["sender_list"] == campaign["sender_list"] == ["Privatperson 1", "Bydel Alna"]
    assert theme["response_id_list"] == ["privatperson-1", "bydel-alna"] and theme["measure_items"] == [
        {"code": "7S", "n": 2}
    ]
    assert masked["crosswalk"]["comment_id_list"].tolist() == [["privatperson-1-001"]]


def test_the_lists_are_masked_as_their_string_twins(typed_tables):
    masked = mask_tables(typed_tables)
    made = {"measure_summary": per_measure.string_columns, "themes": description.string_columns}
    for name, make in made.items():
        row = masked[name].to_dict("records")[0]
        strings = make(**{c.name: row[c.name] for c in SCHEMAS[name] if c.arrow is not None})
        assert strings == {c: row[c] for c in strings}, name
    campaign = masked["campaigns"].to_dict("records")[0]
    assert campaign["senders"] == joined(campaign["sender_list"])
    assert typed_tables["measure_summary"]["quote_items"].iloc[0][0]["sender"] == "Kari Nordmann"  # input unchanged


def test_shared_outputs_from_the_lists_mask_personal_data(tmp_path, typed_tables):
    write_outputs(tmp_path, "Test", typed_tables, {})
    shared = _shared_text(tmp_path)
    for personal in (FNR, PHONE, EMAIL, "Storgata 12B", "Kari Nordmann", "kari-nordmann"):
        assert personal not in shared, personal
    assert "Bydel Alna" in shared and "(Privatperson 1, privatperson-1-001)" in shared
    assert pd.read_parquet(tmp_path / "measure_summary.parquet")["quote_items"].iloc[0][0]["text"] == PRIVATE_TEXT
