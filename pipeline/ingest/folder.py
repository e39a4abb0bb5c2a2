"""Read every file of a hearing round and extract its raw text: the first stage of the pipeline.

One :class:`Response` per file. A file that cannot be read never stops the run: it becomes a row
with ``status="error"`` and a Norwegian message saying what is wrong with it. A file with the same
bytes as an earlier one is ``status="duplicate"`` (not read again). The readers per format (.txt,
.pdf, .docx, .odt, .eml, images; scans through OCR) are in :mod:`pipeline.ingest.formats`.

A later stage that fails on one response (:func:`each_response`) turns that response into an error
row too (:func:`mark_failed`), so one bad file never stops the round.

Example:
    >>> rows = read_folder(Path("data/raw/runde-1"))  # doctest: +SKIP
    >>> [(r.response_id, r.status) for r in rows]  # doctest: +SKIP
    [('bydel-alna', 'ok'), ('fo-oslo-horingssvar', 'error')]
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline import config
from pipeline.cache import cached
from pipeline.ingest.formats import SUPPORTED_FORMATS, IngestError, check_size, extract, reason

__all__ = [
    "SUPPORTED_FORMATS",
    "ByResponse",
    "IngestError",
    "Response",
    "duplicate_reason",
    "each_response",
    "extract_text",
    "file_sha256",
    "is_regular_file",
    "list_files",
    "mark_failed",
    "read_document",
    "read_folder",
    "relative_name",
    "scan_folder",
    "skip_reason",
    "slugify",
    "source_names",
]

SKIPPED_NAMES = {"thumbs.db", "ehthumbs.db", "desktop.ini"}  # system files, like hidden files and '~$' locks
TEMP_SUFFIXES = (".tmp", "~")  # Office/Windows temp files (~WRL0001.tmp), editor backups (svar.txt~)
TRANSLIT = str.maketrans({"æ": "ae", "ø": "o", "å": "a"})
MAX_SLUG = 80  # response ids name files in texts/; a long file name must not make too long a name
HASH_CHUNK = 1 << 20
NON_UTF8_MARK = "(Windows-navn)"  # marks a file name that was not UTF-8 on disk
MAX_REASON = 500  # characters of a stage's error message kept in the reason

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Response:
    """One file of a hearing round and its raw text."""

    response_id: str  # slug of the file name, unique within a round
    source_file: str  # path relative to the scanned folder, '/' separators
    sha256: str  # of the file bytes; "" if the file could not be read at all
    format: str  # lower-case extension without the dot: "txt", "pdf", "docx", "eml", "png", ...
    status: str  # "ok", "error" or "duplicate" (same bytes as an earlier file; not analysed)
    error: str  # Norwegian reason when status is "error", the original's file for a "duplicate", else ""
    text: str  # raw text, line breaks kept; "" on error and for a duplicate
    encoding: str  # detected encoding of a .txt, else ""
    pages: int | None  # page count of a pdf (also a scanned one), frames of an image, else None
    # How the text was obtained: text, pdf-text, pdf-ocr, image-ocr, docx, odt, or eml followed by
    # its attachments' ways in order (eml+pdf-text+docx); "" on error.
    extraction: str = ""
    sender_hint: str = ""  # the From of an e-mail (display name, else address); "" for other formats


def slugify(name: str) -> str:
    """Lower-case ascii slug: æ->ae, ø->o, å->a, other runs of non-alphanumerics -> '-' (at most MAX_SLUG long)."""
    ascii_ = unicodedata.normalize("NFKD", name.lower().translate(TRANSLIT))
    ascii_ = ascii_.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_).strip("-")
    return slug[:MAX_SLUG].rstrip("-") or "fil"


def _format(path: Path) -> str:
    return path.suffix.lower().lstrip(".")


def _readable(name: str, mark: bool = False) -> str:
    """A file name as a valid str: a name that isn't UTF-8 on disk (an old zip, a Windows share) is
    read as Windows-1252, so 'svar fra \\udce5s.txt' shows as 'svar fra ås.txt' (with ``mark``: as
    'svar fra ås (Windows-navn).txt', to tell it from a UTF-8 twin beside it)."""
    return "/".join(_readable_part(part, mark) for part in name.split("/"))


def _readable_part(part: str, mark: bool) -> str:
    try:
        part.encode("utf-8")
        return part
    except UnicodeEncodeError:
        decoded = os.fsencode(part).decode("cp1252", errors="replace")
        if not mark:
            return decoded
        stem, dot, suffix = decoded.rpartition(".")
        return f"{stem} {NON_UTF8_MARK}.{suffix}" if dot and stem else f"{decoded} {NON_UTF8_MARK}"


def source_names(paths: Sequence[Path], root: Path) -> dict[Path, str]:
    """Each path's name relative to ``root`` as shown (:func:`relative_name`), made unique: where a
    name that isn't UTF-8 reads like another file's, it is marked (:data:`NON_UTF8_MARK`)."""
    plain = {p: relative_name(p, root) for p in paths}
    taken = Counter(plain.values())
    return {
        p: _readable(Path(p).relative_to(root).as_posix(), mark=True) if taken[name] > 1 else name
        for p, name in plain.items()
    }


def relative_name(path: Path, root: Path | None) -> str:
    """``path`` relative to ``root`` with '/' separators (the file name if root is None), readable text."""
    path = Path(path)
    return _readable(path.relative_to(root).as_posix() if root is not None else path.name)


def _file_error(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "Kunne ikke lese filen: ingen tilgang (sjekk filens rettigheter)"
    if isinstance(exc, FileNotFoundError):
        return "Kunne ikke lese filen: filen finnes ikke lenger"
    return f"Kunne ikke lese filen: {exc.strerror or reason(exc)}"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks (a large file is never held in memory)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def extract_text(path: Path) -> str:
    """Text of a file in any of the SUPPORTED_FORMATS (scans and images through OCR).

    Raises:
        IngestError: with the Norwegian reason when the file can't be read.
    """
    path = Path(path)
    try:
        check_size(path.stat().st_size, _format(path))
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(_file_error(exc)) from exc
    return extract(data, _format(path)).text


def read_document(path: Path, root: Path | None = None, seen: Mapping[str, str] | None = None) -> Response:
    """Extract the text of one file. Never raises for bad content: returns status="error" with a reason.

    A file too large to analyse is not read into memory (only hashed). A file whose SHA-256 is in
    ``seen`` is a ``duplicate`` of the file named there, and is not read further.

    Args:
        path: The file.
        root: The folder being scanned; ``source_file`` is relative to it (the file name if None).
        seen: SHA-256 -> source_file of the files read before it (see :func:`read_folder`).
    """
    path = Path(path)
    source = relative_name(path, root)
    row = Response(slugify(Path(source).stem), source, "", _format(path), "ok", "", "", "", None)
    too_large: IngestError | None = None
    data = None
    if os.path.lexists(path) and not is_regular_file(path):  # replaced by a link or a pipe since the scan
        return replace(row, status="error", error="Ikke en vanlig fil (lenke, rør eller enhet): leses ikke")
    try:
        try:
            check_size(path.stat().st_size, row.format)
        except IngestError as exc:  # too large: hash it for the record, but don't read it into memory
            too_large = exc
        if too_large is None:
            data = path.read_bytes()
            row = replace(row, sha256=hashlib.sha256(data).hexdigest())
        else:
            row = replace(row, sha256=file_sha256(path))
    except OSError as exc:
        return replace(row, status="error", error=_file_error(exc))
    # Same bytes as an earlier file: a duplicate (but empty files are all "Tom fil").
    if seen and row.sha256 in seen and (data is None or data.strip()):
        return replace(row, status="duplicate", error=duplicate_reason(seen[row.sha256]))
    if too_large is not None or data is None:
        return replace(row, status="error", error=str(too_large))
    try:
        key = f"{row.sha256}.{row.format}.{config.OCR_LANGUAGE}"  # a scan read with other language data differs
        found = cached("extract", key, lambda: extract(data, row.format))
    except IngestError as exc:
        return replace(row, status="error", error=str(exc), pages=exc.pages)
    except Exception as exc:  # a bug in a reader must not stop the round either
        error = f"Uventet feil ved lesing av filen: {type(exc).__name__}: {exc}"
        return replace(row, status="error", error=error)
    return replace(
        row,
        text=found.text,
        encoding=found.encoding,
        pages=found.pages,
        extraction=found.extraction,
        sender_hint=found.sender_hint,
    )


def duplicate_reason(original: str) -> str:
    """The reason of a duplicate row: which file it repeats."""
    return f"Duplikat: samme innhold (byte for byte) som «{original}»; analyseres ikke på nytt"


def skip_reason(relative: Path | str) -> str:
    """Why a file (path relative to the responses folder) is not a response, in Norwegian; "" if it is one.

    Hidden files and folders (name starting with '.': .DS_Store, .git/), Office lock and temp files
    ('~$svar.docx', '*.tmp'), editor backups ('svar.txt~') and Windows' Thumbs.db/desktop.ini.
    """
    relative = Path(relative)
    name = relative.name
    hidden_dirs = [part for part in relative.parts[:-1] if part.startswith(".")]
    if hidden_dirs:
        return f"Hoppet over: ligger i en skjult mappe ({_readable(hidden_dirs[0])})"
    if name.startswith("."):
        return "Hoppet over: skjult fil (navnet begynner med punktum)"
    if name.startswith("~$"):
        return "Hoppet over: midlertidig fil fra Office (navnet begynner med ~$)"
    if name.lower().endswith(TEMP_SUFFIXES):
        return "Hoppet over: midlertidig fil eller sikkerhetskopi"
    if name.lower() in SKIPPED_NAMES:
        return f"Hoppet over: systemfil fra Windows ({_readable(name)})"
    return ""


def _skipped(relative: Path) -> bool:
    return bool(skip_reason(relative))


@dataclass(frozen=True)
class FolderEntry:
    """One entry under a round's folder as found on disk, links not followed."""

    path: Path
    kind: str  # "file" (a regular file), "link" (a symbolic link) or "special" (pipe, socket, device)
    status: str = ""  # for a link or special entry: "skipped" or "error"; "" for a file
    reason: str = ""  # Norwegian: why a link or special entry is not read


