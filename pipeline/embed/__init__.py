"""Embed: sentence embeddings of comments and measures, cached on disk by model and text."""

from pipeline.embed.embedder import Embedder, embed_texts, load_embedder

__all__ = ["Embedder", "embed_texts", "load_embedder"]
