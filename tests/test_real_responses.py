"""Issue #13: senders, stance, sentences and page furniture hold on text nobody here wrote.

The small cases are sentences written for these tests; the last tests read the real-like corpus in
``../shared/real`` (skipped where it is absent) and guard the figures ``eval/real.py`` prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from pipeline.comments.segment import segment_document
from pipeline.comments.senders import find_sender
from pipeline.comments.stance import FEATURES, MODEL_FILE, classify, load_model
from pipeline.ocr.repair import clean_text
from pipeline.summaries.per_measure import quote_for
from pipeline.text.sentences import sentences

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "eval"))


def _segment(text: str, fallback: str = "svar"):
    return segment_document("r1", clean_text(text).text, fallback_sender=fallback)


# --- senders ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "sender"),
    [
        (
            "Sagene frivilligsentral – høringsuttalelse\n\nVi har lest planen med interesse og har noen merknader.",
            "Sagene frivilligsentral",
        ),
        (
            "Innspill til handlingsplanen\n\nLandsforeningen for trygg oppvekst viser til høringsbrevet og takker for "
            "muligheten til å uttale seg.\n\nVi mener planen mangler et tydelig barneperspektiv.",
            "Landsforeningen for trygg oppvekst",
        ),
        (
            "Flere må få hjelp tidlig\n\nAv Ola Berge, leder i Norsk forbund for rusfri ungdom\n\n"
            "Når unge strever, kommer hjelpen ofte for sent. Det må vi endre på.",
            "Norsk forbund for rusfri ungdom",
        ),
        (
            "Høringssvar\n\nVi støtter at lavterskeltilbudet utvides til flere bydeler.\n\nMed vennlig hilsen\n"
            "styret i Grünerløkka beboerforening\nKari Lunde",
            "Grünerløkka beboerforening",
        ),
        (
            "Vi ber om at tiltaket om nalokson gjøres permanent.\n\nVennlig hilsen\nMotgift Oslo v/ leder Per Holm",
            "Motgift Oslo",
        ),
    ],
)
def test_the_organisation_that_speaks_is_the_sender(text: str, sender: str):
    found = _segment(text).sender
    assert found.name == sender
    assert found.kind == "organisation"
    assert found.evidence


def test_an_agency_signed_by_its_director_is_the_agency_not_a_person():
    text = (
        "Høringssvar fra Vann- og avløpsetaten\n\nEtaten støtter planens mål om færre overdoser.\n\n"
        "Med vennlig hilsen\nHanne Strand\netatsdirektør"
    )
    found = _segment(text).sender
    assert (found.name, found.kind) == ("Vann- og avløpsetaten", "organisation")


def test_a_police_district_signed_by_its_chief_of_staff_is_not_pseudonymised():
    import pandas as pd

    from pipeline.outputs.masking import mask_tables

    text = (
        "Uttalelse fra Agder politidistrikt\n\nPolitidistriktet mener samarbeidet med bydelene må styrkes.\n\n"
        "Vennlig hilsen\nTore Vik\nstabssjef"
    )
    found = _segment(text).sender
    assert found.kind == "organisation"
    responses = pd.DataFrame({"response_id": ["r1"], "sender": [found.name], "sender_kind": [found.kind]})
    masked = mask_tables({"responses": responses})
    assert masked["responses"]["sender"].tolist() == [found.name]


def test_a_person_writing_for_themself_is_a_person():
    text = (
        "Innspill til planen\n\nJeg har vært pårørende i mange år og savner et tilbud for foreldre.\n\n"
        "Hilsen\nMarte Solbakken"
    )
    found = _segment(text).sender
    assert (found.name, found.kind) == ("Marte Solbakken", "person")


@pytest.mark.parametrize(
    "text",
    [
        "Mer øl i butikkene\n\nTilgjengelighet styrer forbruket. Nordlyst går imot forslaget.\n\nSalg bør skje på Vinmonopolet.",
        "Om behandlingen\n\nMange har fått hjelp, men mye gjenstår. Derfor støtter Nordlyst forslaget om en gjennomgang.",
    ],
)
def test_a_one_word_name_that_takes_a_stand_is_the_sender(text: str):
    assert _segment(text).sender.name == "Nordlyst"


def test_a_person_s_last_name_that_takes_a_stand_is_not_an_organisation():
    text = (
        "Byen trenger flere natthjem\n\nKari Mette Solbakk har jobbet med bostedsløse i tjue år.\n\n"
        "Solbakk mener at kommunen må handle. Solbakk går imot at tilbudet legges ned."
    )
    assert _segment(text).sender.name != "Solbakk"


def test_a_publication_line_is_never_the_sender():
    text = (
        "Publisert: 12.03.2021\n\nNedenfor følger uttalelsen.\n\nNorsk forening for gatehelse viser til "
        "høringen og støtter hovedgrepene i reformen."
    )
    found = _segment(text).sender
    assert found.name == "Norsk forening for gatehelse"
    assert "Publisert" not in found.name


def test_reported_bodies_are_never_the_sender():
    found = find_sender([], ["Departementet foreslår å endre loven.", "Utvalget mener dette er riktig."], [])
    assert found.kind == "unknown" and found.name == ""


# --- stance ----------------------------------------------------------------------------------------
def _pairs() -> list[dict]:
    path = ROOT / "eval" / "data" / "stance_pairs.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("kind", ["negation", "reported"])
def test_minimal_pairs_of_negation_and_reported_positions(kind: str):
    pairs = [p for p in _pairs() if p["pair"].startswith(kind)]
    assert len(pairs) >= 10
    wrong = [
        (p["text"], p["stance"], classify(p["text"], p.get("lead_in", "")).label)
        for p in pairs
        if classify(p["text"], p.get("lead_in", "")).label != p["stance"]
    ]
    assert wrong == []


def test_minimal_pairs_overall():
    """Target 100 %; reached 43 of 44 (the miss is in the closing note of #13)."""
    pairs = _pairs()
    right = sum(classify(p["text"], p.get("lead_in", "")).label == p["stance"] for p in pairs)
    assert right / len(pairs) >= 0.95


def test_a_list_item_takes_its_lead_in():
    assert classify("Flere boliger med oppfølging", "Vi ber om følgende:").label == "proposal"
    assert classify("Flere boliger med oppfølging", "Vi er bekymret for dette:").label == "critique"


def test_the_stance_model_file_says_where_it_comes_from():
    model = load_model()
    assert tuple(model["features"]) == FEATURES
    assert len(model["coefficients"]) == len(model["classes"]) == 5
    provenance = model["provenance"]
    assert {"training_data", "fitted", "cross_validated_macro_f1_dev", "held_out_macro_f1"} <= set(provenance)
    assert MODEL_FILE.parent.name == "models"


def test_a_model_fitted_on_other_features_is_refused(tmp_path: Path):
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    model["features"] = model["features"][:-1]
    path = tmp_path / "stance.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(ValueError, match="refit"):
        load_model(path)


# --- one sentence splitter; quotes never cut -------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fristen er 31. juli. Vi svarer innen da.", ["Fristen er 31. juli.", "Vi svarer innen da."]),
        (
            "Tilbudet på St. Hanshaugen er godt. Det bør utvides.",
            ["Tilbudet på St. Hanshaugen er godt.", "Det bør utvides."],
        ),
        (
            "Vi har lest forslaget. Prop. 12 L (2025–2026) bygger på utvalgets arbeid.",
            ["Vi har lest forslaget.", "Prop. 12 L (2025–2026) bygger på utvalgets arbeid."],
        ),
        (
            "Vi viser bl.a. til kap. 4, f.eks. tiltak om bolig. Neste punkt følger.",
            ["Vi viser bl.a. til kap. 4, f.eks. tiltak om bolig.", "Neste punkt følger."],
        ),
        (
            "Dette henger sammen med boligtiltakene (jf. 16F.) og bør ses samlet.",
            ["Dette henger sammen med boligtiltakene (jf. 16F.) og bør ses samlet."],
        ),
        ("Vi støtter tiltak 12S. Det haster.", ["Vi støtter tiltak 12S.", "Det haster."]),
    ],
)
def test_sentences_keep_abbreviations_dates_and_codes(text: str, expected: list[str]):
    assert sentences(text) == expected


