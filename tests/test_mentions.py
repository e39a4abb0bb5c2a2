"""Explicit measure codes: FO Oslo's response (seed 000) and documents with no plan codes."""

from __future__ import annotations

import pytest
from mentions_data import SEED_000_EXPLICIT
from seeds import seed_text

from pipeline.comments.segment import segment_response
from pipeline.measures.catalogue import parse_catalogue
from pipeline.measures.explicit import find_explicit, find_mentions
from pipeline.ocr.repair import clean_text


@pytest.fixture(scope="module")
def codes(plan_text):
    return {m.code for m in parse_catalogue(plan_text)}


def _mentions_in(number: int, codes: set[str]):
    _, comments = segment_response("r", clean_text(seed_text(number)).text)
    return find_mentions(comments, codes)


def test_fo_oslo_codes_with_ranges_expanded(codes):
    found = _mentions_in(0, codes)
    assert {m.code for m in found} == SEED_000_EXPLICIT  # read by hand (eval/mentions_data.py)
    assert {m.code for m in found if not m.valid} == {"25F"}
    assert all(m.kind == "explicit" and m.score == 1.0 for m in found)
    ranges = {m.evidence for m in found if "-" in m.evidence or "—" in m.evidence}
    assert ranges == {"3F-5F", "17F-19F", "23F-25F", "16S—-19S", "8S-9S"}


@pytest.mark.parametrize("number", [1, 2, 4])
def test_documents_without_plan_codes_yield_none(codes, number):
    assert _mentions_in(number, codes) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Vi støtter tiltak 11F.", ["11F"]),
        ("LASSO (7 S) bør bygges ut.", ["7S"]),
        ("Tiltak 11 S er viktig.", ["11S"]),
        ("Se 3F, 4F, 5F, 15F og 16F.", ["3F", "4F", "5F", "15F", "16F"]),
        ("Tiltakene 16S til 19S må sees samlet.", ["16S", "17S", "18S", "19S"]),
        ("Vi viser til 8S-9S og 3F–5F.", ["8S", "9S", "3F", "4F", "5F"]),
        ("1.3 Mer koordinerte og o 2 S nedvendig", []),
        ("I 2026-2029 skal 5 000 personer nås, jf. kap. 3 S og 1,5S.", []),
        ("5F-modellen og 7X er ikke koder her.", []),
    ],
)
def test_written_forms(codes, text, expected):
    assert [m.code for m in find_explicit("c", text, codes)] == expected


def test_each_code_once_per_comment(codes):
    found = find_explicit("c", "7S er bra. Vi gjentar: 7S, og 6S-8S.", codes)
    assert sorted(m.code for m in found) == ["6S", "7S", "8S"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LASSO (7$) må bygges ut.", ["7S"]),  # OCR read S as $
        ("Se tiltak 1OS og l1F.", ["10S", "11F"]),  # O for 0, l for 1
        ("Tiltak\n16 S og 17 S henger sammen.", ["16S", "17S"]),  # split over a line break
        ("Tiltakene 16S til 19S.", ["16S", "17S", "18S", "19S"]),
        ("I 2025 var 75 % fornøyde, se side 7 S.", []),
    ],
)
def test_ocr_damaged_and_split_codes(codes, text, expected):
    assert [m.code for m in find_explicit("c", text, codes)] == expected
