"""OCR character repair on real OCR damage (seeds 000, 001, 004) and on clean text (002, 003)."""

from __future__ import annotations

import re

import pytest
from degrade import degrade
from seeds import seed_text

from pipeline.ocr.repair import clean_text, repair_line, repair_text
from pipeline.text import lexicon


def _line(text: str, fragment: str) -> str:
    return next(line for line in text.split("\n") if fragment in line)


def test_repair_keeps_every_line_of_fo_oslo(fo_oslo_text):
    repaired = repair_text(fo_oslo_text)
    assert repaired.text.count("\n") == fo_oslo_text.count("\n")
    for before, after in zip(fo_oslo_text.split("\n"), repaired.text.split("\n")):
        assert before.strip() == "" or len(after) >= len(before) - 2  # characters changed, lines not merged


@pytest.mark.parametrize(
    ("damaged_fragment", "expected"),
    [
        ("gkt psykisk uhelse", "økt psykisk uhelse"),
        ("FO Oslos hegringssvar", "FO Oslos høringssvar"),
        ("| dette haringssvaret", "I dette høringssvaret"),
        ("Bydel Sgndre Nordstrand", "Bydel Søndre Nordstrand"),
        ("opps@kende virksomhet pa nett", "oppsøkende virksomhet på nett"),
        ("rekker & komme", "rekker å komme"),
        ("nedbygging av degnplasser", "nedbygging av døgnplasser"),
        ("i sosiogkonomiske forhold", "i sosioøkonomiske forhold"),
        ("levere tienester pa rusfeltet", "levere tjenester på rusfeltet"),
    ],
)
def test_fo_oslo_damage_is_repaired(fo_oslo_text, damaged_fragment, expected):
    line = _line(fo_oslo_text, damaged_fragment)
    assert expected in repair_line(line)[0]


def test_fo_oslo_non_words_mostly_gone(fo_oslo_text):
    def unknown_share(text: str) -> float:
        words = re.findall(r"[^\W\d_]{3,}", text)
        return sum(not lexicon.is_word(w) and lexicon.zipf(w) == 0 for w in words) / len(words)

    before, after = unknown_share(fo_oslo_text), unknown_share(repair_text(fo_oslo_text).text)
    assert before > 0.04
    assert after < before / 3


@pytest.mark.parametrize("number", [2, 3])
def test_clean_text_stays_clean(number):
    """Born-digital Norwegian (the strategy and the action plan): not a single change."""
    assert repair_text(seed_text(number)).corrections == []


@pytest.mark.parametrize("number", [2, 3])
def test_simulated_damage_on_unseen_text_is_mostly_repaired(number):
    clean = seed_text(number)
    damaged = degrade(clean, rate=0.9, seed=number)
    repaired = repair_text(damaged).text
    c, d, r = (re.findall(r"\S+", t) for t in (clean, damaged, repaired))
    assert len(c) == len(d) == len(r)
    hit = [i for i in range(len(c)) if c[i] != d[i]]
    fixed = sum(r[i] == c[i] for i in hit)
    broken = sum(r[i] != c[i] for i in range(len(c)) if c[i] == d[i])
    assert fixed / len(hit) >= 0.8
    assert broken == 0


def test_names_codes_numbers_urls_and_emails_are_not_touched():
    line = "Se https://www.oslo.kommune.no/pa-rusfeltet og skriv til post@bydel-gkt.oslo.kommune.no om 7S og 11 S pa 2026-2029"
    fixed, changes = repair_line(line)
    assert fixed == line.replace("om 7S og 11 S pa", "om 7S og 11 S på")
    assert [(c.original, c.corrected) for c in changes] == [("pa", "på")]


def test_english_passage_is_not_norwegianised():
    line = "gjerne ved Individual placement and support (IPS) og Supported employment (SE)."
    assert repair_line(line)[1] == []


def test_bullet_glyphs_become_bullets_on_the_same_line(fo_oslo_text):
    lines = repair_text(fo_oslo_text).text.split("\n")
    assert any(line.startswith("• Bydelsøkonomi og ressurser") for line in lines)
    assert any(line.startswith("• Fokus på sosialfaglig kompetanse") for line in lines)


