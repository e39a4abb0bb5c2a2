"""Prefect cache policies of the flow: a rerun, or a rerun after a crash, takes every step whose input
has not changed from Prefect's result store instead of computing it again.

A step's key is its inputs and its source (Prefect's ``INPUTS + TASK_SOURCE``), the code version of
the ``pipeline`` package and the embedding model (:class:`CodeAndModel`), and, for a step that reads a
folder, the names, sizes and modification times of the files in it (:class:`FolderContents`). Results
lie in ``PREFECT_LOCAL_STORAGE_PATH`` (``horing run`` sets ``data/interim/prefect``).
``HORING_CACHE=off`` turns caching off (every key is new).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from prefect.cache_policies import INPUTS, TASK_SOURCE, CachePolicy

from pipeline import cache, config
from pipeline.theme_ids import REVIEW_FILE, STATE_FILE


@dataclass
class CodeAndModel(CachePolicy):
    """The pipeline's code version and the embedding model; a fresh key when caching is off."""

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        if config.CACHE_DIR is None:
            return uuid.uuid4().hex
        return f"{cache.code_version()}-{config.EMBEDDING_MODEL}"


@dataclass
class FolderContents(CachePolicy):
    """Names, sizes and modification times of the files in every folder among the inputs; with
    ``only``, the contents of just those files (small files a run rewrites, such as the themes' state)."""

    only: tuple[str, ...] = ()

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: dict[str, Any],
                    **kwargs: Any) -> str | None:
        digest = hashlib.sha256()
        for value in inputs.values():
            if isinstance(value, (str, Path)) and Path(value).is_dir():
                files = [Path(value) / name for name in self.only] if self.only else Path(value).rglob("*")
                for path in sorted(p for p in files if p.is_file()):
                    if self.only:
                        digest.update(path.name.encode() + path.read_bytes())
                    else:
                        stat = path.stat()
                        digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
        return digest.hexdigest()


STAGE = INPUTS + TASK_SOURCE + CodeAndModel()
READS_FOLDER = STAGE + FolderContents()
READS_THEME_FILES = STAGE + FolderContents(only=(STATE_FILE, REVIEW_FILE))
CACHED = {"cache_policy": STAGE, "persist_result": True}
