"""The measure catalogue parsed from the action plan (seed 003)."""

from __future__ import annotations

import pytest

from pipeline.measures.catalogue import PlanError, find_plan_files, parse_catalogue, primary_version, read_plan


@pytest.fixture(scope="module")
def catalogue(plan_text):
    return {m.code: m for m in parse_catalogue(plan_text, plan_file="plan.txt")}


def test_all_43_measures_in_order(plan_text):
    codes = [m.code for m in parse_catalogue(plan_text)]
    assert codes == [f"{n}F" for n in range(1, 25)] + [f"{n}S" for n in range(1, 20)]


def test_no_result_goal_text_inside_a_measure(catalogue):
    goals = {m.goal for m in catalogue.values()}
    assert len(goals) >= 15
    for m in catalogue.values():
        assert "Resultatmål" not in m.text and "byrådsavdeling" not in m.text
        for goal in goals:
            assert goal not in m.text
        assert not any(line.strip() in {"SET", "HLS", "UTD", "SET/HLS"} for line in m.text.split("\n"))


def test_irregular_codes_are_parsed(catalogue):
    assert catalogue["11S"].text.startswith("Velferdsetaten samarbeider med relevante aktører")
    assert catalogue["17S"].text.startswith("Velferdsetaten gjennomfører et pilotprosjekt")
    assert catalogue["14F"].text.startswith("Bydelene og skolene skal etablere")
    assert catalogue["14F"].goal == "Skolen er en rusfri arena"


def test_measure_continued_after_a_page_break(catalogue):
    assert catalogue["9F"].text.endswith("mandat for funksjonen og styrker det faglige samarbeidet med Uteseksjonen.")
    assert "ved flere lokasjoner og/eller utvides med ambulant tjeneste" in catalogue["7S"].text


def test_sub_bullets_belong_to_their_measure(catalogue):
    assert "\n- I samarbeid med Helseetaten undersøkes" in catalogue["4F"].text
    assert "\n- Nytt brukerrom skal kunne benyttes" in catalogue["10S"].text
    assert catalogue["5F"].text.count("\n- ") == 0


def test_responsible_departments(catalogue):
    assert catalogue["7F"].responsible == "UTD"
    assert catalogue["13F"].responsible == "SET/HLS"
    assert catalogue["14F"].responsible == "HLS/UTD"
    assert catalogue["19F"].responsible == "HLS"
    assert all(m.responsible for m in catalogue.values())


def test_goals_and_areas(catalogue):
    assert catalogue["10S"].goal == "Antall overdoser og overdosedødsfall er redusert"
    assert catalogue["10S"].area == "S" and catalogue["10S"].number == 10
    assert catalogue["1F"].goal.startswith("Forebyggende tiltak på rusfeltet er arenafleksible")


def test_plan_versions(round_dir, tmp_path):
    files = find_plan_files(round_dir / "plan")
    assert len(read_plan(files[0])) == 43 and primary_version(files) == files[0].stem
    with pytest.raises(PlanError, match="Fant ikke"):
        find_plan_files(tmp_path)
    (round_dir / "plan" / "0-utkast.txt").write_text("Resultatmål Tiltak\n\nMål\n\n1F. Noe.\n", encoding="utf-8")
    files = find_plan_files(round_dir / "plan")
    assert [f.stem for f in files][0] == "0-utkast"
    assert primary_version(files) == "tryggere-liv-handlingsplan-2026-2029"  # the last by name
    assert primary_version(files, "0-utkast") == "0-utkast"
    (round_dir / "plan" / "zz-notat-endelig.txt").write_text("1F. Noe.\n", encoding="utf-8")
    assert primary_version(find_plan_files(round_dir / "plan")) == "zz-notat-endelig"  # named final
    with pytest.raises(PlanError, match="Fant ingen planversjon"):
        primary_version(files, "finnes-ikke")
    assert read_plan(files[0])[0].plan_version == "0-utkast"


def test_innsatsomrade_is_one_of_the_sections_areas(catalogue):
    f_areas = {m.innsatsomrade for m in catalogue.values() if m.area == "F"}
    assert "Kunnskapsbaserte forebyggingstiltak" in f_areas and "Nye digitale virkemidler" in f_areas
    assert catalogue["1F"].innsatsomrade == "Kunnskapsbaserte forebyggingstiltak"
    assert catalogue["22F"].innsatsomrade == "Nye digitale virkemidler"
    assert catalogue["10S"].innsatsomrade == "Ny innsats mot overdoser"
    assert catalogue["13S"].innsatsomrade == "Tilrettelegge for et trygt Oslo sentrum for alle"
    assert all(m.innsatsomrade for m in catalogue.values())


def test_every_irregular_form_in_the_plan(catalogue):
    assert catalogue["11S"].number == 11  # "11 S." with a space
    assert catalogue["17S"].text.startswith("Velferdsetaten")  # "17S.Velferdsetaten", no space
    assert catalogue["14F"].goal == "Skolen er en rusfri arena"  # code mid-line after its goal
    assert "\n- I samarbeid med Helseetaten" in catalogue["4F"].text  # "-I samarbeid", after a page break
    assert "deriblant alkohol-, benzodiazepin- og amfetaminsubstitusjon" in catalogue["7S"].text  # "alkohol-\n,"
    assert "e-læringsverktøyet «Aldring, alkohol og legemidler»" in catalogue["18F"].text  # "e-\nlæring"
    assert catalogue["15F"].text.endswith("ved bekymring.")  # continued after the table header


def test_plan_without_measures_is_an_error(tmp_path):
    path = tmp_path / "notat.txt"
    path.write_text("Et notat uten tiltak.\n", encoding="utf-8")
    with pytest.raises(PlanError, match="Fant ingen tiltak"):
        read_plan(path)