def test_every_change_is_logged_with_its_line(fo_oslo_text):
    repaired = repair_text(fo_oslo_text)
    original_lines, fixed_lines = fo_oslo_text.split("\n"), repaired.text.split("\n")
    assert len(repaired.corrections) > 150
    for c in repaired.corrections:
        assert c.original in original_lines[c.line - 1]
        assert c.corrected in fixed_lines[c.line - 1]
        assert 0 < c.confidence <= 1


def test_clean_text_reflows_and_rejoins_page_break(fo_oslo_text):
    text = clean_text(fo_oslo_text).text
    assert "For oss fremstår dette som en sterk kontrast" in text
    assert "Handlingsplan for rusfeltet i Oslo 2026-2029." in text  # range split over a line kept
    assert "\n\n• Bolig og psykisk helse" in text


@pytest.mark.parametrize("number", [1, 4])
def test_other_ocr_documents_are_repaired_too(number):
    text = seed_text(number)
    repaired = repair_text(text)
    assert repaired.text.count("\n") == text.count("\n")
    assert len(repaired.corrections) > 200
    assert " pa " not in repaired.text


# --- real words that are damaged forms: decided by the document's damage and the context ---------

DAMAGED_PARAGRAPH = (
    "Vi har gkt innsatsen pa rusfeltet, og hgringen viser at malgruppen gnsker flere tilbud.\n"
    "Det er uheldig at planen ble sendt ut rett far sommeren, og vi vil si noe om dette\n"
    "far vi kommer inn pa de konkrete tiltakene. Vi gir gjerne vare innspill til byradet.\n"
    "Tiltak 11F ber vurderes ogsa for ansatte i skolen, og bydelen bar fa midler til det.\n"
    "Mange av brukerne bor i bydelen, og de bor fortsatt der de bor.\n"
)


def test_real_word_damage_is_repaired_by_context():
    text = repair_text(DAMAGED_PARAGRAPH).text
    assert "før vi kommer inn på" in text
    assert "gir gjerne våre innspill" in text
    assert "Tiltak 11F bør vurderes også" in text
    assert "bydelen bør få midler" in text
    assert "Mange av brukerne bor i bydelen, og de bor fortsatt der de bor." in text
    rules = {c.original: c.rule for c in repair_text(DAMAGED_PARAGRAPH).corrections}
    assert rules["gkt"] == "lexicon" and rules["vare"] == "context"


def test_real_words_in_clean_text_are_never_touched():
    clean = "Min far ber oss ta med vare fra butikken. De bor i en bar gate og har mal for hva de vil."
    assert repair_text(clean).corrections == []


def test_damage_profile_from_first_pass():
    from pipeline.ocr.realword import DamageProfile

    profile = DamageProfile.estimate([("gkt", "økt"), ("pa", "på"), ("omrader", "områder")] * 3, {"ø": 1})
    assert profile.damaged and profile.evidence == 9
    assert profile.rate["å"] > 0.8 > profile.rate["ø"] > 0.5
    assert profile.read_as["å"]["a"] > profile.read_as["å"]["d"]
    assert profile.log_channel("far", "får") > profile.log_channel("far", "før")
    assert not DamageProfile.estimate([], {"ø": 40, "å": 50}).damaged


def test_lone_symbols_for_aa_also_after_a_real_word_repair():
    text = repair_text(
        "Planen ma sikre at vi far mulighet til 4 leve godt. For & mote utfordringene\n"
        "gkt innsats pa rusfeltet og hgringen."
    ).text
    assert "til å leve" in text and "For å møte" in text


def test_lower_case_bullets_in_a_list():
    text = repair_text(seed_text(4)).text.split("\n")
    assert "• styrke organisering og samhandling innen og mellom bydelene, etater og nivåer" in text
    assert "• tydeliggjøre roller, ansvar og økonomiske rammer" in text


def test_an_english_word_among_norwegian_ones_does_not_block_repair():
    assert repair_text("utfordringer pad omradet. I tillegg").text == "utfordringer på området. I tillegg"
