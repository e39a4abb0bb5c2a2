"""Personal data in shared outputs: finding, masking and pseudonymising (pipeline.outputs.masking)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.outputs.masking import is_private_person, mask_tables
from pipeline.outputs.personal_data import FNR_WEIGHTS_1, FNR_WEIGHTS_2, Found, find_personal_data, mask_text
from pipeline.tables import SCHEMAS, to_frame


# --- helpers ------------------------------------------------------------------------------------
def _mod11(digits: list[int], weights: tuple[int, ...]) -> int | None:
    remainder = sum(d * w for d, w in zip(digits, weights)) % 11
    return 0 if remainder == 0 else None if remainder == 1 else 11 - remainder


def make_fnr(ddmmyy: str, start: int = 123) -> str:
    """A synthetic fødselsnummer with right check digits for a date part (no real person's number)."""
    for individual in range(start, start + 100):
        first = [int(d) for d in f"{ddmmyy}{individual:03d}"]
        k1 = _mod11(first, FNR_WEIGHTS_1)
        k2 = None if k1 is None else _mod11([*first, k1], FNR_WEIGHTS_2)
        if k2 is not None:
            return f"{ddmmyy}{individual:03d}{k1}{k2}"
    raise AssertionError("no valid individual number")


def with_wrong_check_digit(fnr: str) -> str:
    return fnr[:-1] + str((int(fnr[-1]) + 1) % 10)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in find_personal_data(text)]


MUNICIPAL_TEXT = (
    "Oslo kommune viser til høringsbrev datert 24.06.2025 (saksnr. 25/01234, vår ref. 2025/01234) om "
    "handlingsplanen for 2026–2029. Planen har en ramme på kr 1 200 000 i 2026 og 3,5 millioner kroner "
    "totalt; tiltak 7S og 16S-19S koster kr 12 000 000, og 11F får 2 500 000 kroner. Andelen økte fra "
    "12,5 % til 25 % mellom 2019 og 2024, og 19 av 23 bydeler deltar (jf. § 3-1). Kontoret ligger i "
    "0555 Oslo, og 1 200 brukere fikk hjelp i 2024. Arkivsak 20251234 og saksnummer 25012345 gjelder "
    "samme sak. Møtet er 15. mai 2025 kl. 10.00 i Storgata, langs Ring 3 og i Karl Johans gate 17. mai. "
    "Org.nr. 974 778 742, kontonummer 1503 12 34567, beløp kr 25000000."
)


# --- fødselsnummer ------------------------------------------------------------------------------
def test_make_fnr_gives_right_check_digits():
    fnr = make_fnr("010190")
    assert len(fnr) == 11 and fnr.startswith("010190")
    assert find_personal_data(fnr) == [Found(0, 11, "fødselsnummer", fnr)]


@pytest.mark.parametrize("date", ["010190", "290200", "311299", "150545"])
@pytest.mark.parametrize("sep", ["", " ", "-"])
def test_valid_fodselsnummer_found_and_masked(date, sep):
    fnr = make_fnr(date)
    written = f"{fnr[:6]}{sep}{fnr[6:]}"
    text = f"Mitt fødselsnummer er {written}, og jeg ønsker svar."
    assert kinds(text) == [("fødselsnummer", written)]
    assert mask_text(text) == "Mitt fødselsnummer er [fødselsnummer fjernet], og jeg ønsker svar."


def test_d_number_and_h_number_found():
    d_number = make_fnr("410190")  # day 1 + 40
    h_number = make_fnr("014190")  # month 1 + 40
    text = f"D-nummer {d_number[:6]} {d_number[6:]} og H-nummer {h_number}."
    assert [k for k, _ in kinds(text)] == ["fødselsnummer", "fødselsnummer"]
    assert mask_text(text) == "D-nummer [fødselsnummer fjernet] og H-nummer [fødselsnummer fjernet]."


def test_wrong_check_digit_is_not_personal_data():
    fnr = with_wrong_check_digit(make_fnr("010190"))
    for written in (fnr, f"{fnr[:6]} {fnr[6:]}"):
        text = f"Saken har nummer {written}."
        assert find_personal_data(text) == []
        assert mask_text(text) == text


def test_right_check_digits_but_no_date_is_not_personal_data():
    for date in ("320190", "011390", "000190"):  # day 32, month 13, day 0
        fnr = make_fnr(date)
        assert find_personal_data(f"Konto {fnr}") == []


def test_fodselsnummer_inside_longer_number_is_not_found():
    fnr = make_fnr("010190")
    assert find_personal_data(f"Referanse 9{fnr}") == []
    assert find_personal_data(f"Referanse {fnr}7") == []


