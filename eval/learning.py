"""The learning curve of review (#12): held-out figures after 0, 25, 50, 100, 200 reviewed examples.

    python eval/learning.py                 # the curve: 5 random reviewers per point, mean ± sd
    python eval/learning.py --draws 10 --prior 2
    python eval/learning.py --json

A reviewer is simulated on the development corpora (synthetic dev and real dev; never a test split).
For measure links, the reviewer goes through the shipped model's implicit mentions in random order,
confirming the right ones and rejecting the wrong ones, and adds a missed link now and then: the pool
is every implicit mention the model proposes on dev plus every labelled link it misses (not the codes
a comment writes). For stance, the reviewer sets the stance of random dev comments. The first n of a
reviewer's decisions are recorded in a review store, read back with :func:`pipeline.review.learning.examples`
and the models refitted with :func:`~pipeline.review.learning.refit_implicit` and
:func:`~pipeline.review.learning.refit_stance`; n = 0 is the shipped model.

Reported on the held-out test splits: implicit-mention precision and recall over (comment, code) pairs
a comment does not write (as ``eval/mentions.py`` counts implicit mentions), average precision of the
implicit probabilities on real test (threshold-free: real test precision is already at its ceiling),
and stance macro-F1 (as ``eval/stance.py``). The base models were fitted on these same dev corpora, so
the reviews are not new text to them: what they add is weight on the pairs a reviewer sees, near the
model's decision boundary.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from mentions import Prepared, _gold_codes  # noqa: E402
from mentions_data import catalogue, load_split, real_comments, real_statements  # noqa: E402
from sklearn.metrics import average_precision_score, f1_score  # noqa: E402
from stance import examples as stance_examples  # noqa: E402

from pipeline.comments import stance  # noqa: E402
from pipeline.measures import implicit  # noqa: E402
from pipeline.review import learning  # noqa: E402
from pipeline.review.store import fingerprint, open_store  # noqa: E402

N_REVIEWED = (0, 25, 50, 100, 200)
COLUMNS = {
    "synthetic_test_precision": "synth P",
    "synthetic_test_recall": "synth R",
    "real_test_precision": "real P",
    "real_test_recall": "real R",
    "real_test_ap": "real AP",
    "stance_synthetic_test_f1": "stance synth F1",
    "stance_real_test_f1": "stance real F1",
}


class Data:
    """The prepared corpora: mention features of dev and test, stance features of dev and test, the
    dev comments a reviewer sees, and the pools of reviews to draw from."""

    def __init__(self, role: str, model: implicit.ImplicitModel) -> None:
        measures = catalogue()
        self.measures = measures
        synthetic_dev, synthetic_labels = load_split("dev")
        real_dev, real_gold = real_comments(real_statements("dev"))
        self.dev = [
            Prepared("synthetic dev", synthetic_dev, _gold_codes(synthetic_labels), measures, role),
            Prepared("real dev", real_dev, real_gold, measures, role),
        ]
        comments, labels = load_split("test")
        self.test = {
            "synthetic_test": Prepared("synthetic test", comments, _gold_codes(labels), measures, role),
            "real_test": Prepared("real test", *real_comments(real_statements("test")), measures, role),
        }
        self.stance_dev = stance_examples("dev") + stance_examples("real-dev")
        self.stance_test = {"synthetic_test": stance_examples("test"), "real_test": stance_examples("real-test")}
        self.stance_rows = {e[0]: _stance_row(e) for e in self.stance_dev}
        self.stance_test_rows = {k: np.array([_stance_row(e) for e in v]) for k, v in self.stance_test.items()}
        stance_frame = pd.DataFrame(
            [{"comment_id": i, "text": t, "lead_in": lead, "sender": who} for i, t, lead, who, _ in self.stance_dev]
        )
        frames = [synthetic_dev, real_dev, stance_frame[~stance_frame["comment_id"].isin(synthetic_dev["comment_id"])]]
        self.comments = pd.concat(frames, ignore_index=True).fillna("")
        assert self.comments["comment_id"].is_unique
        self.rows = {
            (cid, code): p.features[r, k]
            for p in self.dev
            for r, cid in enumerate(p.ids)
            for k, code in enumerate(p.codes)
        }
        self.written = {cid: codes for p in self.dev for cid, codes in p.written.items()}
        self.mention_pool = [review for p in self.dev for review in _reviewable(p, model)]


def _stance_row(example: tuple) -> np.ndarray:
    _, text, lead_in, sender, _ = example
    found = stance.features(text, lead_in, sender=sender)
    return np.array([found[name] for name in stance.FEATURES])


def _reviewable(p: Prepared, model: implicit.ImplicitModel) -> list[tuple[str, str, bool]]:
    """(comment id, code, right?) of every implicit mention ``model`` proposes in ``p``, and of every
    labelled link it misses that the comment does not write."""
    found = []
    for row, columns in enumerate(_selected(p, model)):
        cid = p.ids[row]
        proposed = {p.codes[k] for k in columns}
        found += [(cid, code, code in p.gold[cid]) for code in sorted(proposed)]
        found += [(cid, code, True) for code in sorted(p.gold[cid] - proposed - p.written.get(cid, set()))]
    return found


def _selected(p: Prepared, model: implicit.ImplicitModel) -> list[list[int]]:
    probabilities = model.probability(p.features)
    probabilities[p.byline] = 0.0
    return implicit.selected(implicit.Scored(probabilities, [], p.strong), model, p.covered)


def implicit_figures(p: Prepared, model: implicit.ImplicitModel) -> dict[str, float]:
    """Precision and recall over the (comment, code) pairs a comment does not write, and the average
    precision of the probabilities over those pairs."""
    tp = n_found = n_gold = 0
    for row, columns in enumerate(_selected(p, model)):
        cid = p.ids[row]
        gold = p.gold[cid] - p.written.get(cid, set())
        found = {p.codes[k] for k in columns}
        tp, n_found, n_gold = tp + len(found & gold), n_found + len(found), n_gold + len(gold)
    probabilities = model.probability(p.features)
    probabilities[p.byline] = 0.0
    open_pairs = [(r, k) for r in range(len(p.ids)) for k in range(len(p.codes)) if k not in p.covered[r]]
    truth = [p.codes[k] in p.gold[p.ids[r]] for r, k in open_pairs]
    scores = [probabilities[r, k] for r, k in open_pairs]
    return {
        "precision": tp / n_found if n_found else 1.0,
        "recall": tp / n_gold if n_gold else 1.0,
        "ap": float(average_precision_score(truth, scores)) if any(truth) else float("nan"),
        "tp": tp,
        "found": n_found,
    }


def stance_f1(rows: np.ndarray, examples: list[tuple], model: dict) -> float:
    """Macro-F1 of the model's stances (as ``eval/stance.py``: over the labels the split has)."""
    scores = rows @ np.array(model["coefficients"]).T + np.array(model["intercept"])
    found = [model["classes"][k] for k in np.argmax(scores, axis=1)]
    gold = [e[-1] for e in examples]
    return float(f1_score(gold, found, labels=sorted(set(gold)), average="macro"))


