"""Make real OCR test pairs: render clean Norwegian text to page images and OCR them with Tesseract.

OCR with the English model (``-l eng``) damages Norwegian exactly as the seeds show (``økt`` →
``okt``/``gkt``, ``på`` → ``pa``, ``før`` → ``far``): real OCR errors, on text whose truth is known.
Each OCR'd word is put back on the line it was rendered on (by its position on the page), so
``<name>.ocr.txt`` and ``<name>.ref.txt`` have the same lines and can be scored line by line by
``eval/ocr.py``.

    python eval/make_real_ocr.py SOURCE.txt [SOURCE.txt …] [--out eval/data/real] [--lang eng]

Needs the ``tesseract`` binary with the chosen language and the DejaVu or Liberation fonts.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path

import pytesseract
from PIL import Image, ImageDraw, ImageFont

FONTS = (
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
PAGE = (2480, 3508)  # A4 at 300 dpi
MARGIN = 180
FONT_SIZE = 42
LINE_HEIGHT = 62
WIDTH_CHARS = 92


def layout(text: str) -> list[str]:
    """The text wrapped into page lines, paragraphs separated by an empty line."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        flat = " ".join(paragraph.split())
        if flat:
            lines.extend(textwrap.wrap(flat, WIDTH_CHARS, break_long_words=False, break_on_hyphens=False))
            lines.append("")
    return lines


def render_and_read(lines: list[str], font_path: str, lang: str) -> list[str]:
    """OCR'd text of each line, page by page."""
    font = ImageFont.truetype(font_path, FONT_SIZE)
    per_page = (PAGE[1] - 2 * MARGIN) // LINE_HEIGHT
    out: list[str] = []
    for first in range(0, len(lines), per_page):
        page_lines = lines[first : first + per_page]
        image = Image.new("L", PAGE, 255)
        draw = ImageDraw.Draw(image)
        for k, line in enumerate(page_lines):
            draw.text((MARGIN, MARGIN + k * LINE_HEIGHT), line, font=font, fill=0)
        data = pytesseract.image_to_data(image, lang=lang, output_type=pytesseract.Output.DICT)
        words: list[list[tuple[int, str]]] = [[] for _ in page_lines]
        for text, left, top, height in zip(data["text"], data["left"], data["top"], data["height"]):
            if not text.strip():
                continue
            k = int((top + height / 2 - MARGIN) // LINE_HEIGHT)
            if 0 <= k < len(page_lines):
                words[k].append((left, text))
        out.extend(" ".join(t for _, t in sorted(ws)) for ws in words)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sources", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "data" / "real")
    parser.add_argument("--lang", default="eng")
    args = parser.parse_args()
    font = next(f for f in FONTS if Path(f).exists())
    args.out.mkdir(parents=True, exist_ok=True)
    for source in args.sources:
        lines = layout(source.read_text(encoding="utf-8"))
        read = render_and_read(lines, font, args.lang)
        name = f"rendered-{source.stem}"
        (args.out / f"{name}.ref.txt").write_text("\n".join(lines), encoding="utf-8")
        (args.out / f"{name}.ocr.txt").write_text("\n".join(read), encoding="utf-8")
        print(f"{name}: {len(lines)} lines")


if __name__ == "__main__":
    main()
