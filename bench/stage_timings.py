"""Wall time, peak memory and throughput of each pipeline stage on a hearing round (default: the
bundled one).

Runs the flow's steps one by one through their plain functions, without Prefect, so each figure is
the stage's own cost; ``--flow`` also times a whole ``hearing_round`` run (Prefect's temporary
server included). Peak memory is the process's resident set size, sampled every 20 ms during the
stage (Linux ``/proc``). Embeddings use a fresh cache (cold) and then the same cache again (warm).

    python bench/stage_timings.py [ROUND_DIR] [--flow] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pandas as pd

from flows import tasks
from flows.hearing_round import hearing_round
from pipeline import config, embed, ocr
from pipeline.measures import RoundVectors, linking
from pipeline.per_response import each_response
from pipeline.text import lexicon

TIMINGS: list[dict] = []
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def rss_mb() -> float:
    """The process's resident memory now (MB); its peak so far where /proc is missing."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_MB
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakMemory:
    """Samples the resident memory in a background thread; ``peak`` is the highest seen."""

    def __init__(self, every_s: float = 0.02) -> None:
        self.peak, self._every, self._stop = rss_mb(), every_s, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self._every):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


@contextmanager
def timed(stage: str):
    """Time a stage; the caller may set ``note``, ``items`` and ``unit`` (for throughput)."""
    info: dict = {}
    with PeakMemory() as memory:
        start = time.perf_counter()
        yield info
        seconds = time.perf_counter() - start
    items = info.get("items")
    TIMINGS.append(
        {
            "stage": stage,
            "seconds": round(seconds, 3),
            "peak_rss_mb": round(memory.peak),
            "items": items,
            "unit": info.get("unit", ""),
            "per_second": round(items / seconds, 1) if items and seconds > 0 else None,
            "note": info.get("note", ""),
        }
    )


def run(round_dir: Path, with_flow: bool) -> dict:
    """Each step of the flow, through its task's plain function (``task.fn``); returns what the theme
    step was given (``theme_inputs``, without the output folder) for comparisons on the same input."""
    paths = config.round_paths(round_dir)
    config.CACHE_DIR = Path(tempfile.mkdtemp(prefix="horing-bench-cache-"))  # cold: nothing read or repaired before
    with timed("load lexicon (hunspell, wordfreq, Ordbank)"):
        lexicon.is_word("høring"), lexicon.zipf("høring"), lexicon.lemma("høringene")
    with timed("measures: read and parse the plan") as t:
        all_measures, primary = tasks.read_plans.fn(paths.plan_dir, None)
        catalogue = all_measures[all_measures["plan_version"] == primary].reset_index(drop=True)
        t["note"] = f"{len(catalogue)} measures"
    responses, cleaned, segmented, comments = _read_and_segment(paths)
    vectors = _embed(comments, catalogue)
    with timed("campaigns: near-identical responses") as t:
        campaign_of = tasks.group_campaigns.fn(cleaned)
        t["note"] = f"{len(set(campaign_of.values()))} campaigns"
    with timed("mentions: codes, implicit, drift") as t:
        linked = tasks.link_measures.fn(comments, catalogue, vectors)
        t["note"], t["items"], t["unit"] = f"{len(linked.mentions)} mentions", len(comments), "comments"
    with tempfile.TemporaryDirectory() as out:
        with timed("themes: cluster, ids, labels") as t:
            found = tasks.group_themes.fn(comments, vectors, linked, catalogue, campaign_of, Path(out))
            t["note"], t["items"], t["unit"] = f"{len(found.table)} themes", len(comments), "comments"
        with timed("summarise: per measure"):
            summary = tasks.summarise_measures.fn(catalogue, found.comments, linked.mentions, responses)
        with timed("outputs: parquet, xlsx, html"):
            tables = tasks.collect_tables.fn(
                responses, cleaned, segmented, found, linked, all_measures, summary, campaign_of
            )
            tasks.write_outputs.fn(Path(out), paths.name, tables, responses, cleaned, found)
    if with_flow:
        with tempfile.TemporaryDirectory() as out, timed("whole flow (Prefect; lexicon already loaded)"):
            hearing_round(str(paths.round_dir), out)
    return {
        "comments": comments,
        "vectors": vectors.comments,
        "n_responses": len(responses),
        "theme_inputs": (comments, vectors, linked, catalogue, campaign_of),
    }