def figures(data: Data, model: implicit.ImplicitModel, stance_model: dict) -> dict[str, float]:
    found = {}
    for split, p in data.test.items():
        f = implicit_figures(p, model)
        found |= {f"{split}_precision": f["precision"], f"{split}_recall": f["recall"], f"{split}_ap": f["ap"]}
        found[f"stance_{split}_f1"] = stance_f1(data.stance_test_rows[split], data.stance_test[split], stance_model)
    return found


def reviewer(data: Data, seed: int, folder: Path) -> Path:
    """A simulated reviewer's decisions in a review store: the mention pool and the stance pool in a random
    order of their own (``seed``), at most ``max(N_REVIEWED)`` of each."""
    rng = np.random.default_rng(seed)
    text = dict(zip(data.comments["comment_id"], data.comments["text"]))
    n = max(N_REVIEWED)
    path = folder / f"reviewer-{seed}.gjennomgang.sqlite"
    with open_store(path) as store:
        for k in rng.permutation(len(data.mention_pool))[:n]:
            cid, code, right = data.mention_pool[k]
            store.record(
                f"reviewer-{seed}", "mention", f"{cid} {code}", after=bool(right), about=fingerprint(text[cid])
            )
        for k in rng.permutation(len(data.stance_dev))[:n]:
            cid, *_, gold = data.stance_dev[k]
            store.record(f"reviewer-{seed}", "comment.stance", cid, after=gold, about=fingerprint(text[cid]))
    return path


