"""A small processed round for the review app's tests, built from hand-written rows (no flow run):
the tables the app reads and the responses' texts, with hostile text in it."""

from __future__ import annotations

from pathlib import Path

from rows import comment_row, mention_row, response_row

from pipeline.summaries import summarise_measures
from pipeline.tables import to_frame, write_parquet
from pipeline.themes.clustering import word_space
from pipeline.themes.description import describe

SCRIPT = "<script>alert('x')</script>"
JS_SENDER = "javascript:alert(1)"
TEXTS = {
    "bydel-alna": [
        "Bydelen støtter tiltak 3F om tidlig innsats i skolen og vil delta i arbeidet.",
        "Vi mener 7S om lavterskel helsetilbud må få midler i hele planperioden.",
        f"Bydelen ber om at oppfølgingen etter 7S beskrives nærmere. {SCRIPT}",
    ],
    "kari-nordmann": [
        "Jeg er bekymret for at sprøyterommet flytter nærmere skolen der barna mine går.",
        "Hvorfor er ikke foreldrene spurt før tiltak 3F ble skrevet?",
    ],
}
DRIFT = {("bydel-alna-3", "7S"): "3F"}  # a cited code the machine thinks means another measure
SENDERS = {"bydel-alna": "Bydel Alna", "kari-nordmann": JS_SENDER}
MEASURES = [
    ("3F", "F", "Tidlig innsats i skolen mot rusbruk."),
    ("7S", "S", "Lavterskel helsetilbud til personer som bruker rusmidler."),
]


def write_round(folder: Path) -> Path:
    """Write the round into ``folder`` (its output folder) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    comments, mentions, responses = [], [], []
    for rid, texts in TEXTS.items():
        text = "\n\n".join(texts)
        responses.append({**response_row(rid, f"{rid}.txt", SENDERS[rid], n=len(texts)), "sender_kind": "organisation"})
        at = 0
        for i, t in enumerate(texts, start=1):
            start = text.index(t, at)
            row = comment_row(f"{rid}-{i}", SENDERS[rid], t, 0 if "7S" in t else 1, _stance(t))
            comments.append({**row, "char_start": start, "char_end": start + len(t), "sender_kind": "organisation"})
            at = start + len(t)
            mentions += [
                mention_row(f"{rid}-{i}", code, likely=DRIFT.get((f"{rid}-{i}", code), ""))
                for code, _, _ in MEASURES
                if code in t
            ]
        (folder / "texts").mkdir(exist_ok=True)
        (folder / "texts" / f"{rid}.txt").write_text(text, encoding="utf-8")
        (folder / "texts" / f"{rid}.original.txt").write_text(text.replace("ø", "o"), encoding="utf-8")
    tables = {
        "comments": to_frame(comments, "comments"),
        "mentions": to_frame(mentions, "mentions"),
        "responses": to_frame(responses, "responses"),
    }
    measures = to_frame(
        [
            {
                "code": c,
                "area": a,
                "number": int(c[:-1]),
                "text": t,
                "goal": "",
                "responsible": "",
                "plan_file": "plan.txt",
                "innsatsomrade": "",
                "plan_version": "plan",
            }
            for c, a, t in MEASURES
        ],
        "measures",
    )
    ids = tables["comments"]["theme_id"].to_numpy(dtype="int64")
    texts = tables["comments"]["text"].tolist()
    tables["themes"] = to_frame(describe(ids, tables["comments"], word_space(texts), texts), "themes")
    tables["measure_summary"] = summarise_measures(
        measures, tables["comments"], tables["mentions"], tables["responses"]
    )
    tables["measures"] = measures
    for name, frame in tables.items():
        write_parquet(frame, folder / f"{name}.parquet", name)
    return folder


def _stance(text: str) -> str:
    return "question" if "?" in text else "critique" if "bekymret" in text else "support"