def scan_folder(folder: Path) -> list[FolderEntry]:
    """Every entry under ``folder`` (recursively), sorted by relative path, never following a link.

    The folder is the boundary of the round: a symbolic link is not read, whatever it points to (a
    file elsewhere, ``/proc/self/environ``, a folder, nothing), and neither is a named pipe, socket or
    device. A link to a file inside the folder is ``skipped`` (that file is read as itself); any other
    link or special entry is an ``error`` with the reason.

    Raises:
        NotADirectoryError: if folder is not a directory.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"Fant ikke mappen: {folder}")
    entries = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(root) / name
            try:
                mode = os.lstat(path).st_mode
            except OSError:  # gone since the folder was listed
                continue
            if stat.S_ISLNK(mode):
                entries.append(FolderEntry(path, "link", *_link_status(path, folder)))
            elif stat.S_ISREG(mode):
                entries.append(FolderEntry(path, "file"))
            elif not stat.S_ISDIR(mode):
                entries.append(
                    FolderEntry(path, "special", "error", f"Ikke en vanlig fil ({_special_kind(mode)}): leses ikke")
                )
    return sorted(entries, key=lambda e: relative_name(e.path, folder))


def _link_status(path: Path, folder: Path) -> tuple[str, str]:
    target = Path(os.path.realpath(path))
    inside = target.is_relative_to(Path(os.path.realpath(folder)))
    if not target.exists():
        return "error", "Lenke (snarvei) som ikke peker til noen fil: leses ikke"
    if target.is_dir():
        return "error", "Lenke til en mappe: lenker følges ikke; legg filene selv i svarmappen"
    if inside and is_regular_file(target):
        return (
            "skipped",
            f"Hoppet over: lenke til {relative_name(target, Path(os.path.realpath(folder)))}, som leses selv",
        )
    return "error", (
        "Lenke til en fil utenfor svarmappen: lenker følges ikke, så ingenting utenfor runden leses; "
        "legg selve filen i svarmappen"
    )


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "navngitt rør"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "enhetsfil"


def is_regular_file(path: Path) -> bool:
    """Whether ``path`` is a regular file itself (not a link to one, not a pipe or device)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def list_files(folder: Path) -> list[Path]:
    """Every regular file under folder (recursively), skipped ones too, sorted by relative path; links
    and special entries are left out (see :func:`scan_folder`).

    Raises:
        NotADirectoryError: if folder is not a directory.
    """
    return [e.path for e in scan_folder(folder) if e.kind == "file"]


