"""Layout repair: hyphenation, wrapped lines, list items, page furniture."""

from __future__ import annotations

from seeds import seed_text

from pipeline.ocr.layout import detach_footnotes, join_wrapped, reflow, reflow_with_log


def test_line_end_hyphenation_is_undone_but_compounds_and_ranges_kept():
    text, joins = join_wrapped(
        [
            "Vi mener at forebyg-",
            "gende tiltak for bruker-",
            "og pårørendeorganisasjoner i 2026-",
            "2029 og e-",
            "læring er viktig.",
        ]
    )
    assert text == (
        "Vi mener at forebyggende tiltak for bruker- og pårørendeorganisasjoner i 2026-2029 og e-læring er viktig."
    )
    assert [j[2] for j in joins] == ["forebyggende"]


def test_bullets_and_numbered_items_become_separate_blocks():
    text = reflow("Vi mener planen må styrkes på\nfire områder:\n• Bolig\n• Psykisk helse og\nrus\n1. Første\n2. Andre")
    assert text.split("\n\n") == [
        "Vi mener planen må styrkes på fire områder:",
        "• Bolig",
        "• Psykisk helse og rus",
        "1. Første",
        "2. Andre",
    ]


def test_running_headers_and_page_numbers_are_removed():
    page = "Dette er en lang linje med vanlig tekst som fyller bredden av siden helt ut til kanten.\n"
    pages = [f"{n} » Bydelsreformen ¢ Psykisk helse og rus\n\n{page * 3}\n{n}\n" for n in range(2, 6)]
    text, changes = reflow_with_log("\n".join(pages))
    assert "Bydelsreformen" not in text
    assert {c.rule for c in changes} == {"page-furniture"}
    assert len([c for c in changes if "Bydelsreformen" in c.original]) == 4


def test_seed_004_page_header_removed():
    text = reflow(seed_text(4))
    assert "» Bydelsreformen" not in text
    assert "Bydelsreformen lgper fra mars 2025" in text  # the same word in running text stays


def test_paragraph_split_by_page_break_is_rejoined():
    text = reflow(
        "Også tjenesten i bydelen er nedbemannet. For oss fremstår\n\n\n\ndette som en sterk kontrast.\n\nNy del."
    )
    assert text.split("\n\n") == [
        "Også tjenesten i bydelen er nedbemannet. For oss fremstår dette som en sterk kontrast.",
        "Ny del.",
    ]


def test_one_line_items_without_glyphs_are_kept_apart():
    paragraph = (
        "Dette er et avsnitt som er brutt hardt ved omtrent nitti tegn slik en PDF gjør det med\n"
        "vanlig tekst, og det fortsetter over flere linjer før det til slutt ender med et punktum\n"
        "her på den siste linjen av avsnittet som også er ganske lang og fyller bredden godt ut.\n"
    )
    text = reflow(
        paragraph + "\nStyrket ettervern for personer i eller etter rus (16S—-19S).\n"
        "Lavterskel substitusjonsbehandling flere steder (7S).\nNytt brukerrom (10S).\n"
    )
    assert text.split("\n\n")[1:] == [
        "Styrket ettervern for personer i eller etter rus (16S—-19S).",
        "Lavterskel substitusjonsbehandling flere steder (7S).",
        "Nytt brukerrom (10S).",
    ]


def test_footnote_markers_are_detached_and_logged():
    text, changes = reflow_with_log(
        "Nasjonal veileder for voksne (2025)* er en faglig rettesnor, og russtrategien fra 2018“ har\n"
        "som mål å redusere rusbruk. Oslostandard for rusfaglig arbeid” er en standard, og (KPS)? er\n"
        "kommunens styringsdokument. Han sa «dette er bra” her, og rus¹ er nevnt."
    )
    assert "(2025) er" in text and "fra 2018 har" in text and "arbeid er" in text and "(KPS) er" in text
    assert "«dette er bra” her" in text  # closes a quote: not a marker
    assert "rus er nevnt" in text
    assert {(c.original, c.corrected) for c in changes if c.rule == "footnote"} == {
        ("(2025)*", "(2025)"),
        ("2018“", "2018"),
        ("arbeid”", "arbeid"),
        ("(KPS)?", "(KPS)"),
        ("rus¹", "rus"),
    }


def test_footnote_markers_leave_codes_questions_and_quotes_alone():
    for line in ("Hva mener vi? Vi tror", "tiltak 7S og 8S", 'bydelens "rusteam" er', "VG1: 62 %", "a) første"):
        assert detach_footnotes(line) == (line, [])
