"""The learning curve of review (#12): held-out figures after 0, 25, 50, 100, 200 reviewed examples.

    python eval/learning.py                 # the curve: 5 random reviewers per point, mean ± sd
    python eval/learning.py --draws 10 --prior 2
    python eval/learning.py --json

A reviewer is simulated on the development corpora (synthetic dev and real dev; never a test split).
For measure links, the reviewer goes in random order through the pool of every implicit mention the
base model proposes (confirming the right ones, rejecting the wrong ones) and every labelled link it
misses (adding it); codes a comment writes are not in the pool. For stance, the reviewer sets the
stance of random comments. The first n decisions go into a review store, are read back with
:func:`pipeline.review.learning.examples` and the models refitted with
:func:`~pipeline.review.learning.refit_implicit` and :func:`~pipeline.review.learning.refit_stance`
(anchors: the reviewed corpus's pairs and comments nobody decided), as ``refit_round`` does on a round.

Two settings, each reported:

A. the shipped models, reviews of dev: what a refit does to the models in use. They were fitted on
   these very texts, so reviews bring no new text, only weight on the pairs a reviewer sees;
B. base models fitted as ``eval/mentions.py --fit`` and ``eval/stance.py --fit`` fit them, on a random
   half of the dev responses (a new half per draw), reviews of the other half: text the base never saw,
   as in a new round. n = 0 is that base.

Reported on the held-out test splits: implicit-mention precision and recall over (comment, code) pairs
a comment does not write (as ``eval/mentions.py`` counts implicit mentions), average precision of the
implicit probabilities on real test (threshold-free: real test precision is 6 of 6 at n = 0, already at
its ceiling), and stance macro-F1 (as ``eval/stance.py``).
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from mentions import Prepared, _choose_thresholds, _gold_codes, _regression  # noqa: E402
from mentions_data import catalogue, load_split, real_comments, real_statements  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
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

    def __init__(self, role: str) -> None:
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
        texts = ["comment_id", "text", "section", "lead_in", "sender"]
        self.comments = pd.concat([f.reindex(columns=texts) for f in frames], ignore_index=True).fillna("")
        assert self.comments["comment_id"].is_unique
        self.rows = {
            (cid, code): p.features[r, k]
            for p in self.dev
            for r, cid in enumerate(p.ids)
            for k, code in enumerate(p.codes)
        }
        self.written = {cid: codes for p in self.dev for cid, codes in p.written.items()}
        self.codes = self.dev[0].codes


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


class Setting(NamedTuple):
    """Where a reviewer starts: the base models, the links it may review (comment id, code, right?) and the
    labelled comments it may set the stance of (the others are the round's anchors)."""

    name: str
    model: implicit.ImplicitModel
    stance_model: dict
    mentions: list[tuple[str, str, bool]]
    stances: list[tuple]
    round_ids: list[str]  # the comments of the reviewed "round": the anchors of the implicit refit


def shipped(data: Data, seed: int) -> Setting:
    """The shipped models; the reviewer reviews all of dev (which the models were fitted on)."""
    model = implicit.load_model()
    pool = [review for p in data.dev for review in _reviewable(p, model)]
    return Setting("shipped", model, stance.load_model(), pool, data.stance_dev, [c for p in data.dev for c in p.ids])


def fresh(data: Data, seed: int) -> Setting:
    """Base models fitted as ``eval/mentions.py`` and ``eval/stance.py`` fit them, on a random half of the dev
    responses; the reviewer reviews the other half: text the base models never saw, as in a new round."""
    responses = sorted({_response(c) for c in data.comments["comment_id"]})
    half = set(np.random.default_rng(1000 + seed).permutation(responses)[: len(responses) // 2])
    train = [_subset(p, lambda c: _response(c) in half) for p in data.dev]
    rest = [_subset(p, lambda c: _response(c) not in half) for p in data.dev]
    fitted = _regression(train)
    threshold, threshold_semantic = _choose_thresholds(fitted, train)
    base = implicit.load_model()
    model = dataclasses.replace(
        base,
        coefficients=fitted.coefficients,
        intercept=fitted.intercept,
        threshold=threshold,
        threshold_semantic=threshold_semantic,
        provenance={},
    )
    stances = [e for e in data.stance_dev if _response(e[0]) in half]
    shipped_fit = stance.load_model()["provenance"]
    weight = None if shipped_fit.get("class_weight") == "none" else shipped_fit.get("class_weight")
    regression = LogisticRegression(C=shipped_fit["C"], class_weight=weight, max_iter=5000).fit(
        np.array([data.stance_rows[e[0]] for e in stances]), [e[-1] for e in stances]
    )
    stance_model = {
        "classes": [str(c) for c in regression.classes_],
        "features": list(stance.FEATURES),
        "coefficients": regression.coef_.tolist(),
        "intercept": regression.intercept_.tolist(),
        "provenance": {"class_weight": weight or "none", "C": shipped_fit["C"]},
    }
    pool = [review for p in rest for review in _reviewable(p, model)]
    stance_pool = [e for e in data.stance_dev if _response(e[0]) not in half]
    return Setting("fresh", model, stance_model, pool, stance_pool, [c for p in rest for c in p.ids])


def _response(comment_id: str) -> str:
    """The response of a comment id: ``bydel-alna-3``, ``07-blakors-…-012`` (mentions), ``07-blakors-…:12`` (stance)."""
    return comment_id.split(":")[0] if ":" in comment_id else comment_id.rsplit("-", 1)[0]


def _subset(p: Prepared, keep) -> Prepared:
    """``p`` with only the comments whose id ``keep`` accepts."""
    q, rows = copy.copy(p), [k for k, cid in enumerate(p.ids) if keep(cid)]
    q.ids, q.features, q.strong, q.byline = [p.ids[k] for k in rows], p.features[rows], p.strong[rows], p.byline[rows]
    q.covered, q.gold = [p.covered[k] for k in rows], {p.ids[k]: p.gold[p.ids[k]] for k in rows}
    return q


def reviewer(data: Data, setting: Setting, seed: int, folder: Path) -> Path:
    """A simulated reviewer's decisions in a review store: the setting's links and stances in a random order
    of their own (``seed``), at most ``max(N_REVIEWED)`` of each."""
    rng = np.random.default_rng(seed)
    text = dict(zip(data.comments["comment_id"], data.comments["text"]))
    n, who = max(N_REVIEWED), f"reviewer-{seed}"
    path = folder / f"{setting.name}-{seed}.gjennomgang.sqlite"
    with open_store(path) as store:
        for k in rng.permutation(len(setting.mentions))[:n]:
            cid, code, right = setting.mentions[k]
            store.record(who, "mention", f"{cid} {code}", after=bool(right), about=fingerprint(text[cid]))
        for k in rng.permutation(len(setting.stances))[:n]:
            cid, *_, gold = setting.stances[k]
            store.record(who, "comment.stance", cid, after=gold, about=fingerprint(text[cid]))
    return path


def curve(data: Data, setting_of, draws: int, prior: float | None) -> tuple[dict[int, list[dict[str, float]]], list]:
    """Figures after each number of reviewed examples, for each of ``draws`` reviewers (``setting_of(seed)``:
    where each starts), and the sizes of their pools."""
    results: dict[int, list[dict[str, float]]] = {}
    pools = []
    with tempfile.TemporaryDirectory() as folder:
        for seed in range(draws):
            setting = setting_of(data, seed)
            pools.append((len(setting.mentions), sum(r for *_, r in setting.mentions), len(setting.stances)))
            results.setdefault(0, []).append(figures(data, setting.model, setting.stance_model))
            path = reviewer(data, setting, seed, Path(folder))
            with open_store(path) as store:
                log = {kind: store.log(kind) for kind in ("mention", "comment.stance")}
            for n in N_REVIEWED[1:]:
                latest = {kind: {d.target: d for d in decisions[:n]} for kind, decisions in log.items()}
                found = learning.examples(latest, data.comments, codes=set(data.codes), written=data.written)
                rows = pair_rows(data, found, setting.round_ids)
                model = learning.refit_implicit(
                    setting.model, found, rows=rows, store=path, prior=learning.PRIOR if prior is None else prior
                )
                reviewed = {e.comment_id for e in found.stances}
                stance_model = learning.refit_stance(
                    setting.stance_model,
                    found,
                    rows=np.array([data.stance_rows[e.comment_id] for e in found.stances]),
                    anchors=np.array([data.stance_rows[e[0]] for e in setting.stances if e[0] not in reviewed]),
                    store=path,
                    prior=prior,
                )
                results.setdefault(n, []).append(figures(data, model, stance_model))
    return results, pools


def pair_rows(data: Data, found: learning.Examples, round_ids: list[str]) -> learning.PairRows:
    """:func:`pipeline.review.learning.mention_rows` from the prepared features (same values, no embedding),
    with the anchors of the comments ``round_ids``."""
    decided = {(e.comment_id, e.code) for e in found.mentions}
    anchors = [
        data.rows[(cid, code)]
        for cid in dict.fromkeys([e.comment_id for e in found.mentions] + round_ids)
        for code in data.codes
        if (cid, code) not in decided and code not in found.written.get(cid, ())
    ]
    reviewed = np.array([data.rows[(e.comment_id, e.code)] for e in found.mentions])
    return learning.PairRows(reviewed.reshape(-1, len(implicit.FEATURES)), np.array(anchors))


def check_features(data: Data) -> float:
    """The largest difference between the eval's feature rows and :func:`pipeline.review.learning.mention_rows`
    (what a round's refit computes) for some of the links a reviewer sees: they should agree."""
    setting = shipped(data, 0)
    sample = [
        learning.MentionExample(cid, text, code, right, context, "check")
        for (cid, code, right) in setting.mentions[:: max(1, len(setting.mentions) // 20)]
        for text, context in [_texts(data, cid)]
    ]
    found = learning.Examples(tuple(sample), written=data.written)
    some = setting.round_ids[:: max(1, len(setting.round_ids) // 10)]
    comments = data.comments[data.comments["comment_id"].isin(some)]
    rows = learning.mention_rows(found, data.measures, comments, role=setting.model.comment_role)
    expected = pair_rows(data, found, comments["comment_id"].tolist())
    assert rows.anchors.shape == expected.anchors.shape
    return max(float(np.abs(a - b).max()) for a, b in zip(rows, expected))


def _texts(data: Data, cid: str) -> tuple[str, str]:
    row = data.comments.set_index("comment_id").loc[cid]
    return row["text"], " ".join(str(row[k]) for k in ("section", "lead_in", "text") if row[k])


def summary(results: dict[int, list[dict[str, float]]]) -> dict:
    return {
        n: {k: (float(np.mean([r[k] for r in runs])), float(np.std([r[k] for r in runs]))) for k in COLUMNS}
        for n, runs in results.items()
    }


def print_table(title: str, table: dict, pools: list) -> None:
    links, right, stances = (int(np.mean(column)) for column in zip(*pools))
    print(f"\n{title}\n  reviewer's pool (dev only): {links} links ({right} right), {stances} stances")
    print(f"{'reviewed':>8}  " + "  ".join(f"{v:>15}" for v in COLUMNS.values()))
    for n, row in table.items():
        print(f"{n:>8}  " + "  ".join(f"{m:6.3f} ± {s:5.3f}" for m, s in row.values()))
    at = 100 if 100 in table else max(table)
    print(
        f"  delta at {at} vs 0: "
        + ", ".join(f"{v} {table[at][k][0] - table[0][k][0]:+.3f}" for k, v in COLUMNS.items())
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=5, help="simulated reviewers per point")
    parser.add_argument("--prior", type=float, help="strength of the prior (default: 1 / C of each base fit)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    data = Data(implicit.load_model().comment_role)
    difference = check_features(data)
    assert difference < 1e-4, f"eval features differ from learning.mention_rows by {difference}"
    found = {}
    for title, setting_of in SETTINGS.items():
        results, pools = curve(data, setting_of, args.draws, args.prior)
        found[title] = {"pools": pools, "curve": summary(results)}
    if args.json:
        print(json.dumps(found, indent=2))
        return
    prior = args.prior or "1 / C of each base fit"
    print(f"{args.draws} simulated reviewers per point (mean ± sd); prior {prior}, anchor weight {learning.ANCHOR}")
    for title, result in found.items():
        print_table(title, result["curve"], result["pools"])


SETTINGS = {
    "A. shipped models, reviews of dev (the text they were fitted on)": shipped,
    "B. models fitted on half of dev, reviews of the other half (new text, as in a new round)": fresh,
}


if __name__ == "__main__":
    main()