def test_a_quote_is_a_whole_sentence_even_when_long():
    long_sentence = "Vi mener at " + "tilbudet må bli bedre og mer tilgjengelig, " * 15 + "slik at flere får hjelp."
    text = f"{long_sentence} Kort setning om 10S her."
    assert quote_for(text, "10S") == "Kort setning om 10S her."
    assert quote_for(long_sentence, "tilgjengelig") == long_sentence


# --- furniture out, content in -----------------------------------------------------------------------
LETTER = """Byavisa Øst
Debatt

Tryggere byrom for alle

Bildet viser et brukerrom i sentrum
Foto: Ola Fotograf

Av Siri Dahl, leder i Foreningen for nabolagsmegling

Vår ref.: 24/1133
Dato: 4. mars 2025

Brukerrommet har gitt færre overdoser i nabolaget vårt.
Tryggere gater
Vi vil ha flere ansatte ute om kvelden. Det gjør byrommet tryggere.

Vi foreslår:

• Sterkere brukermedvirkning
• Natåpent

LES OGSÅ: Slik jobber bydelen med rus
"""


def test_page_furniture_is_listed_with_a_reason_not_made_a_comment():
    found = _segment(LETTER)
    texts = [c.text for c in found.comments]
    assert not any(t.startswith(("Foto", "Av Siri", "Vår ref", "Dato", "LES OGSÅ", "Bildet viser")) for t in texts)
    kinds = {x.kind for x in found.left_out}
    assert {"credit", "caption", "byline", "reference", "date", "navigation"} <= kinds
    assert found.sender.name == "Foreningen for nabolagsmegling"


