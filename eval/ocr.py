"""Word and character error rate of the OCR repair, line by line against a corrected reference.

    python eval/ocr.py                         # the whole suite: synthetic, real OCR, clean text, speed
    python eval/ocr.py FILE --reference REF    # one file: raw and repaired WER/CER against REF
    python eval/ocr.py --json                  # the suite as JSON

The suite's sets (none of them used to tune the repair):

* **synthetic** — clean born-digital text (seeds 002 and 003) damaged with the seeds' confusion
  patterns (``eval/degrade.py``), three random seeds each;
* **real** — pairs in ``eval/data/real/``: ``<name>.ocr.txt`` (text as an OCR engine produced it)
  and ``<name>.ref.txt`` (the same lines, corrected by hand or rendered from a known source);
* **clean** — seeds 002 and 003 as they are: the repair must change nothing;
* **real clean text** — the born-digital responses in ``../shared/real/rewritten/`` (read where they
  lie, not copied here), through :func:`pipeline.ocr.repair.clean_text` (character and layout repair): the
  number of edits, which must be 0, on the dev split (file numbers not a multiple of 3) and the test
  split (multiples of 3);
* **speed** — words per second of :func:`pipeline.ocr.repair.repair_text` on one core, lexicon loaded.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import jiwer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from degrade import degrade  # noqa: E402

from pipeline.ocr.repair import clean_text, repair_text  # noqa: E402
from pipeline.text import lexicon  # noqa: E402

SEEDS = ROOT / "tests" / "data" / "seeds"
REAL = HERE / "data" / "real"
REWRITTEN = ROOT.parent / "shared" / "real" / "rewritten"
CLEAN_SEEDS = ("002", "003")
SYNTHETIC_SEEDS = (1, 2, 3)


def error_rates(hypothesis: str, reference: str) -> dict[str, float]:
    """WER and CER of ``hypothesis`` against ``reference``, line by line (same number of lines).

    Lines empty in the reference are skipped; the rates are pooled over all words / characters.
    """
    hyp_lines, ref_lines = hypothesis.split("\n"), reference.split("\n")
    if len(hyp_lines) != len(ref_lines):
        raise ValueError(f"line counts differ: {len(hyp_lines)} vs {len(ref_lines)} in the reference")
    pairs = [(h.strip(), r.strip()) for h, r in zip(hyp_lines, ref_lines) if r.strip()]
    hyps = [h or "∅" for h, _ in pairs]  # an emptied line counts as errors, not as nothing
    refs = [r for _, r in pairs]
    words = jiwer.process_words(refs, hyps)
    chars = jiwer.process_characters(refs, hyps)
    return {"wer": words.wer, "cer": chars.cer, "words": sum(len(r.split()) for r in refs)}


def evaluate_pair(raw: str, reference: str) -> dict:
    repaired = repair_text(raw)
    return {
        "raw": error_rates(raw, reference),
        "repaired": error_rates(repaired.text, reference),
        "edits": len(repaired.corrections),
    }


def _seed(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def suite() -> dict:
    lexicon.is_word("høring"), lexicon.lemma("høringene")  # load once, outside the timings
    results: dict = {"synthetic": {}, "real": {}, "clean": {}}
    for number in CLEAN_SEEDS:
        clean = _seed(number)
        for seed in SYNTHETIC_SEEDS:
            results["synthetic"][f"seed{number}-s{seed}"] = evaluate_pair(degrade(clean, 1.0, seed), clean)
        results["clean"][f"seed{number}"] = len(repair_text(clean).corrections)
    for ocr_file in sorted(REAL.glob("*.ocr.txt")):
        name = ocr_file.name.removesuffix(".ocr.txt")
        reference = (REAL / f"{name}.ref.txt").read_text(encoding="utf-8")
        results["real"][name] = evaluate_pair(ocr_file.read_text(encoding="utf-8"), reference)
    results["rewritten"] = rewritten_edits()
    results["speed"] = _speed()
    for group in ("synthetic", "real"):
        results[f"{group}_pooled"] = _pooled(results[group].values())
    return results


def rewritten_split(path: Path) -> str:
    """``test`` for a file whose number is a multiple of 3 (``03-…``, ``12-…``), else ``dev``."""
    return "test" if int(path.name.split("-", 1)[0]) % 3 == 0 else "dev"


def rewritten_edits(folder: Path = REWRITTEN) -> dict:
    """Edits :func:`clean_text` makes to each real born-digital response, per split (must be 0)."""
    out: dict = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        edits = clean_text(text).corrections
        split = out.setdefault(rewritten_split(path), {"files": 0, "words": 0, "edits": 0, "examples": []})
        split["files"] += 1
        split["words"] += len(text.split())
        split["edits"] += len(edits)
        split["examples"] += [f"{path.name}:{c.line} {c.rule} {c.original!r}→{c.corrected!r}" for c in edits]
    return out


def _pooled(items) -> dict:
    items = list(items)
    total = sum(i["raw"]["words"] for i in items) or 1
    return {
        stage: {
            "wer": sum(i[stage]["wer"] * i[stage]["words"] for i in items) / total,
            "cer": sum(i[stage]["cer"] * i[stage]["words"] for i in items) / total,
        }
        for stage in ("raw", "repaired")
    } | {"words": total}


def _speed() -> dict:
    """Words per second on texts not seen before in this process (caches cleared)."""
    from pipeline.ocr import confusions, realword
    from pipeline.ocr import repair as ocr

    texts = [degrade(_seed(n), 1.0, 99) for n in CLEAN_SEEDS] + [
        p.read_text(encoding="utf-8") for p in sorted(REAL.glob("*.ocr.txt"))
    ]
    for cached in (ocr._repair_unknown, confusions.compound_score, realword._readings, lexicon.is_word):
        cached.cache_clear()
    words = sum(len(t.split()) for t in texts)
    start = time.process_time()  # CPU time of this process: one core
    for text in texts:
        repair_text(text)
    seconds = time.process_time() - start
    return {"words": words, "seconds": seconds, "words_per_second": words / seconds}


def _print_suite(results: dict) -> None:
    def line(name: str, r: dict) -> str:
        return (
            f"  {name:<28} WER {r['raw']['wer']:7.2%} → {r['repaired']['wer']:6.2%}   "
            f"CER {r['raw']['cer']:6.2%} → {r['repaired']['cer']:6.2%}   ({r['raw']['words']} words)"
        )

    for group, title in (("synthetic", "Synthetic damage (clean text degraded)"), ("real", "Real OCR")):
        print(title)
        for name, r in results[group].items():
            print(line(name, r))
        if results[group]:
            print(
                line(
                    "pooled",
                    {
                        **results[f"{group}_pooled"],
                        "raw": {**results[f"{group}_pooled"]["raw"], "words": results[f"{group}_pooled"]["words"]},
                    },
                )
            )
    print("Clean text (edits, must be 0)")
    for name, edits in results["clean"].items():
        print(f"  {name:<28} {edits}")
    print("Real clean text, ../shared/real/rewritten (edits, must be 0)")
    if not results["rewritten"]:
        print(f"  (not found: {REWRITTEN})")
    for split in ("dev", "test"):
        r = results["rewritten"].get(split)
        if r:
            print(f"  {split:<28} {r['edits']}   ({r['files']} files, {r['words']} words)")
            for example in r["examples"][:10]:
                print(f"    {example}")
    s = results["speed"]
    print(f"Speed: {s['words_per_second']:,.0f} words/s on one core ({s['words']} words in {s['seconds']:.2f} s CPU)")


def main() -> None:
    parser = argparse.ArgumentParser(description="WER/CER of the OCR repair")
    parser.add_argument("file", nargs="?", type=Path, help="OCR'd text to repair and score")
    parser.add_argument("--reference", type=Path, help="corrected reference, same lines as FILE")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.file:
        if not args.reference:
            parser.error("FILE needs --reference")
        result = evaluate_pair(args.file.read_text(encoding="utf-8"), args.reference.read_text(encoding="utf-8"))
        if args.json:
            print(json.dumps(result, indent=2))
        else:
            print(f"raw      WER {result['raw']['wer']:.2%}  CER {result['raw']['cer']:.2%}")
            print(
                f"repaired WER {result['repaired']['wer']:.2%}  CER {result['repaired']['cer']:.2%}"
                f"  ({result['edits']} edits, {result['raw']['words']} words)"
            )
        return
    results = suite()
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        _print_suite(results)


if __name__ == "__main__":
    main()
