"""Wall time of each pipeline stage on a hearing round (default: the bundled one).

Runs the flow's steps one by one through their plain functions, without Prefect, so each figure is
the stage's own cost; ``--flow`` also times a whole ``hearing_round`` run (Prefect's temporary
server included).
Embeddings use a fresh cache (cold) and then the same cache again (warm).

    python bench/stage_timings.py [ROUND_DIR] [--flow] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flows import hearing_round as steps  # noqa: E402
from pipeline import config, embed, lexicon, linking  # noqa: E402

TIMINGS: list[tuple[str, float, str]] = []


@contextmanager
def timed(stage: str):
    start = time.perf_counter()
    note: dict[str, str] = {}
    yield note
    TIMINGS.append((stage, time.perf_counter() - start, note.get("note", "")))


def run(round_dir: Path, with_flow: bool) -> None:
    """Each step of the flow, through its task's plain function (``task.fn``)."""
    paths = config.round_paths(round_dir)
    with timed("load lexicon (hunspell, wordfreq, Ordbank)"):
        lexicon.is_word("høring"), lexicon.zipf("høring"), lexicon.lemma("høringene")
    with timed("measures: read and parse the plan") as t:
        all_measures, primary = steps.read_plans.fn(paths.plan_dir, None)
        catalogue = all_measures[all_measures["plan_version"] == primary].reset_index(drop=True)
        t["note"] = f"{len(catalogue)} measures"
    with timed("ingest: read responses") as t:
        responses = steps.read_responses.fn(paths.responses_dir)
        t["note"] = f"{len(responses)} files"
    with timed("ocr: character repair + reflow") as t:
        cleaned = steps.clean_texts.fn(responses)
        t["note"] = f"{sum(len(c.corrections) for c in cleaned.values())} corrections"
    with timed("segment: comments") as t:
        senders, comments = steps.split_comments.fn(responses, cleaned)
        t["note"] = f"{len(comments)} comments"
    texts = comments["text"].tolist() + linking.measure_texts(catalogue) + linking.measure_part_texts(catalogue)[0]
    with tempfile.TemporaryDirectory() as cache:
        with timed("embed: load model") as t:
            embedder = embed.load_embedder()
            t["note"] = embedder.name
        with timed("embed: cold cache (comments + measures)") as t:
            vectors, n_new = embed.embed_texts(texts, embedder, Path(cache))
            t["note"] = f"{n_new} texts embedded"
        with timed("embed: warm cache") as t:
            _, n_new = embed.embed_texts(texts, embedder, Path(cache))
            t["note"] = f"{n_new} texts embedded"
    n, m = len(comments), len(catalogue)
    split = (vectors[:n], vectors[n:n + m], vectors[n + m:], embedder.name)
    with timed("campaigns: near-identical responses") as t:
        campaign_of = steps.find_campaigns.fn(cleaned)
        t["note"] = f"{len(set(campaign_of.values()))} campaigns"
    with timed("mentions: codes, implicit, drift") as t:
        linked = steps.link_measures.fn(comments, catalogue, split)
        t["note"] = f"{len(linked.mentions)} mentions"
    with tempfile.TemporaryDirectory() as out:
        with timed("themes: cluster, ids, labels") as t:
            found = steps.find_themes.fn(comments, split, linked, catalogue, campaign_of, Path(out))
            t["note"] = f"{len(found.table)} themes"
        with timed("summarise: per measure"):
            summary = steps.summarise_measures.fn(catalogue, found.comments, linked.mentions, responses)
        with timed("outputs: parquet, xlsx, html"):
            tables = steps.collect_tables.fn(
                responses, cleaned, senders, found, linked, all_measures, summary, campaign_of
            )
            steps.write_outputs.fn(Path(out), paths.name, tables, responses, cleaned, found)
    if with_flow:
        with tempfile.TemporaryDirectory() as out, timed("whole flow (Prefect; lexicon already loaded)"):
            steps.hearing_round(str(paths.round_dir), out)


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
        print(json.dumps({"round": str(args.round_dir), "total_s": round(total, 3),
                          "stages": [{"stage": s, "seconds": round(t, 3), "note": n} for s, t, n in TIMINGS]},
                         ensure_ascii=False, indent=2))
        return
    width = max(len(s) for s, _, _ in TIMINGS)
    print(f"Stage timings for {args.round_dir.name}")
    for stage, seconds, note in TIMINGS:
        print(f"  {stage:<{width}}  {seconds:7.2f} s  {note}")
    print(f"  {'total':<{width}}  {total:7.2f} s")


if __name__ == "__main__":
    main()
