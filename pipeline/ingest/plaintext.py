"""Plain text: the bytes of a .txt decoded in whatever encoding the sender's tool wrote, and text
normalised the way every reader's is (NFC, ``\\n`` line breaks).

:func:`decode` tries strict UTF-8, a BOM, UTF-8 with stray Windows-1252 bytes, then a guess; the
decodings are pure functions of the bytes.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from pipeline.ingest.budgets import check_length, parsing_time_limit
from pipeline.ingest.extracted import Extracted, IngestError

BINARY_RATIO = 0.05  # a .txt with more control characters than this is binary junk
NORWEGIAN_LETTERS = set("æøåÆØÅ")
BINARY = "Filen ser ikke ut til å være tekst (binært innhold)"
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def normalise(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return unicodedata.normalize("NFC", text).lstrip("\ufeff")


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _cp1252_fallback(exc: UnicodeDecodeError) -> tuple[str, int]:
    return exc.object[exc.start : exc.end].decode("cp1252", errors="replace"), exc.end


codecs.register_error("horing-cp1252", _cp1252_fallback)


def _mixed_utf8(data: bytes) -> str | None:
    """A text mostly in UTF-8 with some Windows-1252 bytes (pasted together from two sources), or None.

    Most of its non-ascii bytes form valid UTF-8 sequences; the other bytes are read as Windows-1252.
    """
    sequences = UTF8_SEQUENCE.findall(data)
    if not sequences:
        return None
    in_sequences = sum(len(seq) for seq in sequences)
    stray = len(HIGH_BYTE.findall(data)) - in_sequences
    if stray > len(sequences):
        return None
    return data.decode("utf-8", errors="horing-cp1252").removeprefix("\ufeff")


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding of a .txt: strict utf-8, then a BOM, then utf-8 with some stray Windows-1252
    bytes, then charset-normalizer / cp1252."""
    mostly_text = data.count(b"\x00") <= BINARY_RATIO * len(data)  # else maybe BOM-less utf-16
    if mostly_text and (text := _try_decode(data, "utf-8-sig")) is not None:
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    boms = (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    )
    for bom, encoding in boms:
        if data.startswith(bom) and (text := _try_decode(data, encoding)) is not None:
            return text, encoding
    if mostly_text and (text := _mixed_utf8(data)) is not None:
        return text, "utf-8+cp1252"
    cp1252 = _try_decode(data, "cp1252")
    best = from_bytes(data).best()
    if best is not None and _mostly_latin(str(best)):
        text = str(best)
        # Short cp1252 texts are often taken for cp1250 & co., which garble æøå.
        if cp1252 is not None and (
            text == cp1252 or (not NORWEGIAN_LETTERS & set(text) and NORWEGIAN_LETTERS & set(cp1252))
        ):
            return cp1252, "cp1252"
        return text, codecs.lookup(best.encoding).name
    if cp1252 is not None:
        return cp1252, "cp1252"
    raise IngestError(BINARY)


def _mostly_latin(text: str) -> bool:
    """A guessed decoding of a Norwegian file reads as Latin script; junk bytes often decode as CJK."""
    visible = [c for c in text if not c.isspace()]
    return bool(visible) and sum(c < "\u0250" for c in visible) >= 0.5 * len(visible)


def is_binary(text: str) -> bool:
    """More than BINARY_RATIO of the characters are control characters or U+FFFD."""
    junk = sum(1 for c in text if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f\v"))
    return junk > BINARY_RATIO * len(text)


def read_txt(data: bytes) -> Extracted:
    with parsing_time_limit("å finne tegnkodingen i tekstfilen"):
        text, encoding = decode(data)
    check_length(text)  # before the character-by-character checks
    if is_binary(text):
        raise IngestError(BINARY)
    return Extracted(text, "text", encoding=encoding)
