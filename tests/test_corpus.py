"""Segmentation on the labelled hearing corpus (eval/data/hearing): every labelled comment is found,
nothing else is, and each response's sender is right."""

from __future__ import annotations

import json

import pytest

from pipeline import config
from pipeline.comments.segment import segment_response
from pipeline.ocr.repair import clean_text

CORPUS = config.PROJ_ROOT / "eval" / "data" / "hearing"


def _labels(split: str) -> list[dict]:
    text = (CORPUS / split / "labels.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line]


@pytest.mark.parametrize("split", ["dev", "test"])
def test_comments_and_senders_match_the_labels(split: str):
    labels = _labels(split)
    for path in sorted((CORPUS / split).glob("*.txt")):
        expected = [lab for lab in labels if lab["response"] == path.stem]
        sender, comments = segment_response(path.stem, clean_text(path.read_text(encoding="utf-8")).text)
        assert [" ".join(c.text.split()) for c in comments] == [" ".join(e["text"].split()) for e in expected], (
            path.name
        )
        assert sender == expected[0]["sender"], path.name


def test_corpus_size():
    dev, test = _labels("dev"), _labels("test")
    assert len({lab["response"] for lab in dev}) >= 15 and len(dev) >= 150
    assert len({lab["response"] for lab in test}) >= 8