# --- telefon ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "phone",
    [
        "22334455",
        "22 33 44 55",
        "223 34 455",
        "+47 912 34 567",
        "0047 91234567",
        "(+47) 22 33 44 55",
        "+4791234567",
        "912 34 567",
        "+47 9123 4567",
    ],
)
def test_phone_formats_found_and_masked(phone):
    text = f"Ring meg på {phone} etter kl. 16."
    assert kinds(text) == [("telefon", phone)]
    assert mask_text(text) == "Ring meg på [telefonnummer fjernet] etter kl. 16."


@pytest.mark.parametrize(
    "text",
    [
        "i 2025",
        "kr 12 000 000",
        "2025/1234",
        "2025/01234",
        "saksnr. 25/01234",
        "24.06.2025",
        "0555 Oslo",
        "12345678",
        "123456789",
        "9123456789",
        "kr 25000000",
        "25000000 kroner",
        "22 500 000 kr",
        "20250624",
        "24062025",
        "tiltak 16S-19S",
        "25 30 45 60 %",
        "974 778 742",
        "1503 12 34567",
        "2025 2029",
    ],
)
def test_numbers_that_are_not_phone_numbers(text):
    assert find_personal_data(text) == [], text


def test_phone_after_cue_word_even_when_it_looks_like_a_date():
    assert kinds("Tlf. 22031995") == [("telefon", "22031995")]
    assert kinds("tlf. nr. 22334455") == [("telefon", "22334455")]


def test_digits_of_a_fodselsnummer_are_not_a_phone_number():
    fnr = make_fnr("230190")
    assert [k for k, _ in kinds(f"fnr {fnr}")] == ["fødselsnummer"]


# --- e-post -------------------------------------------------------------------------------------
def test_emails_found_and_masked():
    text = "Skriv til ola.nordmann@example.no eller kari+horing@oslo.kommune.no. Følg oss på @FO_Oslo."
    assert kinds(text) == [("e-post", "ola.nordmann@example.no"), ("e-post", "kari+horing@oslo.kommune.no")]
    assert mask_text(text) == "Skriv til [e-post fjernet] eller [e-post fjernet]. Følg oss på @FO_Oslo."


def test_email_with_nordic_letters():
    assert kinds("bjørn.ås@nærmiljø.no") == [("e-post", "bjørn.ås@nærmiljø.no")]


# --- adresse ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "address",
    [
        "Storgata 12",
        "Storgata 12B",
        "Storgata 12 B",
        "Kirkeveien 3",
        "Trondheimsveien 235",
        "Karl Johans gate 5",
        "Thorvald Meyers gate 12, 0555 Oslo",
        "Storgata 12B, 0555 Oslo",
        "Bygdøy allé 3",
        "Fridtjof Nansens plass 1",
        "Sørkedalsvegen 10 A",
        "Nedre Slottsgate 8",
        "Youngstorget 2",
    ],
)
def test_addresses_found_and_masked(address):
    text = f"Jeg bor i {address} og har gjort det lenge."
    assert kinds(text) == [("adresse", address)]
    assert mask_text(text) == "Jeg bor i [adresse fjernet] og har gjort det lenge."


def test_postcode_on_the_line_after_an_address():
    text = "Hilsen\nThorvald Meyers gate 12\n0555 OSLO\n"
    assert kinds(text) == [("adresse", "Thorvald Meyers gate 12\n0555 OSLO")]
    assert mask_text(text) == "Hilsen\n[adresse fjernet]\n"


@pytest.mark.parametrize(
    "text",
    [
        "I Storgata er det mye rus.",
        "Karl Johans gate er stengt.",
        "Trafikken langs Ring 3 øker.",
        "Toget i Karl Johans gate 17. mai.",
        "Kontoret ligger i 0555 Oslo.",
        "Alle 15 bydeler deltar.",
        "Endring 2 gjelder tiltak 7S.",
        "Storgata 2025 er et prosjekt.",
        "Høring 2 om Kirkeveien.",
    ],
)
def test_street_words_without_house_number_are_kept(text):
    assert find_personal_data(text) == []
    assert mask_text(text) == text


# --- a typical municipal text -------------------------------------------------------------------
def test_municipal_text_with_numbers_is_unchanged():
    assert find_personal_data(MUNICIPAL_TEXT) == []
    assert mask_text(MUNICIPAL_TEXT) == MUNICIPAL_TEXT


