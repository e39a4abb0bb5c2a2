"""How well is stance found? Macro-F1 of :mod:`pipeline.stance` against the labelled corpus.

    python eval/stance.py            # dev (where the cues were written) and test (held out)
    python eval/stance.py --errors   # also list the comments it gets wrong on dev
    python eval/stance.py --json

Every labelled paragraph of ``eval/data/hearing/{dev,test}`` carries a stance (support, critique,
proposal, question, neutral). Reported per split: macro-F1 (target ≥ 0.75), accuracy, precision and
recall per stance, the confusion matrix, and how well the confidence ranks right above wrong.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from mentions import load_split  # noqa: E402
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support, roc_auc_score  # noqa: E402

from pipeline.stance import STANCES, classify  # noqa: E402

TARGET = 0.75


def evaluate(split: str) -> dict:
    comments, labels = load_split(split)
    by_id = comments.set_index("comment_id")
    gold, predicted, confidence, wrong = [], [], [], []
    for label in labels:
        row = by_id.loc[label["comment_id"]]
        found = classify(row["text"], row["lead_in"])
        gold.append(label["stance"])
        predicted.append(found.label)
        confidence.append(found.confidence)
        if found.label != label["stance"]:
            wrong.append({"id": label["comment_id"], "gold": label["stance"], "found": found.label,
                          "text": row["text"][:160]})
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=list(STANCES),
                                                                     zero_division=0)
    right = [g == p for g, p in zip(gold, predicted)]
    return {
        "split": split,
        "n": len(gold),
        "macro_f1": round(float(f1_score(gold, predicted, labels=list(STANCES), average="macro")), 3),
        "accuracy": round(sum(right) / len(right), 3),
        "per_stance": {s: {"precision": round(float(p), 3), "recall": round(float(r), 3), "f1": round(float(f), 3),
                           "n": int(n)} for s, p, r, f, n in zip(STANCES, precision, recall, f1, support)},
        "confusion": confusion_matrix(gold, predicted, labels=list(STANCES)).tolist(),
        "confidence_auc": round(float(roc_auc_score(right, confidence)), 3) if 0 < sum(right) < len(right) else None,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [evaluate("dev"), evaluate("test")]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        status = "OK" if r["macro_f1"] >= TARGET else "UNDER TARGET"
        print(f"== {r['split']}: {r['n']} comments  macro-F1 {r['macro_f1']:.3f} ({status}, target {TARGET})  "
              f"accuracy {r['accuracy']:.3f}  confidence AUC {r['confidence_auc']}")
        for s, m in r["per_stance"].items():
            print(f"   {s:9} P {m['precision']:.2f}  R {m['recall']:.2f}  F1 {m['f1']:.2f}  n {m['n']}")
        print("   confusion (rows gold, columns found):", " ".join(s[:4] for s in STANCES))
        for s, row in zip(STANCES, r["confusion"]):
            print(f"   {s:9} " + " ".join(f"{v:4d}" for v in row))
        if args.errors and r["split"] == "dev":
            for w in r["wrong"]:
                print(f"   ✗ {w['gold']:9} → {w['found']:9} {w['text']}")


if __name__ == "__main__":
    main()
