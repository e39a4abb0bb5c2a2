"""The round's manifest: every file under ``responses/`` accounted for, whatever its state.

A hearing round is an official record. ``manifest.json`` (in the round's output folder) lists each
file found under ``responses/`` (sub-folders too) with its status:

- ``ok``: read and analysed;
- ``error``: could not be read or analysed; ``reason`` says why, in Norwegian ("Tom fil",
  "PDF-filen er passordbeskyttet", "Ukjent filformat: .xyz …");
- ``duplicate``: the same bytes as an earlier file (in path order), which ``reason`` names; not
  analysed again;
- ``skipped``: not a response (hidden files and folders, Office temp files, Thumbs.db, a link to a
  file that is itself in the folder …); ``reason`` says which kind.

Links are never followed and pipes or devices never opened: each is an entry of its own (an
``error`` saying what it is, unless it links to a file in the folder), so nothing outside the round
is read and nothing on disk is left out.

with its SHA-256 and size, and the counts per status, which add up to the files found on disk;
``removed`` lists the responses of the previous run whose file has since left the folder.

Example:
    >>> found = build_manifest(Path("data/raw/runde/responses"), ingest.read_folder(...))  # doctest: +SKIP
    >>> found["counts"], found["total"]  # doctest: +SKIP
    ({'ok': 20, 'error': 3, 'duplicate': 1, 'skipped': 2}, 26)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from pipeline.ingest import folder as ingest
from pipeline.tables import atomic_write

MANIFEST = "manifest.json"
STATUSES = ("ok", "error", "duplicate", "skipped")
NOT_READ = "Filen ble ikke lest (den kom trolig til mens runden ble analysert); kjør runden på nytt"
GONE = "Filen ble lest, men finnes ikke lenger i svarmappen"


class ManifestError(Exception):
    """The manifest does not account for every file (a bug: the round must not be reported as complete)."""


@dataclass(frozen=True)
class Entry:
    """One file under responses/."""

    file: str  # path relative to responses/, '/' separators
    status: str  # ok, error, duplicate or skipped
    reason: str  # Norwegian; "" for ok
    response_id: str  # "" for skipped
    sha256: str  # of the file's bytes; "" if it could not be read
    bytes: int | None  # size; None if it is gone or is a link, pipe or device (never read)


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _sha256(path: Path) -> str:
    try:
        return ingest.file_sha256(path)
    except OSError:
        return ""


def build_manifest(
    responses_dir: Path, responses: Sequence[ingest.Response], previous: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The manifest of a round: one entry per file under ``responses_dir``, from ingest's rows.

    Args:
        responses_dir: the round's responses/ folder.
        responses: every row of the round (after later stages marked their failures), as
            :func:`pipeline.ingest.folder.read_folder` made them.
        previous: the last run's manifest, if any: a response in it whose file is no longer in the
            folder is listed under ``removed`` (file, response id, status then).

    Returns:
        ``{"round": name, "total": n, "counts": {status: n}, "files": [entry, ...]}``, files in path
        order, each entry a dict of :class:`Entry`'s fields.

    Raises:
        ManifestError: a file on disk is missing from it, or the counts don't add up.
        NotADirectoryError: responses_dir is not a folder.
    """
    folder = Path(responses_dir)
    on_disk = ingest.scan_folder(folder)
    names = ingest.source_names([f.path for f in on_disk], folder)
    by_file = {r.source_file: r for r in responses}
    entries = []
    for found in on_disk:
        path, name = found.path, names[found.path]
        row = by_file.pop(name, None)
        regular = found.kind == "file"  # a link's or a pipe's target is never read, not even to hash it
        size = _size(path) if regular else None
        if row is not None:  # ingest hashed it already
            entries.append(_entry(row, size))
            continue
        sha256 = _sha256(path) if regular else ""
        if skipped := ingest.skip_reason(path.relative_to(folder)) or (
            found.reason if found.status == "skipped" else ""
        ):
            entries.append(Entry(name, "skipped", skipped, "", sha256, size))
        else:  # appeared after the responses were read
            entries.append(Entry(name, "error", NOT_READ, "", sha256, size))
    entries += [_entry(r, None, GONE) for r in by_file.values()]  # read, but deleted since
    entries.sort(key=lambda e: e.file)
    manifest = {
        "round": folder.resolve().parent.name,
        "total": len(entries),
        "counts": {status: sum(e.status == status for e in entries) for status in STATUSES},
        "files": [asdict(e) for e in entries],
        "removed": removed_since(previous, {e.file for e in entries}),
    }
    check_manifest(manifest, list(names.values()))
    return manifest


def _entry(row: ingest.Response, size: int | None, note: str = "") -> Entry:
    status = row.status if row.status in STATUSES else "error"
    reason = "" if status == "ok" else (row.error or "Ukjent feil")
    if note:
        reason = f"{reason} ({note})" if reason else note
    return Entry(row.source_file, status, reason, row.response_id, row.sha256, size)


def removed_since(previous: Mapping[str, Any] | None, files_now: set[str]) -> list[dict[str, str]]:
    """The responses of the ``previous`` manifest whose file is gone from the folder now."""
    return [
        {"file": e["file"], "response_id": e["response_id"], "status": e["status"]}
        for e in (previous or {}).get("files", [])
        if e.get("response_id") and e["file"] not in files_now
    ]


def read_manifest(path: Path) -> dict[str, Any] | None:
    """The manifest written at ``path`` by an earlier run, or None (none there, or unreadable)."""
    try:
        found = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and isinstance(found.get("files"), list) else None


def check_manifest(manifest: Mapping[str, Any], files_on_disk: Sequence[str]) -> None:
    """Raises ManifestError unless every file on disk has exactly one entry with a known status, every
    entry but ok has a reason, and the counts add up to the total.
    """
    files = [e["file"] for e in manifest["files"]]
    missing = sorted(set(files_on_disk) - set(files))
    if missing:
        raise ManifestError(f"Manifestet mangler {len(missing)} filer: {', '.join(missing[:5])}")
    if len(set(files)) != len(files):
        raise ManifestError("Manifestet har samme fil flere ganger")
    unknown = [e["file"] for e in manifest["files"] if e["status"] not in STATUSES]
    if unknown:
        raise ManifestError(f"Ukjent status for {', '.join(unknown[:5])}")
    unexplained = [e["file"] for e in manifest["files"] if e["status"] != "ok" and not e["reason"]]
    if unexplained:
        raise ManifestError(f"Mangler begrunnelse for {', '.join(unexplained[:5])}")
    counts = manifest["counts"]
    if (
        sum(counts.values()) != manifest["total"]
        or manifest["total"] != len(files)
        or any(counts.get(s, 0) != sum(e["status"] == s for e in manifest["files"]) for s in STATUSES)
    ):
        raise ManifestError(f"Tallene i manifestet går ikke opp: {dict(counts)}, totalt {manifest['total']}")


def to_json(manifest: Mapping[str, Any]) -> str:
    """The manifest as UTF-8 JSON text: æøå as they are, indented, one key per line."""
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def write_manifest(path: Path, manifest: Mapping[str, Any]) -> Path:
    """Write ``manifest.json`` atomically (an interrupted run leaves the previous one intact)."""
    text = to_json(manifest)
    return atomic_write(Path(path), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
