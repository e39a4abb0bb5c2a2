"""Right on real responses: every figure of issue #13 for real dev, real test and the synthetic corpus.

    python eval/real.py              # all figures (implicit mentions need the embedding model)
    python eval/real.py --no-mentions  # without the implicit-mention figures (no embeddings)
    python eval/real.py --errors     # also list what is wrong on real dev
    python eval/real.py --json

Real: the statements of ``../shared/real/rewritten`` (read where they lie) with the labels of
``eval/data/real_responses`` (see its README; test = numbers divisible by 3). Synthetic:
``eval/data/hearing/{dev,test}``. Every text goes through the pipeline as a round would: OCR repair,
layout, segmentation, stance. Figures and targets:

- sender right (dev ≥ 95 %, unseen ≥ 90 %); organisations pseudonymised (0);
- stance macro-F1 (≥ 0.80), neutral precision (≥ 0.70), minimal pairs (100 %);
- implicit mentions per paragraph: precision ≥ 0.80 at recall ≥ 0.75 (``eval/mentions.py``);
- edits on clean digital text (0); quotes or key points starting or ending mid-sentence (0);
- furniture as comments (≤ 2 %); content dropped without a trace (0).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import real_corpus  # noqa: E402
from sklearn.metrics import f1_score, precision_recall_fscore_support  # noqa: E402

from pipeline.comments.segment import segment_document  # noqa: E402
from pipeline.comments.stance import STANCES, classify  # noqa: E402
from pipeline.ocr.repair import clean_text  # noqa: E402
from pipeline.summaries.per_measure import quote_for  # noqa: E402
from pipeline.text.sentences import sentences  # noqa: E402

TARGETS = {
    "sender_dev": 0.95,
    "sender_unseen": 0.90,
    "stance_macro_f1": 0.80,
    "neutral_precision": 0.70,
    "furniture_share": 0.02,
}
CHARACTER_RULES_EXCLUDED = {"page-furniture", "dehyphenate", "reflow"}  # layout, not a change of a word
PAIRS_FILE = HERE / "data" / "stance_pairs.jsonl"
SENTENCE_END = '.!?:»”")'


def normal(text: str) -> str:
    """Whitespace collapsed, list markers dropped, lower case: how a line is matched to a comment."""
    text = re.sub(r"^\s*(?:[•●▪◦■□➢►·*–-]|\d{1,2}[.)])\s+", "", text)
    return " ".join(text.split()).lower()


@dataclass
class Analysed:
    """One statement as the pipeline sees it, and how its labelled lines map onto that."""

    statement: real_corpus.Statement
    sender: object
    comments: list
    left_out: list
    edits: list
    comments_of_line: dict[int, list] = field(default_factory=dict)  # line number -> comments covering it
    left_out_of_line: dict[int, list] = field(default_factory=dict)


def analyse(statement: real_corpus.Statement) -> Analysed:
    cleaned = clean_text(statement.text)
    found = segment_document(statement.stem, cleaned.text, fallback_sender=statement.stem)
    edits = [c for c in cleaned.corrections if c.rule not in CHARACTER_RULES_EXCLUDED]
    result = Analysed(statement, found.sender, found.comments, found.left_out, edits)
    for line in statement.lines:
        key = normal(line.text)
        result.comments_of_line[line.number] = [c for c in found.comments if _overlaps(key, normal(c.text))]
        result.left_out_of_line[line.number] = [x for x in found.left_out if _overlaps(key, normal(x.text))]
    return result


def _overlaps(a: str, b: str) -> bool:
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short in long and (len(short) >= 12 or short == long)


def sender_right(predicted: str, statement) -> bool:
    def key(name: str) -> str:
        return re.sub(r"\s*\([^)]*\)", "", name).strip().lower()

    accepted = {key(n) for n in (statement.sender, *statement.sender_also) if n}
    return key(predicted) in accepted


# --- figures -------------------------------------------------------------------------------------
def real_figures(split: str, *, errors: bool = False) -> dict:
    analysed = [analyse(s) for s in real_corpus.load(split)]
    senders = [sender_right(a.sender.name, a.statement) for a in analysed]
    organisations_as_persons = [
        a.statement.file for a in analysed if a.statement.sender_kind == "organisation" and a.sender.kind == "person"
    ]
    content = _content_lines(analysed)
    furniture_found, heading_comments = _furniture_comments(analysed)
    n_comments = sum(len(a.comments) for a in analysed)
    figures = {
        "split": f"real {split}",
        "statements": len(analysed),
        "sender_right": _share(senders),
        "organisations_pseudonymised": len(organisations_as_persons),
        **_stance_figures(content.gold, content.predicted),
        "edits_on_clean_text": sum(len(a.edits) for a in analysed),
        **_sentence_figures([c for a in analysed for c in a.comments]),
        "comments": n_comments,
        "furniture_as_comments": _ratio(len(furniture_found), n_comments),
        "headings_as_comments": _ratio(heading_comments, n_comments),
        "content_left_out_with_reason": len(content.left_out),
        "content_dropped_without_trace": len(content.dropped),
    }
    if errors:
        figures["errors"] = {
            "senders": [
                (a.statement.file, a.sender.name, a.statement.sender, a.sender.evidence)
                for a, ok in zip(analysed, senders)
                if not ok
            ],
            "organisations_pseudonymised": organisations_as_persons,
            "stance": content.wrong_stance,
            "edits": [(a.statement.file, e.original, e.corrected, e.rule) for a in analysed for e in a.edits],
            "furniture_as_comments": furniture_found,
            "left_out_content": content.left_out,
            "dropped": content.dropped,
        }
    return figures


@dataclass
class ContentLines:
    """What became of the labelled content lines: the stance of the comment covering each, or where it went."""

    gold: list[str] = field(default_factory=list)
    predicted: list[str] = field(default_factory=list)
    wrong_stance: list[tuple] = field(default_factory=list)  # (file, line, gold, predicted, text)
    left_out: list[tuple] = field(default_factory=list)  # left out with a reason: (file, line, kind, text)
    dropped: list[tuple] = field(default_factory=list)  # in no comment and left out without a trace: (file, line, text)


def _content_lines(analysed: list[Analysed]) -> ContentLines:
    """Each content line: classified through its longest covering comment, else left out or dropped."""
    result = ContentLines()
    for a in analysed:
        for line in a.statement.lines:
            if line.role != "content":
                continue
            covering = a.comments_of_line[line.number]
            if covering:
                comment = max(covering, key=lambda c: len(c.text))
                found = classify(comment.text, comment.lead_in, sender=comment.sender).label
                result.gold.append(line.stance)
                result.predicted.append(found)
                if found != line.stance:
                    result.wrong_stance.append((a.statement.file, line.number, line.stance, found, line.text[:110]))
            elif a.left_out_of_line[line.number]:
                result.left_out.append(
                    (a.statement.file, line.number, a.left_out_of_line[line.number][0].kind, line.text[:90])
                )
            else:
                result.dropped.append((a.statement.file, line.number, line.text[:90]))
    return result


def _furniture_comments(analysed: list[Analysed]) -> tuple[list[tuple], int]:
    """Comments that cover only page furniture or titles, as (file, paragraph, text), and how many only headings."""
    furniture, headings = [], 0
    for a in analysed:
        lines = {line.number: line for line in a.statement.lines}
        for comment in a.comments:
            roles = {lines[n].role for n, cs in a.comments_of_line.items() if comment in cs}
            if roles and roles <= {"furniture", "title"}:
                furniture.append((a.statement.file, comment.paragraph, comment.text[:90]))
            elif roles == {"heading"}:
                headings += 1
    return furniture, headings


def synthetic_figures(split: str) -> dict:
    from mentions_data import CORPUS, load_split

    comments, labels = load_split(split)
    by_id = comments.set_index("comment_id")
    gold = [label["stance"] for label in labels]
    predicted = [
        classify(
            by_id.loc[label["comment_id"], "text"],
            by_id.loc[label["comment_id"], "lead_in"],
            sender=by_id.loc[label["comment_id"], "sender"],
        ).label
        for label in labels
    ]
    senders, kinds_wrong, edits = [], 0, 0
    from pipeline.outputs.masking import is_private_person

    for path in sorted((CORPUS / split).glob("*.txt")):
        cleaned = clean_text(path.read_text(encoding="utf-8"))
        edits += sum(c.rule not in CHARACTER_RULES_EXCLUDED for c in cleaned.corrections)
        found = segment_document(path.stem, cleaned.text, fallback_sender=path.stem)
        expected = next((lab["sender"] for lab in labels if lab["response"] == path.stem), None)
        if expected:
            senders.append(found.sender.name.lower() == expected.lower())
            kinds_wrong += (found.sender.kind == "person") != is_private_person(expected)
    return {
        "split": f"synthetic {split}",
        "statements": len(senders),
        "sender_right": _share(senders),
        "organisations_pseudonymised": kinds_wrong,
        **_stance_figures(gold, predicted),
        "edits_on_clean_text": edits,
        **_sentence_figures([row for row in comments.itertuples()]),
        "comments": len(comments),
        "comments_matching_no_label": len(comments) - len(labels),
    }


def minimal_pairs() -> dict:
    """Minimal pairs written for this (with/without negation, own vs reported): share right."""
    pairs = [json.loads(line) for line in PAIRS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong = [
        (p["text"], p["stance"], classify(p["text"], p.get("lead_in", "")).label)
        for p in pairs
        if classify(p["text"], p.get("lead_in", "")).label != p["stance"]
    ]
    return {"minimal_pairs": _ratio(len(pairs) - len(wrong), len(pairs)), "n_pairs": len(pairs), "wrong": wrong}


def _stance_figures(gold: list[str], predicted: list[str]) -> dict:
    if not gold:
        return {}
    precision, _, _, support = precision_recall_fscore_support(gold, predicted, labels=list(STANCES), zero_division=0)
    return {
        "stance_n": len(gold),
        "stance_macro_f1": round(float(f1_score(gold, predicted, labels=sorted(set(gold)), average="macro")), 3),
        "neutral_precision": round(float(precision[STANCES.index("neutral")]), 3),
        "neutral_share_predicted": _ratio(predicted.count("neutral"), len(predicted)),
        "neutral_share_gold": _ratio(gold.count("neutral"), len(gold)),
    }


def _sentence_figures(comments: list) -> dict:
    """Quotes and key points are sentences of comments: how many start or end mid-sentence."""
    bad, total = 0, 0
    for comment in comments:
        text = comment.text
        for sentence in {*sentences(text), quote_for(text, "")}:
            total += 1
            bad += _mid_sentence(sentence, text)
    return {"sentences": total, "sentences_cut_mid_sentence": bad}


def _mid_sentence(sentence: str, text: str) -> bool:
    """Starts in lower case after no sentence end, or ends without one while the text goes on."""
    start = text.find(sentence)
    before = text[:start].rstrip()
    after = text[start + len(sentence) :].lstrip()
    starts_badly = bool(before) and before[-1] not in SENTENCE_END and not sentence[:1].isupper()
    ends_badly = bool(after) and sentence[-1] not in SENTENCE_END and not after[:1].isupper()
    too_short = len(sentence.split()) < 2 and bool(after or before)
    return starts_badly or ends_badly or too_short


def _share(values: list[bool]) -> float:
    return _ratio(sum(values), len(values))


def _ratio(a: int, b: int) -> float:
    return round(a / b, 3) if b else 0.0


def mention_figures() -> list[dict]:
    """Implicit-mention precision and recall per paragraph (``eval/mentions.py``), real and synthetic."""
    import mentions

    rows = [{"split": f"real {s}", **mentions.real_figures(s)} for s in real_corpus.SPLITS]
    measures = mentions.catalogue()
    for split in ("dev", "test"):
        rows.append({"split": f"synthetic {split}", **mentions.evaluate(split, measures)["paragraph"]})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-mentions", action="store_true")
    args = parser.parse_args()
    if not real_corpus.available():
        sys.exit(f"../shared/real is missing (looked in {real_corpus.TEXTS_DIR})")
    rows = [real_figures(s, errors=args.errors) for s in real_corpus.SPLITS]
    rows += [synthetic_figures(s) for s in ("dev", "test")]
    pairs = minimal_pairs()
    mention_rows = [] if args.no_mentions else mention_figures()
    if args.json:
        print(
            json.dumps(
                {"rows": rows, "minimal_pairs": pairs, "mentions": mention_rows},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    keys = list(dict.fromkeys(k for r in rows for k in r if k not in ("split", "errors")))
    print(f"{'':32}" + "".join(f"{r['split']:>16}" for r in rows))
    for k in keys:
        print(f"{k:32}" + "".join(f"{str(r.get(k, '–')):>16}" for r in rows))
    print(
        f"\nminimal pairs (stance): {pairs['n_pairs'] - len(pairs['wrong'])} of {pairs['n_pairs']} right "
        f"({pairs['minimal_pairs']})"
    )
    for text, want, got in pairs["wrong"]:
        print(f"   ✗ want {want:9} got {got:9} {text}")
    if mention_rows:
        print("\nimplicit mentions per paragraph (precision / recall):")
        for r in mention_rows:
            print(
                f"   {r['split']:16} {r['precision']:.3f} / {r['recall']:.3f}   ({r['tp']} of "
                f"{r['n_predicted_pairs']} found right, {r['n_gold_pairs']} labelled, {r['n_lines']} paragraphs)"
            )
    print(
        "\ntargets: "
        + ", ".join(f"{k} {v}" for k, v in TARGETS.items())
        + ("" if args.no_mentions else ", implicit precision 0.8 at recall 0.75")
    )
    if args.errors:
        for r in rows:
            for kind, items in r.get("errors", {}).items():
                print(f"\n== {r['split']} {kind}: {len(items)}")
                for item in items:
                    print("   ", " | ".join(str(x) for x in item))


if __name__ == "__main__":
    main()
