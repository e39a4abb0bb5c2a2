"""The benchmark harness: synthetic rounds are varied, deterministic and look like hearing rounds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from synthetic import generate_round

from pipeline.comments.campaigns import find_campaigns
from pipeline.comments.segment import segment_response
from pipeline.measures.explicit import find_explicit
from pipeline.ocr.repair import clean_text


def _texts(folder: Path) -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted((folder / "responses").glob("*.txt"))}


def test_a_round_is_deterministic_and_has_the_plan(tmp_path):
    a = generate_round(tmp_path / "a", 40, seed=7)
    b = generate_round(tmp_path / "b", 40, seed=7)
    c = generate_round(tmp_path / "c", 40, seed=8)
    assert _texts(a) == _texts(b) != _texts(c)
    assert len(_texts(a)) == 40 and list((a / "plan").iterdir())


@pytest.mark.slow
def test_responses_vary_carry_codes_campaigns_and_ocr_damage(tmp_path):
    texts = _texts(generate_round(tmp_path / "r", 60, seed=3))
    senders, n_comments, codes = set(), [], set()
    for rid, text in texts.items():
        sender, comments = segment_response(rid, clean_text(text).text)
        senders.add(sender)
        n_comments.append(len(comments))
        codes.update(m.code for c in comments for m in find_explicit(c.comment_id, c.text, set(), "FS"))
    assert len(senders) >= 30 and max(n_comments) >= 3 * max(min(n_comments), 1)
    assert len(codes) >= 15
    campaign = find_campaigns({rid: clean_text(t).text for rid, t in texts.items()})
    letters = {rid for rid in texts if rid.startswith("innbygger")}
    assert letters and set(campaign) == letters and len(set(campaign.values())) == 1
    damaged = [t for t in texts.values() if "|" in t or "@" in t or " ma " in t or "-\n" in t]
    assert 5 <= len(damaged) < len(texts)