def test_a_heading_on_its_own_line_is_split_from_its_paragraph():
    found = _segment(LETTER)
    assert any(c.section == "Tryggere gater" and c.text.startswith("Vi vil ha flere ansatte") for c in found.comments)


def test_short_list_items_stay_comments_with_their_lead_in():
    found = _segment(LETTER)
    items = [c for c in found.comments if c.kind == "bullet"]
    assert [c.text for c in items] == ["Sterkere brukermedvirkning", "Natåpent"]
    assert all(c.lead_in == "Vi foreslår:" for c in items)


NOTICES = """Strandsonens venner – høringssvar om tiltak mot rus i bydelen

Daglig leder Ingrid Solheimsvik.

Det vises til høringsbrevet fra byrådsavdelingen, datert 4. oktober 2026.

Vi mener at oppsøkende arbeid i parkene må få fast finansiering.

Vedlagt følger referatet fra vårt åpne møte i september.

Hele uttalelsen vår kan leses her:

Du kan også laste ned notatet vårt fra strandsonen.no

Vi har lest planen nøye og vil gi innspill til tre av tiltakene.
"""


def test_notices_to_the_reader_are_furniture_and_the_sender_s_view_is_not():
    found = _segment(NOTICES)
    assert [c.text for c in found.comments] == [
        "Vi mener at oppsøkende arbeid i parkene må få fast finansiering.",
        "Vi har lest planen nøye og vil gi innspill til tre av tiltakene.",
    ]
    kinds = [x.kind for x in found.left_out]
    assert kinds == ["title", "byline", "referral", "link", "navigation", "navigation"]


def test_a_referral_with_a_view_in_the_same_paragraph_stays_a_comment():
    text = (
        "Vi viser til høringsbrevet datert 4. oktober 2026. Vi støtter at brukerrommet får lengre "
        "åpningstid.\n\nVi ber om at planen følges opp med penger."
    )
    found = _segment(text)
    assert found.comments[0].text.startswith("Vi viser til høringsbrevet")


def test_a_year_or_a_number_can_end_a_sentence():
    from pipeline.text.sentences import sentences

    assert sentences("Brevet er datert 4. oktober 2026. Vi svarer i dag. Se punkt 3. Det gjelder 17. mai.") == [
        "Brevet er datert 4. oktober 2026.",
        "Vi svarer i dag.",
        "Se punkt 3.",
        "Det gjelder 17. mai.",
    ]


def test_a_reprint_s_source_line_names_the_author_s_organisation():
    text = (
        "Byavisa, 2.9.2026: Gi oss flere natthjem skrevet av Per Arne Lund, leder i Foreningen for "
        "trygge netter.\n\nByen trenger flere steder å sove for dem som ikke har et hjem. Vi ser det "
        "hver eneste natt.\n\nKommunen må handle nå."
    )
    found = _segment(text)
    assert found.sender.name == "Foreningen for trygge netter"
    assert found.left_out[0].kind == "byline"


def test_every_block_is_a_comment_or_left_out_with_a_reason():
    cleaned = clean_text(LETTER).text
    blocks = [b for b in cleaned.split("\n\n") if b.strip()]
    found = segment_document("r1", cleaned)
    assert len(found.comments) + len(found.left_out) == len(blocks)
    assert all(x.reason for x in found.left_out)


# --- the real-like corpus --------------------------------------------------------------------------
real_corpus = pytest.importorskip("real_corpus")
needs_real = pytest.mark.skipif(not real_corpus.available(), reason="../shared/real is not beside the checkout")


@pytest.fixture(scope="module")
def real_dev() -> dict:
    import real

    return real.real_figures("dev")


@needs_real
def test_labels_fit_the_real_texts():
    statements = real_corpus.load()
    assert len(statements) >= 40
    assert {s.split for s in statements} == {"dev", "test"}
    assert all(s.sender and s.sender_kind for s in statements)
    assert all(line.role for s in statements for line in s.lines)


@pytest.mark.slow
@needs_real
def test_real_dev_figures_do_not_fall_back(real_dev: dict):
    """Guard rails at the figures reached (eval/real.py prints them; the targets are in #13)."""
    assert real_dev["organisations_pseudonymised"] == 0
    assert real_dev["edits_on_clean_text"] == 0
    assert real_dev["content_dropped_without_trace"] == 0
    assert real_dev["sender_right"] >= 0.80
    assert real_dev["stance_macro_f1"] >= 0.60
    assert real_dev["neutral_precision"] >= 0.60
    assert real_dev["furniture_as_comments"] <= 0.08
    assert real_dev["sentences_cut_mid_sentence"] <= 2
