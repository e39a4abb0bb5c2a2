"""OCR repair: mis-read Norwegian letters put right, page furniture removed, lines reflowed into paragraphs."""
