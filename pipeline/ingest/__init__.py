"""Ingest: every file of a round read to raw text (formats, OCR of scans), every file accounted for (manifest)."""
