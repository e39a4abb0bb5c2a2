"""Verbatim stays verbatim: OCR repair never changes a correct token of clean digital text.

The sentences here are written for these tests. Clean text writes ``æ``, ``ø`` and ``å`` intact,
so a word that looks like a lost letter (``Hamaroy``), a name (``Askilis``), an abbreviation
(``bl.a.``), a genitive (``Kors'``), a number, a quote or a Nynorsk word stays as written; damaged
text around the same tokens is still repaired.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.ocr.layout import reflow_with_log
from pipeline.ocr.repair import clean_text, repair_text

REWRITTEN = Path(__file__).resolve().parents[2] / "shared" / "real" / "rewritten"
LIST_GLYPH_RE = re.compile(r"^[•●▪◦■□➢►·*–-]$")  # reflow writes every list item's glyph as "•"


def _words(text: str) -> list[str]:
    return ["•" if LIST_GLYPH_RE.match(w) else w for w in text.split()]


def assert_verbatim(text: str) -> None:
    """No correction at all, and the words of the cleaned text are the words of the input."""
    cleaned = clean_text(text)
    assert [(c.rule, c.original, c.corrected) for c in cleaned.corrections] == []
    assert _words(cleaned.text) == _words(text)


def _changes(text: str) -> list[tuple[str, str]]:
    return [(c.original, c.corrected) for c in repair_text(text).corrections]


# --- clean text, class by class --------------------------------------------------------------------

ABBREVIATIONS = (
    "Rådet har bl.a. pekt på at tilbudet må bli bedre, m.a. i distriktene og o.a. steder med lange "
    "avstander. Det gjelder f.eks. små kommuner, jf. forslaget i kapittel 4, der ca. 40 plasser og evt. "
    "flere skal fordeles t.o.m. neste år. Ansatte, brukere, pårørende osv. må høres, dvs. alle som berøres.\n"
)

GENITIVES = (
    "Blå Kors' arbeid med unge er godt kjent, og KS' anbefaling følger samme linje.\n"
    "Vi har også lest Kors’ forslag og Marius' notat før møtet i høst.\n"
)

NAMES = (
    "Etter lunsj er det Askilis tur til å presentere, og deretter legger Bratlis styre fram sitt syn.\n"
    "Neste år får Hamaroy og Karmoy besøk av utvalget, og Lillestrom bydel skal også høres.\n"
    "I musikktimen lærer barna tonene do, re, mi, fa og so før de går hjem.\n"
)

NUMBERS = (
    "Det står i § 3a og § 4a, og møtet er kl. 18.30 den 12.12.2024 i rom 3 B.\n"
    "Vi ber om 1,5 mill. kr til 38 nye plasser for 2-3 år, og 8 av 10 mener det er for lite.\n"
    "Tiltak 7S og 11F gjelder 16-åringer, og punkt a og b i forslaget bør ses sammen.\n"
)

QUOTES = (
    "Prosjektene ”Trygg havn” og ”Veien videre” ved senteret har gitt gode resultater.\n"
    "Deltakerne kaller stedet «Fyret» og sier at ”Fyret” er et sted å høre til.\n"
    "Ordet 'Nattkafé' brukes om tilbudet, og \"Kafé Lyset\" er navnet på det nye.\n"
)

NYNORSK = (
    "Vi i ungdomsrådet meiner at det er viktig å vere med når kommunen lagar planar for rus.\n\n"
    "Mange unge seier at dei ikkje veit kvar dei skal gå for å få hjelp, og at det er vanskeleg "
    "å snakke med vaksne om slikt. Difor må skulen gjere meir, og helsesjukepleiaren må vere "
    "lett å nå.\n\n"
    "Kommunen gjer mykje godt arbeid, men fleire tiltak bør rettast mot dei som alt har byrja "
    "å drikke. Kva vil kommunen gjere for dei?\n"
)


@pytest.mark.parametrize(
    "text",
    [ABBREVIATIONS, GENITIVES, NAMES, NUMBERS, QUOTES, NYNORSK],
    ids=["abbreviations", "genitives", "names", "numbers", "closing-quotes", "nynorsk"],
)
def test_clean_text_is_left_verbatim(text):
    assert_verbatim(text)


def test_all_classes_together_are_left_verbatim():
    assert_verbatim("\n\n".join([ABBREVIATIONS, GENITIVES, NAMES, NUMBERS, QUOTES]))


def test_genitive_apostrophe_is_not_a_footnote_but_a_marker_still_is():
    text, changes = reflow_with_log("Blå Kors' arbeid er kjent, og veilederen” er ny.")
    assert text == "Blå Kors' arbeid er kjent, og veilederen er ny."
    assert [(c.original, c.corrected) for c in changes] == [("veilederen”", "veilederen")]


def test_a_quote_opened_with_the_closing_glyph_is_closed_not_a_footnote():
    text, changes = reflow_with_log("Vi viser til ”Trygg havn” ved senteret.")
    assert text == "Vi viser til ”Trygg havn” ved senteret." and changes == []


def test_recurring_item_heading_without_pages_is_content():
    items = "\n\n".join(
        f"Foreningens innspill, {day}.3.2024\n\n\nForeningen støtter forslag nummer {n} og ber om at det "
        "følges opp raskt, med tydelige mål og god rapportering til kommunestyret."
        for n, day in enumerate((20, 14, 9, 2), start=1)
    )
    text, changes = reflow_with_log(items)
    assert changes == []
    assert text.count("Foreningens innspill") == 4


def test_recurring_header_with_page_numbers_is_furniture():
    pages = "\n\n".join(
        f"Foreningens innspill – side {n}\n\nForeningen støtter forslaget og ber om at det følges opp raskt."
        for n in range(1, 5)
    )
    text, changes = reflow_with_log(pages)
    assert "side" not in text
    assert {c.rule for c in changes} == {"page-furniture"}


# --- the same tokens in damaged text --------------------------------------------------------------


def test_abbreviations_and_names_in_damaged_text_stay_while_damage_is_repaired():
    damaged = (
        "Vi har bl.a. sett at tilbudet pa omradet er darlig, f.eks. i bydelen.\n"
        "Malgruppen gnsker m.a. flere plasser, jf. planen, og Askilis team stgtter dette."
    )
    fixed = repair_text(damaged).text
    assert fixed == (
        "Vi har bl.a. sett at tilbudet på området er dårlig, f.eks. i bydelen.\n"
        "Målgruppen ønsker m.a. flere plasser, jf. planen, og Askilis team støtter dette."
    )


def test_nynorsk_words_in_a_nynorsk_text_are_words():
    assert _changes(NYNORSK) == []
    bokmaal = "Vi mener at det er viktig a vere med, og at kommunen gjer mer for de unge i bydelen pa sikt."
    assert ("pa", "på") in _changes(bokmaal)  # a Bokmål text with damage is still repaired


# --- Tesseract's own real-word errors (a diacritic added): repaired in damaged context, else left --

TESSERACT_DAMAGED = (
    "Vi hår ikke fått svar på søknaden, og dé ansatte mener at tilbudet er for dårlig.\n"
    "Kommunen hådde lovet ét nytt tilbud, men det vil kommé seint. Mange brukere sier åt de\n"
    "ønsker mer oppfølging, og vi hår sett at ventetiden øker. Tjenesten mangler f|ere\n"
    "rådgivere, og det gjør at dé unge ikke får hjelp i ti|budet.\n"
)


def test_tesseract_real_word_errors_are_repaired_in_damaged_text():
    fixed = repair_text(TESSERACT_DAMAGED).text
    assert "Vi har ikke fått svar" in fixed and "vi har sett at" in fixed
    assert "og de ansatte" in fixed and "at de unge" in fixed
    assert "Kommunen hadde lovet et nytt tilbud" in fixed
    assert "sier at de" in fixed
    assert "søknaden" in fixed and "oppfølging" in fixed  # intact letters stay


def test_tesseract_look_alikes_in_clean_text_are_left_alone():
    clean = (
        "Hun har langt hår og åt middag med oss i går. Det finnes ikke ét eneste tilbud for dem som "
        "venter, og kafeen har én ansatt på kveldstid."
    )
    assert_verbatim(clean)


# --- the real born-digital responses ---------------------------------------------------------------


def test_real_clean_responses_get_no_corrections():
    if not REWRITTEN.is_dir():
        pytest.skip(f"{REWRITTEN} is not there")
    files = sorted(REWRITTEN.glob("*.txt"))
    assert files
    changed = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        cleaned = clean_text(text)
        if cleaned.corrections or _words(cleaned.text) != _words(text):
            changed[path.name] = [(c.line, c.rule, c.original, c.corrected) for c in cleaned.corrections]
    assert changed == {}
