"""The labelled corpora the measure-mention figures are made on, and the plan they are made against.

The synthetic corpus (``eval/data/hearing/<split>/``): hearing responses segmented as the pipeline
does, with ``labels.jsonl``; the real-like statements of :mod:`real_corpus`, one comment per content
line; FO Oslo's response (seed 000) with its written codes read by hand. Also the plan's catalogue
and the embeddings of texts and measures as the implicit model compares them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import real_corpus

from pipeline import config
from pipeline.comments.segment import BULLET_PREFIX_RE, NUMBER_PREFIX_RE, segment_response
from pipeline.embed.embedder import embed_texts, load_embedder
from pipeline.measures import implicit
from pipeline.measures.catalogue import find_plan_files, read_plan
from pipeline.measures.linking import measure_part_texts, measure_texts
from pipeline.ocr.repair import clean_text
from pipeline.tables import to_frame
from pipeline.text.sentences import sentences

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = HERE / "data" / "hearing"
SEED_000 = ROOT / "tests" / "data" / "seeds" / "000_b1466d50d3bf46c1.txt"
# FO Oslo's written codes, read by hand (ranges expanded; 25F is not in the plan).
SEED_000_EXPLICIT = set(
    "3F 4F 5F 15F 16F 11F 6F 9F 17F 18F 19F 13F 23F 24F 25F 16S 17S 18S 19S 7S 10S 11S 8S 9S".split()
)
SEED_000_DRIFT = {"17F": "16F", "18F": "17F", "19F": "18F", "13F": "12F"}


def _normal(text: str) -> str:
    return " ".join(text.split())


def load_split(split: str) -> tuple[pd.DataFrame, list[dict]]:
    """The split's comments (segmented as the pipeline does) and their labels, matched by text."""
    folder = CORPUS / split
    labels = [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    rows = []
    for path in sorted(folder.glob("*.txt")):
        _, found = segment_response(path.stem, clean_text(path.read_text(encoding="utf-8")).text)
        rows.extend({**c.__dict__, "theme_id": -1} for c in found)
    comments = to_frame(rows, "comments")
    by_text = {(c.response_id, _normal(c.text)): c.comment_id for c in comments.itertuples()}
    matched = []
    for label in labels:
        comment_id = by_text.get((label["response"], _normal(label["text"])))
        if comment_id:
            matched.append({**label, "comment_id": comment_id})
    print(f"{split}: {len(matched)} of {len(labels)} labelled paragraphs found as comments", file=sys.stderr)
    return comments, matched


def real_statements(split: str) -> list[real_corpus.Statement]:
    """The real-like statements of a split whose labels are finished (no line without a role)."""
    return [s for s in real_corpus.load(split) if all(line.role for line in s.lines)]


def real_comments(statements: list[real_corpus.Statement]) -> tuple[pd.DataFrame, dict[str, set[str]]]:
    """Each content line as a comment (under its heading; a list item with the last sentence of the
    paragraph before it as lead-in, as the pipeline segments), and the gold codes of each."""
    rows, gold = [], {}
    for statement in statements:
        section = lead = ""
        for line in statement.lines:
            if line.role == "heading":
                section, lead = line.text.rstrip(":").strip(), ""
            if line.role != "content":
                continue
            marker = BULLET_PREFIX_RE.match(line.text) or NUMBER_PREFIX_RE.match(line.text)
            text = line.text[marker.end() :] if marker else line.text
            if not marker:
                found = sentences(text)
                lead = found[-1] if found else ""
            cid = f"{statement.stem}-{line.number:03d}"
            rows.append(
                {
                    "comment_id": cid,
                    "response_id": statement.stem,
                    "sender": statement.sender,
                    "sender_kind": statement.sender_kind or "unknown",
                    "section": section,
                    "text": text,
                    "theme_id": -1,
                    "kind": "bullet" if marker else "paragraph",
                    "position": line.number,
                    "char_start": 0,
                    "char_end": 0,
                    "lead_in": lead if marker else "",
                    "stance": line.stance,
                    "stance_confidence": 1.0,
                    "paragraph": line.number,
                }
            )
            gold[cid] = set(line.measures)
    return to_frame(rows, "comments"), gold


def catalogue():
    plan = find_plan_files(config.DEFAULT_ROUND_DIR / "plan")[0]
    return to_frame(read_plan(plan), "measures")


def vectors_for(texts: list[str], role: str = "passage") -> np.ndarray:
    return embed_texts(texts, load_embedder(role=role))[0]


def space_for(measures) -> implicit.MeasureSpace:
    profiles_by_code = implicit.measure_profiles(list(zip(measures["code"], measures["text"], measures["goal"])))
    parts, owner = measure_part_texts(measures)
    texts = measure_texts(measures)
    return implicit.measure_space(
        [profiles_by_code[c] for c in measures["code"]], texts, parts, owner, vectors_for(texts), vectors_for(parts)
    )
