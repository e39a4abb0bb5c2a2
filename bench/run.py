"""Benchmark the pipeline on synthetic hearing rounds: wall time, peak memory and throughput per stage.

    python bench/run.py --responses 100               # one round of 100 generated responses
    python bench/run.py --responses 100 1000          # two sizes, and how time per comment grows
    python bench/run.py --responses 500 --bertopic    # also BERTopic's default pipeline, same embeddings
    python bench/run.py --responses 100 --json        # the figures as JSON

Rounds come from :mod:`bench.synthetic` (generated senders, themes, codes, campaign letters and
OCR damage). Each stage runs through the flow's plain functions (:mod:`bench.stage_timings`), with a
cold embedding cache. ``--bertopic`` times ``BERTopic().fit_transform(docs, embeddings)`` (UMAP,
HDBSCAN, c-TF-IDF: its default pipeline) on the very comments and embeddings the theme step got,
if the optional extra is installed (``pip install -e .[bertopic]``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))
os.environ.setdefault("NUMBA_NUM_THREADS", "1")

import stage_timings  # noqa: E402
from bertopic_reference import bertopic_seconds  # noqa: E402
from synthetic import generate_round  # noqa: E402

EMBED_STAGE = "embed: cold cache (comments + measures)"
ONE_MORE_STAGE = "embed: one more response (warm cache)"


def bench(n: int, seed: int, with_bertopic: bool) -> dict:
    """Generate a round of ``n`` responses and time every stage on it."""
    stage_timings.TIMINGS.clear()
    with tempfile.TemporaryDirectory() as folder:
        round_dir = generate_round(Path(folder) / f"syntetisk-{n}", n, seed)
        start = time.perf_counter()
        given = stage_timings.run(round_dir, with_flow=False)
        total = time.perf_counter() - start
    stages = list(stage_timings.TIMINGS)
    n_comments = len(given["comments"])
    result = {
        "responses": n,
        "comments": n_comments,
        "total_s": round(total, 2),
        "peak_rss_mb": max(s["peak_rss_mb"] for s in stages),
        "ms_per_comment": round(1000 * total / max(n_comments, 1), 2),
        "stages": stages,
        "table": stage_timings.table(f"Synthetic round: {n} responses, {n_comments} comments", total),
    }
    seconds = {s["stage"]: s["seconds"] for s in stages}
    if seconds.get(EMBED_STAGE):
        result["one_more_response_share_of_embedding"] = round(seconds[ONE_MORE_STAGE] / seconds[EMBED_STAGE], 4)
    if with_bertopic:
        seconds = bertopic_seconds(given["comments"]["text"].tolist(), given["vectors"])
        with tempfile.TemporaryDirectory() as out:  # again, now that both have had numba compile their code
            start = time.perf_counter()
            stage_timings.tasks.group_themes.fn(*given["theme_inputs"], Path(out))
            ours = time.perf_counter() - start
        result["bertopic"] = (
            None
            if seconds is None
            else {"bertopic_s": round(seconds, 2), "theme_step_s": round(ours, 2), "speedup": round(seconds / ours, 2)}
        )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--responses", type=int, nargs="+", default=[100])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bertopic", action="store_true", help="time BERTopic's default pipeline too")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [bench(n, args.seed, args.bertopic) for n in args.responses]
    growth = None
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = round(last["ms_per_comment"] / first["ms_per_comment"], 2)
    if args.json:
        print(
            json.dumps(
                {
                    "runs": [{k: v for k, v in r.items() if k != "table"} for r in results],
                    "ms_per_comment_growth": growth,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for r in results:
        print(r["table"])
        print(f"  time per comment: {r['ms_per_comment']} ms; peak memory {r['peak_rss_mb']} MB")
        if "one_more_response_share_of_embedding" in r:
            print(
                f"  one more response: {100 * r['one_more_response_share_of_embedding']:.1f} % of the full "
                "embedding time (target <= 5 %)"
            )
        if r.get("bertopic"):
            b = r["bertopic"]
            print(
                f"  theme step {b['theme_step_s']} s vs BERTopic default {b['bertopic_s']} s (both warm): "
                f"{b['speedup']}x (target >= 3x)"
            )
        elif "bertopic" in r:
            print("  BERTopic is not installed (pip install -e .[bertopic])")
        print()
    if growth is not None:
        print(
            f"Time per comment grows {growth}x from {results[0]['responses']} to {results[-1]['responses']} "
            "responses (target <= 1.5x)"
        )


if __name__ == "__main__":
    main()