def test_mixed_text_masks_only_personal_data():
    fnr = make_fnr("121285")
    text = (
        f"Viser til saksnr. 25/01234 av 24.06.2025 (kr 1 200 000). Jeg, fnr. {fnr}, bor i Storgata 12B, "
        f"0555 Oslo, tlf. 912 34 567, e-post hilde@example.no. Tiltak 7S er bra."
    )
    assert mask_text(text) == (
        "Viser til saksnr. 25/01234 av 24.06.2025 (kr 1 200 000). Jeg, fnr. [fødselsnummer fjernet], bor i "
        "[adresse fjernet], tlf. [telefonnummer fjernet], e-post [e-post fjernet]. Tiltak 7S er bra."
    )
    found = find_personal_data(text)
    assert [f.kind for f in found] == ["fødselsnummer", "adresse", "telefon", "e-post"]
    assert all(text[f.start : f.end] == f.text for f in found)


# --- private persons ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "sender",
    [
        "Hilde Moen",
        "Tarek Amini",
        "Ingrid Haugen",
        "Anne-Marie Olsen",
        "Jonas Berge",
        "Ola K. Nordmann",
        "Vincent van Gogh",
        "Ole Martin Brekke",
        "Øystein Sæther",
        "Sigrun Aasen",
    ],
)
def test_private_persons(sender):
    assert is_private_person(sender)


@pytest.mark.parametrize(
    "sender",
    [
        "FO Oslo",
        "Bydel Alna",
        "Kirkens Bymisjon",
        "Fagforbundet Oslo",
        "Oslo universitetssykehus",
        "Kampen pensjonistforening",
        "Brukerstemmen Oslo",
        "Ungdomsrådet i Gamle Oslo",
        "Helseetaten",
        "Storgata Grønland Næringsforening",
        "KORUS Oslo",
        "",
        "   ",
        "Eldrerådet",
        "Røde Kors",
        "Frelsesarmeen",
        "Stiftelsen Veiviser",
        "LAR-nettverket Oslo",
        "Oslo universitetssykehus HF",
        "Trygg Hverdag Oslo",
        "Foreningen Tryggere Bruk",
        "Hilde",
        "Hilde Moen 2",
        "hilde moen",
        "Kari Nordby bydelsdirektør",
        "Anne Marie Kristin Olsen Berg",
        "Velferdsetaten",
        "NAV Grorud",
        "Fontenehuset Oslo",
        "Barne- og familieetaten",
    ],
)
def test_not_private_persons(sender):
    assert not is_private_person(sender)


# --- names --------------------------------------------------------------------------------------
def test_mask_text_names_full_name_and_parts():
    text = "Hilde Moen skriver. Moen mener at moen ved elva er fin, og Hildes forslag er godt. Hilde  Moen."
    assert mask_text(text, ["Hilde Moen"]) == (
        "[navn fjernet] skriver. [navn fjernet] mener at [navn fjernet] ved elva er fin, og [navn fjernet] "
        "forslag er godt. [navn fjernet]."  # in any case: a theme label of lower-case lemmas must not say «moen»
    )


def test_mask_text_names_are_whole_words_and_unicode():
    text = "Øystein Sæther bor ved Sætherhagen; Sæthers innspill og Øysteins hund."
    assert mask_text(text, ["Øystein Sæther"]) == (
        "[navn fjernet] bor ved Sætherhagen; [navn fjernet] innspill og [navn fjernet] hund."
    )


def test_mask_text_hyphenated_names_and_short_parts():
    assert mask_text("Anne-Marie og Marie Olsen, ikke Li.", ["Anne-Marie Olsen", "Li Wei"]) == (
        "[navn fjernet] og [navn fjernet] [navn fjernet], ikke Li."
    )
    assert mask_text("Li Wei skrev.", ["Li Wei"]) == "[navn fjernet] skrev."


def test_mask_text_without_names_keeps_names():
    assert mask_text("Hilde Moen skriver.") == "Hilde Moen skriver."


# --- tables -------------------------------------------------------------------------------------
def _defaults(table: str) -> dict:
    values = {"string": "", "int64": 0, "Int64": 1, "float64": 0.0, "bool": False}
    return {c.name: [] if c.dtype == "object" else values[c.dtype] for c in SCHEMAS[table]}


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    return to_frame([{**_defaults(table), **row} for row in rows], table)


