"""Embed: sentence embeddings of comments and measures, cached on disk by model and text."""
