"""Prefect cache policies of the flow: a rerun, or a rerun after a crash, takes every step whose input
has not changed from Prefect's result store instead of computing it again.

A step's key is its inputs and its source (Prefect's ``INPUTS + TASK_SOURCE``), the code version of
the ``pipeline`` package and the embedding model (:class:`CodeAndModel`), and, for a step that reads a
folder, the names and content hashes of the files in it (:class:`FolderContents`). Results
lie in ``PREFECT_LOCAL_STORAGE_PATH`` (``horing run`` sets ``data/interim/prefect``).
``HORING_CACHE=off`` turns caching off (every key is new).
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect.cache_policies import INPUTS, TASK_SOURCE, CachePolicy

from pipeline import cache, config
from pipeline.ingest import folder as ingest
from pipeline.themes.ids import REVIEW_FILE, STATE_FILE


@dataclass
class CodeAndModel(CachePolicy):
    """The pipeline's code version, the embedding model and the fitted models; a fresh key when caching is off."""

    def compute_key(
        self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any
    ) -> str | None:
        if config.CACHE_DIR is None:
            return uuid.uuid4().hex
        return f"{cache.code_version()}-{config.EMBEDDING_MODEL}-{_models()}"


def _models() -> str:
    """Digest of the fitted model files a run uses (shipped, or refitted on reviews)."""
    from pipeline.comments.stance import model_file as stance_file
    from pipeline.measures.implicit_model import model_file as implicit_file

    digest = hashlib.sha256()
    for path in (stance_file(), implicit_file()):
        digest.update(str(path).encode() + (path.read_bytes() if path.is_file() else b""))
    return digest.hexdigest()[:16]


@dataclass
class FolderContents(CachePolicy):
    """What is in every folder among the inputs: each entry's name and the SHA-256 of its bytes (a
    file whose content changed keeps no old key, even with its size and modification time kept, as
    ``cp -p``, ``rsync -a`` and unzip do); a link by where it points, never followed. With ``only``,
    just those files (small files a run rewrites, such as the themes' state)."""

    only: tuple[str, ...] = ()

    def compute_key(
        self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any], **kwargs: Any
    ) -> str | None:
        digest = hashlib.sha256()
        for value in inputs.values():
            if isinstance(value, (str, Path)) and Path(value).is_dir():
                folder = Path(value)
                if self.only:
                    entries = [
                        ingest.FolderEntry(folder / n, "file") for n in self.only if ingest.is_regular_file(folder / n)
                    ]
                else:
                    entries = ingest.scan_folder(folder)
                for entry in entries:
                    digest.update(os.fsencode(entry.path.relative_to(folder)) + b"\0" + _fingerprint(entry) + b"\0")
        return digest.hexdigest()


def _fingerprint(entry: ingest.FolderEntry) -> bytes:
    try:
        if entry.kind == "file":
            return ingest.file_sha256(entry.path).encode()
        if entry.kind == "link":
            return b"link:" + os.fsencode(os.readlink(entry.path))
    except OSError as exc:
        return f"unreadable:{exc.errno}".encode()
    return entry.kind.encode()


STAGE = INPUTS + TASK_SOURCE + CodeAndModel()
READS_FOLDER = STAGE + FolderContents()
READS_THEME_FILES = STAGE + FolderContents(only=(STATE_FILE, REVIEW_FILE))
CACHED = {"cache_policy": STAGE, "persist_result": True}
