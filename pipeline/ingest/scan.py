"""What is under a round's folder: every entry as found on disk, links never followed
(:func:`scan_folder`), the files that are no responses (:func:`skip_reason`), and each file's name as
shown (:func:`relative_name`; a name that isn't UTF-8 on disk is read as Windows-1252).
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SKIPPED_NAMES = {"thumbs.db", "ehthumbs.db", "desktop.ini"}  # system files, like hidden files and '~$' locks
TEMP_SUFFIXES = (".tmp", "~")  # Office/Windows temp files (~WRL0001.tmp), editor backups (svar.txt~)
NON_UTF8_MARK = "(Windows-navn)"  # marks a file name that was not UTF-8 on disk


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
