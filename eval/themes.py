"""How good are the themes? Clusterers compared, stability, guard rails, campaigns and speed.

    python eval/themes.py                 # everything below, on eval/data/hearing/dev and test
    python eval/themes.py --quick         # leave out the 15k-comment timing and BERTopic
    python eval/themes.py --json          # the figures as JSON

1. **Clusterers** on the same representation and on the sentence embeddings alone: HDBSCAN,
   agglomerative (Ward) and k-means, each with and without UMAP, the chosen pipeline
   (:func:`pipeline.themes.clustering.cluster`), and BERTopic on the same embeddings if the optional extra is
   installed (``pip install -e .[bertopic]``). Adjusted Rand index (ARI) and NMI against the labelled
   themes, over the comments that have one (gold ``annet`` left out; ARI over all comments too),
   the outlier share, the number of themes, and run-to-run stability (mean ARI between seeds).
   Next to them, the same ARI for a second annotator who labelled the comments blind (``theme_2``):
   how far two careful readers agree. The clusterers and their scores: ``eval/themes_clusterers.py``;
   the labelled splits: ``eval/themes_data.py``.
2. **Reruns**: the same input twice gives the same ids and labels; adding 10 % more responses keeps
   the comments that had a theme in their theme (several random draws, minimum and mean).
3. **Guard rails**: outlier share, number of themes, pairs of near-identical themes.
4. **Campaign letters**: the dev campaign, and generated ones (signers who add a personal paragraph,
   drop one, reorder, or whose copy was OCR-damaged) among every real response of dev, test and the
   seeds, plus unrelated responses that share a long standard paragraph: all grouped, none wrong.
5. **Speed**: the theme step (no embedding) on 15,000 comments.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("NUMBA_NUM_THREADS", "1")
warnings.filterwarnings("ignore", message=".*n_jobs.*")  # umap: one thread because of the fixed seed
warnings.filterwarnings("ignore", category=FutureWarning)  # scikit-learn HDBSCAN's `copy` default

from bertopic_reference import bertopic_seconds  # noqa: E402
from degrade import degrade  # noqa: E402
from mentions_data import catalogue  # noqa: E402
from themes_clusterers import annotators, compare  # noqa: E402
from themes_data import NONE, Split, response_texts  # noqa: E402

from pipeline.comments.campaigns import find_campaigns  # noqa: E402
from pipeline.ocr.repair import clean_text  # noqa: E402
from pipeline.themes import clustering as themes  # noqa: E402
from pipeline.themes.round import find_themes  # noqa: E402

SEEDS_DIR = ROOT / "tests" / "data" / "seeds"
GROWTH_DRAWS = 5
GROWTH_SHARE = 0.10
TARGETS = {"ari": 0.5, "over_bertopic": 0.10, "kept_after_growth": 0.90, "outliers": 0.15, "themes": (8, 40)}


# --- reruns -------------------------------------------------------------------------------------


def run_themes(split: Split, rows: np.ndarray, folder: Path):
    """The whole theme step (as the flow runs it) on the comments in ``rows``, with its state in ``folder``."""
    comments = split.comments.iloc[rows].reset_index(drop=True)
    found = find_themes(
        comments,
        split.vectors[rows],
        split.probabilities[rows],
        split.areas,
        None,
        split.campaign_of,
        folder,
        model="eval",
    )
    from pipeline.themes.round import save

    save(found, folder)
    return found


def rerun_identical(split: Split) -> bool:
    rows = np.arange(len(split.comments))
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        first, second = run_themes(split, rows, Path(a)), run_themes(split, rows, Path(b))
        again = run_themes(split, rows, Path(a))  # a rerun in the same folder (with the saved state)
    same = (first.comments["theme_id"] == second.comments["theme_id"]).all()
    same_again = (first.comments["theme_id"] == again.comments["theme_id"]).all()
    labels = first.table["label"].tolist() == second.table["label"].tolist() == again.table["label"].tolist()
    return bool(same and same_again and labels)


def growth(split: Split, draws: int = GROWTH_DRAWS) -> dict:
    """Run on 90 % of the responses, then on all: the share of comments that keep their theme id."""
    responses = sorted(split.comments["response_id"].unique())
    n_late = max(1, round(GROWTH_SHARE * len(responses) / (1 + GROWTH_SHARE)))
    kept, labels_kept = [], []
    for draw in range(draws):
        late = set(random.Random(draw).sample(responses, n_late))
        early = np.flatnonzero(~split.comments["response_id"].isin(late).to_numpy())
        with tempfile.TemporaryDirectory() as folder:
            before = run_themes(split, early, Path(folder))
            after = run_themes(split, np.arange(len(split.comments)), Path(folder))
        old = dict(zip(before.comments["comment_id"], before.comments["theme_id"]))
        new = dict(zip(after.comments["comment_id"], after.comments["theme_id"]))
        themed = [c for c, t in old.items() if t != themes.NO_THEME]
        kept.append(sum(new[c] == old[c] for c in themed) / max(len(themed), 1))
        old_labels = dict(zip(before.table["theme_id"], before.table["label"]))
        new_labels = dict(zip(after.table["theme_id"], after.table["label"]))
        continued = set(old_labels) & set(new_labels)
        labels_kept.append(sum(old_labels[t] == new_labels[t] for t in continued) / max(len(continued), 1))
    return {
        "late_responses": n_late,
        "of_responses": len(responses),
        "kept_min": round(min(kept), 3),
        "kept_mean": round(float(np.mean(kept)), 3),
        "labels_kept_min": round(min(labels_kept), 3),
    }


def guard_rails(split: Split) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        found = run_themes(split, np.arange(len(split.comments)), Path(folder))
    quality = found.quality
    return {
        "themes": quality.n_themes,
        "outliers": round(quality.outlier_share, 3),
        "similar_pairs": [list(p) for p in quality.similar_pairs],
        "labels": found.table["label"].tolist(),
    }


# --- campaigns ----------------------------------------------------------------------------------


def campaign_corpus(seed: int = 7) -> tuple[dict[str, str], list[set[str]]]:
    """Every real response, generated campaigns and look-alikes; returns (texts, gold campaigns)."""
    texts: dict[str, str] = {}
    gold: list[set[str]] = []
    for split in ("dev", "test"):
        for rid, text in response_texts(split).items():
            texts[f"{split}/{rid}"] = text
    gold.append({k for k in texts if k.startswith("dev/kampanje-")})
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        texts[f"seed/{path.stem}"] = clean_text(path.read_text(encoding="utf-8")).text
    rng = random.Random(seed)
    pool = [t for k, t in texts.items() if k.startswith(("dev/", "test/")) and "kampanje" not in k]
    paragraphs = [p for t in pool for p in t.split("\n\n") if 30 <= len(p.split()) <= 90]
    # templates: short real responses used as campaign letters, each signed by 6 people with changes
    templates = sorted((k for k in texts if k.startswith("test/")), key=lambda k: len(texts[k]))[:3]
    for n, key in enumerate(templates):
        group = {key}
        for signer in range(6):
            variant = signed_variant(texts[key], signer, rng, paragraphs)
            name = f"generert/kampanje-{n}-{signer}"
            texts[name] = variant
            group.add(name)
        gold.append(group)
    # look-alikes: unrelated responses that share a long standard introduction and closing
    boilerplate = rng.choice(paragraphs)
    for k in sorted(k for k in texts if k.startswith("dev/bydel")):
        texts[k] = boilerplate + "\n\n" + texts[k] + "\n\n" + boilerplate
    return texts, gold


def signed_variant(text: str, signer: int, rng: random.Random, paragraphs: list[str]) -> str:
    """A signer's copy of a campaign letter: one kind of change per signer, the last one all of them."""
    parts = text.split("\n\n")
    kind = signer % 6
    if kind in (0, 5):  # a personal paragraph
        parts.insert(rng.randrange(1, len(parts)), rng.choice(paragraphs))
    if kind in (1, 5) and len(parts) > 3:  # a paragraph left out
        parts.pop(rng.randrange(1, len(parts) - 1))
    if kind in (2, 5) and len(parts) > 3:  # two paragraphs swapped
        i = rng.randrange(1, len(parts) - 2)
        parts[i], parts[i + 1] = parts[i + 1], parts[i]
    parts[-1] = f"Med vennlig hilsen\nUnderskriver {signer} {rng.randrange(1000)}"
    variant = "\n\n".join(parts)
    if kind in (3, 5):  # scanned and read by an OCR engine without Norwegian, then cleaned
        variant = clean_text(degrade(variant, rate=0.8, seed=signer)).text
    if kind == 4:  # a few words changed
        words = variant.split(" ")
        for i in rng.sample(range(len(words)), max(1, len(words) // 25)):
            words[i] = words[i][::-1]
    return variant


def campaigns() -> dict:
    texts, gold = campaign_corpus()
    found = find_campaigns(texts)
    groups: dict[str, set[str]] = {}
    for rid, campaign in found.items():
        groups.setdefault(campaign, set()).add(rid)
    in_gold = {rid: n for n, group in enumerate(gold) for rid in group}
    fully = sum(any(group <= g for g in groups.values()) for group in gold)
    # a found campaign is wrong when its letters are not all from one real campaign
    wrong = [sorted(g) for g in groups.values() if len({in_gold.get(r, r) for r in g}) > 1]
    return {
        "responses": len(texts),
        "gold_campaigns": len(gold),
        "gold_signers": sum(len(g) for g in gold),
        "found_campaigns": len(groups),
        "campaigns_fully_grouped": fully,
        "wrongly_grouped": wrong,
    }


# --- speed --------------------------------------------------------------------------------------


def speed(base: Split, n: int = 15_000, seed: int = 3, with_bertopic: bool = False) -> dict:
    """The theme step on ``n`` comments made from the dev comments: sentences recombined within a
    gold theme, embeddings and measure probabilities of a source comment with a little noise."""
    rng = np.random.default_rng(seed)
    import pandas as pd

    sentences: dict[str, list[str]] = {}
    for text, theme in zip(base.comments["text"], base.gold):
        sentences.setdefault(theme, []).extend(s.strip() + "." for s in text.split(".") if len(s.split()) > 3)
    source = rng.integers(0, len(base.comments), n)
    texts = []
    for i in source:
        pool = sentences.get(base.gold[i]) or [base.comments["text"].iloc[i]]
        texts.append(" ".join(rng.choice(pool, size=min(3, len(pool)), replace=False)))
    vectors = base.vectors[source] + rng.normal(0, 0.02, (n, base.vectors.shape[1])).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    probabilities = np.clip(base.probabilities[source] + rng.normal(0, 0.02, (n, base.probabilities.shape[1])), 0, 1)
    comments = pd.DataFrame(
        {
            "comment_id": [f"s{i}" for i in range(n)],
            "response_id": [f"r{i // 40}" for i in range(n)],
            "sender": [f"Avsender {i // 40}" for i in range(n)],
            "section": "",
            "lead_in": "",
            "text": texts,
        }
    )
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        found = find_themes(comments, vectors, probabilities, base.areas, None, {}, Path(folder), model="eval")
        seconds = time.perf_counter() - start
    result = {
        "comments": n,
        "seconds": round(seconds, 1),
        "themes": found.quality.n_themes,
        "outliers": round(found.quality.outlier_share, 3),
    }
    if with_bertopic:  # BERTopic's default pipeline on the same texts and embeddings, then ours again: both warm
        bertopic = bertopic_seconds(texts, vectors)
        if bertopic is not None:
            with tempfile.TemporaryDirectory() as folder:
                start = time.perf_counter()
                find_themes(comments, vectors, probabilities, base.areas, None, {}, Path(folder), model="eval")
                warm = time.perf_counter() - start
            result.update(
                bertopic_seconds=round(bertopic, 1), warm_seconds=round(warm, 1), speedup=round(bertopic / warm, 2)
            )
    return result


# --- report -------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="leave out the 15k timing and BERTopic")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    measures = catalogue()
    results: dict = {}
    for name in ("dev", "test"):
        split = Split(name, measures)
        results[name] = {
            "comments": len(split.comments),
            "gold_themes": len(set(split.gold) - {NONE}),
            "methods": compare(split, with_bertopic=not args.quick),
            "annotators": annotators(split),
            "same_input_same_themes": rerun_identical(split),
            "growth_10_percent": growth(split),
            "guard_rails": guard_rails(split),
        }
        if name == "dev" and not args.quick:
            results["speed"] = speed(split, with_bertopic=True)
    results["campaigns"] = campaigns()
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    print_report(results)


def print_report(results: dict) -> None:
    for name in ("dev", "test"):
        r = results[name]
        print(f"\n== {name}: {r['comments']} comments, {r['gold_themes']} labelled themes")
        print(f"  {'method':<52} {'ARI':>6} {'NMI':>6} {'ARIall':>6} {'outl.':>6} {'themes':>6} {'stab.':>6}")
        for method, s in r["methods"].items():
            if "note" in s:
                print(f"  {method:<52} {s['note']}")
                continue
            print(
                f"  {method:<52} {s['ari']:6.3f} {s['nmi']:6.3f} {s['ari_all']:6.3f} {s['outliers']:6.1%} "
                f"{s['themes']:6d} {s['stability']:6.3f}"
            )
        chosen = r["methods"]["valgt: themes.cluster [kombinert]"]["ari"]
        bertopic = [s["ari"] for m, s in r["methods"].items() if m.startswith("BERTopic") and "ari" in s]
        if bertopic:
            print(f"  chosen ARI {chosen:.3f} vs best BERTopic {max(bertopic):.3f}: +{chosen - max(bertopic):.3f}")
        a = r["annotators"]
        print(
            f"  two annotators: same theme {a['same_theme']:.1%}, kappa {a['kappa']:.2f}; ARI of annotator 2 "
            f"against 1 (scored like a clusterer) {a['annotator_2_ari']:.3f}; chosen against 1 "
            f"{chosen:.3f}, against 2 {a['chosen_ari_vs_annotator_2']:.3f}"
        )
        print(f"  same input twice, same ids and labels: {r['same_input_same_themes']}")
        g = r["growth_10_percent"]
        print(
            f"  +10 % responses ({g['late_responses']} late of {g['of_responses']}): comments kept in their theme "
            f"min {g['kept_min']:.1%}, mean {g['kept_mean']:.1%}; labels kept (min) {g['labels_kept_min']:.1%}"
        )
        q = r["guard_rails"]
        print(f"  guard rails: {q['themes']} themes, {q['outliers']:.1%} outliers, similar pairs: {q['similar_pairs']}")
        for label in q["labels"]:
            print(f"    - {label}")
    if "speed" in results:
        s = results["speed"]
        print(
            f"\n== speed: theme step on {s['comments']} comments: {s['seconds']} s "
            f"({s['themes']} themes, {s['outliers']:.1%} outliers)"
        )
        if "speedup" in s:
            print(
                f"   both warm: theme step {s['warm_seconds']} s vs BERTopic default {s['bertopic_seconds']} s: "
                f"{s['speedup']}x (target >= 3x)"
            )
    c = results["campaigns"]
    print(
        f"\n== campaigns: {c['responses']} responses, {c['gold_campaigns']} campaigns with {c['gold_signers']} "
        f"letters; found {c['found_campaigns']}, fully grouped {c['campaigns_fully_grouped']}, "
        f"wrongly grouped: {c['wrongly_grouped'] or 'none'}"
    )


if __name__ == "__main__":
    main()
