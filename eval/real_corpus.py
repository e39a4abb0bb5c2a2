"""The real-like corpus: texts from ``../shared/real/rewritten/``, labels from ``eval/data/real_responses/``.

The texts are read where they lie (they are not copied into this repository); each label names a
line by its number and the SHA-1 of its text, and a label whose line changed is an error.

Example:
    >>> statements = load("dev")  # doctest: +SKIP
    >>> [line.text for line in statements[0].lines if line.role == "content"][:1]  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS_DIR = HERE / "data" / "real_responses"
SHARED_REAL = HERE.parent.parent / "shared" / "real"
TEXTS_DIR = SHARED_REAL / "rewritten"
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class Line:
    """One non-empty line of a statement with its labels."""

    number: int  # 1-based line number in the file
    text: str
    role: str  # content, heading, title, furniture
    furniture: str = ""
    stance: str = ""
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statement:
    """One labelled statement."""

    file: str
    split: str
    text: str
    sender: str
    sender_also: tuple[str, ...]
    sender_kind: str
    lines: tuple[Line, ...]

    @property
    def stem(self) -> str:
        return self.file.rsplit(".", 1)[0]


class LabelError(ValueError):
    """A label file that does not fit its text."""


def available() -> bool:
    """Whether ``../shared/real`` is there (it is beside the checkout in CI and for developers)."""
    return TEXTS_DIR.is_dir()


def line_sha1(text: str) -> str:
    return hashlib.sha1(text.strip().encode("utf-8")).hexdigest()[:10]


def load(split: str | None = None, *, labels_dir: Path = LABELS_DIR, texts_dir: Path = TEXTS_DIR) -> list[Statement]:
    """The labelled statements of one split (``dev``, ``test``) or all, in file order."""
    statements = []
    for path in sorted(labels_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if split and data["split"] != split:
            continue
        source = texts_dir / data["file"]
        if not source.is_file():
            raise LabelError(f"{path.name}: the text {source} is missing")
        text = source.read_text(encoding="utf-8")
        raw = text.split("\n")
        lines = []
        for entry in data["lines"]:
            number = entry["line"]
            line = raw[number - 1] if 0 < number <= len(raw) else ""
            if line_sha1(line) != entry["sha1"]:
                raise LabelError(f"{path.name}: line {number} of {data['file']} has changed since it was labelled")
            lines.append(
                Line(
                    number,
                    line.strip(),
                    entry["role"] or "",
                    entry.get("furniture") or "",
                    entry.get("stance") or "",
                    tuple(entry.get("measures") or ()),
                )
            )
        statements.append(
            Statement(
                data["file"],
                data["split"],
                text,
                data["sender"] or "",
                tuple(data.get("sender_also") or ()),
                data["sender_kind"] or "",
                tuple(lines),
            )
        )
    return statements
