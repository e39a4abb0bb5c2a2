"""How well is stance found? Macro-F1 of :mod:`pipeline.comments.stance` against the labelled corpus.

    python eval/stance.py            # synthetic and real-like dev (fitted on) and test (held out)
    python eval/stance.py --errors   # also list the comments it gets wrong on dev
    python eval/stance.py --fit      # fit the model on synthetic + real dev, write models/stance.json
    python eval/stance.py --json

Every labelled paragraph of ``eval/data/hearing/{dev,test}`` (synthetic) and every content line of
``eval/data/real_responses`` (real-like, texts in ``../shared/real``) carries a stance (support,
critique, proposal, question, neutral). Reported per split: macro-F1 (target ≥ 0.80), accuracy,
precision and recall per stance, the confusion matrix, and how well the confidence ranks right above
wrong. The model is fitted on both dev splits only; the test splits are held out.
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

from pipeline.comments.stance import FEATURES, MODEL_FILE, STANCES, classify, features  # noqa: E402
from pipeline.comments.stance import _read_model as stance_model_cache  # noqa: E402

TARGET = 0.80
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)


def examples(split: str) -> list[tuple[str, str, str, str, str]]:
    """(id, text, lead-in, sender, gold stance) of every labelled comment of a split: ``dev``/``test`` are
    synthetic, ``real-dev``/``real-test`` the real-like corpus (content lines mapped onto comments)."""
    if split.startswith("real-"):
        import real
        import real_corpus

        rows = []
        for statement in real_corpus.load(split.split("-", 1)[1]):
            analysed = real.analyse(statement)
            for line in statement.lines:
                covering = analysed.comments_of_line[line.number]
                if line.role == "content" and covering:
                    c = max(covering, key=lambda c: len(c.text))
                    rows.append((f"{statement.stem}:{line.number}", c.text, c.lead_in, c.sender, line.stance))
        return rows
    comments, labels = load_split(split)
    by_id = comments.set_index("comment_id")
    return [
        (
            label["comment_id"],
            by_id.loc[label["comment_id"], "text"],
            by_id.loc[label["comment_id"], "lead_in"],
            by_id.loc[label["comment_id"], "sender"],
            label["stance"],
        )
        for label in labels
    ]


def fit(path: Path = MODEL_FILE) -> dict:
    """Fit the multinomial logistic model on synthetic dev + real dev; choose C by cross-validation
    grouped by response; write the model with its provenance and metrics."""
    import datetime as dt

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    train = [(*e, "synthetic") for e in examples("dev")] + [(*e, "real") for e in examples("real-dev")]
    X = np.array([[features(text, lead, sender=who)[n] for n in FEATURES] for _, text, lead, who, _, _ in train])
    y = np.array([gold for *_, gold, _ in train])
    groups = [cid.rsplit("-", 1)[0].split(":")[0] for cid, *_ in train]
    best = None
    for c in C_GRID:
        for weight in (None, "balanced"):
            model = LogisticRegression(C=c, class_weight=weight, max_iter=5000)
            found = cross_val_predict(model, X, y, groups=groups, cv=GroupKFold(n_splits=5))
            score = f1_score(y, found, labels=list(STANCES), average="macro")
            if best is None or score > best[0]:
                best = (score, c, weight)
    score, c, weight = best
    model = LogisticRegression(C=c, class_weight=weight, max_iter=5000).fit(X, y)
    fitted = {
        "classes": [str(k) for k in model.classes_],
        "features": list(FEATURES),
        "coefficients": [[round(float(v), 5) for v in row] for row in model.coef_],
        "intercept": [round(float(v), 5) for v in model.intercept_],
        "provenance": {
            "model": "multinomial logistic regression (scikit-learn) over pipeline.comments.stance.features",
            "training_data": ["eval/data/hearing/dev (synthetic)", "eval/data/real_responses split dev (real-like)"],
            "n_training": len(train),
            "C": c,
            "class_weight": weight or "none",
            "cross_validated_macro_f1_dev": round(float(score), 3),
            "fitted": dt.date.today().isoformat(),
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    stance_model_cache.cache_clear()
    fitted["provenance"]["held_out_macro_f1"] = {s: evaluate(s)["macro_f1"] for s in ("test", "real-test")}
    path.write_text(json.dumps(fitted, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    stance_model_cache.cache_clear()
    return fitted


def evaluate(split: str) -> dict:
    gold, predicted, confidence, wrong = [], [], [], []
    for cid, text, lead_in, sender, stance in examples(split):
        found = classify(text, lead_in, sender=sender)
        gold.append(stance)
        predicted.append(found.label)
        confidence.append(found.confidence)
        if found.label != stance:
            wrong.append({"id": cid, "gold": stance, "found": found.label, "text": text[:160]})
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=list(STANCES), zero_division=0
    )
    right = [g == p for g, p in zip(gold, predicted)]
    return {
        "split": split,
        "n": len(gold),
        "macro_f1": round(float(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro")), 3),
        "accuracy": round(sum(right) / len(right), 3),
        "per_stance": {
            s: {"precision": round(float(p), 3), "recall": round(float(r), 3), "f1": round(float(f), 3), "n": int(n)}
            for s, p, r, f, n in zip(STANCES, precision, recall, f1, support)
        },
        "confusion": confusion_matrix(gold, predicted, labels=list(STANCES)).tolist(),
        "confidence_auc": round(float(roc_auc_score(right, confidence)), 3) if 0 < sum(right) < len(right) else None,
        "wrong": wrong,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--fit", action="store_true")
    args = parser.parse_args()
    if args.fit:
        fitted = fit()
        print(f"wrote {MODEL_FILE}: " + json.dumps(fitted["provenance"], ensure_ascii=False))
    results = [evaluate(s) for s in ("dev", "test", "real-dev", "real-test")]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        status = "OK" if r["macro_f1"] >= TARGET else "UNDER TARGET"
        print(
            f"== {r['split']}: {r['n']} comments  macro-F1 {r['macro_f1']:.3f} ({status}, target {TARGET})  "
            f"accuracy {r['accuracy']:.3f}  confidence AUC {r['confidence_auc']}"
        )
        for s, m in r["per_stance"].items():
            print(f"   {s:9} P {m['precision']:.2f}  R {m['recall']:.2f}  F1 {m['f1']:.2f}  n {m['n']}")
        print("   confusion (rows gold, columns found):", " ".join(s[:4] for s in STANCES))
        for s, row in zip(STANCES, r["confusion"]):
            print(f"   {s:9} " + " ".join(f"{v:4d}" for v in row))
        if args.errors and r["split"] in ("dev", "real-dev"):
            for w in r["wrong"]:
                print(f"   ✗ {w['gold']:9} → {w['found']:9} {w['text']}")


if __name__ == "__main__":
    main()