@pytest.fixture()
def round_tables() -> dict[str, pd.DataFrame]:
    responses = _frame(
        "responses",
        [
            {"response_id": "fo-oslo", "sender": "FO Oslo", "status": "ok"},
            {"response_id": "r10", "sender": "Tarek Amini", "status": "ok"},
            {"response_id": "r2", "sender": "Hilde Moen", "status": "ok"},
            {
                "response_id": "r3",
                "sender": "Kampen pensjonistforening",
                "status": "error",
                "error": "Kunne ikke lese vedlegget fra Hilde Moen (tlf. 22 33 44 55)",
            },
        ],
    )
    comments = _frame(
        "comments",
        [
            {
                "comment_id": "fo-oslo-1",
                "response_id": "fo-oslo",
                "sender": "FO Oslo",
                "text": "Vi har snakket med Hilde Moen, tlf. 912 34 567. Tiltak 7S koster kr 1 200 000.",
            },
            {
                "comment_id": "r2-1",
                "response_id": "r2",
                "sender": "Hilde Moen",
                "section": "Innspill fra Hilde Moen",
                "text": "Jeg bor i Storgata 12B, 0555 Oslo. Send svar til hilde.moen@example.no. Mvh Moen",
            },
            {
                "comment_id": "r10-1",
                "response_id": "r10",
                "sender": "Tarek Amini",
                "text": "Jeg støtter tiltaket.",
                "lead_in": "Amini mener:",
            },
        ],
    )
    themes = _frame(
        "themes",
        [
            {
                "theme_id": 0,
                "label": "tiltak, bolig",
                "keywords": "tiltak, bolig",
                "senders": "FO Oslo, Hilde Moen, Tarek Amini",
                "response_ids": "fo-oslo, r2, r10",
            }
        ],
    )
    summary = _frame(
        "measure_summary",
        [
            {
                "code": "7S",
                "area": "S",
                "text": "Tiltaket.",
                "senders": "FO Oslo, Hilde Moen",
                "quotes": "«Vi har snakket med Hilde Moen, tlf. 912 34 567.» (FO Oslo, fo-oslo-1)\n"
                "«Jeg bor i Storgata 12B» (Hilde Moen, r2-1)",
                "key_points": "«Send svar til hilde.moen@example.no.» (Hilde Moen, r2-1)",
                "summary": "2 svar (FO Oslo, Hilde Moen) med 2 kommentarer.",
                "comment_ids": "fo-oslo-1, r2-1",
            }
        ],
    )
    campaigns = _frame(
        "campaigns",
        [
            {
                "campaign_id": "kampanje-1",
                "n_responses": 2,
                "senders": "Tarek Amini, Hilde Moen",
                "response_ids": "r10, r2",
            }
        ],
    )
    corrections = _frame(
        "corrections", [{"response_id": "r2", "line": 3, "original": "Moen", "corrected": "Moen", "rule": "lexicon"}]
    )
    measures = _frame("measures", [{"code": "7S", "area": "S", "number": 7, "text": "Hilde Moen 22334455"}])
    return {
        "responses": responses,
        "comments": comments,
        "themes": themes,
        "measure_summary": summary,
        "campaigns": campaigns,
        "corrections": corrections,
        "measures": measures,
    }


def test_mask_tables_pseudonymises_private_senders(round_tables):
    masked = mask_tables(round_tables)
    # numbered in order of response id: r2 before r10
    assert masked["responses"]["sender"].tolist() == [
        "FO Oslo",
        "Privatperson 2",
        "Privatperson 1",
        "Kampen pensjonistforening",
    ]
    assert masked["comments"]["sender"].tolist() == ["FO Oslo", "Privatperson 1", "Privatperson 2"]
    assert masked["themes"]["senders"].tolist() == ["FO Oslo, Privatperson 1, Privatperson 2"]
    assert masked["campaigns"]["senders"].tolist() == ["Privatperson 2, Privatperson 1"]
    row = masked["measure_summary"].iloc[0]
    assert row["senders"] == "FO Oslo, Privatperson 1"
    assert row["quotes"] == (
        "«Vi har snakket med [navn fjernet], tlf. [telefonnummer fjernet].» (FO Oslo, fo-oslo-1)\n"
        "«Jeg bor i [adresse fjernet]» (Privatperson 1, privatperson-1-1)"
    )
    assert row["key_points"] == "«Send svar til [e-post fjernet].» (Privatperson 1, privatperson-1-1)"
    assert row["summary"] == "2 svar (FO Oslo, Privatperson 1) med 2 kommentarer."


