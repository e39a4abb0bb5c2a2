"""Tests for pipeline.ingest.manifest: every file under responses/ accounted for, counts that add up."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.ingest import folder as ingest
from pipeline.ingest.manifest import (
    MANIFEST,
    NOT_READ,
    STATUSES,
    ManifestError,
    build_manifest,
    check_manifest,
    to_json,
    write_manifest,
)
from pipeline.per_response import mark_failed

TEXT = "Høringssvar fra Bydel Østensjø\n\nVi støtter tiltak 7S og ønsker økt satsing på rusforebygging."


@pytest.fixture
def responses_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "runde" / "responses"
    (folder / "undermappe").mkdir(parents=True)
    (folder / ".git").mkdir()
    (folder / "svar fra Ås.txt").write_text(TEXT, encoding="utf-8")
    (folder / "undermappe" / "kopi.txt").write_text(TEXT, encoding="utf-8")  # 'svar…' < 'undermappe/…'
    (folder / "tom.txt").write_bytes(b"")
    (folder / "notat.xyz").write_bytes(b"noe")
    (folder / "~$svar.docx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / ".git" / "config").write_text("[core]")
    return folder


def _by_file(manifest: dict) -> dict[str, dict]:
    return {e["file"]: e for e in manifest["files"]}


def test_every_file_on_disk_has_one_entry_with_its_status(responses_dir):
    manifest = build_manifest(responses_dir, ingest.read_folder(responses_dir))
    entries = _by_file(manifest)
    assert {f: e["status"] for f, e in entries.items()} == {
        "svar fra Ås.txt": "ok",
        "undermappe/kopi.txt": "duplicate",
        "tom.txt": "error",
        "notat.xyz": "error",
        "~$svar.docx": "skipped",
        ".DS_Store": "skipped",
        ".git/config": "skipped",
    }
    assert [e["file"] for e in manifest["files"]] == sorted(entries)
    assert manifest["total"] == 7 == sum(manifest["counts"].values())
    assert manifest["counts"] == {"ok": 1, "error": 2, "duplicate": 1, "skipped": 3}
    assert list(manifest["counts"]) == list(STATUSES)
    assert manifest["round"] == "runde"


def test_entries_carry_reason_id_hash_and_size(responses_dir):
    entries = _by_file(build_manifest(responses_dir, ingest.read_folder(responses_dir)))
    ok, copy = entries["svar fra Ås.txt"], entries["undermappe/kopi.txt"]
    assert set(ok) == {"file", "status", "reason", "response_id", "sha256", "bytes"}
    assert (ok["reason"], ok["response_id"]) == ("", "svar-fra-as")
    assert ok["sha256"] == hashlib.sha256(TEXT.encode()).hexdigest() == copy["sha256"]
    assert ok["bytes"] == len(TEXT.encode())
    assert copy["reason"].startswith("Duplikat:") and "«svar fra Ås.txt»" in copy["reason"]
    assert copy["response_id"] == "kopi"
    assert entries["tom.txt"]["reason"] == "Tom fil" and entries["tom.txt"]["bytes"] == 0
    assert entries["notat.xyz"]["reason"].startswith("Ukjent filformat: .xyz")
    for name in ("~$svar.docx", ".DS_Store", ".git/config"):
        skipped = entries[name]
        assert skipped["reason"].startswith("Hoppet over:") and skipped["response_id"] == ""
        assert len(skipped["sha256"]) == 64
    assert entries[".git/config"]["reason"] == "Hoppet over: ligger i en skjult mappe (.git)"


def test_stage_failures_in_the_rows_show_as_errors(responses_dir):
    rows = ingest.read_folder(responses_dir)
    failed = mark_failed(rows, {"svar-fra-as": "Feil under OCR-rensing: ValueError: x"})
    entry = _by_file(build_manifest(responses_dir, failed))["svar fra Ås.txt"]
    assert (entry["status"], entry["reason"]) == ("error", "Feil under OCR-rensing: ValueError: x")


def test_a_file_that_arrived_after_reading_is_an_error_and_a_vanished_one_is_kept(responses_dir):
    rows = ingest.read_folder(responses_dir)
    (responses_dir / "sent.txt").write_text(TEXT + " Sent svar.", encoding="utf-8")
    (responses_dir / "notat.xyz").unlink()
    manifest = build_manifest(responses_dir, rows)
    entries = _by_file(manifest)
    assert (entries["sent.txt"]["status"], entries["sent.txt"]["reason"]) == ("error", NOT_READ)
    assert entries["notat.xyz"]["status"] == "error" and entries["notat.xyz"]["bytes"] is None
    assert "finnes ikke lenger" in entries["notat.xyz"]["reason"]
    assert manifest["total"] == 8 == sum(manifest["counts"].values())


def test_an_empty_folder_has_an_empty_manifest(tmp_path):
    manifest = build_manifest(tmp_path, [])
    assert manifest["total"] == 0 and manifest["files"] == [] and set(manifest["counts"].values()) == {0}


def test_a_missing_folder_raises(tmp_path):
    with pytest.raises(NotADirectoryError):
        build_manifest(tmp_path / "finnes-ikke", [])


def test_check_refuses_a_manifest_that_does_not_add_up(responses_dir):
    manifest = build_manifest(responses_dir, ingest.read_folder(responses_dir))
    on_disk = [e["file"] for e in manifest["files"]]
    check_manifest(manifest, on_disk)
    with pytest.raises(ManifestError, match="mangler 1 filer"):
        check_manifest(manifest, on_disk + ["ny.txt"])
    with pytest.raises(ManifestError, match="går ikke opp"):
        check_manifest({**manifest, "counts": {**manifest["counts"], "ok": 5}}, on_disk)
    with pytest.raises(ManifestError, match="går ikke opp"):
        check_manifest({**manifest, "total": 3}, on_disk)
    bad = [{**e, "reason": ""} if e["status"] == "error" else e for e in manifest["files"]]
    with pytest.raises(ManifestError, match="begrunnelse"):
        check_manifest({**manifest, "files": bad}, on_disk)
    odd = [{**e, "status": "lest"} if e["status"] == "ok" else e for e in manifest["files"]]
    with pytest.raises(ManifestError, match="Ukjent status"):
        check_manifest({**manifest, "files": odd}, on_disk)


def test_a_row_with_an_unknown_status_counts_as_an_error(responses_dir):
    rows = [replace(r, status="rar") if r.status == "ok" else r for r in ingest.read_folder(responses_dir)]
    entry = _by_file(build_manifest(responses_dir, rows))["svar fra Ås.txt"]
    assert entry["status"] == "error" and entry["reason"]


def test_written_atomically_as_readable_utf8_json(responses_dir, tmp_path):
    manifest = build_manifest(responses_dir, ingest.read_folder(responses_dir))
    out = tmp_path / "ut"
    path = write_manifest(out / MANIFEST, manifest)
    raw = path.read_text(encoding="utf-8")
    assert raw == to_json(manifest) and "svar fra Ås.txt" in raw and "\\u00c5" not in raw
    assert raw.startswith('{\n  "round": "runde",\n  "total": 7,')
    assert json.loads(raw) == manifest
    assert [p.name for p in out.iterdir()] == [MANIFEST]  # no temporary file left behind
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_a_file_name_that_is_not_utf8_is_shown_as_windows_1252(tmp_path):
    folder = tmp_path / "responses"
    folder.mkdir()
    try:
        with open(os.path.join(os.fsencode(folder), b"svar fra \xe5s.txt"), "wb") as handle:
            handle.write(TEXT.encode())
    except OSError:
        pytest.skip("the file system refuses names that aren't UTF-8")
    rows = ingest.read_folder(folder)
    manifest = build_manifest(folder, rows)
    assert [(e["file"], e["status"], e["response_id"]) for e in manifest["files"]] == [
        ("svar fra ås.txt", "ok", "svar-fra-as")
    ]
    to_json(manifest).encode("utf-8")  # no lone surrogates
