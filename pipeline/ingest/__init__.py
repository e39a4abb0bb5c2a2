"""Ingest: every file of a round read to raw text (formats, OCR of scans), every file accounted for (manifest)."""

from pipeline.ingest.folder import FolderEntry, Response, file_sha256, is_regular_file, read_folder, scan_folder
from pipeline.ingest.manifest import MANIFEST, ManifestError, build_manifest, read_manifest

__all__ = [
    "MANIFEST",
    "FolderEntry",
    "ManifestError",
    "Response",
    "build_manifest",
    "file_sha256",
    "is_regular_file",
    "read_folder",
    "read_manifest",
    "scan_folder",
]