def read_folder(folder: Path) -> list[Response]:
    """All files under folder (recursively, sorted by relative path), one Response each.

    Hidden files and folders (name starting with '.'), Office lock/temp files ('~$...', '*.tmp'),
    backups ('...~') and Thumbs.db/desktop.ini are skipped (:func:`skip_reason`); links are never followed
    and, with pipes and devices, are error rows (a link to a file in the folder is skipped: that file is
    read as itself; see :func:`scan_folder`). Ids are made unique
    with -2, -3, ... in path order. A file with the same bytes as an earlier one (in path order) is a
    ``duplicate`` naming the earlier one.

    Raises:
        NotADirectoryError: if folder is not a directory.
    """
    folder = Path(folder)
    rows, used, seen = [], set(), {}
    entries = scan_folder(folder)
    names = source_names([e.path for e in entries], folder)
    for entry in entries:
        path, source = entry.path, names[entry.path]
        if _skipped(path.relative_to(folder)) or entry.status == "skipped":
            continue
        try:
            if entry.kind != "file":
                row = Response(
                    slugify(Path(source).stem), source, "", _format(path), "error", entry.reason, "", "", None
                )
            else:
                row = replace(read_document(path, folder, seen), source_file=source)
        except Exception as exc:  # read_document catches what files do; this is for what they shouldn't
            row = Response(
                slugify(Path(relative_name(path, folder)).stem),
                relative_name(path, folder),
                "",
                _format(path),
                "error",
                f"Uventet feil ved lesing av filen: {type(exc).__name__}: {reason(exc)}",
                "",
                "",
                None,
            )
        if row.sha256 and row.status != "duplicate":
            seen.setdefault(row.sha256, row.source_file)
        response_id, n = row.response_id, 1
        while response_id in used:
            n += 1
            response_id = f"{row.response_id}-{n}"
        used.add(response_id)
        rows.append(replace(row, response_id=response_id))
    return rows


