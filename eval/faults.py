"""Hostile and faulty inputs, case by case: what a record office expects, and what happens.

    python eval/faults.py          # the table: case, expected, observed, seconds
    python eval/faults.py --json

Each case builds its input in a temporary folder (nothing is kept) and runs the stage that meets it
(reading the folder, the manifest, a reader, the cache key, the output lock, masking). The whole flow
on such rounds is run by ``tests/test_faults.py``; this prints the record.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from documents import docx_with_body, make_eml, make_pdf, valid_fnr  # noqa: E402

from flows.caching import FolderContents  # noqa: E402
from pipeline.ingest import folder as ingest  # noqa: E402
from pipeline.ingest import manifest, tesseract
from pipeline.outputs import write as outputs
from pipeline.outputs.masking import is_private_person, mask_text  # noqa: E402

SECRET = "HEMMELIG utenfor runden"
CASES: list[tuple[str, str, Callable[[Path], str]]] = []


def case(name: str, expected: str):
    def register(fn: Callable[[Path], str]) -> Callable[[Path], str]:
        CASES.append((name, expected, fn))
        return fn

    return register


def _status(folder: Path, name: str) -> str:
    found = manifest.build_manifest(folder, ingest.read_folder(folder))
    entry = next(e for e in found["files"] if e["file"] == name)
    return f"{entry['status']}: {entry['reason'][:70]}" if entry["reason"] else entry["status"]


def _responses(base: Path) -> Path:
    folder = base / "responses"
    folder.mkdir()
    (folder / "svar.txt").write_text("Vi støtter tiltak 7S.", encoding="utf-8")
    (base / "hemmelig.txt").write_text(SECRET, encoding="utf-8")
    return folder


LINKS = [  # (case, expected, entry name, where it points, as a folder)
    ("lenke til en fil utenfor runden", "error, ikke lest", "lenke.txt", "{base}/hemmelig.txt", False),
    ("lenke til /proc/self/environ", "error, ikke lest", "miljø.txt", "/proc/self/environ", False),
    ("brutt lenke", "error med begrunnelse", "brutt.txt", "{base}/finnes-ikke", False),
    ("lenke til en mappe utenfor", "error, mappen ikke lest", "mappe", "{base}", True),
    ("lenke til en fil i runden", "skipped (filen leses selv)", "kopi.txt", "{base}/responses/svar.txt", False),
]
for _name, _expected, _entry, _target, _folder in LINKS:

    def _link(base: Path, entry: str = _entry, target: str = _target, folder: bool = _folder) -> str:
        responses = _responses(base)
        (responses / entry).symlink_to(target.format(base=base), target_is_directory=folder)
        leaked = any(SECRET in r.text for r in ingest.read_folder(responses))
        return _status(responses, entry) + (" – LEKKET" if leaked else "")

    case(_name, _expected)(_link)


@case("navngitt rør", "error, uten å henge")
def _(base: Path) -> str:
    folder = _responses(base)
    os.mkfifo(folder / "rør.txt")
    return _status(folder, "rør.txt")


@case("Windows-1252-navn ved siden av UTF-8-tvillingen", "begge lest, hvert sitt navn")
def _(base: Path) -> str:
    folder = _responses(base)
    (folder / "å.txt").write_text("Vi er enige.", encoding="utf-8")
    with open(os.path.join(os.fsencode(folder), "å.txt".encode("cp1252")), "wb") as handle:
        handle.write(b"Vi er uenige.")
    rows = ingest.read_folder(folder)
    manifest.build_manifest(folder, rows)  # raises if a name is there twice
    return ", ".join(f"{r.source_file}: {r.status}" for r in rows if r.source_file != "svar.txt")


def _eml_with(base: Path, name: str, data: bytes, mime: str) -> str:
    path = make_eml(base / "svar.eml", body="Vedlagt er vårt høringssvar.", attachments=[(name, data, mime)])
    row = ingest.read_document(path)
    return f"{row.status}: {row.error[:80]}" if row.error else row.status


@case("e-post med passordbeskyttet PDF", "error som nevner vedlegget")
def _(base: Path) -> str:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf([["Vi støtter tiltak 7S."]]))))
    writer.encrypt("hemmelig")
    buffer = io.BytesIO()
    writer.write(buffer)
    return _eml_with(base, "svar.pdf", buffer.getvalue(), "application/pdf")


@case("e-post med skadet base64-vedlegg", "error som nevner vedlegget")
def _(base: Path) -> str:
    path = make_eml(
        base / "skadet.eml", body="Se vedlegg.", attachments=[("svar.txt", b"Vi er enige i planen.", "text/plain")]
    )
    import base64

    encoded = base64.b64encode(b"Vi er enige i planen.")
    path.write_bytes(path.read_bytes().replace(encoded, encoded[:-3] + b"!*"))
    row = ingest.read_document(path)
    return f"{row.status}: {row.error[:80]}"


@case("e-post lagt ved i e-post i fem ledd", "error")
def _(base: Path) -> str:
    import email
    import email.policy

    inner = make_eml(base / "0.eml", body="Vi støtter planen.").read_bytes()
    for _ in range(5):
        message = EmailMessage()
        message["From"] = "kari@example.no"
        message.set_content("Videresendt.")
        message.add_attachment(email.message_from_bytes(inner, policy=email.policy.default))
        inner = bytes(message)
    (base / "dyp.eml").write_bytes(inner)
    row = ingest.read_document(base / "dyp.eml")
    deepest = row.error[row.error.find("e-poster lagt ved") :].split(".")[0] if "ledd" in row.error else row.error[:70]
    return f"{row.status}: {deepest}"


@case("e-post med to skannede PDF-er på 200 sider", "error: over OCR-budsjettet for filen")
def _(base: Path) -> str:
    real = tesseract.ocr_pdf
    tesseract.ocr_pdf = lambda data: ("Skannet tekst.", 0)  # the budget is counted before OCR runs
    try:
        scan = make_pdf([[] for _ in range(200)])
        path = make_eml(
            base / "skann.eml",
            body="To brev.",
            attachments=[("brev-1.pdf", scan, "application/pdf"), ("brev-2.pdf", scan, "application/pdf")],
        )
        row = ingest.read_document(path)
    finally:
        tesseract.ocr_pdf = real
    return f"{row.status}: {row.error[:90]}"


@case(".docx med 2 millioner tomme avsnitt (liten fil)", "error på sekunder")
def _(base: Path) -> str:
    data = docx_with_body(b"<w:p/>" * 2_000_000)
    (base / "bombe.docx").write_bytes(data)
    row = ingest.read_document(base / "bombe.docx")
    return f"{row.status} ({len(data) // 1024} KB): {row.error[:70]}"


@case("bilde på over 100 millioner piksler", "error uten å dekode bildet")
def _(base: Path) -> str:
    import math
    import warnings

    from PIL import Image

    side = math.isqrt(tesseract.MAX_IMAGE_PIXELS) + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Image.new("1", (side, side), 1).save(base / "plakat.png")
        row = ingest.read_document(base / "plakat.png")
    return f"{row.status}: {row.error[:80]}"


@case("PDF-side i plakatstørrelse (200 × 200 tommer)", "lest i høyst 16 millioner piksler")
def _(base: Path) -> str:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=72 * 200, height=72 * 200)
    buffer = io.BytesIO()
    writer.write(buffer)
    (page,) = list(tesseract.pdf_pages(buffer.getvalue()))
    return f"{page.width} × {page.height} = {page.width * page.height / 1e6:.1f} millioner piksler"


@case("fil endret med samme størrelse og tid (cp -p)", "ny cache-nøkkel: filen leses på nytt")
def _(base: Path) -> str:
    folder = _responses(base)
    path = folder / "svar.txt"
    key = FolderContents().compute_key(None, {"f": str(folder)}, {})
    stat = path.stat()
    path.write_text("Vi avviser 7S.".ljust(len("Vi støtter tiltak 7S.".encode())), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    same = path.stat().st_size == stat.st_size and path.stat().st_mtime_ns == stat.st_mtime_ns
    changed = FolderContents().compute_key(None, {"f": str(folder)}, {}) != key
    return f"størrelse og tid like: {same}; ny nøkkel: {changed}"


@case("svar slettet siden forrige kjøring", "står i manifestets «removed»")
def _(base: Path) -> str:
    folder = _responses(base)
    (folder / "borte.txt").write_text("Vi ber om mer til 10S.", encoding="utf-8")
    first = manifest.build_manifest(folder, ingest.read_folder(folder))
    (folder / "borte.txt").unlink()
    second = manifest.build_manifest(folder, ingest.read_folder(folder), previous=first)
    return f"removed: {[r['file'] for r in second['removed']]}"


@case("to kjøringer mot samme resultatmappe", "den andre stopper med en klar melding")
def _(base: Path) -> str:
    out = base / "out"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import time; from pipeline.outputs.write import output_lock\n"
                f"with output_lock({str(out)!r}):\n    print('ok', flush=True); time.sleep(30)"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        holder.stdout.readline()
        try:
            with outputs.output_lock(out):
                return "ikke stoppet"
        except outputs.OutputFolderBusy as exc:
            return f"stoppet: {str(exc)[:60]}"
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()


@case("full disk mens resultatene skrives", "forrige sett av resultater urørt")
def _(base: Path) -> str:
    import errno

    out = base / "out"
    out.mkdir()
    (out / "rapport.html").write_text("forrige rapport", encoding="utf-8")

    def write(folder: Path) -> list[Path]:
        (folder / "comments.parquet").write_bytes(b"nye")
        raise OSError(errno.ENOSPC, "No space left on device")

    try:
        with outputs.output_lock(out):
            outputs.publish_set(out, write)
    except OSError:
        pass
    left = sorted(p.name for p in out.iterdir())
    return f"i mappen: {left}; rester ved siden av: {sorted(p.name for p in base.iterdir() if p.name != 'out')}"


@case("drept mellom de to omdøpingene", "forrige sett satt tilbake ved neste kjøring")
def _(base: Path) -> str:
    out = base / "out"
    (base / ".out.forrige").mkdir()
    (base / ".out.forrige" / "rapport.html").write_text("forrige rapport", encoding="utf-8")
    (base / ".out.ny").mkdir()
    with outputs.output_lock(out):
        return f"i mappen: {sorted(p.name for p in out.iterdir())}; igjen: {sorted(p.name for p in base.iterdir())}"


for _text in (
    f"f.nr. {valid_fnr()}",
    "tlf.91234567",
    "ring 912-34-567",
    "tlf 9123 4567",
    "Furulia 12, 1450 Nesoddtangen",
    "hilde moen i et temanavn",
):

    def _mask(base: Path, text: str = _text) -> str:
        return mask_text(text, ("Hilde Moen",))

    case(f"personopplysning: «{_text}»", "maskert")(_mask)


@case("privatperson i store bokstaver / med rolle", "gjenkjent som privatperson")
def _(base: Path) -> str:
    return ", ".join(f"{n}: {is_private_person(n)}" for n in ("KARI NORDMANN", "Kari Nordmann, sykepleier og mor"))


def run() -> list[dict]:
    rows = []
    for name, expected, fn in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            try:
                observed = fn(Path(tmp))
            except Exception as exc:  # noqa: BLE001 - a case that raises is reported, not fatal
                observed = f"UNNTAK {type(exc).__name__}: {exc}"
            rows.append(
                {
                    "case": name,
                    "expected": expected,
                    "observed": observed,
                    "seconds": round(time.perf_counter() - start, 2),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = run()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    if args.json:
        print(json.dumps({"cases": rows, "peak_memory_mb": peak_mb}, ensure_ascii=False, indent=2))
        return
    print(f"{'tilfelle':52} {'forventet':42} {'s':>6}  observert")
    for r in rows:
        print(f"{r['case'][:52]:52} {r['expected'][:42]:42} {r['seconds']:6.2f}  {r['observed']}")
    print(f"\n{len(rows)} tilfeller; høyeste minnebruk i prosessen: {peak_mb} MB")


if __name__ == "__main__":
    main()
