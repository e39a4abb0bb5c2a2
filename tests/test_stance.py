"""Stance: the moves of Norwegian public-sector prose, and the labelled corpus's macro-F1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.comments.stance import STANCES, classify

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "eval"))


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("FO Oslo berømmer byrådet for en plan som løfter skadereduksjon.", "support"),
        ("Vi støtter at det etableres et nytt brukerrom i samarbeid med en ideell aktør.", "support"),
        ("Bydelen er positiv til at ruskonsulentene får et felles mandat.", "support"),
        ("Vi savner en plan for hvordan tiltakene skal finansieres i bydelene.", "critique"),
        ("Vi mener at planen ikke i stor nok grad tar hensyn til de ansattes arbeidsmiljø.", "critique"),
        ("Vi er bekymret for at tilskuddene til ideelle aktører blir kuttet.", "critique"),
        ("Vi foreslår at tiltaket utvides til å gjelde hele byen.", "proposal"),
        ("Kommunen bør etablere et døgnåpent akuttilbud for kvinner i aktiv rus.", "proposal"),
        ("Vi ber om at brukerorganisasjonene får plass i styringsgruppen.", "proposal"),
        ("Hvordan vil byrådet sikre at tilbudet når ungdom i alle bydeler?", "question"),
        ("Bydel Alna har rundt 58 000 innbyggere og tre ungdomsklubber.", "neutral"),
    ],
)
def test_recognisable_moves(text, stance):
    found = classify(text)
    assert found.label == stance
    assert 0 < found.confidence <= 1


def test_a_list_item_takes_the_stance_of_its_lead_in():
    item = "Faste hele stillinger i lavterskeltilbudene."
    assert classify(item).label == "neutral"
    assert classify(item, lead_in="Vi foreslår følgende:").label == "proposal"


def test_clear_moves_are_more_confident_than_mixed_ones():
    clear = classify("Vi støtter tiltaket fullt ut, og vi er glade for at det kommer nå.")
    mixed = classify("Vi støtter tiltaket, men savner en plan for finansiering.")
    assert clear.confidence > mixed.confidence


def test_macro_f1_on_the_labelled_corpus_reaches_the_target():
    import stance as evaluation  # eval/stance.py

    for split in ("dev", "test"):
        result = evaluation.evaluate(split)
        assert result["n"] >= 70
        assert result["macro_f1"] >= evaluation.TARGET, (split, result["macro_f1"])
        assert set(result["per_stance"]) == set(STANCES)


def test_a_very_long_paragraph_full_of_cues_is_classified():
    text = "Vi støtter tiltaket, men vi savner penger og foreslår at det utvides. " * 600
    found = classify(text)
    assert found.label in STANCES and 0 < found.confidence <= 1