def test_mask_tables_masks_free_text_in_every_response(round_tables):
    masked = mask_tables(round_tables)
    texts = masked["comments"]["text"].tolist()
    assert texts[0] == "Vi har snakket med [navn fjernet], tlf. [telefonnummer fjernet]. Tiltak 7S koster kr 1 200 000."
    assert texts[1] == "Jeg bor i [adresse fjernet]. Send svar til [e-post fjernet]. Mvh [navn fjernet]"
    assert masked["comments"]["section"].tolist()[1] == "Innspill fra [navn fjernet]"
    assert masked["comments"]["lead_in"].tolist()[2] == "[navn fjernet] mener:"
    assert masked["responses"]["error"].tolist()[3] == (
        "Kunne ikke lese vedlegget fra [navn fjernet] (tlf. [telefonnummer fjernet])"
    )
    assert masked["corrections"]["original"].tolist() == ["[navn fjernet]"]
    every = " ".join(
        str(v)
        for t in ("responses", "comments", "themes", "measure_summary", "campaigns")
        for v in masked[t].to_numpy().ravel()
    )
    for personal in ("Hilde", "Moen", "Tarek", "Amini", "912 34 567", "22 33 44 55", "example.no", "Storgata 12B"):
        assert personal not in every, personal


def test_mask_tables_keeps_organisations_ids_and_numbers(round_tables):
    masked = mask_tables(round_tables)
    assert "FO Oslo" in masked["responses"]["sender"].tolist()
    assert "Kampen pensjonistforening" in masked["responses"]["sender"].tolist()
    # organisations' ids stay; private persons' ids become their pseudonym (file names carry names)
    assert masked["comments"]["comment_id"].tolist() == ["fo-oslo-1", "privatperson-1-1", "privatperson-2-1"]
    assert masked["themes"]["response_ids"].tolist() == ["fo-oslo, privatperson-1, privatperson-2"]
    assert masked["measure_summary"]["comment_ids"].tolist() == ["fo-oslo-1, privatperson-1-1"]


def test_ids_and_file_names_that_carry_a_private_name_are_pseudonymised():
    responses = _frame(
        "responses",
        [
            {"response_id": "hilde-moen", "source_file": "hilde-moen.txt", "sender": "Hilde Moen", "status": "ok"},
            {"response_id": "bydel-alna", "source_file": "bydel-alna.pdf", "sender": "Bydel Alna", "status": "ok"},
        ],
    )
    comments = _frame(
        "comments",
        [{"comment_id": "hilde-moen-003", "response_id": "hilde-moen", "sender": "Hilde Moen", "text": "Hei."}],
    )
    summary = _frame(
        "measure_summary",
        [
            {
                "code": "7S",
                "area": "S",
                "text": "Tiltaket.",
                "quotes": "«Hei.» (Hilde Moen, hilde-moen-003)",
                "sources": "hilde-moen.txt, avsnitt 3",
                "comment_ids": "hilde-moen-003",
            }
        ],
    )
    masked = mask_tables({"responses": responses, "comments": comments, "measure_summary": summary})
    assert masked["responses"]["response_id"].tolist() == ["privatperson-1", "bydel-alna"]
    assert masked["responses"]["source_file"].tolist() == ["privatperson-1.txt", "bydel-alna.pdf"]
    assert masked["comments"]["comment_id"].tolist() == ["privatperson-1-003"]
    row = masked["measure_summary"].iloc[0]
    assert row["quotes"] == "«Hei.» (Privatperson 1, privatperson-1-003)"
    assert row["sources"] == "privatperson-1.txt, avsnitt 3"
    every = " ".join(str(v) for t in masked for v in masked[t].to_numpy().ravel())
    assert "hilde" not in every.lower() and "moen" not in every.lower()


def test_mask_tables_does_not_change_its_input(round_tables):
    before = {name: frame.copy(deep=True) for name, frame in round_tables.items()}
    mask_tables(round_tables)
    for name, frame in round_tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_mask_tables_keeps_dtypes_and_extra_tables(round_tables):
    masked = mask_tables(round_tables)
    assert set(masked) == set(round_tables)
    for name, frame in masked.items():
        assert frame.dtypes.to_dict() == round_tables[name].dtypes.to_dict(), name
    assert masked["comments"]["text"].dtype == "string"
    pd.testing.assert_frame_equal(masked["measures"], round_tables["measures"])  # not a shared-text table


def test_mask_tables_skips_missing_tables_and_works_without_responses(round_tables):
    masked = mask_tables({"comments": round_tables["comments"]})
    assert set(masked) == {"comments"}
    assert masked["comments"]["sender"].tolist() == ["FO Oslo", "Privatperson 1", "Privatperson 2"]
    assert mask_tables({}) == {}


def test_mask_tables_keeps_missing_values(round_tables):
    comments = round_tables["comments"].copy()
    comments.loc[0, "text"] = pd.NA
    masked = mask_tables({"comments": comments})
    assert masked["comments"]["text"].isna().tolist() == [True, False, False]
