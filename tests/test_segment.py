"""Comments from FO Oslo's response (seed 000) and from small hand-made responses."""

from __future__ import annotations

import re

import pytest

from pipeline.comments.segment import fallback_sender, segment_response
from pipeline.ocr.repair import clean_text


@pytest.fixture(scope="module")
def fo_oslo(fo_oslo_text):
    cleaned = clean_text(fo_oslo_text).text
    sender, comments = segment_response("fo-oslo", cleaned)
    return cleaned, sender, comments


def test_sender_from_signature(fo_oslo):
    assert fo_oslo[1] == "FO Oslo"


def test_comments_are_traceable_to_the_cleaned_text(fo_oslo):
    cleaned, _, comments = fo_oslo
    assert len(comments) >= 30
    for c in comments:
        assert cleaned[c.char_start : c.char_end] == c.text
        assert c.comment_id == f"fo-oslo-{c.position:03d}"


def test_title_greeting_and_signature_are_not_comments(fo_oslo):
    texts = [c.text for c in fo_oslo[2]]
    assert not any("hilsen" in t.lower() for t in texts)
    assert not any(t.startswith("FO Oslos høringssvar") for t in texts)
    assert "FO Oslo" not in texts
    assert not any(t.strip() == "A A" for t in texts)  # OCR debris


def test_bullets_are_separate_comments_with_their_section(fo_oslo):
    comments = fo_oslo[2]
    bullets = [c for c in comments if c.kind == "bullet"]
    assert len(bullets) == 9
    assert bullets[0].text.startswith("Bydelsøkonomi og ressurser")
    numbered = [c for c in comments if c.kind == "numbered"]
    assert [c.section for c in numbered] == ["Forebygging"] * 5
    sections = {c.section for c in comments}
    assert {"Kunnskapsgrunnlaget", "Mandatet for sentrumsarbeidet", "Skadereduksjon"} <= sections


def test_sender_from_title_when_no_signature():
    text = "Høringsuttalelse fra Bydel Gamle Oslo til handlingsplanen\n\nVi støtter tiltakene om bolig i bydelene."
    sender, comments = segment_response("r", text)
    assert sender == "Bydel Gamle Oslo"
    assert [c.text for c in comments] == ["Vi støtter tiltakene om bolig i bydelene."]


def test_signature_prefers_the_organisation_over_the_person():
    text = (
        "Vi mener planen mangler tiltak for eldre.\n\nMed vennlig hilsen\n\nKari Nordmann\n"
        "daglig leder\nKirkens Bymisjon Oslo"
    )
    sender, comments = segment_response("r", text)
    assert sender == "Kirkens Bymisjon Oslo"
    assert len(comments) == 1


def test_fallback_sender_from_file_name():
    assert fallback_sender("svar/bydel_alna-horingssvar.docx") == "bydel alna horingssvar"
    sender, _ = segment_response("r", "Vi støtter planen og tiltakene i den.", fallback_sender="bydel alna")
    assert sender == "bydel alna"


def test_a_paragraph_starting_with_til_is_not_a_greeting():
    text = (
        "Til Byrådsavdeling for sosiale tjenester\n\nVi støtter planen i hovedsak.\n\n"
        "Til slutt vil vi minne om at ord betyr noe, og at planen bør bruke et språk som ikke stempler folk."
    )
    _, comments = segment_response("r", text)
    assert [c.text[:11] for c in comments] == ["Vi støtter ", "Til slutt v"]


def test_signature_lines_are_not_joined_into_a_comment():
    raw = (
        "Høringssvar fra Bydel Grorud\n\nVi støtter planen fullt ut og ser fram til samarbeidet.\n\n"
        "Med vennlig hilsen\nKari Nordby\nbydelsdirektør\nBydel Grorud\n"
    )
    sender, comments = segment_response("r", clean_text(raw).text)
    assert sender == "Bydel Grorud"
    assert [c.text for c in comments] == ["Vi støtter planen fullt ut og ser fram til samarbeidet."]


def test_paragraph_numbers_point_to_the_block_of_the_cleaned_text(fo_oslo):
    text, _, comments = fo_oslo
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    numbers = [c.paragraph for c in comments]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for comment in comments:
        assert comment.text in blocks[comment.paragraph - 1]


def test_english_closing_ends_the_body():
    text = (
        "We support the plan's harm reduction measures and the new consumption room.\n\nKind regards,\n\n"
        "John Smith\nOslo Harm Reduction Network"
    )
    sender, comments = segment_response("r", clean_text(text).text)
    assert [c.text for c in comments] == ["We support the plan's harm reduction measures and the new consumption room."]
    assert sender in {"John Smith", "Oslo Harm Reduction Network"}  # from the signature, not the body
