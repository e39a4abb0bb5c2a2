"""OCR repair: mis-read Norwegian letters put right, page furniture removed, lines reflowed into paragraphs."""

from pipeline.ocr.repair import Cleaned, clean_text, repair_text

__all__ = ["Cleaned", "clean_text", "repair_text"]
