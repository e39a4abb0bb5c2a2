"""Wall time of each pipeline stage on a hearing round (default: the bundled one).

Runs the stages the way the flow does, without Prefect, so each figure is the stage's own cost;
``--flow`` also times a whole ``hearing_round`` run (Prefect's temporary server included).
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

from pipeline import config, embed, ingest, lexicon, measures, mentions, ocr, segment, summarise, themes  # noqa: E402
from pipeline.outputs import corrections_table, responses_table, write_outputs  # noqa: E402
from pipeline.tables import to_frame  # noqa: E402

TIMINGS: list[tuple[str, float, str]] = []


@contextmanager
def timed(stage: str, note: str = ""):
    start = time.perf_counter()
    result: dict = {}
    yield result
    TIMINGS.append((stage, time.perf_counter() - start, result.get("note", note)))


def run(round_dir: Path, with_flow: bool) -> None:
    paths = config.round_paths(round_dir)
    with timed("load lexicon (hunspell, wordfreq, Ordbank)"):
        lexicon.is_word("høring"), lexicon.zipf("høring"), lexicon.lemma("høringene")
    with timed("measures: read and parse the plan") as t:
        catalogue = measures.read_plan(measures.find_plan_file(paths.plan_dir))
        t["note"] = f"{len(catalogue)} measures"
    with timed("ingest: read responses") as t:
        responses = ingest.read_folder(paths.responses_dir)
        t["note"] = f"{len(responses)} files"
    with timed("ocr: character repair + reflow") as t:
        cleaned = {r.response_id: ocr.clean_text(r.text) for r in responses if r.status == "ok"}
        t["note"] = f"{sum(len(c.corrections) for c in cleaned.values())} corrections"
    with timed("segment: comments") as t:
        senders, rows = {}, []
        for r in responses:
            if r.response_id in cleaned:
                senders[r.response_id], found = segment.segment_response(
                    r.response_id, cleaned[r.response_id].text, fallback_sender=segment.fallback_sender(r.source_file)
                )
                rows.extend({**c.__dict__, "theme_id": -1} for c in found)
        comments = to_frame(rows, "comments")
        t["note"] = f"{len(comments)} comments"
    with timed("mentions: explicit codes") as t:
        found_mentions = to_frame(
            mentions.find_mentions(comments.itertuples(index=False), {m.code for m in catalogue}), "mentions"
        )
        t["note"] = f"{len(found_mentions)} mentions"
    with tempfile.TemporaryDirectory() as cache:
        with timed("embed: load model") as t:
            embedder = embed.load_embedder()
            t["note"] = embedder.name
        with timed("embed: cold cache") as t:
            vectors, n_new = embed.embed_texts(comments["text"].tolist(), embedder, Path(cache))
            t["note"] = f"{n_new} texts embedded"
        with timed("embed: warm cache") as t:
            _, n_new = embed.embed_texts(comments["text"].tolist(), embedder, Path(cache))
            t["note"] = f"{n_new} texts embedded"
    with timed("themes: cluster + keywords") as t:
        labels, found_themes = themes.find_themes(
            comments["text"].tolist(), vectors, comments["response_id"].tolist(), comments["comment_id"].tolist()
        )
        comments = comments.assign(theme_id=labels)
        t["note"] = f"{len(found_themes)} themes"
    with timed("summarise: per measure"):
        catalogue_frame = to_frame(catalogue, "measures")
        summary = summarise.summarise_measures(catalogue_frame, comments, found_mentions)
    with tempfile.TemporaryDirectory() as out, timed("outputs: parquet, xlsx, html"):
        tables = {
            "responses": responses_table(responses, senders, comments, cleaned),
            "comments": comments,
            "mentions": found_mentions,
            "measures": catalogue_frame,
            "themes": to_frame(found_themes, "themes"),
            "corrections": corrections_table(cleaned),
            "measure_summary": summary,
        }
        texts = {rid: (next(r.text for r in responses if r.response_id == rid), c.text) for rid, c in cleaned.items()}
        write_outputs(Path(out), paths.name, tables, texts)
    if with_flow:
        from flows.hearing_round import hearing_round

        with tempfile.TemporaryDirectory() as out, timed("whole flow (Prefect, warm lexicon in-process)"):
            hearing_round(str(paths.round_dir), out)


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