def _read_and_segment(paths: config.RoundPaths) -> tuple:
    """Read, repair, segment and classify: the responses, their cleaned texts, the segmentation and the comments."""
    with timed("ingest: read responses") as t:
        responses = tasks.read_responses.fn(paths.responses_dir)
        t["note"], t["items"], t["unit"] = f"{len(responses)} files", len(responses), "files"
    with timed("ocr: character repair + reflow") as t:
        texts = {r.response_id: r.text for r in responses if r.status == "ok"}
        cleaned = each_response(ocr.clean_text, texts, "OCR-rensing").ok
        t["note"] = f"{sum(len(c.corrections) for c in cleaned.values())} corrections"
        t["items"], t["unit"] = sum(len(c.text.split()) for c in cleaned.values()), "words"
    with timed("segment: comments") as t:
        segmented = tasks.split_comments.fn(responses, cleaned)
        t["note"], t["items"], t["unit"] = f"{len(segmented.comments)} comments", len(segmented.comments), "comments"
    with timed("stance: per comment") as t:
        comments = tasks.find_stances.fn(segmented.comments).comments
        t["items"], t["unit"] = len(comments), "comments"
    return responses, cleaned, segmented, comments


def _embed(comments: pd.DataFrame, catalogue: pd.DataFrame) -> RoundVectors:
    """The round's embeddings with a fresh cache (cold), the same cache again (warm), and one more response."""
    texts = comments["text"].tolist() + linking.measure_texts(catalogue) + linking.measure_part_texts(catalogue)[0]
    with tempfile.TemporaryDirectory() as cache:
        with timed("embed: load model") as t:
            embedder = embed.load_embedder()
            t["note"] = embedder.name
        with timed("embed: cold cache (comments + measures)") as t:
            vectors, n_new = embed.embed_texts(texts, embedder, Path(cache))
            t["note"], t["items"], t["unit"] = f"{n_new} texts embedded", n_new, "texts"
        with timed("embed: warm cache") as t:
            _, n_new = embed.embed_texts(texts, embedder, Path(cache))
            t["note"] = f"{n_new} texts embedded"
        # a late response: one response's comments, as if sent again with a line added
        last = (
            comments[comments["response_id"] == comments["response_id"].iloc[-1]]["text"].tolist()
            if len(comments)
            else []
        )
        with timed("embed: one more response (warm cache)") as t:
            _, n_new = embed.embed_texts(texts + [f"{c} (Sendt inn på nytt.)" for c in last], embedder, Path(cache))
            t["note"], t["items"], t["unit"] = f"{n_new} texts embedded", n_new, "texts"
    n, m = len(comments), len(catalogue)
    return RoundVectors(vectors[:n], vectors[n : n + m], vectors[n + m :], embedder.name)


def table(title: str, total: float) -> str:
    """The timings as a text table."""
    width = max(len(t["stage"]) for t in TIMINGS)
    lines = [title, f"  {'stage':<{width}}  {'seconds':>8}  {'peak MB':>8}  {'throughput':>22}  note"]
    for t in TIMINGS:
        rate = f"{t['per_second']:,.1f} {t['unit']}/s" if t["per_second"] else ""
        lines.append(f"  {t['stage']:<{width}}  {t['seconds']:8.2f}  {t['peak_rss_mb']:8d}  {rate:>22}  {t['note']}")
    lines.append(f"  {'total':<{width}}  {total:8.2f}  {max(t['peak_rss_mb'] for t in TIMINGS):8d}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("round_dir", nargs="?", type=Path, default=config.DEFAULT_ROUND_DIR)
    parser.add_argument("--flow", action="store_true", help="also time a whole Prefect flow run")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    start = time.perf_counter()
    run(args.round_dir, args.flow)
    total = time.perf_counter() - start
    if args.json:
        print(
            json.dumps(
                {"round": str(args.round_dir), "total_s": round(total, 3), "stages": TIMINGS},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    print(table(f"Stage timings for {args.round_dir.name}", total))


if __name__ == "__main__":
    main()