# --- later stages, one response at a time -----------------------------------------------------------


class ByResponse(dict):
    """A stage's results per response id; ``failed`` holds the Norwegian reason for each response the
    stage raised on (those have no result)."""

    def __init__(self, *args: Any, failed: Mapping[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failed: dict[str, str] = dict(failed or {})


def stage_error(stage: str, exc: BaseException) -> str:
    """The Norwegian reason a stage failed on a response: ``Feil under OCR-rensing: ValueError: …``."""
    return f"Feil under {stage}: {type(exc).__name__}: {reason(exc)}"[:MAX_REASON]


def each_response(
    function: Callable[[Any], Any],
    inputs: Mapping[str, Any],
    stage: str,
    files: Mapping[str, str] | None = None,
    logger: logging.Logger | logging.LoggerAdapter | None = None,
) -> ByResponse:
    """``function`` on each input (per response id); one that raises is recorded in ``failed``, not raised.

    Args:
        function: the stage on one response's input.
        inputs: the input per response id.
        stage: the stage's Norwegian name, for the reason: "OCR-rensing", "oppdeling i kommentarer", ...
        files: source file per response id, for the warning logged on a failure.
        logger: where that warning goes (default: this module's logger).
    """
    files, logger = files or {}, logger or log
    results = ByResponse()
    for response_id, value in inputs.items():
        try:
            results[response_id] = function(value)
        except Exception as exc:  # one response must not stop the round
            results.failed[response_id] = stage_error(stage, exc)
            logger.warning("Hopper over %s: %s", files.get(response_id, response_id), results.failed[response_id])
    return results


def mark_failed(responses: Sequence[Response], failed: Mapping[str, str]) -> list[Response]:
    """The responses, those in ``failed`` (response id -> reason) turned into error rows without text."""
    return [
        replace(r, status="error", error=failed[r.response_id], text="") if r.response_id in failed else r
        for r in responses
    ]
