"""The measure catalogue parsed from the action plan (seed 003)."""

from __future__ import annotations

import pytest

from pipeline.measures import PlanError, find_plan_file, parse_catalogue, read_plan


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


def test_plan_file_lookup(round_dir, tmp_path):
    plan = find_plan_file(round_dir / "plan")
    assert len(read_plan(plan)) == 43
    with pytest.raises(PlanError, match="Fant ikke"):
        find_plan_file(tmp_path)
    (round_dir / "plan" / "utkast.txt").write_text("1F. Noe", encoding="utf-8")
    with pytest.raises(PlanError, match="flere plandokumenter"):
        find_plan_file(round_dir / "plan")


def test_plan_without_measures_is_an_error(tmp_path):
    path = tmp_path / "notat.txt"
    path.write_text("Et notat uten tiltak.\n", encoding="utf-8")
    with pytest.raises(PlanError, match="Fant ingen tiltak"):
        read_plan(path)
