"""A content-addressed disk cache for per-response work: what a rerun can skip.

Reading a file (OCR of a scan above all) is the costly per-response step, and the flow reads a whole
folder in one task, so Prefect's task cache can only skip the folder as a whole. Each file's result is
kept in ``config.CACHE_DIR/<kind>/`` under a key made of its bytes' SHA-256 and the code version (a
digest of the ``pipeline`` package's source): a rerun, or a round with one more response, reads only
the files it has not seen, and any change to the code starts afresh. Entries are pickles written
atomically; an unreadable entry is recomputed. (Text repair is one task per response: Prefect's task
cache serves it.)

Example:
    >>> extracted = cached("extract", sha256_of_bytes, lambda: extract(path))  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import logging
import pickle
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from pipeline import config
from pipeline.tables import atomic_write

T = TypeVar("T")
log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def code_version() -> str:
    """Digest of every source file of the ``pipeline`` package (a code change invalidates the cache)."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def cached(kind: str, key: str, compute: Callable[[], T], folder: Path | None = None) -> T:
    """``compute()``'s result, from the cache when this ``kind`` and ``key`` were computed before.

    Nothing is cached when ``config.CACHE_DIR`` is None (``HORING_CACHE=off``). Exceptions from
    ``compute`` propagate and are not cached.
    """
    base = folder or config.CACHE_DIR
    if base is None:
        return compute()
    path = Path(base) / kind / code_version() / f"{key}.pkl"
    if path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # noqa: BLE001 - a damaged entry is recomputed
            log.warning("Ødelagt mellomlager %s; regner ut på nytt", path)
    value = compute()
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write(path, lambda tmp: Path(tmp).write_bytes(data))
    except OSError as exc:  # a full or read-only disk costs time, never the result
        log.warning("Kunne ikke skrive mellomlager %s: %s", path, exc)
    return value