def curve(data: Data, draws: int, prior: float) -> dict[int, list[dict[str, float]]]:
    """Figures after each number of reviewed examples, for each of ``draws`` reviewers."""
    base, base_stance = implicit.load_model(), stance.load_model()
    results = {0: [figures(data, base, base_stance)]}
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(draws):
            path = reviewer(data, seed, Path(folder))
            with open_store(path) as store:
                log = {kind: store.log(kind) for kind in ("mention", "comment.stance")}
            for n in N_REVIEWED[1:]:
                latest = {kind: {d.target: d for d in decisions[:n]} for kind, decisions in log.items()}
                found = learning.examples(latest, data.comments, codes=set(data.measures["code"]), written=data.written)
                rows = np.array([data.rows[(e.comment_id, e.code)] for e in found.mentions])
                model = learning.refit_implicit(base, found, rows=rows, store=path, prior=prior)
                stance_rows = np.array([data.stance_rows[e.comment_id] for e in found.stances])
                stance_model = learning.refit_stance(base_stance, found, rows=stance_rows, store=path, prior=prior)
                results.setdefault(n, []).append(figures(data, model, stance_model))
    return results


def check_features(data: Data, role: str) -> float:
    """The largest difference between the eval's feature rows and :func:`pipeline.review.learning.mention_rows`
    (what a round's refit computes) for a few pool pairs: they should agree."""
    sample = [
        learning.MentionExample(cid, text, code, right, context, "check")
        for (cid, code, right) in data.mention_pool[:: max(1, len(data.mention_pool) // 20)]
        for text, context in [_texts(data, cid)]
    ]
    rows = learning.mention_rows(learning.Examples(tuple(sample)), data.measures, role=role)
    expected = np.array([data.rows[(e.comment_id, e.code)] for e in sample])
    return float(np.abs(rows - expected).max())


def _texts(data: Data, cid: str) -> tuple[str, str]:
    row = data.comments.set_index("comment_id").loc[cid]
    return row["text"], " ".join(str(row[k]) for k in ("section", "lead_in", "text") if row[k])


def summary(results: dict[int, list[dict[str, float]]]) -> dict:
    return {
        n: {k: (float(np.mean([r[k] for r in runs])), float(np.std([r[k] for r in runs]))) for k in COLUMNS}
        for n, runs in results.items()
    }


def print_table(table: dict, pools: dict[str, int], draws: int, prior: float) -> None:
    print(f"reviewer pools (dev only): {pools}; {draws} reviewers per point; prior {prior}")
    print(f"{'reviewed':>8}  " + "  ".join(f"{v:>15}" for v in COLUMNS.values()))
    for n, row in table.items():
        print(f"{n:>8}  " + "  ".join(f"{m:6.3f} ± {s:5.3f}" for m, s in row.values()))
    at = 100 if 100 in table else max(table)
    print(
        f"delta at {at} vs 0: " + ", ".join(f"{v} {table[at][k][0] - table[0][k][0]:+.3f}" for k, v in COLUMNS.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=5, help="simulated reviewers per point")
    parser.add_argument("--prior", type=float, default=learning.PRIOR, help="strength of the prior (learning.PRIOR)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    base = implicit.load_model()
    data = Data(base.comment_role, base)
    difference = check_features(data, base.comment_role)
    assert difference < 1e-4, f"eval features differ from learning.mention_rows by {difference}"
    pools = {
        "mentions": len(data.mention_pool),
        "right": sum(r for *_, r in data.mention_pool),
        "stances": len(data.stance_dev),
    }
    table = summary(curve(data, args.draws, args.prior))
    if args.json:
        print(json.dumps({"pools": pools, "curve": table}, indent=2))
        return
    print_table(table, pools, args.draws, args.prior)


if __name__ == "__main__":
    main()
